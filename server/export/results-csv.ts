/**
 * Results as CSV for Japanese Excel: UTF-8 with BOM, CRLF line ends, every field quoted, and text
 * that Excel would run as a formula prefixed with '. The session header comes first, then one row per
 * round (設問別) and one row per participant and question (参加者別); times are Japan time.
 */
import type { ResultsPayload } from '../../shared/contract.ts';
import { correctRate, countsInOrder, participantAnswers, roundTo, shiftsByRound } from '../../shared/results-analysis.ts';
import { japanText, participantAnswerCells, roundCells, sessionFacts } from './export-labels.ts';

type Cell = string | number | null;

/** A cell for Excel: quoted, and text that Excel would run as a formula is prefixed with '. */
function csvCell(value: Cell): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

const ROUND_HEADER = [
  'No',
  '章',
  '設問ID',
  '事例',
  '設問',
  '回目',
  '状態',
  '正解',
  '回答数',
  '正答数',
  '正答率(%)',
  '1回目からの変化(pt)',
  '○/A',
  '×/B',
  'C',
  'D',
  '出題日時',
];
const PARTICIPANT_HEADER = ['参加者No', 'ニックネーム', 'グループ', '章', '設問ID', '設問', '1回目の回答', '1回目の正誤', '再投票の回答', '再投票の正誤'];

function roundRows(results: ResultsPayload): Cell[][] {
  const shifts = shiftsByRound(results);
  return results.rounds.map((round, index) => {
    const rate = correctRate(round);
    return [
      ...roundCells(round, index),
      rate === null ? null : roundTo(rate * 100, 1),
      shifts.get(round.roundId) ?? null,
      ...countsInOrder(round),
      japanText(round.openedAt),
    ];
  });
}

function participantRows(results: ResultsPayload): Cell[][] {
  return participantAnswers(results).map(participantAnswerCells);
}

/** The CSV of a session's results; `exportedAt` is the Japan-time ISO time of the export. */
export function resultsToCsv(results: ResultsPayload, exportedAt: string): string {
  const rows: Cell[][] = [
    ['kotae 研修結果'],
    ...sessionFacts(results, exportedAt).map(([label, value]) => [label, typeof value === 'object' ? japanText(value.iso) : value]),
    [],
    ['設問別'],
    ROUND_HEADER,
    ...roundRows(results),
    [],
    ['参加者別'],
    PARTICIPANT_HEADER,
    ...participantRows(results),
  ];
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
