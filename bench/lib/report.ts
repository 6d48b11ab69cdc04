/** The ratio table (issue targets), the per-scenario tables, and their Markdown / console text. */
import type { Environment } from './env.js';
import { COLUMNS } from './columns.js';
import { LABEL, type ScenarioId, type ScenarioResult, type ServerKind } from './ipc.js';
import type { Params } from './params.js';

export type Results = Partial<Record<ScenarioId, Partial<Record<ServerKind, ScenarioResult>>>>;

/**
 * A goal: on the ratio Parley ÷ baseline (`≤ 0.6×`), or on Parley's own value (`= 1`, S1R's
 * Redis publishes per channel message). Rows without one report the ratio only.
 */
export interface Goal {
  op: '<=' | '>=' | '=';
  goal: number;
  on: 'ratio' | 'value';
}

export interface TargetRow {
  scenario: ScenarioId;
  what: string;
  baseline: ServerKind;
  parley: number;
  base: number;
  ratio: number;
  goal: Goal | undefined;
  /** undefined: no goal, or a number is missing */
  met: boolean | undefined;
}

/**
 * The targets: issue 17's (S1 closed loop and S9 burst fan-out, S2, S2R, S6, S8, S8R, S10), with issue 7's and
 * 8's that it left standing (webhooks on ÷ off, S5, S1R's one publish per message): Parley ÷ a
 * baseline, same run. Rows without a goal report the ratio only.
 */
