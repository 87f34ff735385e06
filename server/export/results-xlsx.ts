/**
 * Results as an Excel workbook (exceljs): サマリー, 設問別, 参加者別 (one row per participant ×
 * question), グループ別, 知識テスト and Q&A, with Japanese headers, column widths, and times as real
 * Excel dates in Japan time. A sheet whose data does not exist yet says 「データなし」.
 */
import type ExcelJS from 'exceljs';
import type { ResultsPayload } from '../../shared/contract.ts';
import { correctRate, countsInOrder, groupStats, overallCorrectRate, participantAnswers, shiftsByRound } from '../../shared/results-analysis.ts';
import { NO_DATA, participantAnswerCells, PHASE_LABEL, roundCells, sessionFacts } from './export-labels.ts';

type Value = string | number | Date | null;

interface Column {
  header: string;
  width: number;
  /** Excel number format, e.g. 0.0% or a date format. */
  format?: string;
}

const DATE_TIME = 'yyyy/mm/dd hh:mm:ss';
const PERCENT = '0.0%';

/**
 * A real Excel date showing Japan time: Excel dates have no time zone, and exceljs writes a Date's UTC
 * fields, so the Date is shifted by the +09:00 offset the ISO text carries.
 */
export function excelDate(iso: string | null): Date | null {
  if (iso === null) return null;
  return new Date(Date.parse(`${iso.slice(0, 19)}Z`));
}

function addTable(workbook: ExcelJS.Workbook, name: string, columns: Column[], rows: Value[][]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ header: column.header, width: column.width, ...(column.format ? { style: { numFmt: column.format } } : {}) }));
  sheet.getRow(1).font = { bold: true };
  if (rows.length === 0) sheet.addRow([NO_DATA]);
  for (const row of rows) sheet.addRow(row);
  return sheet;
}

function summarySheet(workbook: ExcelJS.Workbook, results: ResultsPayload, exportedAt: string): void {
  const facts = sessionFacts(results, exportedAt).map(([label, value]): Value[] => [label, typeof value === 'object' ? excelDate(value.iso) : value]);
  const sheet = addTable(workbook, 'サマリー', [{ header: '項目', width: 34 }, { header: '内容', width: 60 }], [
    ...facts,
    ['全体の正答率（1回目）', overallCorrectRate(results)],
  ]);
  sheet.eachRow((row) => {
    const cell = row.getCell(2);
    if (cell.value instanceof Date) cell.numFmt = DATE_TIME;
  });
  sheet.getRow(facts.length + 2).getCell(2).numFmt = PERCENT;
}

function roundsSheet(workbook: ExcelJS.Workbook, results: ResultsPayload): void {
  const shifts = shiftsByRound(results);
  const rows = results.rounds.map((round, index): Value[] => {
    const shift = shifts.get(round.roundId);
    return [
      ...roundCells(round, index),
      correctRate(round),
      shift === undefined || shift === null ? null : shift / 100,
      ...countsInOrder(round),
      excelDate(round.openedAt),
      excelDate(round.closedAt),
    ];
  });
  addTable(
    workbook,
    '設問別',
    [
      { header: 'No', width: 5 },
      { header: '章', width: 22 },
      { header: '設問ID', width: 10 },
      { header: '事例', width: 24 },
      { header: '設問', width: 60 },
      { header: '回目', width: 6 },
      { header: '状態', width: 11 },
      { header: '正解', width: 14 },
      { header: '回答数', width: 8 },
      { header: '正答数', width: 8 },
      { header: '正答率', width: 9, format: PERCENT },
      { header: '1回目からの変化', width: 14, format: '+0.0%;-0.0%;0.0%' },
      { header: '○/A', width: 7 },
      { header: '×/B', width: 7 },
      { header: 'C', width: 7 },
      { header: 'D', width: 7 },
      { header: '出題日時', width: 20, format: DATE_TIME },
      { header: '締切日時', width: 20, format: DATE_TIME },
    ],
    rows,
  );
}

function participantsSheet(workbook: ExcelJS.Workbook, results: ResultsPayload): void {
  const rows = participantAnswers(results).map((row): Value[] => [...participantAnswerCells(row), excelDate(row.participant.joinedAt)]);
  addTable(
    workbook,
    '参加者別',
    [
      { header: '参加者No', width: 9 },
      { header: 'ニックネーム', width: 16 },
      { header: 'グループ', width: 10 },
      { header: '章', width: 22 },
      { header: '設問ID', width: 10 },
      { header: '設問', width: 60 },
      { header: '1回目の回答', width: 14 },
      { header: '1回目の正誤', width: 11 },
      { header: '再投票の回答', width: 14 },
      { header: '再投票の正誤', width: 12 },
      { header: '参加日時', width: 20, format: DATE_TIME },
    ],
    rows,
  );
}

