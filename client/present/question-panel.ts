/** The question slide: the question, live bars per option, 「回答 n / 参加 m」, then the answer and 解説. */
import { optionLabel, type DeckQuestion, type GroupTally, type PresenterRoundView, type RoundShift, type Tally } from '../../shared/contract.ts';
import { el, present } from '../lib/dom.ts';
import { t } from './strings.ts';

export interface PanelControls {
  open(): void;
  close(): void;
  reveal(): void;
}

export class QuestionPanel {
  readonly element: HTMLElement;
  private readonly rows = new Map<string, { row: HTMLElement; fill: HTMLElement; count: HTMLElement; percent: HTMLElement }>();
  private readonly counter: HTMLElement;
  private readonly statusBadge: HTMLElement;
  private readonly revealBox: HTMLElement;
  private readonly openButton: HTMLButtonElement;
  private readonly closeButton: HTMLButtonElement;
  private readonly revealButton: HTMLButtonElement;
  private readonly bars: HTMLElement;
  private readonly groupsView: HTMLElement;
  private readonly shiftLine: HTMLElement;
  private isShowingGroups = false;
  private groups: GroupTally[] = [];
  /** The session hides counts and percentages while this round is open (the response count stays). */
  private isHidingCounts = false;

  constructor(
    readonly question: DeckQuestion,
    chapterLabel: string,
    controls: PanelControls,
  ) {
    const bars = el('div', { className: `bars ${question.options.length > 2 ? 'many' : 'two'}`, attrs: { role: 'list' } });
    this.bars = bars;
    this.groupsView = el('div', { className: 'groups-view', attrs: { hidden: '' } });
    this.shiftLine = el('p', { className: 'shift', attrs: { hidden: '' } });
    for (const option of question.options) {
      const fill = el('div', { className: 'fill' });
      const count = el('span', { className: 'count', text: '0' });
      const percent = el('span', { className: 'percent', text: '0%' });
      const row = el('div', { className: `bar-row option-${option.key}`, attrs: { role: 'listitem', 'data-option': option.key } }, [
        el('span', { className: 'symbol', text: option.symbol, attrs: { 'aria-hidden': 'true' } }),
        el('span', { className: 'option-text', text: option.text }),
        el('div', { className: 'track' }, [fill]),
        el('span', { className: 'numbers' }, [count, percent]),
      ]);
      row.setAttribute('aria-label', optionLabel(option));
      bars.append(row);
      this.rows.set(option.key, { row, fill, count, percent });
    }
    this.counter = el('span', { className: 'counter', text: '' });
    this.statusBadge = el('span', { className: 'status-badge', text: t.waitingToOpen });
    this.revealBox = el('div', { className: 'reveal-box', attrs: { hidden: '' } });
    this.openButton = el('button', { text: t.openButton, attrs: { type: 'button', 'data-action': 'open' } });
    this.closeButton = el('button', { text: t.closeButton, attrs: { type: 'button', 'data-action': 'close' } });
    this.revealButton = el('button', { text: t.revealButton, attrs: { type: 'button', 'data-action': 'reveal' } });
    this.openButton.addEventListener('click', controls.open);
    this.closeButton.addEventListener('click', controls.close);
    this.revealButton.addEventListener('click', controls.reveal);

    const kind = question.kind === 'case' ? t.caseLabel : t.question;
    this.element = el('div', { className: `question-panel kind-${question.kind}` }, [
      el('p', { className: 'question-kind' }, [el('strong', { text: kind }), el('span', { text: ` ${chapterLabel}` })]),
      question.caseLabel ? el('p', { className: 'case-label', text: question.caseLabel }) : null,
      question.facts ? el('p', { className: 'facts', text: question.facts }) : null,
      el('h2', { className: 'prompt', text: question.prompt }),
      bars,
      this.groupsView,
      this.shiftLine,
      el('div', { className: 'panel-footer' }, [
        this.counter,
        this.statusBadge,
        el('span', { className: 'round-controls' }, [this.openButton, this.closeButton, this.revealButton]),
      ]),
      this.revealBox,
    ]);
    this.render(null, 0);
  }

  /**
   * Shows the round of this question, or the not-yet-asked state when the current round is another's.
   * `hideCounts`: the session hides counts and percentages while a round is open (the response count stays).
   */
  render(round: PresenterRoundView | null, participants: number, hideCounts = false): void {
    const isMine = round?.questionId === this.question.id;
    const status = isMine ? round.status : null;
    this.element.dataset.status = status ?? 'idle';
    this.groups = isMine ? round.groups : [];
    this.isHidingCounts = hideCounts && status === 'open';
    this.renderTally(isMine ? round.tally : null, participants, this.groups);
    this.renderShift(isMine && status !== 'revealed' ? round.shift : null);
    this.statusBadge.textContent = status === 'open' ? t.open : status === 'closed' ? t.closed : status === 'revealed' ? t.revealed : t.waitingToOpen;
    if (isMine && round.number > 1) this.statusBadge.textContent += `（${t.revote}${round.number - 1}）`;
    this.openButton.textContent = isMine ? t.revoteButton : t.openButton;
    this.openButton.disabled = status === 'open';
    this.closeButton.disabled = status !== 'open';
    this.revealButton.disabled = !status || status === 'revealed';
    for (const [key, { row }] of this.rows) row.classList.toggle('correct', status === 'revealed' && key === this.question.reveal.answer);
    this.renderReveal(status === 'revealed');
  }

