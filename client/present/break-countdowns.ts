/**
 * The break and Q&A slides count down to their planned end: the time the deck first reached the slot
 * (from the server's pacing) plus its planned minutes, so the plan's minutes are visible in the room.
 */
import type { PacingView } from '../../shared/contract.ts';
import { formatCountdown, type ServerClock } from '../lib/server-clock.ts';
import { t } from './strings.ts';

interface BreakSlide {
  id: string;
  minutes: number;
  countdown: HTMLElement;
  until: HTMLElement;
}

const timeFormat = new Intl.DateTimeFormat('ja-JP', { hour: '2-digit', minute: '2-digit' });

export class BreakCountdowns {
  private readonly slides: BreakSlide[];
  private firstEnteredAt = new Map<string, number>();

  constructor(
    sections: readonly HTMLElement[],
    private readonly clock: ServerClock,
  ) {
    this.slides = sections
      .filter((section) => section.dataset.slideKind === 'break')
      .map((section) => ({
        id: section.dataset.slideId ?? '',
        minutes: Number(section.dataset.minutes),
        countdown: section.querySelector<HTMLElement>('.break-countdown')!,
        until: section.querySelector<HTMLElement>('.break-until')!,
      }));
  }

  render(pacing: PacingView): void {
    this.firstEnteredAt = new Map(pacing.parts.flatMap((part) => (part.firstEnteredAt === null ? [] : [[part.id, part.firstEnteredAt] as const])));
    this.tick();
  }

  tick(): void {
    for (const slide of this.slides) {
      const enteredAt = this.firstEnteredAt.get(slide.id);
      if (enteredAt === undefined) {
        slide.countdown.textContent = formatCountdown(slide.minutes * 60_000);
        slide.until.textContent = t.breakStartsOnArrival;
        continue;
      }
      const endsAt = enteredAt + slide.minutes * 60_000;
      const left = this.clock.msUntil(endsAt);
      slide.countdown.textContent = left > 0 ? t.breakLeft(formatCountdown(left)) : t.breakOver;
      slide.until.textContent = t.breakUntil(timeFormat.format(new Date(endsAt)));
    }
  }
}
