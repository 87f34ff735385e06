/**
 * Small SVG charts drawn here (no library, nothing from a network): horizontal bars, a round 1 vs
 * re-vote comparison, a histogram and a step line. Labels are set as text nodes, never as markup.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';

type Attributes = Record<string, string | number>;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attributes = {}, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function frame(width: number, height: number, label: string): SVGSVGElement {
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'chart' });
  root.append(svg('title', {}, label));
  return root;
}

export interface Bar {
  label: string;
  value: number;
  /** Drawn in the "correct" colour. */
  isHighlighted?: boolean;
}

const LABEL_WIDTH = 150;
const BAR_HEIGHT = 22;
const GAP = 8;

/**
 * One horizontal bar per row: counts with their share of the total, or (unit 'percent') rates of
 * 0–100 drawn against 100.
 */
export function barChart(bars: Bar[], label: string, options: { width?: number; unit?: 'count' | 'percent' } = {}): SVGSVGElement {
  const { width = 520, unit = 'count' } = options;
  const total = bars.reduce((sum, bar) => sum + bar.value, 0);
  const max = unit === 'percent' ? 100 : Math.max(1, ...bars.map((bar) => bar.value));
  const plot = width - LABEL_WIDTH - 90;
  const root = frame(width, bars.length * (BAR_HEIGHT + GAP) + GAP, label);
  bars.forEach((bar, index) => {
    const y = GAP + index * (BAR_HEIGHT + GAP);
    const barWidth = (bar.value / max) * plot;
    const share = total > 0 ? Math.round((bar.value / total) * 100) : 0;
    const valueText = unit === 'percent' ? `${bar.value}%` : `${bar.value}（${share}%）`;
    root.append(
      svg('text', { x: LABEL_WIDTH - 8, y: y + BAR_HEIGHT * 0.72, 'text-anchor': 'end', class: 'chart-label' }, bar.label),
      svg('rect', { x: LABEL_WIDTH, y, width: Math.max(barWidth, 1), height: BAR_HEIGHT, rx: 3, class: bar.isHighlighted ? 'bar correct' : 'bar' }),
      svg('text', { x: LABEL_WIDTH + barWidth + 6, y: y + BAR_HEIGHT * 0.72, class: 'chart-value' }, valueText),
    );
  });
  return root;
}

export interface ComparedBar {
  label: string;
  first: number;
  second: number;
  isHighlighted?: boolean;
}

/** Shares per option in round 1 (light) and in the re-vote (dark), side by side. */
export function comparisonChart(bars: ComparedBar[], legend: [string, string], label: string, width = 520): SVGSVGElement {
  const firstTotal = Math.max(1, bars.reduce((sum, bar) => sum + bar.first, 0));
  const secondTotal = Math.max(1, bars.reduce((sum, bar) => sum + bar.second, 0));
  const plot = width - LABEL_WIDTH - 60;
  const rowHeight = 2 * 14 + GAP + 4;
  const root = frame(width, 24 + bars.length * rowHeight, label);
  root.append(
    svg('rect', { x: LABEL_WIDTH, y: 4, width: 12, height: 12, class: 'bar first' }),
    svg('text', { x: LABEL_WIDTH + 16, y: 14, class: 'chart-value' }, legend[0]),
    svg('rect', { x: LABEL_WIDTH + 130, y: 4, width: 12, height: 12, class: 'bar second' }),
    svg('text', { x: LABEL_WIDTH + 146, y: 14, class: 'chart-value' }, legend[1]),
  );
  bars.forEach((bar, index) => {
    const y = 24 + index * rowHeight;
    const firstShare = bar.first / firstTotal;
    const secondShare = bar.second / secondTotal;
    root.append(
      svg('text', { x: LABEL_WIDTH - 8, y: y + 18, 'text-anchor': 'end', class: bar.isHighlighted ? 'chart-label strong' : 'chart-label' }, bar.label),
      svg('rect', { x: LABEL_WIDTH, y, width: Math.max(firstShare * plot, 1), height: 14, rx: 2, class: 'bar first' }),
      svg('text', { x: LABEL_WIDTH + firstShare * plot + 4, y: y + 11, class: 'chart-value small' }, `${Math.round(firstShare * 100)}%`),
      svg('rect', { x: LABEL_WIDTH, y: y + 15, width: Math.max(secondShare * plot, 1), height: 14, rx: 2, class: 'bar second' }),
      svg('text', { x: LABEL_WIDTH + secondShare * plot + 4, y: y + 26, class: 'chart-value small' }, `${Math.round(secondShare * 100)}%`),
    );
  });
  return root;
}

/** Vertical columns, one per bucket (e.g. test scores 0..20), with the count above each. */
export function histogram(counts: number[], label: string, width = 520, height = 160): SVGSVGElement {
  const root = frame(width, height, label);
  const max = Math.max(1, ...counts);
  const step = (width - 20) / Math.max(1, counts.length);
  const plot = height - 36;
  counts.forEach((count, index) => {
    const barHeight = (count / max) * plot;
    const x = 10 + index * step;
    root.append(
      svg('rect', { x: x + 1, y: height - 18 - barHeight, width: Math.max(step - 2, 1), height: Math.max(barHeight, count > 0 ? 1 : 0), class: 'bar' }),
      svg('text', { x: x + step / 2, y: height - 4, 'text-anchor': 'middle', class: 'chart-value small' }, String(index)),
      count > 0 ? svg('text', { x: x + step / 2, y: height - 22 - barHeight, 'text-anchor': 'middle', class: 'chart-value small' }, String(count)) : svg('g'),
    );
  });
  return root;
}

/** A rising step line of values over time (e.g. participants joined by minute), with its last value. */
export function stepLine(values: number[], label: string, width = 520, height = 120): SVGSVGElement {
  const root = frame(width, height, label);
  if (values.length === 0) return root;
  const max = Math.max(1, ...values);
  const step = (width - 60) / Math.max(1, values.length - 1);
  const yOf = (value: number): number => height - 10 - (value / max) * (height - 30);
  let path = `M 10 ${yOf(values[0] ?? 0)}`;
  values.forEach((value, index) => {
    if (index > 0) path += ` H ${10 + index * step} V ${yOf(value)}`;
  });
  // A single value is a flat line across, not an invisible point.
  if (values.length === 1) path += ` H ${width - 50}`;
  root.append(
    svg('line', { x1: 10, y1: height - 10, x2: width - 50, y2: height - 10, class: 'axis' }),
    svg('path', { d: path, class: 'line' }),
    svg('text', { x: width - 46, y: yOf(values.at(-1) ?? 0) + 4, class: 'chart-value' }, String(values.at(-1) ?? 0)),
  );
  return root;
}