const TARGETS: {
  scenario: ScenarioId;
  metric: string;
  what: string;
  baseline: ServerKind;
  goal?: Goal;
  /** Whose number is divided by the baseline's (default: Parley). */
  subject?: ServerKind;
}[] = [
  ...(['b0', 'b1', 'b2'] as const).map((baseline) => ({
    scenario: 'S1' as const,
    metric: 'cpuUsPerDelivery',
    what: 'S1 server CPU per delivery (open loop, 50/s)',
    baseline,
  })),
  {
    scenario: 'S1',
    metric: 'maxCpuUsPerDelivery',
    what: 'S1 server CPU per delivery, closed loop',
    baseline: 'b0',
    goal: { op: '<=', goal: 0.3, on: 'ratio' },
  },
  {
    scenario: 'S1',
    metric: 'maxCpuUsPerDelivery',
    what: 'S1 server CPU per delivery, closed loop',
    baseline: 'b2',
    goal: { op: '<=', goal: 0.25, on: 'ratio' },
  },
  {
    scenario: 'S1',
    metric: 'lastP99Ms',
    what: 'S1 last-recipient p99 (no worse)',
    baseline: 'b0',
    goal: { op: '<=', goal: 1.0, on: 'ratio' },
  },
  {
    scenario: 'S9',
    metric: 'cpuUsPerDelivery',
    what: 'S9 burst server CPU per delivery',
    baseline: 'b0',
    goal: { op: '<=', goal: 0.3, on: 'ratio' },
  },
  {
    scenario: 'S9',
    metric: 'cpuUsPerDelivery',
    what: 'S9 burst server CPU per delivery',
    baseline: 'b2',
    goal: { op: '<=', goal: 0.25, on: 'ratio' },
  },
  {
    scenario: 'S9',
    metric: 'lastP99Ms',
    what: 'S9 burst last-recipient p99 (no worse)',
    baseline: 'b0',
    goal: { op: '<=', goal: 1.0, on: 'ratio' },
  },
  {
    scenario: 'S8',
    metric: 'back99Ms',
    what: 'S8 reconnect storm: SIGTERM → 99 % back (logged in, channel joined)',
    baseline: 'b2',
    goal: { op: '<=', goal: 1.0, on: 'ratio' },
  },
  {
    scenario: 'S8',
    metric: 'serverCpuMsTo99',
    what: 'S8 reconnect storm: new server CPU until 99 % back',
    baseline: 'b2',
  },
  {
    scenario: 'S2',
    metric: 'p99Ms',
    what: 'S2 peer relay p99',
    baseline: 'b2',
    goal: { op: '<=', goal: 1.0, on: 'ratio' },
  },
  {
    scenario: 'S2',
    metric: 'p99Ms',
    what: 'S2 peer relay p99',
    baseline: 'b1',
    goal: { op: '<=', goal: 1.3, on: 'ratio' },
  },
  {
    scenario: 'S2',
    metric: 'cpuUsPerMessage',
    what: 'S2 server CPU per message',
    baseline: 'b2',
    goal: { op: '<=', goal: 1.0, on: 'ratio' },
  },
  // The same guarantee on both sides: the sender hears when the receiver's client has it.
  {
    scenario: 'S2',
    metric: 'p99Ms',
    what: 'S2 peer relay p99, both with delivery receipts',
    baseline: 'b2a',
  },
  {
    scenario: 'S2',
    metric: 'receiptP99Ms',
    what: 'S2 delivery receipt p99',
    baseline: 'b2a',
  },
  {
    scenario: 'S2',
    metric: 'cpuUsPerMessage',
    what: 'S2 server CPU per message, both with delivery receipts',
    baseline: 'b2a',
  },
  {
    scenario: 'S1',
    metric: 'cpuUsPerDelivery',
    what: 'S1 CPU per delivery, webhooks on (login, logout) ÷ off',
    baseline: 'parley',
    subject: 'hooks',
    goal: { op: '<=', goal: 1.05, on: 'ratio' },
  },
  {
    scenario: 'S1',
    metric: 'lastP99Ms',
    what: 'S1 last-recipient p99, webhooks on ÷ off',
    baseline: 'parley',
    subject: 'hooks',
    goal: { op: '<=', goal: 1.05, on: 'ratio' },
  },
  {
    scenario: 'S2',
    metric: 'p99Ms',
    what: 'S2 peer relay p99, webhooks on ÷ off',
    baseline: 'parley',
    subject: 'hooks',
    goal: { op: '<=', goal: 1.05, on: 'ratio' },
  },
  {
    scenario: 'S2',
    metric: 'cpuUsPerMessage',
    what: 'S2 CPU per message, webhooks on ÷ off',
    baseline: 'parley',
    subject: 'hooks',
    goal: { op: '<=', goal: 1.05, on: 'ratio' },
  },
  {
    scenario: 'S5',
    metric: 'jsPerConnB',
    what: 'S5 heap+external per idle connection',
    baseline: 'bare',
    goal: { op: '<=', goal: 1.3, on: 'ratio' },
  },
  {
    scenario: 'S6',
    metric: 'perSec',
    what: 'S6 logins (upgrades) per second',
    baseline: 'bare',
    goal: { op: '>=', goal: 0.9, on: 'ratio' },
  },
  {
    scenario: 'S1R',
    metric: 'cpuUsPerDelivery',
    what: 'S1R server CPU per delivery, 2 nodes',
    baseline: 'b2r',
  },
  {
    scenario: 'S1R',
    metric: 'lastP99Ms',
    what: 'S1R last-recipient p99, 2 nodes',
    baseline: 'b2r',
  },
  {
    scenario: 'S1R',
    metric: 'redisPublishesPerMessage',
    what: 'S1R Redis publishes per channel message',
    baseline: 'b2r',
    goal: { op: '=', goal: 1, on: 'value' },
  },
  {
    scenario: 'S2R',
    metric: 'p99Ms',
    what: 'S2R peer relay p99, across nodes',
    baseline: 'b2r',
    goal: { op: '<=', goal: 1.0, on: 'ratio' },
  },
  {
    scenario: 'S2R',
    metric: 'cpuUsPerMessage',
    what: 'S2R server CPU per message, 2 nodes',
    baseline: 'b2r',
    goal: { op: '<=', goal: 1.0, on: 'ratio' },
  },
  {
    scenario: 'S10',
    metric: 'cpuUsPerMessage',
    what: 'S10 SDK receive cost: receiving process CPU per channel message',
    baseline: 'b2',
    goal: { op: '<=', goal: 1.0, on: 'ratio' },
  },
  {
    scenario: 'S10',
    metric: 'idleCpuPct',
    what: 'S10 idle cost: receiving process CPU % with its clients idle',
    baseline: 'b2',
  },
  {
    scenario: 'S8R',
    metric: 'back99Ms',
    what: 'S8R node SIGKILLed: → 99 % of its clients back on the other (channels too)',
    baseline: 'b2r',
    goal: { op: '<=', goal: 1.0, on: 'ratio' },
  },
  {
    scenario: 'S8R',
    metric: 'serverCpuMsTo99',
    what: 'S8R surviving node CPU until 99 % back',
    baseline: 'b2r',
  },
];

/** Whether `value` meets `g` (an `=` goal within the table's two decimals). */
function meets(value: number, g: Goal): boolean | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (g.op === '=') return Math.abs(value - g.goal) < 0.005;
  return g.op === '<=' ? value <= g.goal : value >= g.goal;
}

export function targets(results: Results, who: 'parley' | 'alt' = 'parley'): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const t of TARGETS) {
    const r = results[t.scenario];
    // A row of another subject (webhooks on) is the main run's only.
    const subject = t.subject ?? who;
    if (!r || !r[subject] || (t.subject && who === 'alt')) continue;
    const parley = r[subject]?.metrics[t.metric] ?? NaN;
    const base = r[t.baseline]?.metrics[t.metric] ?? NaN;
    const ratio = parley / base;
    const met = t.goal ? meets(t.goal.on === 'ratio' ? ratio : parley, t.goal) : undefined;
    rows.push({
      scenario: t.scenario,
      what: who === 'alt' ? `${t.what} (--compare)` : t.what,
      baseline: t.baseline,
      parley,
      base,
      ratio,
      goal: t.goal,
      met,
    });
  }
  return rows;
}

