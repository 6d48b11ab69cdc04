/**
 * The live charts: one SVG line per series over the samples the server keeps, scaled to the
 * series' own maximum, redrawn on every poll. No library: a polyline and an area.
 */
import type { StatsSample } from './api.js';

type Series = 'connections' | 'sessions' | 'messagesPerSecond' | 'deliveriesPerSecond';

const SVG = 'http://www.w3.org/2000/svg';
const W = 300;
const H = 80;
const PAD = 4;

function svgEl(name: string, attrs: Record<string, string>): SVGElement {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/** Draws each `figure.chart[data-series]` of the page from `samples` (oldest first). */
export function drawCharts(samples: readonly StatsSample[], windowSamples: number): void {
  for (const fig of document.querySelectorAll<HTMLElement>('figure.chart')) {
    const series = fig.dataset.series as Series;
    const values = samples.map((s) => s[series]);
    const svg = fig.querySelector('svg')!;
    const now = fig.querySelector('.now')!;
    now.textContent = values.length > 0 ? String(values[values.length - 1]) : '–';
    const max = Math.max(1, ...values);
    const step = (W - 2 * PAD) / Math.max(1, windowSamples - 1);
    // Right-aligned: the newest sample is at the right edge, as time goes.
    const x0 = W - PAD - step * (values.length - 1);
    const points = values.map(
      (v, k) => `${(x0 + k * step).toFixed(1)},${(H - PAD - ((H - 2 * PAD) * v) / max).toFixed(1)}`,
    );
    svg.replaceChildren(
      svgEl('line', {
        x1: '0',
        y1: String(H - PAD),
        x2: String(W),
        y2: String(H - PAD),
        class: 'axis',
      }),
    );
    if (points.length === 0) continue;
    const area = `${x0.toFixed(1)},${H - PAD} ${points.join(' ')} ${(W - PAD).toFixed(1)},${H - PAD}`;
    svg.append(
      svgEl('polygon', { points: area, class: 'area' }),
      svgEl('polyline', { points: points.join(' '), class: 'line' }),
    );
    svg.setAttribute('data-max', String(max));
    svg.setAttribute(
      'aria-label',
      `${fig.querySelector('figcaption')!.firstChild!.textContent!.trim()}: now ${now.textContent}, at most ${max} in view`,
    );
  }
}
