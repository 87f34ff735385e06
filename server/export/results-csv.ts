import type { ResultsPayload } from '../../shared/contract.ts';

/** A cell for Excel: quoted, and text that Excel would run as a formula is prefixed with '. */
function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

const HEADER = ['回', '設問ID', '設問', '回目', '状態', '正解', '回答数', '正答数', '正答率(%)', '○/A', '×/B', 'C', 'D', '出題日時'];
const STATUS_LABEL = { open: '受付中', closed: '締切', revealed: '正解発表済' } as const;

/** CSV for Japanese Excel: UTF-8 with BOM, CRLF line ends, every field quoted. */
export function resultsToCsv(results: ResultsPayload): string {
  const rows = results.rounds.map((round, index) => {
    const keys = round.options.map((option) => option.key);
    const countsInOrder = [0, 1, 2, 3].map((position) => {
      const key = keys[position];
      return key === undefined ? null : (round.counts[key] ?? 0);
    });
    const answerOption = round.options.find((option) => option.key === round.answer);
    const rate = round.voted > 0 && round.correct !== null ? Math.round((round.correct / round.voted) * 1000) / 10 : null;
    return [
      index + 1,
      round.questionId,
      round.prompt,
      round.number,
      STATUS_LABEL[round.status],
      answerOption ? `${answerOption.symbol} ${answerOption.text}` : round.answer,
      round.voted,
      round.correct,
      rate,
      ...countsInOrder,
      round.openedAt,
    ];
  });
  return `\uFEFF${[HEADER, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
