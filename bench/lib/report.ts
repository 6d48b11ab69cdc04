/** The ratio table (issue targets), the per-scenario tables, and their Markdown / console text. */
import type { Environment } from './env.js';
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
 * The targets: issue 17's (S1 closed loop and S9 burst fan-out, S2, S2R, S6), with issue 7's and
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
];

/** Issue 17's targets no scenario measures yet (listed under the table as not measured). */
export const UNMEASURED: readonly string[] = [
  'S8 on two Redis nodes, one SIGKILLed: time until its clients are back on the other',
  'SDK receive cost: CPU per received channel message in the TypeScript SDK (Node) ≤ 1.0× socket.io-client',
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

interface Column {
  key: string;
  header: string;
  digits?: number;
}

/** The Redis and load columns S1R and S2R share (two nodes on one Redis). */
function redisColumns(publishesHeader: string): Column[] {
  return [
    { key: 'redisPublishesPerMessage', header: publishesHeader, digits: 2 },
    { key: 'redisIdlePublishesPerSec', header: 'Redis publishes/s idle', digits: 1 },
    { key: 'redisCommandsPerMessage', header: 'Redis commands per message', digits: 2 },
    { key: 'redisCpuUsPerMessage', header: 'Redis CPU µs per message', digits: 1 },
    { key: 'serverLoopP99Ms', header: 'server loop delay p99 ms (worst node)', digits: 1 },
    { key: 'loadLoopP99Ms', header: 'generator loop delay p99 ms', digits: 1 },
    { key: 'loadCpuPct', header: 'generator CPU %', digits: 0 },
    { key: 'otherCpuPct', header: 'other CPU %', digits: 0 },
  ];
}

const COLUMNS: Record<ScenarioId, { title: string; columns: Column[] }> = {
  S1: {
    title: 'S1 channel fan-out',
    columns: [
      { key: 'cpuUsPerDelivery', header: 'CPU µs/delivery (net)', digits: 2 },
      { key: 'cpuUsPerDeliveryMin', header: 'min', digits: 2 },
      { key: 'cpuUsPerDeliveryMax', header: 'max', digits: 2 },
      { key: 'userUsPerDelivery', header: 'user µs', digits: 2 },
      { key: 'sysUsPerDelivery', header: 'sys µs', digits: 2 },
      { key: 'idleCpuPct', header: 'idle CPU %', digits: 1 },
      { key: 'deliveriesPerSec', header: 'deliveries/s' },
      { key: 'lastP50Ms', header: 'last-recipient p50 ms', digits: 2 },
      { key: 'lastP99Ms', header: 'last-recipient p99 ms', digits: 2 },
      { key: 'eachP99Ms', header: 'each-recipient p99 ms', digits: 2 },
      { key: 'maxDeliveriesPerSec', header: 'closed-loop deliveries/s' },
      { key: 'maxServerCpuPct', header: 'server CPU % (closed loop)', digits: 0 },
      { key: 'maxCpuUsPerDelivery', header: 'CPU µs/delivery (closed loop, gross)', digits: 2 },
      { key: 'serverLoopP99Ms', header: 'server loop delay p99 ms', digits: 1 },
      { key: 'loadLoopP99Ms', header: 'generator loop delay p99 ms', digits: 1 },
      { key: 'loadCpuPct', header: 'generator CPU %', digits: 0 },
      { key: 'otherCpuPct', header: 'other CPU %', digits: 0 },
    ],
  },
  S2: {
    title: 'S2 peer relay',
    columns: [
      { key: 'p50Ms', header: 'p50 ms', digits: 2 },
      { key: 'p99Ms', header: 'p99 ms', digits: 2 },
      { key: 'cpuUsPerMessage', header: 'CPU µs/message (net)', digits: 1 },
      { key: 'grossCpuUsPerMessage', header: 'CPU µs/message (gross)', digits: 1 },
      { key: 'messagesPerSec', header: 'messages/s' },
      { key: 'receiptP50Ms', header: 'receipt p50 ms', digits: 2 },
      { key: 'receiptP99Ms', header: 'receipt p99 ms', digits: 2 },
      { key: 'lost', header: 'lost' },
      { key: 'serverLoopP99Ms', header: 'server loop delay p99 ms', digits: 1 },
      { key: 'loadLoopP99Ms', header: 'generator loop delay p99 ms', digits: 1 },
      { key: 'loadCpuPct', header: 'generator CPU %', digits: 0 },
      { key: 'otherCpuPct', header: 'other CPU %', digits: 0 },
    ],
  },
  S1R: {
    title: 'S1R channel fan-out across two nodes (Redis)',
    columns: [
      { key: 'cpuUsPerDelivery', header: 'CPU µs/delivery (net, both nodes)', digits: 2 },
      { key: 'cpuUsPerDeliveryMin', header: 'min', digits: 2 },
      { key: 'cpuUsPerDeliveryMax', header: 'max', digits: 2 },
      { key: 'userUsPerDelivery', header: 'user µs', digits: 2 },
      { key: 'sysUsPerDelivery', header: 'sys µs', digits: 2 },
      { key: 'idleCpuPct', header: 'idle CPU %', digits: 1 },
      { key: 'deliveriesPerSec', header: 'deliveries/s' },
      { key: 'lastP50Ms', header: 'last-recipient p50 ms', digits: 2 },
      { key: 'lastP99Ms', header: 'last-recipient p99 ms', digits: 2 },
      { key: 'eachP99Ms', header: 'each-recipient p99 ms', digits: 2 },
      ...redisColumns('Redis publishes per channel message'),
    ],
  },
  S2R: {
    title: 'S2R peer relay across two nodes (Redis)',
    columns: [
      { key: 'p50Ms', header: 'p50 ms', digits: 2 },
      { key: 'p99Ms', header: 'p99 ms', digits: 2 },
      { key: 'cpuUsPerMessage', header: 'CPU µs/message (net, both nodes)', digits: 1 },
      { key: 'grossCpuUsPerMessage', header: 'CPU µs/message (gross)', digits: 1 },
      { key: 'messagesPerSec', header: 'messages/s' },
      { key: 'receiptP50Ms', header: 'receipt p50 ms', digits: 2 },
      { key: 'receiptP99Ms', header: 'receipt p99 ms', digits: 2 },
      { key: 'lost', header: 'lost' },
      ...redisColumns('Redis publishes per message'),
    ],
  },
  S3: {
    title: 'S3 presence churn',
    columns: [
      { key: 'cpuUsPerEvent', header: 'CPU µs per join/leave (net)', digits: 0 },
      { key: 'deliveriesPerEvent', header: 'frames delivered per join/leave', digits: 1 },
      { key: 'joinP50Ms', header: 'join p50 ms', digits: 2 },
      { key: 'joinP99Ms', header: 'join p99 ms', digits: 2 },
      { key: 'leaveP99Ms', header: 'leave p99 ms', digits: 2 },
      { key: 'eventsPerSec', header: 'events/s', digits: 0 },
      { key: 'errors', header: 'errors' },
      { key: 'loadCpuPct', header: 'generator CPU %', digits: 0 },
      { key: 'otherCpuPct', header: 'other CPU %', digits: 0 },
    ],
  },
  S4: {
    title: 'S4 invitation round trip under S1 load',
    columns: [
      { key: 'invitationP50Ms', header: 'invite→accepted p50 ms', digits: 2 },
      { key: 'invitationP99Ms', header: 'invite→accepted p99 ms', digits: 2 },
      { key: 'ringP99Ms', header: 'invite→ring p99 ms', digits: 2 },
      { key: 'peerRttP50Ms', header: 'peer round trip p50 ms', digits: 2 },
      { key: 'peerRttP99Ms', header: 'peer round trip p99 ms', digits: 2 },
      { key: 'backgroundLastP99Ms', header: 'S1 last-recipient p99 ms', digits: 2 },
      { key: 'loadCpuPct', header: 'generator CPU %', digits: 0 },
      { key: 'otherCpuPct', header: 'other CPU %', digits: 0 },
    ],
  },
  S5: {
    title: 'S5 memory per idle connection',
    columns: [
      { key: 'connections', header: 'connections' },
      { key: 'jsPerConnB', header: 'heap+external B/conn' },
      { key: 'heapPerConnB', header: 'heap B/conn' },
      { key: 'externalPerConnB', header: 'external B/conn' },
      { key: 'rssPerConnB', header: 'RSS B/conn' },
      { key: 'heapUsedMiB', header: 'heap used MiB', digits: 1 },
      { key: 'rssMiB', header: 'RSS MiB', digits: 1 },
    ],
  },
  S8: {
    title: 'S8 reconnect storm (server SIGTERM + restart)',
    columns: [
      { key: 'back99Ms', header: 'SIGTERM → 99 % back ms' },
      { key: 'back50Ms', header: '50 % back ms' },
      { key: 'back100Ms', header: '100 % back ms' },
      { key: 'downMs', header: 'SIGTERM → new server listening ms' },
      { key: 'serverCpuMsTo99', header: 'new server CPU ms until 99 %' },
      { key: 'attemptsPerClient', header: 'attempts per client', digits: 2 },
      { key: 'failedAttempts', header: 'failed attempts' },
      { key: 'notBack', header: 'not back' },
    ],
  },
  S9: {
    title: 'S9 channel fan-out burst',
    columns: [
      { key: 'cpuUsPerDelivery', header: 'CPU µs/delivery (net)', digits: 2 },
      { key: 'cpuUsPerDeliveryMin', header: 'min', digits: 2 },
      { key: 'cpuUsPerDeliveryMax', header: 'max', digits: 2 },
      { key: 'userUsPerDelivery', header: 'user µs', digits: 2 },
      { key: 'sysUsPerDelivery', header: 'sys µs', digits: 2 },
      { key: 'deliveriesPerSec', header: 'deliveries/s' },
      { key: 'lastP50Ms', header: 'last-recipient p50 ms', digits: 2 },
      { key: 'lastP99Ms', header: 'last-recipient p99 ms', digits: 2 },
      { key: 'eachP99Ms', header: 'each-recipient p99 ms', digits: 2 },
      { key: 'serverLoopP99Ms', header: 'server loop delay p99 ms', digits: 1 },
      { key: 'loadLoopP99Ms', header: 'generator loop delay p99 ms', digits: 1 },
      { key: 'loadCpuPct', header: 'generator CPU %', digits: 0 },
      { key: 'otherCpuPct', header: 'other CPU %', digits: 0 },
    ],
  },
  S7: {
    title: 'S7 REST peer messages (keep-alive HTTP, closed loop)',
    columns: [
      { key: 'messagesPerSec', header: 'messages/s' },
      { key: 'answerP50Ms', header: 'call → answer p50 ms', digits: 2 },
      { key: 'answerP99Ms', header: 'call → answer p99 ms', digits: 2 },
      { key: 'deliveryP99Ms', header: 'call → receiver p99 ms', digits: 2 },
      { key: 'cpuUsPerMessage', header: 'server CPU µs/message (net)', digits: 1 },
      { key: 'lost', header: 'lost' },
      { key: 'failed', header: 'failed calls' },
      { key: 'serverLoopP99Ms', header: 'server loop delay p99 ms', digits: 1 },
      { key: 'loadCpuPct', header: 'generator CPU %', digits: 0 },
      { key: 'otherCpuPct', header: 'other CPU %', digits: 0 },
    ],
  },
  S6: {
    title: 'S6 logins per second',
    columns: [
      { key: 'perSec', header: 'logins (upgrades)/s' },
      { key: 'cpuUsPerLogin', header: 'server CPU µs/login', digits: 0 },
      { key: 'serverCpuPct', header: 'server CPU %', digits: 0 },
      { key: 'loadCpuPct', header: 'generator CPU %', digits: 0 },
      { key: 'otherCpuPct', header: 'other CPU %', digits: 0 },
    ],
  },
};

export function fmt(v: number | undefined, digits = 0): string {
  if (v === undefined || !Number.isFinite(v)) return 'n/a';
  return v.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** A Markdown table whose columns are padded, so it reads the same in a terminal. */
function table(header: string[], rows: string[][]): string {
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
  const unmeasured = UNMEASURED.map((t) => `- not measured (no scenario yet): ${t}`).join('\n');
  return (
    table(
      ['target', 'Parley', 'baseline', 'ratio', 'goal', 'result'],
      rows.map((r) => [
        r.what,
        fmt(r.parley, r.parley < 100 ? 2 : 0),
        `${LABEL[r.baseline]} ${fmt(r.base, r.base < 100 ? 2 : 0)}`,
        `${fmt(r.ratio, 2)}×`,
        goalText(r.goal),
        verdict(r),
      ]),
    ) + `\n\n${unmeasured}`
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

export function renderConsole(rows: TargetRow[], results: Results): string {
  const parts = ['## Targets (Parley ÷ baseline, same run)', '', targetTable(rows)];
  for (const id of Object.keys(results) as ScenarioId[]) parts.push('', scenarioTable(id, results));
  return parts.join('\n') + '\n';
}

export function renderMarkdown(o: {
  rows: TargetRow[];
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
    '## Targets (Parley ÷ baseline, same run)',
    '',
    targetTable(o.rows),
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
      ? [`- S1R/S2R: two nodes of each server, both pinned to CPU 0, sharing ${e.redis}`]
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