function groupsSheet(workbook: ExcelJS.Workbook, results: ResultsPayload): void {
  const rows = groupStats(results).map((group): Value[] => [group.group, group.participants, group.voted, group.correct, group.voted > 0 ? group.correct / group.voted : null]);
  addTable(
    workbook,
    'グループ別',
    [
      { header: 'グループ', width: 14 },
      { header: '参加者数', width: 10 },
      { header: '回答数', width: 10 },
      { header: '正答数', width: 10 },
      { header: '正答率', width: 10, format: PERCENT },
    ],
    rows,
  );
}

/**
 * 知識テスト: each participant's score in each closed run, then per run the number scored, mean and
 * median, the score distribution, each item's correct rate, and the pre → post gain when both ran.
 */
function testSheet(workbook: ExcelJS.Workbook, results: ResultsPayload): void {
  const byNumber = new Map(results.roster.map((participant) => [participant.number, participant]));
  const rows = results.testScores.map((score): Value[] => {
    const participant = byNumber.get(score.participant);
    return [score.participant, participant?.nickname ?? null, participant?.group ?? null, PHASE_LABEL[score.kind], score.score, score.total, excelDate(score.submittedAt)];
  });
  const sheet = addTable(
    workbook,
    '知識テスト',
    [
      { header: '参加者No', width: 9 },
      { header: 'ニックネーム', width: 16 },
      { header: 'グループ', width: 10 },
      { header: '区分', width: 8 },
      { header: '得点', width: 8 },
      { header: '満点', width: 8 },
      { header: '提出日時', width: 20, format: DATE_TIME },
    ],
    rows,
  );
  const runs = results.tests.filter((run) => run.stats !== null);
  if (runs.length === 0) return;
  const heading = (cells: string[]): void => {
    sheet.addRow([]);
    sheet.addRow(cells).font = { bold: true };
  };
  heading(['区分', '受験者数', '平均点', '中央値', '満点']);
  for (const run of runs) sheet.addRow([PHASE_LABEL[run.kind], run.stats?.scored ?? 0, run.stats?.mean ?? null, run.stats?.median ?? null, run.itemCount]);
  heading(['区分', '得点', '人数']);
  for (const run of runs) run.stats?.histogram.forEach((count, score) => sheet.addRow([PHASE_LABEL[run.kind], score, count]));
  heading(['区分', '設問ID', '設問', '正答率']);
  for (const run of runs) {
    for (const item of run.stats?.items ?? []) sheet.addRow([PHASE_LABEL[run.kind], item.itemId, item.prompt, item.rate]).getCell(4).numFmt = PERCENT;
  }
  const gain = runs.find((run) => run.gain !== null)?.gain;
  if (!gain) return;
  heading(['事前→事後', '設問ID', '設問', '事前の正答率', '事後の正答率']);
  const overall = sheet.addRow(['全体', null, null, gain.pre, gain.post]);
  for (const item of gain.items) {
    const row = sheet.addRow(['', item.itemId, item.prompt, item.pre, item.post]);
    row.getCell(4).numFmt = PERCENT;
    row.getCell(5).numFmt = PERCENT;
  }
  overall.getCell(4).numFmt = PERCENT;
  overall.getCell(5).numFmt = PERCENT;
}

function qaSheet(workbook: ExcelJS.Workbook, results: ResultsPayload): void {
  const rows = (results.qa ?? []).map((entry): Value[] => [entry.text, entry.nickname, entry.upvotes, entry.status, entry.isPinned ? '○' : '', excelDate(entry.askedAt)]);
  addTable(
    workbook,
    'Q&A',
    [
      { header: '質問', width: 60 },
      { header: 'ニックネーム', width: 16 },
      { header: '賛同数', width: 8 },
      { header: '状態', width: 10 },
      { header: 'ピン留め', width: 9 },
      { header: '投稿日時', width: 20, format: DATE_TIME },
    ],
    rows,
  );
}

/** The workbook of a session's results; `exportedAt` is the Japan-time ISO time of the export. */
export async function resultsToXlsx(results: ResultsPayload, exportedAt: string): Promise<Buffer> {
  // Loaded on the first export: exceljs costs about 30 MB of memory a running seminar does not need.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  workbook.creator = 'kotae';
  workbook.created = new Date(Date.parse(exportedAt));
  summarySheet(workbook, results, exportedAt);
  roundsSheet(workbook, results);
  participantsSheet(workbook, results);
  groupsSheet(workbook, results);
  testSheet(workbook, results);
  qaSheet(workbook, results);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
