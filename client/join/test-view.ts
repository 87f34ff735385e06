/**
 * The knowledge test on the phone: one item at a time with progress, back and forward, a review step,
 * submit; once closed, the participant's own score and the 解説 of the items missed.
 */
import type { ParticipantTestView, TestChoice } from '../../shared/contract.ts';
import { el, present } from '../lib/dom.ts';
import { t } from './strings.ts';

export interface TestActions {
  answer(itemId: string, choice: TestChoice): void;
  move(position: number): void;
  submit(): void;
}

/** What the page is doing with the test right now. */
export interface TestActivity {
  isSending: boolean;
  /** Why the last action was not saved, if it was not. */
  problem: string | null;
}

const CHOICES: Array<{ key: TestChoice; symbol: string; words: string }> = [
  { key: 'o', symbol: '○', words: '正しい' },
  { key: 'x', symbol: '×', words: '誤り' },
];

function symbolOf(choice: TestChoice | null | undefined): string {
  return CHOICES.find((candidate) => candidate.key === choice)?.symbol ?? t.test.unanswered;
}

function titleOf(test: ParticipantTestView): string {
  return test.kind === 'pre' ? t.test.preTitle : t.test.title;
}

export function renderTest(test: ParticipantTestView, activity: TestActivity, actions: TestActions): HTMLElement {
  if (test.result) return renderResult(test);
  if (test.submitted) return renderSubmitted(test);
  if (test.status === 'closed') return el('section', { className: 'screen test' }, [el('p', { className: 'feedback', text: t.test.closed })]);
  const screen = test.position >= test.items.length ? renderReview(test, actions) : renderItem(test, test.position, actions);
  if (activity.isSending) screen.append(el('p', { className: 'feedback', text: t.sending }));
  if (activity.problem) screen.append(el('p', { className: 'feedback error', text: activity.problem, attrs: { role: 'alert' } }));
  return screen;
}

function progress(test: ParticipantTestView, position: number): HTMLElement {
  const answered = Object.keys(test.answers).length;
  const bar = el('div', { className: 'progress-track', attrs: { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': String(test.items.length), 'aria-valuenow': String(answered) } }, [
    el('div', { className: 'progress-fill' }),
  ]);
  (bar.firstElementChild as HTMLElement).style.width = `${Math.round((answered / test.items.length) * 100)}%`;
  return el('div', { className: 'test-progress' }, [
    el('p', { className: 'kind', text: `${titleOf(test)}　${position < test.items.length ? `${position + 1} / ${test.items.length}` : t.test.review}` }),
    bar,
  ]);
}

function renderItem(test: ParticipantTestView, position: number, actions: TestActions): HTMLElement {
  const item = test.items[position]!;
  const chosen = test.answers[item.id];
  const buttons = el(
    'div',
    { className: 'options two' },
    CHOICES.map((choice) => {
      const button = el('button', {
        className: `option option-${choice.key}${chosen === choice.key ? ' chosen' : ''}`,
        attrs: { type: 'button', 'aria-label': `${choice.symbol} ${choice.words}`, 'aria-pressed': String(chosen === choice.key) },
      });
      button.append(
        el('span', { className: 'symbol', text: choice.symbol, attrs: { 'aria-hidden': 'true' } }),
        el('span', { className: 'words', text: choice.words, attrs: { 'aria-hidden': 'true' } }),
      );
      button.addEventListener('click', () => actions.answer(item.id, choice.key));
      return button;
    }),
  );
  const back = el('button', { className: 'secondary', text: t.test.back, attrs: { type: 'button' } });
  back.disabled = position === 0;
  back.addEventListener('click', () => actions.move(position - 1));
  const isLast = position === test.items.length - 1;
  const next = el('button', { className: 'secondary', text: isLast ? t.test.toReview : t.test.next, attrs: { type: 'button' } });
  next.addEventListener('click', () => actions.move(position + 1));
  return el('section', { className: 'screen test' }, [
    progress(test, position),
    el('h1', { className: 'prompt', text: item.prompt }),
    buttons,
    el('div', { className: 'test-nav' }, [back, next]),
  ]);
}

function renderReview(test: ParticipantTestView, actions: TestActions): HTMLElement {
  const unanswered = test.items.filter((item) => test.answers[item.id] === undefined).length;
  const list = el(
    'ol',
    { className: 'review-list' },
    test.items.map((item, index) => {
      const button = el('button', { className: 'review-item', attrs: { type: 'button' } }, [
        el('span', { className: 'review-number', text: `${index + 1}` }),
        el('span', { className: 'review-prompt', text: item.prompt }),
        el('strong', { className: `review-answer${test.answers[item.id] ? '' : ' missing'}`, text: symbolOf(test.answers[item.id]) }),
      ]);
      button.addEventListener('click', () => actions.move(index));
      return el('li', {}, [button]);
    }),
  );
  const submit = el('button', { className: 'primary', text: t.test.submit, attrs: { type: 'button' } });
  submit.addEventListener('click', () => actions.submit());
  return el('section', { className: 'screen test' }, [
    progress(test, test.items.length),
    el('h1', { text: t.test.reviewTitle }),
    el('p', { className: unanswered > 0 ? 'feedback error' : 'hint', text: unanswered > 0 ? t.test.unansweredCount(unanswered) : t.test.allAnswered }),
    list,
    submit,
    el('p', { className: 'hint', text: t.test.submitHint }),
  ]);
}

function renderSubmitted(test: ParticipantTestView): HTMLElement {
  return el('section', { className: 'screen test' }, [
    el('p', { className: 'kind', text: titleOf(test) }),
    el('h1', { text: t.test.submitted }),
    el('p', { className: 'hint', text: t.test.waitForClose }),
  ]);
}

function renderResult(test: ParticipantTestView): HTMLElement {
  const result = test.result!;
  return el('section', { className: 'screen test result' }, [
    el('p', { className: 'kind', text: titleOf(test) }),
    el('p', { className: 'score' }, [el('span', { className: 'label', text: t.test.yourScore }), el('strong', { text: `${result.score} / ${result.total}` })]),
    el('p', { className: 'hint', text: t.test.private }),
    result.missed.length === 0 ? el('p', { className: 'feedback done', text: t.test.perfect }) : el('h2', { text: t.test.missedHeading }),
    ...result.missed.map((missed) =>
      el('article', { className: 'missed' }, present([
        el('p', { className: 'missed-prompt', text: missed.prompt }),
        el('p', { className: 'missed-answers' }, [
          el('span', { text: `${t.answerIs}: ` }),
          el('strong', { text: symbolOf(missed.answer) }),
          el('span', { text: `　${t.yourChoice}: ${symbolOf(missed.yourChoice)}` }),
        ]),
        el('p', { className: 'explanation', text: missed.explanation }),
        missed.basis ? el('p', { className: 'hint basis', text: `${t.test.basis}: ${missed.basis}` }) : null,
      ])),
    ),
  ]);
}
