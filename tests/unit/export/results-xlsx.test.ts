import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { resultsToXlsx } from '../../../server/export/results-xlsx.ts';
import type { ResultsPayload } from '../../../shared/contract.ts';
import { sampleResults } from '../../support/results-fixture.ts';

const EXPORTED_AT = '2026-12-01T17:30:00+09:00';

async function readBack(results: ResultsPayload): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  const bytes = await resultsToXlsx(results, EXPORTED_AT);
  await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return workbook;
}

function requireSheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const sheet = workbook.getWorksheet(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  return sheet;
}

function rowValues(sheet: ExcelJS.Worksheet, row: number): unknown[] {
  return (sheet.getRow(row).values as unknown[]).slice(1);
}

describe('results workbook (XLSX)', () => {
  it('has the six sheets in order', async () => {
    const workbook = await readBack(sampleResults());
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['サマリー', '設問別', '参加者別', 'グループ別', '知識テスト', 'Q&A']);
  });

  it('writes times as real Excel dates showing Japan time', async () => {
    const workbook = await readBack(sampleResults());
    const rounds = requireSheet(workbook, '設問別');
    const opened = rounds.getRow(2).getCell(17);
    expect(opened.type).toBe(ExcelJS.ValueType.Date);
    // Excel dates have no zone: the wall-clock time shown is Japan time, 14:10.
    expect((opened.value as Date).toISOString()).toBe('2026-12-01T14:10:00.000Z');
    expect(opened.numFmt).toBe('yyyy/mm/dd hh:mm:ss');
    const summary = requireSheet(workbook, 'サマリー');
    const exported = summary.getColumn(1).values.indexOf('出力日時');
    expect((summary.getRow(exported).getCell(2).value as Date).toISOString()).toBe('2026-12-01T17:30:00.000Z');
  });

  it('writes counts as numbers and rates as percentages, round 2 with its shift from round 1', async () => {
    const rounds = requireSheet(await readBack(sampleResults()), '設問別');
    expect(rowValues(rounds, 1).slice(0, 12)).toEqual(['No', '章', '設問ID', '事例', '設問', '回目', '状態', '正解', '回答数', '正答数', '正答率', '1回目からの変化']);
    const second = rounds.getRow(3);
    expect([second.getCell(6).value, second.getCell(9).value, second.getCell(10).value, second.getCell(11).value, second.getCell(12).value]).toEqual([2, 2, 2, 1, 0.5]);
    expect(second.getCell(11).numFmt).toBe('0.0%');
    expect(second.getCell(5).value).toBe('=HYPERLINK("http://evil") "引用" を含む設問');
    expect(second.getCell(5).type).toBe(ExcelJS.ValueType.String);
    expect(rounds.getColumn(5).width).toBe(60);
  });

  it('has one row per participant and question, with nickname, group and both rounds', async () => {
    const sheet = requireSheet(await readBack(sampleResults()), '参加者別');
    expect(sheet.rowCount).toBe(1 + 2);
    expect(rowValues(sheet, 2).slice(0, 10)).toEqual([1, undefined, '1班', '第1章 基本', 'q1', '=HYPERLINK("http://evil") "引用" を含む設問', '○ 正しい', '不正解', '× 誤り', '正解']);
    expect(rowValues(sheet, 3).slice(0, 3)).toEqual([2, '=さくら', '2班']);
  });

  it('totals each group', async () => {
    const sheet = requireSheet(await readBack(sampleResults()), 'グループ別');
    expect(rowValues(sheet, 2)).toEqual(['1班', 1, 2, 1, 0.5]);
    expect(rowValues(sheet, 3)).toEqual(['2班', 1, 2, 2, 1]);
  });

  it('says データなし on the test, Q&A and group sheets when there is no such data', async () => {
    const results = sampleResults();
    const workbook = await readBack({ ...results, roster: results.roster.map((participant) => ({ ...participant, group: null })) });
    for (const name of ['グループ別', '知識テスト', 'Q&A']) expect(requireSheet(workbook, name).getRow(2).getCell(1).value).toBe('データなし');
  });

  it('fills the test sheet from the closed runs, and the Q&A sheet when the results carry it', async () => {
    const stats = (scored: number, histogram: number[], mean: number, rates: [number, number]) => ({
      scored,
      histogram,
      mean,
      median: mean,
      items: [
        { itemId: 't1', prompt: '設問1', rate: rates[0] },
        { itemId: 't2', prompt: '設問2', rate: rates[1] },
      ],
      groups: [],
      leaderboard: null,
    });
    const workbook = await readBack(
      sampleResults({
        tests: [
          { runId: 'pre', kind: 'pre', status: 'closed', itemCount: 2, submitted: 1, answering: 1, participants: 2, stats: stats(1, [0, 1, 0], 1, [1, 0]), gain: null },
          {
            runId: 'post',
            kind: 'post',
            status: 'closed',
            itemCount: 2,
            submitted: 2,
            answering: 2,
            participants: 2,
            stats: stats(2, [0, 0, 2], 2, [1, 1]),
            gain: { pre: 0.5, post: 1, items: [{ itemId: 't1', prompt: '設問1', pre: 1, post: 1 }] },
          },
        ],
        testScores: [
          { runId: 'pre', kind: 'pre', participant: 1, score: 1, total: 2, submittedAt: '2026-12-01T14:05:00+09:00' },
          { runId: 'post', kind: 'post', participant: 2, score: 2, total: 2, submittedAt: '2026-12-01T16:05:00+09:00' },
        ],
        qa: [{ id: 'a', text: '録音してよいですか', nickname: null, upvotes: 3, status: 'answered', isPinned: true, askedAt: '2026-12-01T15:00:00+09:00' }],
      }),
    );
    const test = requireSheet(workbook, '知識テスト');
    expect(rowValues(test, 1)).toEqual(['参加者No', 'ニックネーム', 'グループ', '区分', '得点', '満点', '提出日時']);
    expect(rowValues(test, 2).slice(0, 6)).toEqual([1, undefined, '1班', '事前', 1, 2]);
    expect(rowValues(test, 3).slice(0, 6)).toEqual([2, '=さくら', '2班', '事後', 2, 2]);
    expect((test.getRow(3).getCell(7).value as Date).toISOString()).toBe('2026-12-01T16:05:00.000Z');
    const labels = test.getColumn(1).values;
    const means = labels.indexOf('区分', 2);
    expect(rowValues(test, means + 1)).toEqual(['事前', 1, 1, 1, 2]);
    expect(rowValues(test, means + 2)).toEqual(['事後', 2, 2, 2, 2]);
    const gain = labels.indexOf('全体');
    expect(rowValues(test, gain).slice(3)).toEqual([0.5, 1]);
    expect(test.getRow(gain).getCell(4).numFmt).toBe('0.0%');
    const qa = requireSheet(workbook, 'Q&A');
    expect(rowValues(qa, 2).slice(0, 5)).toEqual(['録音してよいですか', undefined, 3, 'answered', '○']);
  });
});
