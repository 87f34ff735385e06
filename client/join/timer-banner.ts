/** The discussion timer on the phone: a banner counting down to the server's deadline. */
import type { TimerAnnouncement } from '../../shared/contract.ts';
import { formatCountdown, ServerClock, TIMER_LINGER_MS } from '../lib/server-clock.ts';
import { t } from './strings.ts';

export class TimerBanner {
  private readonly clock = new ServerClock();
  private endsAt: number | null = null;

  constructor(private readonly element: HTMLElement) {
    setInterval(() => this.tick(), 500);
  }

  render(announcement: TimerAnnouncement): void {
    this.clock.sync(announcement.serverNow);
    this.endsAt = announcement.timer?.endsAt ?? null;
    this.tick();
  }

  private tick(): void {
    const left = this.endsAt === null ? -Infinity : this.clock.msUntil(this.endsAt);
    this.element.hidden = left < -TIMER_LINGER_MS;
    this.element.classList.toggle('is-over', left <= 0);
    this.element.textContent = left > 0 ? `${t.timerLabel} ${t.timerLeft} ${formatCountdown(left)}` : `${t.timerLabel} ${t.timeUp}`;
  }
}
