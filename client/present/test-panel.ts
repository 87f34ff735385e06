/**
 * The test slide: starts the knowledge test (or the pre-test), shows submissions coming in, and once
 * closed the score distribution, mean and median, the correct rate per item (weakest first), per group,
 * and the pre/post gain. Never anyone's own score.
 */
import type { PresenterTestView, TestKind } from '../../shared/contract.ts';
import { el, present } from '../lib/dom.ts';
import { t } from './strings.ts';

export interface TestControls {
  open(): void;
  close(runId: string): void;
}

/** How many of the weakest items fit beside the histogram at 1280×720. */
const ITEMS_SHOWN = 6;
const SVG_NS = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  return element;
}

function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

/** Bars of how many participants scored 0…n. */
function histogram(counts: number[]): SVGSVGElement {
  const width = 560;
  const height = 250;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'histogram', role: 'img', 'aria-label': t.test.histogram });
  const max = Math.max(1, ...counts);
  const slot = width / counts.length;
  counts.forEach((count, score) => {
    const barHeight = ((height - 50) * count) / max;
    chart.append(svg('rect', { x: score * slot + 3, y: height - 28 - barHeight, width: slot - 6, height: barHeight, rx: 3, class: 'histogram-bar' }));
    if (count > 0) {
      const label = svg('text', { x: score * slot + slot / 2, y: height - 34 - barHeight, 'text-anchor': 'middle', class: 'histogram-count' });
      label.textContent = String(count);
      chart.append(label);
    }
    if (counts.length <= 11 || score % 2 === 0) {
      const axis = svg('text', { x: score * slot + slot / 2, y: height - 6, 'text-anchor': 'middle', class: 'histogram-axis' });
      axis.textContent = String(score);
      chart.append(axis);
    }
  });
  return chart;
}

function rateRow(label: string, rate: number, extra?: string): HTMLElement {
  const fill = el('div', { className: 'rate-fill' });
  fill.style.width = percent(rate);
  return el('div', { className: 'rate-row' }, [
    el('span', { className: 'rate-label', text: label }),
    el('div', { className: 'rate-track' }, [fill]),
    el('strong', { className: 'rate-value', text: extra ?? percent(rate) }),
  ]);
}

export class TestPanel {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly openButton: HTMLButtonElement;
  private readonly closeButton: HTMLButtonElement;
  private runId: string | null = null;

  constructor(
    readonly kind: TestKind,
    private readonly itemCount: number,
    controls: TestControls,
  ) {
    this.openButton = el('button', { text: t.test.openButton, attrs: { type: 'button', 'data-action': 'open-test' } });
    this.closeButton = el('button', { text: t.test.closeButton, attrs: { type: 'button', 'data-action': 'close-test' } });
    this.openButton.addEventListener('click', controls.open);
    this.closeButton.addEventListener('click', () => {
      if (this.runId) controls.close(this.runId);
    });
    this.body = el('div', { className: 'test-body' });
    this.element = el('div', { className: `test-panel kind-${kind}` }, [
      el('div', { className: 'test-heading' }, [
        el('h2', { text: `${kind === 'pre' ? t.test.preTitle : t.test.title}（${t.test.items(itemCount)}）` }),
        el('span', { className: 'round-controls' }, [this.openButton, this.closeButton]),
      ]),
      this.body,
    ]);
    this.render(null);
  }

  render(view: PresenterTestView | null): void {
    this.runId = view?.status === 'open' ? view.runId : null;
    this.element.dataset.status = view?.status ?? 'idle';
    this.openButton.disabled = view?.status === 'open';
    this.openButton.textContent = view ? t.test.reopenButton : t.test.openButton;
    this.closeButton.disabled = view?.status !== 'open';
    if (!view) return this.body.replaceChildren(el('p', { className: 'test-hint', text: t.test.howTo(this.itemCount) }));
    if (view.status === 'open' || !view.stats) {
      return this.body.replaceChildren(
        el('p', { className: 'test-progress-count' }, [
          el('span', { text: `${t.test.submitted} ` }),
          el('strong', { text: `${view.submitted} / ${view.participants}` }),
        ]),
        el('p', { className: 'test-hint', text: `${t.test.answering} ${view.answering}${t.people}　${t.test.selfPaced}` }),
      );
    }
    const stats = view.stats;
    const weakest = stats.items.slice(0, ITEMS_SHOWN);
    this.body.replaceChildren(
      el('div', { className: 'test-results' }, [
        el('div', { className: 'test-distribution' }, [
          el('p', { className: 'test-summary' }, [
            el('span', { text: `${t.test.mean} ` }),
            el('strong', { text: stats.mean.toFixed(1) }),
            el('span', { text: `　${t.test.median} ` }),
            el('strong', { text: String(stats.median) }),
            el('span', { text: `　／${view.itemCount}${t.test.points}（${stats.scored}${t.people}）` }),
          ]),
          histogram(stats.histogram),
        ]),
        el('div', { className: 'test-items' }, [
          el('p', { className: 'test-subheading', text: t.test.weakest }),
          ...weakest.map((item) => rateRow(item.prompt, item.rate)),
        ]),
      ]),
      ...present([
        stats.groups.length > 0
          ? el('div', { className: 'test-groups' }, stats.groups.map((group) => el('span', { text: `${group.group} ${group.mean.toFixed(1)}${t.test.points}` })))
          : null,
        view.gain
          ? el('p', { className: 'test-gain' }, [
              el('strong', { text: `${t.test.gain} ` }),
              el('span', { text: `${percent(view.gain.pre)} → ${percent(view.gain.post)}（${t.test.gainItems(view.gain.items.length)}）` }),
            ])
          : null,
        stats.leaderboard && stats.leaderboard.length > 0
          ? el('p', { className: 'test-leaderboard', text: `${t.test.leaderboard}: ${stats.leaderboard.map((entry) => `${entry.nickname} ${entry.score}`).join('　')}` })
          : null,
      ]),
    );
  }
}
