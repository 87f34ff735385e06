/**
 * The results dashboard's blocks, shared by the screen and the printed report: summary, each question
 * with its distribution (round 1 vs re-vote), groups, the knowledge test, Q&A and the joining timeline.
 */
import type { ResultRound, ResultsPayload } from '../../shared/contract.ts';
import { japanDisplay } from '../../shared/japan-time.ts';
import {
  askedQuestions,
  choiceLabel,
  correctRate,
  groupStats,
  joinTimeline,
  overallCorrectRate,
  percentText,
  roundTo,
  type AskedQuestion,
} from '../../shared/results-analysis.ts';
import { el, present } from '../lib/dom.ts';
import { barChart, comparisonChart, histogram, stepLine } from './charts.ts';
import { t } from './strings.ts';

function stat(label: string, value: string): HTMLElement {
  return el('div', { className: 'stat' }, [el('span', { className: 'label', text: label }), el('strong', { text: value })]);
}

export function summaryBlock(results: ResultsPayload): HTMLElement {
  return el('section', { className: 'block summary-block' }, [
    el('h2', { text: t.summary }),
    el('div', { className: 'stats' }, [
      stat(t.participants, String(results.participants)),
      stat(t.questionsAsked, String(askedQuestions(results).length)),
      stat(t.overallRate, percentText(overallCorrectRate(results))),
    ]),
    results.skippedRounds > 0 ? el('p', { className: 'muted small', text: t.skipped(results.skippedRounds) }) : null,
  ]);
}

function distribution(round: ResultRound): SVGSVGElement {
  return barChart(
    round.options.map((option) => ({ label: choiceLabel([option], option.key), value: round.counts[option.key] ?? 0, isHighlighted: option.key === round.answer })),
    round.prompt,
  );
}

/** One question: its first round's distribution, and the shift when it was asked again. */
export function questionCard(question: AskedQuestion, index: number, options: { withExplanation: boolean }): HTMLElement {
  const { first, revote } = question;
  const last = revote ?? first;
  const heading = [question.chapterTitle, question.caseName ? `${t.caseLabel}（${question.caseName}）` : null].filter(Boolean).join('｜');
  return el('article', { className: 'question-card', attrs: { 'data-question': question.questionId } }, [
    heading ? el('p', { className: 'muted small', text: heading }) : null,
    el('h3', { text: `Q${index + 1}. ${question.prompt}` }),
    el('p', { className: 'question-facts' }, [
      el('span', { text: `${t.answer}: ${choiceLabel(first.options, first.answer)}` }),
      el('span', { text: `${t.correctRate}: ${percentText(correctRate(first))}（${t.voted} ${first.voted}）` }),
      revote && question.shiftPoints !== null ? el('span', { className: 'shift', text: `${t.shift}: ${percentText(correctRate(revote))}（${t.shiftPoints(question.shiftPoints)}）` }) : null,
    ]),
    revote
      ? comparisonChart(
          first.options.map((option) => ({ label: choiceLabel([option], option.key), first: first.counts[option.key] ?? 0, second: revote.counts[option.key] ?? 0, isHighlighted: option.key === first.answer })),
          t.legend,
          question.prompt,
        )
      : distribution(first),
    ...(options.withExplanation
      ? present([
          el('p', { className: 'explanation' }, [el('strong', { text: `${t.explanation}　` }), document.createTextNode(last.explanation)]),
          last.lesson ? el('p', { className: 'explanation' }, [el('strong', { text: `${t.lesson}　` }), document.createTextNode(last.lesson)]) : null,
        ])
      : []),
  ]);
}

export function questionsBlock(results: ResultsPayload, options: { withExplanation: boolean }): HTMLElement {
  const questions = askedQuestions(results);
  return el('section', { className: 'block questions-block' }, [
    el('h2', { text: options.withExplanation ? t.reportQuestions : t.questionsAsked }),
    ...(questions.length === 0 ? [el('p', { className: 'muted', text: t.noRounds })] : questions.map((question, index) => questionCard(question, index, options))),
  ]);
}

export function groupsBlock(results: ResultsPayload): HTMLElement {
  const groups = groupStats(results);
  return el('section', { className: 'block groups-block' }, [
    el('h2', { text: t.byGroup }),
    groups.length === 0
      ? el('p', { className: 'muted', text: t.noGroups })
      : el('table', {}, [
          el('thead', {}, [el('tr', {}, t.groupColumns.map((column) => el('th', { text: column })))]),
          el(
            'tbody',
            {},
            groups.map((group) =>
              el('tr', {}, [
                el('td', { text: group.group }),
                el('td', { text: String(group.participants) }),
                el('td', { text: String(group.voted) }),
                el('td', { text: percentText(group.voted > 0 ? group.correct / group.voted : null) }),
              ]),
            ),
          ),
        ]),
  ]);
}

/** The knowledge test (and pre-test): per closed run its scores, distribution and weakest items; the gain. */
export function testBlock(results: ResultsPayload): HTMLElement {
  const runs = results.tests.filter((run) => run.stats !== null);
  if (runs.length === 0) return el('section', { className: 'block test-block' }, [el('h2', { text: t.test }), el('p', { className: 'muted', text: t.noTest })]);
  const gain = runs.find((run) => run.gain !== null)?.gain ?? null;
  return el('section', { className: 'block test-block' }, [
    el('h2', { text: t.test }),
    ...runs.flatMap((run) => {
      const stats = run.stats;
      if (!stats) return [];
      return [
        el('h3', { text: `${t.testPhase[run.kind]}：${t.testStats(stats.scored, roundTo(stats.mean, 2), stats.median)}（${t.outOf(run.itemCount)}）` }),
        histogram(stats.histogram, `${t.testPhase[run.kind]}`),
        el('p', { className: 'muted small', text: t.itemRates }),
        barChart(
          stats.items.map((item) => ({ label: item.itemId, value: Math.round(item.rate * 100) })),
          `${t.testPhase[run.kind]} ${t.itemRates}`,
          { unit: 'percent' },
        ),
      ];
    }),
    gain ? el('p', { className: 'shift', text: t.prePostGain(percentText(gain.pre), percentText(gain.post)) }) : null,
  ]);
}

export function qaBlock(results: ResultsPayload): HTMLElement {
  const entries = results.qa ?? [];
  return el('section', { className: 'block qa-block' }, [
    el('h2', { text: t.qa }),
    entries.length === 0
      ? el('p', { className: 'muted', text: t.noQa })
      : el(
          'ol',
          {},
          entries.map((entry) =>
            el('li', {}, [el('span', { text: entry.text }), el('span', { className: 'muted small', text: `　${entry.nickname ?? ''} ${t.upvotes(entry.upvotes)} ${japanDisplay(entry.askedAt)}` })]),
          ),
        ),
  ]);
}

export function timelineBlock(results: ResultsPayload): HTMLElement {
  const timeline = joinTimeline(results.roster);
  return el('section', { className: 'block timeline-block' }, [el('h2', { text: t.timeline }), stepLine(timeline.map((point) => point.joined), t.timeline)]);
}

/** The whole dashboard, as the 結果 tab shows it. */
export function dashboard(results: ResultsPayload): HTMLElement {
  return el('div', { className: 'dashboard' }, [
    summaryBlock(results),
    questionsBlock(results, { withExplanation: false }),
    groupsBlock(results),
    testBlock(results),
    qaBlock(results),
    timelineBlock(results),
  ]);
}
