import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { RtmError } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import {
  client,
  CutProxy,
  ManualClock,
  recordStates,
  startTopology,
  TOPOLOGIES,
  until,
  type Topology,
  type TopologyName,
} from '@parley/testkit';

const require = createRequire(import.meta.url);
const tokenPkgDir = new URL('../../token/', import.meta.url);
const agoraToken = require(require.resolve('agora-token', { paths: [tokenPkgDir.pathname] })) as {
  RtmTokenBuilder: { buildToken(appId: string, cert: string, uid: string, expire: number): string };
};
const accessToken = require(
  require.resolve('agora-access-token', { paths: [tokenPkgDir.pathname] }),
) as {
  RtmTokenBuilder: {
    buildToken(appId: string, cert: string, uid: string, role: number, expireTs: number): string;
  };
  RtmRole: { Rtm_User: number };
};

const APP_ID = '970CA35de60c44645bbae8a215061b33';
const CERT = '5CFd2fd1755d40ecb72977518be15d3b';
const OTHER_APP = '00000000000000000000000000000001';
const OTHER_CERT = 'ffffffffffffffffffffffffffffffff';
const OPEN_APP = 'open-app-without-certificate';

const now = () => Math.floor(Date.now() / 1000);
const HOUR_MS = 3_600_000;

/** A node on a ManualClock whose liveness windows are an hour (see the expiry tests). */
async function timedTopology(
  t: TestContext,
  kind: TopologyName,
): Promise<{ server: RunningServer; clock: ManualClock }> {
  const clock = new ManualClock();
  const topo = await startTopology(kind, {
    clock,
    resumeWindowMs: HOUR_MS,
    unreachableAfterMs: HOUR_MS,
    apps: [{ appId: APP_ID, appCertificate: CERT }],
    tokenWillExpireLeadMs: 30_000,
  });
  t.after(() => topo.close());
  return { server: topo.nodes[1], clock };
}
const token007 = (uid: string, expire = 3600, app = APP_ID, cert = CERT) =>
  agoraToken.RtmTokenBuilder.buildToken(app, cert, uid, expire);
const token006 = (uid: string, expireTs = now() + 3600) =>
  accessToken.RtmTokenBuilder.buildToken(APP_ID, CERT, uid, accessToken.RtmRole.Rtm_User, expireTs);

/** On two Redis nodes, every login goes to the second node; the first checks nothing. */
for (const kind of TOPOLOGIES)
  describe(`tokens on a certified app (${kind})`, () => {
    let topo: Topology;
    let server: RunningServer;
    before(async () => {
      topo = await startTopology(kind, {
        apps: [
          { appId: APP_ID, appCertificate: CERT },
          { appId: OTHER_APP, appCertificate: OTHER_CERT },
          { appId: OPEN_APP },
        ],
      });
      server = topo.nodes[1];
    });
    after(() => topo.close());

    async function loginWith(
      uid: string,
      token: string | undefined,
      app = APP_ID,
    ): Promise<number | 'ok'> {
      const c = client(server, {}, app);
      try {
        await c.login(token === undefined ? { uid } : { uid, token });
        await c.logout();
        return 'ok';
      } catch (e) {
        return (e as RtmError).code;
      }
    }

    test('agora-token 007, agora-access-token 006 and its SignalingToken log in', async () => {
      assert.equal(await loginWith('tok-a', token007('tok-a')), 'ok');
      assert.equal(await loginWith('tok-b', token006('tok-b')), 'ok');
      // agora-access-token's index does not export SignalingToken; load its module by path.
      const sigPath = require.resolve('agora-access-token/src/SignalingToken.js', {
        paths: [tokenPkgDir.pathname],
      });
      const SignalingToken = require(sigPath) as {
        get(appId: string, cert: string, account: string, validSeconds: number): string;
      };
      const signaling = SignalingToken.get(APP_ID, CERT, 'tok-c', 3600);
      assert.match(signaling, /^1:/);
      assert.equal(await loginWith('tok-c', signaling), 'ok');
    });

    test('wrong uid, other app, bad signature, expired and missing tokens are refused with their codes', async () => {
      assert.equal(await loginWith('tok-d', token007('someone-else')), 5, 'another uid');
      assert.equal(
        await loginWith('tok-d', token007('tok-d', 3600, OTHER_APP, OTHER_CERT)),
        4,
        'another app',
      );
      const good = token007('tok-d');
      const tampered = good.slice(0, 40) + (good[40] === 'A' ? 'B' : 'A') + good.slice(41);
      assert.equal(await loginWith('tok-d', tampered), 5, 'bad signature');
      assert.equal(await loginWith('tok-d', token006('tok-d', now() - 10)), 6, 'expired 006');
      assert.equal(await loginWith('tok-d', undefined), 7, 'missing');
      assert.equal(await loginWith('tok-d', token007('tok-d'), 'unknown_app'), 4, 'unknown app');
      assert.equal(await loginWith('tok-d', 'garbage'), 5, 'garbage');
    });

    test('an app without certificate needs no token', async () => {
      assert.equal(await loginWith('tok-e', undefined, OPEN_APP), 'ok');
    });
  });

