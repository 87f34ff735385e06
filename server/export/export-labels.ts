/** The words and facts every export shares: the session header, labels, Japan-time text and the file name. */
import type { ResultRound, ResultsPayload, RoundStatus } from '../../shared/contract.ts';
import { startsAtDisplay } from '../../shared/japan-time.ts';
import { choiceLabel, type ParticipantAnswerRow, type RoundAnswer } from '../../shared/results-analysis.ts';

export const STATUS_LABEL: Record<RoundStatus, string> = { open: '受付中', closed: '締切', revealed: '正解発表済' };
export const PHASE_LABEL = { pre: '事前', post: '事後' } as const;
export const NO_DATA = 'データなし';

/** 2026/11/28 14:05:09 from an ISO time with +09:00 (already Japan time): what Excel reads as a date. */
export function japanText(iso: string | null): string {
  return iso === null ? '' : `${iso.slice(0, 10).replace(/-/g, '/')} ${iso.slice(11, 19)}`;
}

/** A fact's value: text, a number, or a time (ISO with +09:00) each format writes its own way. */
export type FactValue = string | number | { iso: string };

/** The session's facts as label and value, the header of the CSV and the summary sheet. */
export function sessionFacts(results: ResultsPayload, exportedAt: string): Array<[string, FactValue]> {
  const { settings } = results;
  return [
    ['開催名', results.session.title],
    ['クライアント', settings.clientName],
    ['開催日時', startsAtDisplay(settings.startsAt)],
    ['会場', settings.venue],
    ['講師', settings.lecturer],
    ['コース', `${results.courseTitle}（${results.variantTitle}）`],
    ['区分', settings.isRehearsal ? 'リハーサル' : '本番'],
    ['参加方式', settings.participation === 'named' ? '記名' : '匿名（ニックネーム任意）'],
    ['参加コード', results.session.code],
    ['参加者数', results.participants],
    ['出題した回数', results.rounds.length],
    ['除外した回（投票なしで次へ進んだ回）', results.skippedRounds],
    ['作成日時', { iso: results.createdAt }],
    ['出力日時', { iso: exportedAt }],
  ];
}

/** Characters Windows does not allow in file names, and control characters. */
const UNSAFE_IN_FILE_NAME = /[\\/:*?"<>|\u0000-\u001f\u007f]/g;

/** 2026-11-28_タイトル_研修結果.xlsx: the seminar's date and title, safe as a Windows file name. */
export function exportFileName(results: ResultsPayload, extension: string): string {
  const date = results.settings.startsAt?.slice(0, 10) ?? results.createdAt.slice(0, 10);
  const title = results.session.title.replace(UNSAFE_IN_FILE_NAME, '_').replace(/\s+/g, ' ').trim().slice(0, 60).replace(/[. ]+$/, '');
  const rehearsal = results.settings.isRehearsal ? '_リハーサル' : '';
  return `${date}_${title || results.session.code}${rehearsal}_研修結果.${extension}`;
}

export function verdict(answer: RoundAnswer | null): string {
  if (!answer) return '未回答';
  return answer.isCorrect === null ? '' : answer.isCorrect ? '正解' : '不正解';
}

/** A participant × question row's answer columns: 1回目の回答, 1回目の正誤, 再投票の回答, 再投票の正誤. */
export function answerCells({ question, first, revote }: ParticipantAnswerRow): [string | null, string, string | null, string | null] {
  return [
    first ? choiceLabel(question.first.options, first.choice) : null,
    verdict(first),
    question.revote && revote ? choiceLabel(question.revote.options, revote.choice) : null,
    question.revote ? verdict(revote) : null,
  ];
}

/** The first columns of a 設問別 row: No, 章, 設問ID, 事例, 設問, 回目, 状態, 正解, 回答数, 正答数. */
export function roundCells(round: ResultRound, index: number): Array<string | number | null> {
  return [
    index + 1,
    round.chapterTitle,
    round.questionId,
    round.caseName,
    round.prompt,
    round.number,
    STATUS_LABEL[round.status],
    choiceLabel(round.options, round.answer),
    round.voted,
    round.correct,
  ];
}

/** A 参加者別 row but its times: 参加者No, ニックネーム, グループ, 章, 設問ID, 設問, and the answer columns. */
export function participantAnswerCells(row: ParticipantAnswerRow): Array<string | number | null> {
  return [row.participant.number, row.participant.nickname, row.participant.group, row.question.chapterTitle, row.question.questionId, row.question.prompt, ...answerCells(row)];
}
