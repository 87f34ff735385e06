/**
 * What the projector shows over the slides, from the server's stage: the join QR for latecomers, the
 * black screen, the discussion timer and the pinned audience question. Question text is user text:
 * set with textContent only.
 */
import { apiPaths, type StageView } from '../../shared/contract.ts';
import { el } from '../lib/dom.ts';
import { formatCountdown, TIMER_LINGER_MS, type ServerClock } from '../lib/server-clock.ts';
import { t } from './strings.ts';

export class StageOverlays {
  private readonly joinOverlay: HTMLElement;
  private readonly blackScreen: HTMLElement;
  private readonly timerBox: HTMLElement;
  private readonly timerValue: HTMLElement;
  private readonly pinnedBox: HTMLElement;
  private readonly pinnedText: HTMLElement;
  private readonly pinnedMeta: HTMLElement;
  private stage: StageView | null = null;

  constructor(
    root: HTMLElement,
    code: string,
    joinUrl: string,
    private readonly clock: ServerClock,
  ) {
    this.joinOverlay = el('div', { className: 'stage-join', attrs: { hidden: '', 'data-overlay': 'join-qr' } }, [
      el('img', { className: 'stage-join-qr', attrs: { src: apiPaths.qr(code), alt: `${t.joinHeading} ${joinUrl}` } }),
      el('div', { className: 'stage-join-text' }, [
        el('p', { className: 'stage-join-heading', text: t.joinHeading }),
        el('p', { className: 'stage-join-url', text: joinUrl }),
        el('p', { className: 'stage-join-code' }, [el('span', { text: t.code }), el('strong', { text: code })]),
      ]),
    ]);
    this.timerValue = el('span', { className: 'stage-timer-value' });
    this.timerBox = el('div', { className: 'stage-timer', attrs: { hidden: '', 'data-overlay': 'timer', role: 'timer' } }, [
      el('span', { className: 'stage-timer-label', text: t.timerLabel }),
      this.timerValue,
    ]);
    this.pinnedText = el('p', { className: 'stage-pinned-text' });
    this.pinnedMeta = el('p', { className: 'stage-pinned-meta' });
    this.pinnedBox = el('div', { className: 'stage-pinned', attrs: { hidden: '', 'data-overlay': 'pinned-question' } }, [
      el('p', { className: 'stage-pinned-label', text: t.pinnedLabel }),
      this.pinnedText,
      this.pinnedMeta,
    ]);
    this.blackScreen = el('div', { className: 'stage-black', attrs: { hidden: '', 'data-overlay': 'black' } });
    root.append(this.joinOverlay, this.timerBox, this.pinnedBox, this.blackScreen);
  }

  render(stage: StageView): void {
    this.stage = stage;
    this.clock.sync(stage.serverNow);
    this.joinOverlay.hidden = !stage.joinQr;
    this.blackScreen.hidden = !stage.blackScreen;
    const pinned = stage.pinnedQuestion;
    this.pinnedBox.hidden = pinned === null;
    this.pinnedText.textContent = pinned?.text ?? '';
    this.pinnedMeta.textContent = pinned ? `${pinned.nickname ?? t.anonymous}　▲ ${pinned.upvotes}` : '';
    this.tick();
  }

  /** Counts the timer down on this screen's own ticks; hides it a minute after it ran out. */
  tick(): void {
    const timer = this.stage?.timer ?? null;
    const left = timer ? this.clock.msUntil(timer.endsAt) : -Infinity;
    this.timerBox.hidden = left < -TIMER_LINGER_MS;
    if (this.timerBox.hidden) return;
    this.timerBox.classList.toggle('is-over', left <= 0);
    this.timerValue.textContent = left > 0 ? formatCountdown(left) : t.timeUp;
  }
}