for (const kind of TOPOLOGIES)
  describe(`token expiry on the server clock (${kind})`, () => {
    // The server's clock moves only when a test says so (its sweep checks expiry); the clients
    // ping on real time, so the liveness windows are longer than any time advanced here.
    // Each test has its own clock, starting at the real time its tokens are made at. On two
    // Redis nodes, both run on that clock and the client is on the second.

    test('a token expiring while connected: TokenPrivilegeWillExpire, then ABORTED/TOKEN_EXPIRED and TokenExpired', async (t) => {
      const { server, clock } = await timedTopology(t, kind);
      const c = client(server, {}, APP_ID);
      const events: string[] = [];
      c.on('ConnectionStateChanged', (s, r) => events.push(`${s}/${r}`));
      c.on('TokenPrivilegeWillExpire', () => events.push('TokenPrivilegeWillExpire'));
      c.on('TokenExpired', () => events.push('TokenExpired'));
      await c.login({ uid: 'tok-f', token: token007('tok-f', 60) });
      await clock.advance(20_000);
      // A round trip after the advance: anything the sweep pushed has arrived before its answer.
      await c.queryPeersOnlineStatus(['tok-f']);
      assert.deepEqual(events, ['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS'], 'no warning yet');
      await clock.advance(15_000);
      await until(() => events.includes('TokenPrivilegeWillExpire'), 'TokenPrivilegeWillExpire');
      await clock.advance(30_000);
      await until(() => events.includes('TokenExpired'), 'TokenExpired');
      assert.deepEqual(events, [
        'CONNECTING/LOGIN',
        'CONNECTED/LOGIN_SUCCESS',
        'TokenPrivilegeWillExpire',
        'ABORTED/TOKEN_EXPIRED',
        'TokenExpired',
      ]);
      await c.logout();
    });

    test('a token that expires while reconnecting: TokenExpired when the network is back, renewToken recovers', async (t) => {
      const { server, clock } = await timedTopology(t, kind);
      const proxy = await CutProxy.start(server.port);
      const c = client(proxy.url, {}, APP_ID);
      const events: string[] = [];
      await c.login({ uid: 'tok-r', token: token007('tok-r', 60) });
      c.on('ConnectionStateChanged', (st, r) => events.push(`${st}/${r}`));
      c.on('TokenExpired', () => events.push('TokenExpired'));
      proxy.cut();
      await until(() => events.includes('RECONNECTING/INTERRUPTED'), 'RECONNECTING');
      await clock.advance(61_000);
      proxy.restore();
      await until(() => events.includes('TokenExpired'), 'TokenExpired after the network is back');
      assert.deepEqual(events, ['RECONNECTING/INTERRUPTED', 'TokenExpired']);
      await c.renewToken(token007('tok-r', 3600));
      await until(() => events.includes('CONNECTED/LOGIN_SUCCESS'), 'CONNECTED with the new token');
      assert.deepEqual(events, [
        'RECONNECTING/INTERRUPTED',
        'TokenExpired',
        'CONNECTED/LOGIN_SUCCESS',
      ]);
      await c.logout();
      await proxy.close();
    });

    test('renewToken in time prevents the expiry', async (t) => {
      const { server, clock } = await timedTopology(t, kind);
      const c = client(server, {}, APP_ID);
      const states = recordStates(c);
      let warned = 0;
      let renewed: Promise<void> | undefined;
      c.on('TokenPrivilegeWillExpire', () => {
        warned++;
        renewed = c.renewToken(token007('tok-g', 3600));
      });
      await c.login({ uid: 'tok-g', token: token007('tok-g', 60) });
      await clock.advance(35_000);
      await until(() => renewed !== undefined, 'TokenPrivilegeWillExpire');
      await renewed;
      await clock.advance(60_000);
      assert.deepEqual(await c.queryPeersOnlineStatus(['tok-g']), { 'tok-g': true });
      assert.equal(warned, 1);
      assert.deepEqual(states, ['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS']);
      await assert.rejects(c.renewToken(token007('someone-else')), (e: RtmError) => e.code === 6);
      await c.logout();
    });
  });
