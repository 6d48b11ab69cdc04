/** Call invitations in tests: event logs of both sides, a raw-socket party, fast timers. */
import type { LocalInvitation, RemoteInvitation, RtmClient } from '@parley/sdk';
import { RawSocket, type Frame } from './raw-socket.js';
import { APP } from './test-server.js';
import { until } from './wait.js';

/** Timers scaled down for tests (ms). */
export const fastTimers = {
  invitationPeerOfflineMs: 300,
  invitationNoResponseMs: 300,
  invitationExpireMs: 400,
  invitationAcceptTimeoutMs: 200,
};

/** Logs every event of the caller's invitation as "caller Event(arg) STATE" into `log`. */
export function recordLocal(inv: LocalInvitation, log: string[], who = 'caller'): void {
  inv.on('LocalInvitationReceivedByPeer', () => log.push(`${who} ReceivedByPeer ${inv.state}`));
  inv.on('LocalInvitationAccepted', (r) => log.push(`${who} Accepted(${r}) ${inv.state}`));
  inv.on('LocalInvitationRefused', (r) => log.push(`${who} Refused(${r}) ${inv.state}`));
  inv.on('LocalInvitationCanceled', () => log.push(`${who} Canceled ${inv.state}`));
  inv.on('LocalInvitationFailure', (why) => log.push(`${who} Failure(${why}) ${inv.state}`));
}

/** Logs every event of a received invitation as "callee Event(arg) STATE" into `log`. */
export function recordRemote(inv: RemoteInvitation, log: string[], who = 'callee'): void {
  inv.on('RemoteInvitationAccepted', () => log.push(`${who} Accepted ${inv.state}`));
  inv.on('RemoteInvitationRefused', () => log.push(`${who} Refused ${inv.state}`));
  inv.on('RemoteInvitationCanceled', (c) => log.push(`${who} Canceled(${c}) ${inv.state}`));
  inv.on('RemoteInvitationFailure', (why) => log.push(`${who} Failure(${why}) ${inv.state}`));
}

/**
 * Collects the invitations `callee` receives: each is logged as "callee Received(content)
 * STATE" and recorded, and `onReceived` runs (e.g. to accept at once).
 */
export function receiver(
  callee: RtmClient,
  log: string[],
  onReceived?: (inv: RemoteInvitation) => void,
  who = 'callee',
): RemoteInvitation[] {
  const got: RemoteInvitation[] = [];
  callee.on('RemoteInvitationReceived', (inv) => {
    got.push(inv);
    log.push(`${who} Received(${inv.content}) ${inv.state}`);
    recordRemote(inv, log, who);
    onReceived?.(inv);
  });
  return got;
}

/** Waits until `log` has `n` entries; answers it. */
export async function logOf(log: string[], n: number, timeoutMs = 5000): Promise<string[]> {
  await until(() => log.length >= n, `${n} events (have ${JSON.stringify(log)})`, timeoutMs);
  return log;
}

/** A logged-in raw socket: sends invitation frames the SDK would not (or would not yet). */
export class RawParty {
  private nextI = 100;
  private constructor(
    readonly raw: RawSocket,
    readonly uid: string,
  ) {}

  static async login(url: string, uid: string): Promise<RawParty> {
    const raw = await RawSocket.open(url);
    const reply = await raw.request({ t: 'login', i: 1, a: APP, u: uid });
    if (reply.t !== 'ok') throw new Error(`raw login failed: ${JSON.stringify(reply)}`);
    return new RawParty(raw, uid);
  }

  request(frame: Frame): Promise<Frame> {
    return this.raw.request({ ...frame, i: this.nextI++ });
  }

  /** The invitation pushes received so far (`linv` and `rinv`), without `s`. */
  pushes(): Frame[] {
    return this.raw.frames
      .filter((f) => f.t === 'linv' || f.t === 'rinv')
      .map(({ s: _s, ...rest }) => rest);
  }

  async waitPushes(n: number, timeoutMs = 5000): Promise<Frame[]> {
    await this.raw.waitFor(() => this.pushes().length >= n, `${n} invitation pushes`, timeoutMs);
    return this.pushes();
  }

  close(): void {
    this.raw.close();
  }
}
