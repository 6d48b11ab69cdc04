/**
 * The load generator's `parley.v1` client: login in the upgrade, join, csend, psend, the ack of
 * reliable pushes in a microtask and a ping every heartbeat, as the SDK does (see clients.ts).
 */
import WebSocket from 'ws';
import {
  type BenchClient,
  type ConnectOptions,
  digitsAt,
  opened,
  RECEIPT_BASE,
  received,
  type Reply,
  RequestClient,
  WS_OPTIONS,
} from './client-base.js';

const parleyClients = new Set<ParleyClient>();
let pingTimer: NodeJS.Timeout | undefined;
const HEARTBEAT_MS = 2500;

/** One sweep pings every Parley client once per heartbeat, like each SDK's own sweep. */
function pingSweep(): void {
  const now = Date.now();
  for (const c of parleyClients) {
    if (now - c.lastPingMs >= HEARTBEAT_MS && c.ws.readyState === 1) {
      c.lastPingMs = now;
      c.ws.send('{"t":"ping"}');
    }
  }
}

/** `{"t":"ok","i":` — the start of a request's success answer. */
const OK_PREFIX = Buffer.from('{"t":"ok","i":');
const OK = { t: 'ok' } as const;

export class ParleyClient extends RequestClient implements BenchClient {
  lastPingMs = Date.now() - Math.random() * HEARTBEAT_MS;
  private lastSeq = 0;
  private ackScheduled = false;

  /**
   * Logs in during the upgrade (`parley.v1.early-login`: the login frame in the URL, answered
   * right behind the 101) where the server offers it; else (an older server picked
   * `parley.v1`) with a login frame after the upgrade.
   */
  static async open(o: ConnectOptions): Promise<BenchClient> {
    const i = 1;
    const login = JSON.stringify({
      t: 'login',
      i,
      a: o.appId,
      u: o.uid,
      ...(o.token ? { k: o.token } : {}),
    });
    // base64url needs no escaping in a query: appended, not through a URL object per login.
    const url = o.noLogin
      ? o.url
      : `${o.url}${o.url.includes('?') ? '&' : '?'}login=${Buffer.from(login).toString('base64url')}`;
    const protocols = o.noLogin ? ['parley.v1'] : ['parley.v1.early-login', 'parley.v1'];
    const ws = new WebSocket(url, protocols, WS_OPTIONS);
    const c = new ParleyClient(ws, o.uid, o.events);
    c.nextId = i + 1;
    // Waiting before the socket opens: the reply may come right behind the 101.
    const reply = o.noLogin ? undefined : c.await(i, `login ${o.uid}`);
    reply?.catch(() => undefined);
    ws.on('message', (data: Buffer) => c.onFrame(data));
    ws.on('close', () => parleyClients.delete(c));
    await opened(ws);
    if (!reply) return c;
    if (ws.protocol !== 'parley.v1.early-login') ws.send(login);
    await reply;
    parleyClients.add(c);
    pingTimer ??= setInterval(pingSweep, 250);
    return c;
  }

  private onFrame(data: Buffer): void {
    if (this.payload(data)) {
      // A peer message is a reliable push: acknowledge its session sequence `s` (last field).
      if (data[6] === 0x6d && data[7] === 0x73 && data[8] === 0x67)
        this.scheduleAck(digitsAt(data, data.lastIndexOf(',"s":') + 5));
      return;
    }
    // {"t":"pong",…}: one per heartbeat of every client, nothing to read in it.
    if (data[6] === 0x70 && data[7] === 0x6f && data[8] === 0x6e && data[9] === 0x67) return;
    // An `ok`: a psend's receipt (an id from RECEIPT_BASE) or a request's answer (the login's,
    // S6's one frame to read per login); its id read by a byte scan, the rest not parsed.
    if (data.compare(OK_PREFIX, 0, OK_PREFIX.length, 0, OK_PREFIX.length) === 0) {
      const i = digitsAt(data, OK_PREFIX.length);
      if (!this.receipted(i)) this.settle(i, OK);
      return;
    }
    const f = JSON.parse(data.toString()) as { t: string; i?: number; s?: number };
    if ((f.t === 'ok' || f.t === 'err') && f.i !== undefined) {
      if (!this.receipted(f.i)) this.settle(f.i, f as Parameters<Reply>[0]);
      return;
    }
    if (f.t === 'pong') return;
    received.pushes++;
    if (typeof f.s === 'number') this.scheduleAck(f.s);
  }

  private scheduleAck(s: number): void {
    if (s > this.lastSeq) this.lastSeq = s;
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    queueMicrotask(() => {
      this.ackScheduled = false;
      if (this.ws.readyState === 1) this.ws.send(`{"t":"ack","s":${this.lastSeq}}`);
    });
  }

  join(room: string): Promise<void> {
    return this.ask({ t: 'join', c: room });
  }

  leave(room: string): Promise<void> {
    return this.ask({ t: 'leave', c: room });
  }

  publish(room: string, payload: string): void {
    // The reply (`ok` with the server time) is not awaited: open-loop publishing.
    const i = this.nextId++;
    this.pending.set(i, () => undefined);
    this.ws.send(
      `{"t":"csend","i":${i},"c":${JSON.stringify(room)},"m":{"k":"T","x":"${payload}"}}`,
    );
  }

  dm(to: string, payload: string, seq: number): void {
    const i = RECEIPT_BASE + seq;
    this.ws.send(
      `{"t":"psend","i":${i},"to":${JSON.stringify(to)},"m":{"k":"T","x":"${payload}"}}`,
    );
  }

  override close(): void {
    parleyClients.delete(this);
    if (parleyClients.size === 0 && pingTimer) {
      clearInterval(pingTimer);
      pingTimer = undefined;
    }
    super.close();
  }
}
