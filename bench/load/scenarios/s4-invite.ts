/**
 * S4 call invitation round trip under S1 load: while the S1 channel fan-out runs at its open-loop
 * rate, a caller invites a callee who accepts; invite → caller hears "accepted" p50/p99, one at
 * a time every `intervalMs`.
 *
 * Parley's invitations are driven through the SDK (`createLocalInvitation`, `send`,
 * `RemoteInvitationReceived`, `accept`, `LocalInvitationAccepted`): two clients, so the SDK is
 * no bottleneck. Where the SDK or server has no invitations yet, the result says so instead of
 * failing. For every server the same pair also measures a peer-message round trip (caller →
 * callee → caller), the transport floor under any invitation; the baselines have no
 * invitations, so that is all they report.
 */
import type { ScenarioResult } from '../../lib/ipc.js';
import { BENCH_APP } from '../../lib/ipc.js';
import { Samples } from '../../lib/stats.js';
import { connect } from '../clients.js';
import { type Ctx, Fanout, sleep, windowOf } from '../context.js';
import { openLoop, until } from '../open-loop.js';
import { makePayload } from '../payload.js';

const ROOM = 'bench';

export async function s4(ctx: Ctx): Promise<ScenarioResult> {
  const p = ctx.params.s4;
  const fan = new Fanout(p.members - 1, ctx.params.payloadBytes);
  const clients = await ctx.members(p.members, ROOM, {
    payload: (_c, seq, now) => fan.delivered(seq, now),
  });
  const publisher = clients[0]!;

  // Peer round trip: the callee echoes every bench payload back to the caller.
  const rtt = new Samples();
  const sentAt = new Map<number, number>();
  const caller = await connect(
    ctx.protocol,
    ctx.options('caller', {
      payload: (_c, seq, now) => {
        const t = sentAt.get(seq);
        if (t !== undefined) rtt.add(now - t);
      },
    }),
  );
  const callee = await connect(
    ctx.protocol,
    ctx.options('callee', {
      payload: (self, seq) => self.dm('caller', makePayload(seq, ctx.params.payloadBytes), seq),
    }),
  );
  await sleep(500);

  const duration = p.warmupMs + p.roundTrips * p.intervalMs * 2 + 3000;
  ctx.progress(`S1 load at ${p.rate} publishes/s in the background`);
  const load = openLoop(p.rate, duration, () => fan.publish(publisher, ROOM));
  await sleep(p.warmupMs);
  const bg0 = fan.next;
  const s0 = ctx.snapshot();

  ctx.progress(`${p.roundTrips} peer round trips`);
  for (let k = 0; k < p.roundTrips; k++) {
    const seq = 1_000_000 + k;
    sentAt.set(seq, performance.now());
    caller.dm('callee', makePayload(seq, ctx.params.payloadBytes), seq);
    await sleep(p.intervalMs);
  }
  await until(() => rtt.count === p.roundTrips, 3000);

  let invitation: InvitationResult = { available: false, reason: 'not a Parley server' };
  if (ctx.protocol === 'parley') {
    ctx.progress(`${p.roundTrips} invitation round trips`);
    invitation = await invitations(ctx.job.urls[0]!, p.roundTrips, p.intervalMs);
  }
  const bg1 = fan.next;
  const w = windowOf(s0, ctx.snapshot());
  await load;
  await until(() => fan.complete(bg0, fan.next), 5000);
  const background = fan.lastRecipient(bg0, bg1).samples.percentiles(99)[0]!;

  for (const c of [...clients, caller, callee]) c.close();
  const [r50, r99] = rtt.percentiles(50, 99);
  const metrics: Record<string, number> = {
    peerRttP50Ms: r50!,
    peerRttP99Ms: r99!,
    backgroundLastP99Ms: background,
    loadCpuPct: w.loadPct,
    otherCpuPct: w.otherPct,
    invitationP50Ms: NaN,
    invitationP99Ms: NaN,
    ringP50Ms: NaN,
    ringP99Ms: NaN,
  };
  const notes: string[] = [];
  if (invitation.available) {
    const [a50, a99] = invitation.accepted.percentiles(50, 99);
    const [g50, g99] = invitation.ring.percentiles(50, 99);
    Object.assign(metrics, {
      invitationP50Ms: a50,
      invitationP99Ms: a99,
      ringP50Ms: g50,
      ringP99Ms: g99,
    });
    if (invitation.failures > 0) notes.push(`${invitation.failures} invitations failed`);
  } else if (ctx.protocol === 'parley') notes.push(`n/a (${invitation.reason})`);
  return { metrics, notes };
}

type InvitationResult =
  | { available: true; accepted: Samples; ring: Samples; failures: number }
  | { available: false; reason: string };

/** The parts of the SDK this scenario uses, typed here so it runs whatever else the SDK has. */
interface Emitter {
  on(event: string, listener: (...args: never[]) => void): unknown;
}
interface SdkClient extends Emitter {
  login(options: { uid: string }): Promise<void>;
  logout(): Promise<void>;
  createLocalInvitation(calleeId: string): LocalInvitation;
}
interface LocalInvitation extends Emitter {
  send(): void;
}
interface RemoteInvitation extends Emitter {
  accept(): void;
}
interface SdkModule {
  default: { createInstance(appId: string, options: { serverUrl: string }): unknown };
}

async function invitations(
  url: string,
  count: number,
  intervalMs: number,
): Promise<InvitationResult> {
  const sdk = (await import('@parley/sdk')) as unknown as SdkModule;
  const make = () => sdk.default.createInstance(BENCH_APP.appId, { serverUrl: url }) as SdkClient;
  const caller = make();
  const callee = make();
  await caller.login({ uid: 'inv-caller' });
  await callee.login({ uid: 'inv-callee' });
  try {
    try {
      caller.createLocalInvitation('inv-callee');
    } catch (err) {
      return { available: false, reason: `invitations not available: ${messageOf(err)}` };
    }
    callee.on('RemoteInvitationReceived', (remote: RemoteInvitation) => remote.accept());
    const accepted = new Samples();
    const ring = new Samples();
    let failures = 0;
    let lastFailure = '';
    for (let k = 0; k < count; k++) {
      const inv = caller.createLocalInvitation('inv-callee');
      const t0 = performance.now();
      const outcome = await new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve('no answer in 5 s'), 5000);
        inv.on('LocalInvitationReceivedByPeer', () => ring.add(performance.now() - t0));
        inv.on('LocalInvitationAccepted', () => {
          clearTimeout(timer);
          accepted.add(performance.now() - t0);
          resolve('');
        });
        for (const e of [
          'LocalInvitationRefused',
          'LocalInvitationFailure',
          'LocalInvitationCanceled',
        ])
          inv.on(e, (...args: never[]) => {
            clearTimeout(timer);
            resolve(`${e} ${String(args[0] ?? '')}`);
          });
        inv.send();
      });
      if (outcome) {
        failures++;
        lastFailure = outcome;
        // Three failures in a row without any success: the feature is not working here.
        if (failures >= 3 && accepted.count === 0) break;
      }
      await sleep(intervalMs);
    }
    if (accepted.count === 0)
      return { available: false, reason: `invitations not available: ${lastFailure}` };
    return { available: true, accepted, ring, failures };
  } finally {
    await Promise.allSettled([caller.logout(), callee.logout()]);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
