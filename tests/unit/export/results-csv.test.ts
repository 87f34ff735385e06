import { describe, expect, it } from 'vitest';
import { exportFileName } from '../../../server/export/export-labels.ts';
import { resultsToCsv } from '../../../server/export/results-csv.ts';
import { sampleResults } from '../../support/results-fixture.ts';

const EXPORTED_AT = '2026-12-01T17:30:00+09:00';

/** The exact CSV bytes for the sample results, BOM and CRLF included. */
const GOLDEN = [
  '\uFEFF"kotae 研修結果"',
  '"開催名","カスハラ研修: 本社/営業部"',
  '"クライアント","株式会社テスト"',
  '"開催日時","2026/12/01 14:00"',
  '"会場","本社 5F"',
  '"講師","山田 弁護士"',
  '"コース","コース（短縮版）"',
  '"区分","本番"',
  '"参加方式","匿名（ニックネーム任意）"',
  '"参加コード","ACDEFG"',
  '"参加者数","2"',
  '"出題した回数","2"',
  '"除外した回（投票なしで次へ進んだ回）","1"',
  '"作成日時","2026/11/27 09:00:00"',
  '"出力日時","2026/12/01 17:30:00"',
  '',
  '"設問別"',
  '"No","章","設問ID","事例","設問","回目","状態","正解","回答数","正答数","正答率(%)","1回目からの変化(pt)","○/A","×/B","C","D","出題日時"',
  '"1","第1章 基本","q1","","\'=HYPERLINK(""http://evil"") ""引用"" を含む設問","1","正解発表済","× 誤り","2","1","50","","1","1","","","2026/12/01 14:10:00"',
  '"2","第1章 基本","q1","","\'=HYPERLINK(""http://evil"") ""引用"" を含む設問","2","正解発表済","× 誤り","2","2","100","50","0","2","","","2026/12/01 14:15:00"',
  '',
  '"参加者別"',
  '"参加者No","ニックネーム","グループ","章","設問ID","設問","1回目の回答","1回目の正誤","再投票の回答","再投票の正誤"',
  '"1","","1班","第1章 基本","q1","\'=HYPERLINK(""http://evil"") ""引用"" を含む設問","○ 正しい","不正解","× 誤り","正解"',
  '"2","\'=さくら","2班","第1章 基本","q1","\'=HYPERLINK(""http://evil"") ""引用"" を含む設問","× 誤り","正解","× 誤り","正解"',
  '',
].join('\r\n');

describe('results CSV for Excel', () => {
  it('writes exactly the golden bytes: BOM, CRLF, every field quoted, formulas guarded, Japan time', () => {
    const csv = resultsToCsv(sampleResults(), EXPORTED_AT);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv).toBe(GOLDEN);
  });

  it('has no bare LF, so Excel sees one record per line', () => {
    expect(resultsToCsv(sampleResults(), EXPORTED_AT).replace(/\r\n/g, '')).not.toContain('\n');
  });
});

describe('export file names', () => {
  it('carry the seminar date and title, with characters Windows refuses replaced', () => {
    expect(exportFileName(sampleResults(), 'xlsx')).toBe('2026-12-01_カスハラ研修_ 本社_営業部_研修結果.xlsx');
  });

  it('fall back to the creation date, and mark a rehearsal', () => {
    const results = sampleResults();
    const rehearsal = sampleResults({ settings: { ...results.settings, startsAt: null, isRehearsal: true } });
    expect(exportFileName(rehearsal, 'csv')).toBe('2026-11-27_カスハラ研修_ 本社_営業部_リハーサル_研修結果.csv');
  });
});
