/** Each scenario's table: its title and its columns (metric key, header, digits). */
import type { ScenarioId } from './ipc.js';

export interface Column {
  key: string;
  header: string;
  digits?: number;
}

/** Server CPU per delivery (median over the windows, its min and max, user and system). */
function cpuPerDelivery(header: string): Column[] {
  return [
    { key: 'cpuUsPerDelivery', header, digits: 2 },
    { key: 'cpuUsPerDeliveryMin', header: 'min', digits: 2 },
    { key: 'cpuUsPerDeliveryMax', header: 'max', digits: 2 },
    { key: 'userUsPerDelivery', header: 'user µs', digits: 2 },
    { key: 'sysUsPerDelivery', header: 'sys µs', digits: 2 },
  ];
}

/** Publish → last recipient and → each recipient. */
const RECIPIENT_LATENCY: Column[] = [
  { key: 'lastP50Ms', header: 'last-recipient p50 ms', digits: 2 },
  { key: 'lastP99Ms', header: 'last-recipient p99 ms', digits: 2 },
  { key: 'eachP99Ms', header: 'each-recipient p99 ms', digits: 2 },
];

/** The noise indicators of a load window (see the README's Method). */
const LOAD: Column[] = [
  { key: 'serverLoopP99Ms', header: 'server loop delay p99 ms', digits: 1 },
  { key: 'loadLoopP99Ms', header: 'generator loop delay p99 ms', digits: 1 },
  { key: 'loadCpuPct', header: 'generator CPU %', digits: 0 },
  { key: 'otherCpuPct', header: 'other CPU %', digits: 0 },
];

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

export const COLUMNS: Record<ScenarioId, { title: string; columns: Column[] }> = {
  S1: {
    title: 'S1 channel fan-out',
    columns: [
      ...cpuPerDelivery('CPU µs/delivery (net)'),
      { key: 'idleCpuPct', header: 'idle CPU %', digits: 1 },
      { key: 'deliveriesPerSec', header: 'deliveries/s' },
      ...RECIPIENT_LATENCY,
      { key: 'maxDeliveriesPerSec', header: 'closed-loop deliveries/s' },
      { key: 'maxServerCpuPct', header: 'server CPU % (closed loop)', digits: 0 },
      { key: 'maxCpuUsPerDelivery', header: 'CPU µs/delivery (closed loop, gross)', digits: 2 },
      ...LOAD,
    ],
  },
  S2: {
    title: 'S2 peer relay',
    columns: [
      { key: 'p50Ms', header: 'p50 ms', digits: 2 },
      { key: 'p99Ms', header: 'p99 ms', digits: 2 },
      { key: 'cpuUsPerMessage', header: 'CPU µs/message (net)', digits: 1 },
      { key: 'grossCpuUsPerMessage', header: 'CPU µs/message (gross)', digits: 1 },
      { key: 'userUsPerMessage', header: 'user µs', digits: 1 },
      { key: 'sysUsPerMessage', header: 'sys µs', digits: 1 },
      { key: 'messagesPerSec', header: 'messages/s' },
      { key: 'receiptP50Ms', header: 'receipt p50 ms', digits: 2 },
      { key: 'receiptP99Ms', header: 'receipt p99 ms', digits: 2 },
      { key: 'lost', header: 'lost' },
      ...LOAD,
    ],
  },
  S1R: {
    title: 'S1R channel fan-out across two nodes (Redis)',
    columns: [
      ...cpuPerDelivery('CPU µs/delivery (net, both nodes)'),
      { key: 'idleCpuPct', header: 'idle CPU %', digits: 1 },
      { key: 'deliveriesPerSec', header: 'deliveries/s' },
      ...RECIPIENT_LATENCY,
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
      { key: 'jsPerConnFromZeroB', header: 'heap+external B/conn from zero' },
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
  S8R: {
    title: 'S8R reconnect storm on two Redis nodes (node A SIGKILLed, its clients move to B)',
    columns: [
      { key: 'clientsOnA', header: "A's clients" },
      { key: 'back99Ms', header: 'SIGKILL → 99 % back on B ms' },
      { key: 'back50Ms', header: '50 % back ms' },
      { key: 'back100Ms', header: '100 % back ms' },
      { key: 'serverCpuMsTo99', header: 'B CPU ms until 99 %' },
      { key: 'attemptsPerClient', header: 'attempts per client', digits: 2 },
      { key: 'notBack', header: 'not back' },
      { key: 'droppedOnB', header: "B's clients dropped" },
      { key: 'loadCpuPct', header: 'generator CPU %', digits: 0 },
      { key: 'otherCpuPct', header: 'other CPU %', digits: 0 },
    ],
  },
  S10: {
    title: 'S10 SDK receive cost (receivers in one process of their own, one channel)',
    columns: [
      { key: 'cpuUsPerMessage', header: 'receiver CPU µs/message (net)', digits: 2 },
      { key: 'grossCpuUsPerMessage', header: 'gross', digits: 2 },
      { key: 'userUsPerMessage', header: 'user µs', digits: 2 },
      { key: 'sysUsPerMessage', header: 'sys µs', digits: 2 },
      { key: 'idleCpuPct', header: 'idle CPU % (clients idle)', digits: 2 },
      { key: 'messagesPerSec', header: 'received/s' },
      { key: 'lost', header: 'lost' },
      { key: 'receiverLoopP99Ms', header: 'receiver loop delay p99 ms', digits: 1 },
      { key: 'receiverHeapMiB', header: 'receiver heap MiB', digits: 1 },
      { key: 'serverCpuUsPerDelivery', header: 'server CPU µs/delivery', digits: 2 },
      { key: 'otherCpuPct', header: 'other CPU %', digits: 0 },
    ],
  },
  S9: {
    title: 'S9 channel fan-out burst',
    columns: [
      ...cpuPerDelivery('CPU µs/delivery (net)'),
      { key: 'deliveriesPerSec', header: 'deliveries/s' },
      ...RECIPIENT_LATENCY,
      ...LOAD,
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
