/**
 * `--rounds N`: the runner runs the selected scenarios N times (the servers' order reversed
 * every other round); the report gives each metric's median over the rounds, and a table of
 * every round's target values so the spread shows.
 */
import { LABEL, type ScenarioId, type ScenarioResult, type ServerKind } from './ipc.js';
import { fmt, goalText, table, type Results, type TargetRow } from './report.js';
import { median } from './stats.js';

/**
 * Per scenario and server, every metric's median over the rounds that measured it (a failed
 * round has no metrics and is left out of the median); notes carry their round's number.
 */
export function medianResults(rounds: Results[]): Results {
  const out: Results = {};
  for (const [k, round] of rounds.entries())
    for (const [id, servers] of Object.entries(round) as [ScenarioId, Results[ScenarioId]][])
      for (const [server, r] of Object.entries(servers ?? {}) as [ServerKind, ScenarioResult][]) {
        const merged = ((out[id] ??= {})[server] ??= { metrics: {}, notes: [] });
        merged.notes.push(...r.notes.map((n) => `round ${k + 1}: ${n}`));
      }
  for (const [id, servers] of Object.entries(out) as [ScenarioId, Results[ScenarioId]][])
    for (const [server, merged] of Object.entries(servers ?? {}) as [
      ServerKind,
      ScenarioResult,
    ][]) {
      const measured = rounds.map((r) => r[id]?.[server]?.metrics ?? {});
      const keys = new Set(measured.flatMap((m) => Object.keys(m)));
      for (const key of keys) {
        const values = measured.map((m) => m[key]).filter((v): v is number => Number.isFinite(v));
        merged.metrics[key] = values.length ? median(values) : NaN;
      }
    }
  return out;
}

/**
 * One row per target: each round's Parley value, baseline value and ratio, then the ratio of
 * the medians (what the targets table judges).
 */
export function roundsTable(medians: TargetRow[], rounds: TargetRow[][]): string {
  const cell = (r: TargetRow | undefined) =>
    r ? `${num(r.parley)} / ${num(r.base)} = ${fmt(r.ratio, 2)}×` : 'n/a';
  const header = [
    'target',
    'baseline',
    'goal',
    ...rounds.map((_, k) => `round ${k + 1}${k % 2 === 1 ? ' (reversed)' : ''}`),
    'medians',
  ];
  const body = medians.map((m) => [
    m.what,
    LABEL[m.baseline],
    goalText(m.goal),
    ...rounds.map((rows) => cell(rows.find((r) => sameTarget(r, m)))),
    cell(m),
  ]);
  return (
    `Each cell: Parley / baseline = ratio, in that round; rounds alternate the servers' order.\n\n` +
    table(header, body)
  );
}

function sameTarget(a: TargetRow, b: TargetRow): boolean {
  return a.what === b.what && a.baseline === b.baseline;
}

function num(v: number): string {
  return fmt(v, Math.abs(v) < 100 ? 2 : 0);
}