  /** The printed handout: the question with its answer and 解説, without live counts or buttons. */
  renderHandout(): void {
    this.element.dataset.status = 'handout';
    for (const [key, { row }] of this.rows) row.classList.toggle('correct', key === this.question.reveal.answer);
    this.renderReveal(true);
  }

  /** Switches between the room's tally and one small tally per group (G), when the session has groups. */
  toggleGroups(): void {
    this.isShowingGroups = !this.isShowingGroups;
    this.renderGroups();
  }

  renderTally(tally: Tally | null, participants: number, groups: GroupTally[] = this.groups): void {
    this.groups = groups;
    this.renderGroups();
    const voted = tally?.voted ?? 0;
    const isHidden = this.isHidingCounts;
    this.element.classList.toggle('counts-hidden', isHidden);
    for (const [key, parts] of this.rows) {
      const count = tally?.counts[key] ?? 0;
      const percent = voted > 0 && !isHidden ? Math.round((count / voted) * 100) : 0;
      parts.fill.style.width = `${percent}%`;
      parts.count.textContent = isHidden ? '' : `${count}${t.people}`;
      parts.percent.textContent = isHidden ? '' : `${percent}%`;
    }
    this.counter.textContent = `${t.answered} ${voted} / ${t.joined} ${tally?.participants ?? participants}`;
    if (isHidden) this.counter.textContent += `　${t.resultsHidden}`;
  }

  private renderGroups(): void {
    const isShown = this.isShowingGroups && this.groups.length > 0 && !this.isHidingCounts;
    this.groupsView.hidden = !isShown;
    this.bars.hidden = isShown;
    if (!isShown) return;
    this.groupsView.replaceChildren(
      ...this.groups.map((group) =>
        el('div', { className: 'group-card' }, [
          el('p', { className: 'group-name', text: `${group.group}（${group.voted}${t.people}）` }),
          ...this.question.options.map((option) => {
            const count = group.counts[option.key] ?? 0;
            const fill = el('div', { className: 'fill' });
            fill.style.width = `${group.voted > 0 ? Math.round((count / group.voted) * 100) : 0}%`;
            return el('div', { className: `group-row option-${option.key}` }, [
              el('span', { className: 'symbol', text: option.symbol }),
              el('div', { className: 'track' }, [fill]),
              el('span', { className: 'count', text: String(count) }),
            ]);
          }),
        ]),
      ),
    );
  }

  /** Round 2 beside round 1: the earlier counts and who changed their answer, before the reveal. */
  private renderShift(shift: RoundShift | null): void {
    this.shiftLine.hidden = shift === null;
    if (!shift) return;
    const symbol = (key: string): string => this.question.options.find((option) => option.key === key)?.symbol ?? key;
    const earlier = this.question.options.map((option) => `${option.symbol} ${shift.previousCounts[option.key] ?? 0}${t.people}`).join('　');
    const moves = shift.transitions.map((move) => `${symbol(move.from)}→${symbol(move.to)} ${move.count}${t.people}`).join('、');
    this.shiftLine.replaceChildren(
      el('strong', { text: `${t.previousRound(shift.previousNumber)}: ` }),
      document.createTextNode(`${earlier}　｜　${t.changed(shift.changed, shift.votedBoth)}${moves ? `：${moves}` : ''}`),
    );
  }

  /** The answer, 解説, the court's outcome and the lesson: built only once revealed, so nothing of it is on the slide before. */
  private renderReveal(isRevealed: boolean): void {
    if (!isRevealed) {
      this.revealBox.hidden = true;
      this.revealBox.replaceChildren();
      return;
    }
    this.revealBox.hidden = false;
    if (this.revealBox.childElementCount > 0) return;
    const reveal = this.question.reveal;
    const answer = this.question.options.find((option) => option.key === reveal.answer);
    // A case's correct bar already carries its words: the line names the letter and the court's outcome.
    const answerText = answer ? (reveal.outcome ? answer.symbol : optionLabel(answer)) : reveal.answer;
    this.revealBox.append(
      ...present([
        el('p', { className: 'answer-line' }, [
          el('strong', { text: `${t.answer}: ${answerText}` }),
          reveal.outcome ? el('span', { className: 'outcome', text: `　${t.outcome}: ${reveal.outcome}` }) : null,
        ]),
        el('p', { className: 'explanation', text: reveal.explanation }),
        reveal.lesson ? el('p', { className: 'lesson' }, [el('strong', { text: `${t.lesson}: ` }), document.createTextNode(reveal.lesson)]) : null,
        el('p', { className: 'basis', text: `${t.basis}: ${this.question.basis}` }),
      ]),
    );
  }
}
