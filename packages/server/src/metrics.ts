/**
 * Prometheus metrics (`GET /metrics`, prom-client): the process's default metrics and Parley's
 * `parley_*` series. Counters move on the event stream, never on a hot path; gauges are read
 * from the Hub and the gateway when scraped. Each node has its own registry (tests run several
 * nodes in one process).
 */
import type http from 'node:http';
import { LoginError } from '@parley/protocol';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Tally } from './metrics-tally.js';
import type { EventStream } from './events.js';

export interface MetricSources {
  events: EventStream;
  connections(): number;
  sessions(): number;
  channels(): number;
  webhookQueueDepth(): Promise<number>;
  /** Running totals kept where they happen (read at scrape time). */
  socketBufferOverflows?(): number;
  droppedPeerMessages?(): number;
}

/** LOGIN_ERR names by code, lower case (`invalid_token`), for the `result` label. */
const LOGIN_RESULT = new Map<number, string>(
  Object.entries(LoginError).map(([name, code]) => [code, name.toLowerCase()]),
);

const TERMINAL_PHASES: ReadonlySet<string> = new Set(['accepted', 'refused', 'canceled', 'failed']);

export class Metrics {
  readonly registry = new Registry();
  /** Running totals for the admin console's rates (the counters hold them by label). */
  messages = 0;
  deliveries = 0;

  constructor(s: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const gauge = (name: string, help: string, read: () => number | Promise<number>) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          this.set(await read());
        },
      });
    gauge('parley_connections', 'WebSocket connections open on this node', s.connections);
    gauge(
      'parley_sessions',
      'sessions on this node (logged-in clients, and those resuming)',
      s.sessions,
    );
    gauge('parley_channels', 'channels with members on this node', s.channels);
    gauge(
      'parley_webhook_queue_depth',
      'webhook notices waiting on this node',
      s.webhookQueueDepth,
    );

    const total = (name: string, help: string, read: (() => number) | undefined) =>
      read &&
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    total(
      'parley_socket_buffer_overflows_total',
      'connections closed with 4413: more than PARLEY_MAX_SOCKET_BUFFER_BYTES waited to be sent',
      s.socketBufferOverflows,
    );
    total(
      'parley_peer_messages_dropped_total',
      'undelivered peer messages not flagged for offline storage, dropped when their session ended',
      s.droppedPeerMessages,
    );

    const logins = new Tally(
      'parley_logins_total',
      'logins on this node, by result (ok, or the LOGIN_ERR name)',
      ['result'],
      registers,
    );
    const messages = new Tally(
      'parley_messages_total',
      'messages sent, by kind (peer, channel) and source (sdk, rest), counted on the sender’s node',
      ['kind', 'source'],
      registers,
    );
    const deliveries = new Tally(
      'parley_deliveries_total',
      'messages delivered: peer messages acknowledged by the receiver, channel messages written to members',
      ['kind'],
      registers,
    );
    const invitations = new Tally(
      'parley_invitations_total',
      'call invitations that ended, by outcome',
      ['outcome'],
      registers,
    );
    const rest = new Tally(
      'parley_rest_requests_total',
      'REST calls answered, by route and HTTP status',
      ['route', 'status'],
      registers,
    );
    const webhooks = new Tally(
      'parley_webhook_deliveries_total',
      'webhook attempts, by outcome (delivered, failed, expired, dropped)',
      ['outcome'],
      registers,
    );
    const receipt = new Histogram({
      name: 'parley_peer_receipt_seconds',
      help: 'from the server taking a peer message to its receiver’s ack reaching the sender’s node',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });

    const ev = s.events;
    ev.on('login', () => logins.add('ok'));
    ev.on('login.refused', (e) => logins.add(LOGIN_RESULT.get(e.code) ?? 'unknown'));
    ev.on('peer.message', (e) => {
      messages.add('peer', e.source);
      this.messages++;
      if (e.outcome !== 'delivered') return;
      deliveries.add('peer');
      this.deliveries++;
      receipt.observe((e.ts - e.sentTs) / 1000);
    });
    ev.on('channel.message', (e) => {
      messages.add('channel', e.source);
      this.messages++;
    });
    ev.on('channel.fanout', (e) => {
      deliveries.add('channel', '', e.count);
      this.deliveries += e.count;
    });
    ev.on('invitation', (e) => {
      if (TERMINAL_PHASES.has(e.phase)) invitations.add(e.phase);
    });
    ev.on('rest.request', (e) => rest.add(e.route, String(e.status)));
    ev.on('webhook.delivery', (e) => webhooks.add(e.outcome));
  }

  /** Answers `GET /metrics`; false for anything else. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    if (req.method !== 'GET' || (req.url ?? '').split('?', 1)[0] !== '/metrics') return false;
    this.registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': this.registry.contentType });
        res.end(text);
      },
      () => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('metrics failed\n');
      },
    );
    return true;
  }
}
