/**
 * The TypeScript side of the C++ interop tests: one @parley/sdk client driven by JSON lines on
 * stdin, reporting every event and result as JSON lines on stdout.
 *
 * In:  {"n": 1, "op": "login", "uid": "bob"}  (see `ops` for every op and its fields)
 * Out: {"ev": "result", "n": 1, "ok": true, "value": ...} | {"ev": "result", "n": 1, "ok": false, "code": 5}
 *      {"ev": "peer", "from": "alice", "text": "hi"} and the other events below.
 *
 * Run with `node --conditions=source --import tsx ts-peer.ts <serverUrl> <appId>`.
 */
import { createRequire } from 'node:module';
import readline from 'node:readline';
import AgoraRTM, {
  type RtmChannel,
  type RemoteInvitation,
  type LocalInvitation,
} from '@parley/sdk';

const require = createRequire(import.meta.url);
const agoraToken = require('agora-token') as {
  RtmTokenBuilder: { buildToken(appId: string, cert: string, uid: string, expire: number): string };
};

const [serverUrl, appId] = process.argv.slice(2);
if (!serverUrl || !appId) throw new Error('usage: ts-peer.ts <serverUrl> <appId>');

const client = AgoraRTM.createInstance(appId, {
  serverUrl,
  reconnectBaseDelayMs: 50,
  reconnectMaxDelayMs: 300,
});
const channels = new Map<string, RtmChannel>();
let incoming: RemoteInvitation | undefined;
let outgoing: LocalInvitation | undefined;

function out(ev: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(ev) + '\n');
}

function textOf(m: { text?: string; rawMessage?: Uint8Array; description?: string }) {
  if (m.rawMessage)
    return { raw: Buffer.from(m.rawMessage).toString('base64'), description: m.description };
  return { text: m.text };
}

client.on('ConnectionStateChanged', (s, r) => out({ ev: 'state', s, r }));
client.on('MessageFromPeer', (m, from, props) =>
  out({ ev: 'peer', from, ...textOf(m), offline: props.isOfflineMessage === true }),
);
client.on('PeersOnlineStatusChanged', (st) => out({ ev: 'presence', st }));
client.on('RemoteInvitationReceived', (inv) => {
  incoming = inv;
  out({ ev: 'rinv', caller: inv.callerId, channel: inv.channelId, content: inv.content });
  inv.on('RemoteInvitationAccepted', () => out({ ev: 'rinv.accepted' }));
  inv.on('RemoteInvitationRefused', () => out({ ev: 'rinv.refused' }));
  inv.on('RemoteInvitationCanceled', (c) => out({ ev: 'rinv.canceled', content: c }));
  inv.on('RemoteInvitationFailure', (why) => out({ ev: 'rinv.failure', why }));
});

type Cmd = Record<string, unknown> & { n: number; op: string };
const s = (c: Cmd, k: string) => String(c[k]);

const ops: Record<string, (c: Cmd) => unknown> = {
  token: (c) =>
    agoraToken.RtmTokenBuilder.buildToken(
      s(c, 'appId'),
      s(c, 'cert'),
      s(c, 'uid'),
      Number(c.expire ?? 3600),
    ),
  login: (c) => client.login({ uid: s(c, 'uid'), ...(c.token ? { token: s(c, 'token') } : {}) }),
  logout: () => client.logout(),
  send: (c) => {
    const m = c.raw
      ? client.createMessage({
          rawMessage: new Uint8Array(Buffer.from(s(c, 'raw'), 'base64')),
          messageType: 'RAW',
          description: c.description as string | undefined,
        })
      : client.createMessage({ text: s(c, 'text'), messageType: 'TEXT' });
    return client.sendMessageToPeer(m, s(c, 'to'), { enableOfflineMessaging: c.off === true });
  },
  join: async (c) => {
    const ch = client.createChannel(s(c, 'ch'));
    const id = s(c, 'ch');
    ch.on('ChannelMessage', (m, from) => out({ ev: 'cmsg', ch: id, from, ...textOf(m) }));
    ch.on('MemberJoined', (u) => out({ ev: 'mjoin', ch: id, u }));
    ch.on('MemberLeft', (u) => out({ ev: 'mleft', ch: id, u }));
    ch.on('AttributesUpdated', (a) => out({ ev: 'cattrs', ch: id, attrs: a }));
    await ch.join();
    channels.set(id, ch);
  },
  leave: (c) => channels.get(s(c, 'ch'))!.leave(),
  csend: (c) =>
    channels
      .get(s(c, 'ch'))!
      .sendMessage(client.createMessage({ text: s(c, 'text'), messageType: 'TEXT' })),
  members: (c) => channels.get(s(c, 'ch'))!.getMembers(),
  query: (c) => client.queryPeersOnlineStatus(c.ids as string[]),
  setUserAttrs: (c) => client.setLocalUserAttributes(c.attrs as Record<string, string>),
  getUserAttrs: (c) => client.getUserAttributes(s(c, 'uid')),
  setChannelAttrs: (c) =>
    client.setChannelAttributes(s(c, 'ch'), c.attrs as Record<string, string>, {
      enableNotificationToChannelMembers: c.notify === true,
    }),
  getChannelAttrs: (c) => client.getChannelAttributes(s(c, 'ch')),
  invite: (c) => {
    const inv = client.createLocalInvitation(s(c, 'to'));
    outgoing = inv;
    if (c.ch) inv.channelId = s(c, 'ch');
    if (c.content) inv.content = s(c, 'content');
    inv.on('LocalInvitationReceivedByPeer', () => out({ ev: 'linv.received' }));
    inv.on('LocalInvitationAccepted', (r) => out({ ev: 'linv.accepted', response: r }));
    inv.on('LocalInvitationRefused', (r) => out({ ev: 'linv.refused', response: r }));
    inv.on('LocalInvitationCanceled', () => out({ ev: 'linv.canceled' }));
    inv.on('LocalInvitationFailure', (why) => out({ ev: 'linv.failure', why }));
    inv.send();
  },
  cancel: () => outgoing!.cancel(),
  accept: (c) => {
    incoming!.response = s(c, 'response');
    incoming!.accept();
  },
  refuse: (c) => {
    incoming!.response = s(c, 'response');
    incoming!.refuse();
  },
};

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let c: Cmd;
  try {
    c = JSON.parse(line) as Cmd;
  } catch {
    return;
  }
  const op = ops[c.op];
  if (!op) return out({ ev: 'result', n: c.n, ok: false, code: -1, message: `unknown op ${c.op}` });
  Promise.resolve()
    .then(() => op(c))
    .then(
      (value) => out({ ev: 'result', n: c.n, ok: true, value: value ?? null }),
      (e: { code?: number; message?: string }) =>
        out({ ev: 'result', n: c.n, ok: false, code: e.code ?? -1, message: e.message }),
    );
});
rl.on('close', () => process.exit(0));
out({ ev: 'ready' });
