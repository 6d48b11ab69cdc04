import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RtmError } from '@parley/sdk';
import type { RunningServer } from '../src/index.js';
import { APP, client, loggedIn, testServer, until } from '@parley/testkit';

const AUTH = 'Basic ' + Buffer.from('ops:s3cret').toString('base64');

describe('REST ban (F6)', () => {
  let server: RunningServer;
  let base: string;
  before(async () => {
    server = await testServer({ restKeys: [{ key: 'ops', secret: 's3cret' }] });
    base = `http://127.0.0.1:${server.port}/v1/apps/${APP}/users`;
  });
  after(() => server.close());

  const call = (method: string, url: string, body?: unknown, auth = AUTH) =>
    fetch(url, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  test('a ban aborts the client with BANNED_BY_SERVER and refuses its logins until lifted', async () => {
    const c = await loggedIn(server, 'ban-me');
    const events: string[] = [];
    c.on('ConnectionStateChanged', (s, r) => events.push(`${s}/${r}`));
    c.on('BannedByServer', () => events.push('BannedByServer'));
    const res = await call('POST', `${base}/ban-me/ban`, { durationSeconds: 600 });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { result: string; kicked: boolean };
    assert.equal(body.result, 'success');
    assert.equal(body.kicked, true);
    await until(() => events.length === 2, 'ABORTED');
    assert.deepEqual(events, ['ABORTED/BANNED_BY_SERVER', 'BannedByServer']);
    await c.logout();
    await assert.rejects(
      c.login({ uid: 'ban-me' }),
      (e: RtmError) => e.code === 2 && /banned/.test(e.message),
    );
    const other = await loggedIn(server, 'ban-bystander');
    assert.deepEqual(await other.queryPeersOnlineStatus(['ban-me']), { 'ban-me': false });
    assert.equal((await call('DELETE', `${base}/ban-me/ban`)).status, 200);
    // A new client: the SDK allows a client 2 logins a second, and this one has just made two.
    const again = await loggedIn(server, 'ban-me');
    assert.deepEqual(await other.queryPeersOnlineStatus(['ban-me']), { 'ban-me': true });
    await Promise.all([again.logout(), other.logout()]);
  });

  test('wrong credentials, bad ids and bad bodies are refused and ban nobody', async () => {
    assert.equal(
      (
        await call(
          'POST',
          `${base}/ban-x/ban`,
          {},
          'Basic ' + Buffer.from('ops:wrong').toString('base64'),
        )
      ).status,
      401,
    );
    assert.equal((await call('POST', `${base}/ban-x/ban`, {}, '')).status, 401);
    const bad = await call('POST', `${base}/null/ban`, {});
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /uid/);
    const dur = await call('POST', `${base}/ban-x/ban`, { durationSeconds: -1 });
    assert.equal(dur.status, 400);
    assert.match(((await dur.json()) as { message: string }).message, /durationSeconds/);
    assert.equal((await call('POST', `${base}/ban-x/ban`, '[1,2]')).status, 400);
    assert.equal((await call('PUT', `${base}/ban-x/ban`)).status, 405);
    const c = client(server);
    await c.login({ uid: 'ban-x' });
    await c.logout();
  });

  test('without PARLEY_REST_KEYS the REST API is off', async () => {
    const plain = await testServer();
    const res = await fetch(`http://127.0.0.1:${plain.port}/v1/apps/${APP}/users/u/ban`, {
      method: 'POST',
    });
    assert.equal(res.status, 404);
    await plain.close();
  });
});
