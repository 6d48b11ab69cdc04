/**
 * Calls: a call is an RTM invitation carrying a fresh channel id. The caller rings
 * (`createLocalInvitation` → `send`), and may cancel; the callee hears it ring and accepts or
 * refuses. Once accepted both sides join the call's channel: that is the call, and leaving it
 * hangs up (the other side sees `MemberLeft`). A callee already in a call answers "busy".
 */
import { byId, dismissNotice, h, notify } from './dom.js';
import {
  describeError,
  type LocalInvitation,
  type RemoteInvitation,
  type RtmChannel,
  type RtmClient,
} from './rtm.js';
import { Ringer } from './ringer.js';

type Call =
  | { phase: 'calling'; peer: string; invitation: LocalInvitation }
  | { phase: 'ringing'; peer: string; invitation: RemoteInvitation }
  | { phase: 'live'; peer: string; channel: RtmChannel | undefined; since: number };

interface Action {
  label: string;
  kind: 'accept' | 'refuse' | 'quiet';
  run: () => void;
}

const failureText: Record<string, string> = {
  PEER_OFFLINE: 'is offline',
  PEER_NO_RESPONSE: 'did not answer',
  INVITATION_EXPIRE: 'the call expired',
  NOT_LOGGEDIN: 'you are not logged in',
  ACCEPT_FAILURE: 'the answer did not get through',
};

export class Calls {
  private call: Call | undefined;
  private readonly box = byId('call');
  private readonly ringer = new Ringer();
  private clock: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly client: RtmClient) {
    client.on('RemoteInvitationReceived', (invitation) => this.incoming(invitation));
  }

  /** Rings `peer`; the call box shows the progress. */
  start(peer: string): void {
    if (this.call) return notify('You are already in a call.', 'error');
    let invitation: LocalInvitation;
    try {
      invitation = this.client.createLocalInvitation(peer);
    } catch (err) {
      return notify(`Cannot call ${peer}: ${describeError(err)}`, 'error');
    }
    invitation.channelId = `call-${randomId()}`;
    const call: Call & { phase: 'calling' } = { phase: 'calling', peer, invitation };
    // Events of an invitation that is no longer the current call change nothing.
    const current = () => this.call === call;
    const cancel: Action = {
      label: 'Cancel',
      kind: 'refuse',
      run: () => this.guard(() => invitation.cancel()),
    };
    invitation.on('LocalInvitationReceivedByPeer', () => {
      if (current()) this.show(`Calling ${peer}`, 'Ringing…', [cancel], 'out');
    });
    invitation.on('LocalInvitationAccepted', () => {
      if (current()) void this.goLive(peer, invitation.channelId);
    });
    invitation.on('LocalInvitationRefused', (response) => {
      if (current()) this.end(`${peer} declined${response ? `: ${response}` : ''}`);
    });
    invitation.on('LocalInvitationCanceled', () => {
      if (current()) this.end('Call canceled');
    });
    invitation.on('LocalInvitationFailure', (reason) => {
      if (!current()) return;
      this.end(
        reason === 'PEER_OFFLINE'
          ? `${peer} is offline`
          : `Call failed: ${peer} ${failureText[reason] ?? reason}`,
      );
    });
    this.call = call;
    this.show(`Calling ${peer}`, 'Connecting…', [cancel], 'out');
    // RTM keeps an invitation to an offline user waiting (they may log in): the page asks first,
    // so calling someone offline ends at once with a clear line.
    void this.client.queryPeersOnlineStatus([peer]).then(
      (status) => this.ring(call, status[peer] === true),
      () => this.ring(call, true),
    );
  }

  private ring(call: Call & { phase: 'calling' }, online: boolean): void {
    if (this.call !== call) return;
    if (!online) return this.end(`${call.peer} is offline`);
    try {
      call.invitation.send();
    } catch (err) {
      this.end();
      notify(`Cannot call ${call.peer}: ${describeError(err)}`, 'error');
    }
  }

  /** Drops the box and listeners; the logout ends what the server knows. */
  dispose(): void {
    this.stopClock();
    this.ringer.stop();
    this.call = undefined;
    this.box.hidden = true;
  }

  private incoming(invitation: RemoteInvitation): void {
    const peer = invitation.callerId;
    if (this.call) {
      invitation.response = 'busy';
      return this.guard(() => invitation.refuse());
    }
    const call: Call = { phase: 'ringing', peer, invitation };
    const current = () => this.call === call;
    invitation.on('RemoteInvitationAccepted', () => {
      if (current()) void this.goLive(peer, invitation.channelId);
    });
    invitation.on('RemoteInvitationRefused', () => {
      if (current()) this.end();
    });
    invitation.on('RemoteInvitationCanceled', () => {
      if (current()) this.end(`${peer} canceled the call`);
    });
    invitation.on('RemoteInvitationFailure', (reason) => {
      if (current()) this.end(`Call from ${peer} failed: ${failureText[reason] ?? reason}`);
    });
    this.call = call;
    this.show(
      `${peer} is calling`,
      'Incoming call',
      [
        { label: 'Refuse', kind: 'refuse', run: () => this.guard(() => invitation.refuse()) },
        { label: 'Accept', kind: 'accept', run: () => this.guard(() => invitation.accept()) },
      ],
      'in',
    );
    this.ringer.start();
  }

  private async goLive(peer: string, channelId: string): Promise<void> {
    this.ringer.stop();
    const live: Call = { phase: 'live', peer, channel: undefined, since: Date.now() };
    this.call = live;
    const hangUp: Action = { label: 'Hang up', kind: 'refuse', run: () => void this.hangUp() };
    this.show(`In a call with ${peer}`, '00:00', [hangUp], 'live');
    this.clock = setInterval(() => {
      byId('call-detail').textContent = duration(Date.now() - live.since);
    }, 1000);
    if (!channelId || typeof this.client.createChannel !== 'function') return;
    const channel = this.client.createChannel(channelId);
    channel.on('MemberLeft', (uid) => {
      if (uid === peer && this.call === live) void this.hangUp(`${peer} hung up`);
    });
    try {
      await channel.join();
      live.channel = channel;
      // Hung up while joining: leave now.
      if (this.call !== live) {
        channel.removeAllListeners();
        await channel.leave();
      }
    } catch (err) {
      notify(`Call channel: ${describeError(err)}`, 'error');
    }
  }

  private async hangUp(why = 'Call ended'): Promise<void> {
    const call = this.call;
    this.end(why);
    if (call?.phase === 'live' && call.channel) {
      call.channel.removeAllListeners();
      await call.channel.leave().catch(() => undefined);
    }
  }

  private end(why?: string): void {
    this.ringer.stop();
    this.stopClock();
    this.call = undefined;
    this.box.hidden = true;
    this.box.removeAttribute('data-phase');
    if (why) notify(why);
  }

  private show(
    title: string,
    detail: string,
    actions: Action[],
    phase: 'in' | 'out' | 'live',
  ): void {
    byId('call-title').textContent = title;
    byId('call-detail').textContent = detail;
    byId('call-actions').replaceChildren(
      ...actions.map((a) => {
        const b = h('button', { type: 'button', class: a.kind }, a.label);
        b.addEventListener('click', a.run);
        return b;
      }),
    );
    this.box.dataset.phase = phase;
    this.box.hidden = false;
    dismissNotice();
  }

  /** Invitation methods throw synchronously when called out of turn: say so, do not crash. */
  private guard(run: () => void): void {
    try {
      run();
    } catch (err) {
      notify(describeError(err), 'error');
    }
  }

  private stopClock(): void {
    clearInterval(this.clock);
    this.clock = undefined;
  }
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