export function fmt(v: number | undefined, digits = 0): string {
  if (v === undefined || !Number.isFinite(v)) return 'n/a';
  return v.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** A Markdown table whose columns are padded, so it reads the same in a terminal. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, k) => c.padEnd(widths[k]!)).join(' | ')} |`;
  return [
    line(header),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}

function verdict(r: TargetRow): string {
  if (!r.goal) return '—';
  return r.met === undefined ? 'n/a' : r.met ? 'met' : '**missed**';
}

/** `≤ 0.6×`, `= 1 (Parley)`, or `—`. */
export function goalText(g: Goal | undefined): string {
  if (!g) return '—';
  const op = g.op === '<=' ? '≤' : g.op === '>=' ? '≥' : '=';
  return g.on === 'ratio' ? `${op} ${g.goal}×` : `${op} ${g.goal} (Parley)`;
}

export function targetTable(rows: TargetRow[]): string {
  return table(
    ['target', 'Parley', 'baseline', 'ratio', 'goal', 'result'],
    rows.map((r) => [
      r.what,
      fmt(r.parley, r.parley < 100 ? 2 : 0),
      `${LABEL[r.baseline]} ${fmt(r.base, r.base < 100 ? 2 : 0)}`,
      `${fmt(r.ratio, 2)}×`,
      goalText(r.goal),
      verdict(r),
    ]),
  );
}

export function scenarioTable(id: ScenarioId, results: Results): string {
  const r = results[id];
  if (!r) return '';
  const { title, columns } = COLUMNS[id];
  const servers = Object.keys(r) as ServerKind[];
  const body = servers.map((s) => [
    LABEL[s],
    ...columns.map((c) => fmt(r[s]!.metrics[c.key], c.digits)),
  ]);
  const notes = servers.flatMap((s) => r[s]!.notes.map((n) => `- ${LABEL[s]}: ${n}`));
  return [
    `### ${title}`,
    '',
    table(['server', ...columns.map((c) => c.header)], body),
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
}

/** The rounds section (`--rounds N`), when there is one. */
function roundsPart(rounds: string | undefined): string[] {
  return rounds ? ['', '## Rounds', '', rounds] : [];
}

export function renderConsole(rows: TargetRow[], results: Results, rounds?: string): string {
  const parts = [
    `## Targets (Parley ÷ baseline, same run${rounds ? '; medians of the rounds' : ''})`,
    '',
    targetTable(rows),
    ...roundsPart(rounds),
  ];
  for (const id of Object.keys(results) as ScenarioId[]) parts.push('', scenarioTable(id, results));
  return parts.join('\n') + '\n';
}

export function renderMarkdown(o: {
  rows: TargetRow[];
  /** The rounds table (`--rounds N`), when there is one. */
  rounds: string | undefined;
  results: Results;
  env: Environment;
  params: Params;
  quick: boolean;
  elapsedS: number;
}): string {
  const e = o.env;
  const out = [
    '# Parley benchmark results',
    '',
    `${e.date}${o.quick ? ' — **quick run** (smaller sizes; not comparable with a full run)' : ''}; the whole run took ${o.elapsedS.toFixed(0)} s.`,
    '',
    `## Targets (Parley ÷ baseline, same run${o.rounds ? '; medians of the rounds' : ''})`,
    '',
    targetTable(o.rows),
    ...roundsPart(o.rounds),
    '',
    '![ratios and key numbers](chart.svg)',
    '',
    '## Scenarios',
  ];
  for (const id of Object.keys(o.results) as ScenarioId[])
    out.push('', scenarioTable(id, o.results));
  out.push(
    '',
    '## Environment',
    '',
    `- CPU: ${e.cpu}, ${e.cores} cores, ${e.memoryGiB} GiB; ${e.kernel}`,
    `- Node ${e.node} (V8 ${e.v8}); ${e.pinned ? 'server pinned to CPU 0, load generator to CPU 1 (taskset)' : 'NOT pinned (no taskset)'}`,
    `- Parley commit ${e.git}`,
    ...(e.redis
      ? [`- S1R/S2R/S8R: two nodes of each server, both pinned to CPU 0, sharing ${e.redis}`]
      : []),
    `- load average at start ${e.loadAvgStart.join(' / ')}, at end ${(e.loadAvgEnd ?? []).join(' / ')} (other work on the machine shows here)`,
    `- packages: ${Object.entries(e.packages)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}`,
    '',
    '## Parameters',
    '',
    '```json',
    JSON.stringify(o.params, null, 2),
    '```',
    '',
  );
  return out.join('\n');
}
