/** One SVG with horizontal bar panels: the target ratios, then the key number of each scenario. */
import { LABEL, type ServerKind } from './ipc.js';
import { fmt, goalText, type Results, type TargetRow } from './report.js';

interface Bar {
  label: string;
  value: number;
  text: string;
  color: string;
  /** A vertical marker (the goal), in the bar's units. */
  marker?: number;
}

const WIDTH = 860;
const LABEL_W = 270;
const BAR_W = 400;
const ROW_H = 22;
const COLORS: Record<ServerKind, string> = {
  parley: '#2f6fdf',
  alt: '#7aa5ee',
  hooks: '#5b8f4e',
  b0: '#9a9a9a',
  b1: '#6b6b6b',
  b2: '#c28b2c',
  b2a: '#8f6a2c',
  b2r: '#c28b2c',
  bare: '#6b6b6b',
};

/** A target's name short enough for the chart's label column. */
function shortName(what: string): string {
  return what
    .replace('server CPU per delivery', 'CPU/delivery')
    .replace('server CPU per message', 'CPU/message')
    .replace('Redis publishes per channel message', 'publishes/message')
    .replace('last-recipient p99', 'last p99')
    .replace(', 2 nodes', '')
    .replace(', across nodes', '')
    .replace('peer relay p99', 'p99')
    .replace('heap+external per idle connection', 'memory/conn')
    .replace('logins (upgrades) per second', 'logins/s');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function panel(
  y: number,
  title: string,
  bars: Bar[],
  maxValue?: number,
): { svg: string; height: number } {
  const finite = bars.filter((b) => Number.isFinite(b.value));
  const max =
    maxValue ??
    Math.max(1e-9, ...finite.map((b) => b.value), ...bars.map((b) => b.marker ?? 0)) * 1.1;
  const parts = [`<text x="10" y="${y + 16}" font-weight="bold">${esc(title)}</text>`];
  bars.forEach((b, k) => {
    const top = y + 26 + k * ROW_H;
    const w = Number.isFinite(b.value) ? Math.max(1, Math.min(BAR_W, (b.value / max) * BAR_W)) : 0;
    parts.push(`<text x="${LABEL_W - 8}" y="${top + 14}" text-anchor="end">${esc(b.label)}</text>`);
    parts.push(
      `<rect x="${LABEL_W}" y="${top + 3}" width="${w.toFixed(1)}" height="${ROW_H - 6}" fill="${b.color}"/>`,
    );
    parts.push(`<text x="${LABEL_W + w + 6}" y="${top + 14}">${esc(b.text)}</text>`);
    if (b.marker !== undefined) {
      const x = LABEL_W + Math.min(BAR_W, (b.marker / max) * BAR_W);
      parts.push(
        `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${top}" y2="${top + ROW_H}" stroke="#000" stroke-dasharray="3,2"/>`,
      );
    }
  });
  return { svg: parts.join('\n'), height: 34 + bars.length * ROW_H };
}

function serverBars(
  results: Results,
  scenario: keyof Results,
  metric: string,
  digits: number,
  unit: string,
): Bar[] {
  const r = results[scenario] ?? {};
  return (Object.keys(r) as ServerKind[]).map((s) => {
    const v = r[s]!.metrics[metric] ?? NaN;
    return { label: LABEL[s], value: v, text: `${fmt(v, digits)}${unit}`, color: COLORS[s] };
  });
}

export function renderChart(rows: TargetRow[], results: Results): string {
  const panels: { title: string; bars: Bar[]; max?: number }[] = [];
  if (rows.length)
    panels.push({
      title:
        'Targets: Parley ÷ baseline (dashed line = goal; green = met, red = missed, grey = no goal)',
      bars: rows.map((r) => ({
        label: `${shortName(r.what)} vs ${r.baseline === 'b2r' ? 'B2R' : LABEL[r.baseline]}`,
        value: r.ratio,
        text:
          `${fmt(r.ratio, 2)}×` +
          (r.goal?.on === 'value'
            ? ` (Parley ${fmt(r.parley, 2)}; goal ${goalText(r.goal).replace(' (Parley)', '')})`
            : '') +
          (r.goal?.on === 'ratio' ? ` (goal ${goalText(r.goal)})` : ''),
        color: r.met === undefined ? '#bbb' : r.met ? '#3a9a48' : '#d0423b',
        ...(r.goal?.on === 'ratio' ? { marker: r.goal.goal } : {}),
      })),
      max:
        Math.max(2, ...rows.map((r) => (Number.isFinite(r.ratio) ? Math.min(r.ratio, 4) : 0))) *
        1.1,
    });
  const add = (
    scenario: keyof Results,
    title: string,
    metric: string,
    digits: number,
    unit: string,
  ) => {
    if (results[scenario])
      panels.push({ title, bars: serverBars(results, scenario, metric, digits, unit) });
  };
  add(
    'S1',
    'S1 server CPU µs per delivery (net of idle; lower is better)',
    'cpuUsPerDelivery',
    2,
    ' µs',
  );
  add('S1', 'S1 publish → last recipient p99 (ms)', 'lastP99Ms', 2, ' ms');
  add('S2', 'S2 peer relay p99 (ms)', 'p99Ms', 2, ' ms');
  add('S2', 'S2 server CPU µs per message (net of idle)', 'cpuUsPerMessage', 1, ' µs');
  add('S3', 'S3 server CPU µs per join/leave (net of idle)', 'cpuUsPerEvent', 0, ' µs');
  add(
    'S1R',
    'S1R two nodes + Redis: server CPU µs per delivery (both nodes, net of idle)',
    'cpuUsPerDelivery',
    2,
    ' µs',
  );
  add('S1R', 'S1R Redis publishes per channel message', 'redisPublishesPerMessage', 2, '');
  add('S2R', 'S2R two nodes + Redis: peer relay p99 (ms)', 'p99Ms', 2, ' ms');
  add('S5', 'S5 heap + external bytes per idle connection', 'jsPerConnB', 0, ' B');
  add('S6', 'S6 logins (upgrades) per second', 'perSec', 0, '/s');
  let y = 10;
  const body: string[] = [];
  for (const p of panels) {
    const { svg, height } = panel(y, p.title, p.bars, p.max);
    body.push(svg);
    y += height + 10;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
