import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { WebSocketServer } from 'ws';
import { SUBPROTOCOL, SUBPROTOCOL_EARLY_LOGIN } from '@parley/protocol';
import AgoraRTM from '../src/node.js';

/**
 * A server of before the early login: it picks `parley.v1` whatever else is offered and waits
 * for a login frame. With earlyLogin the SDK offers the early login, sees `parley.v1` picked,
 * and sends it; without (the default) it offers `parley.v1` alone.
 */
for (const earlyLogin of [true, false])
  test(`against a server that only speaks parley.v1, the SDK sends its login frame (earlyLogin: ${earlyLogin})`, async () => {
    const offered: string[][] = [];
    const logins: Record<string, unknown>[] = [];
    const wss = new WebSocketServer({
      port: 0,
      host: '127.0.0.1',
      handleProtocols: (protocols) => {
        offered.push([...protocols]);
        return protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false;
      },
    });
    wss.on('connection', (ws) => {
      ws.on('message', (d) => {
        const f = JSON.parse(d.toString()) as Record<string, unknown>;
        if (f.t !== 'login') return;
        logins.push(f);
        ws.send(
          JSON.stringify({
            t: 'ok',
            i: f.i,
            r: { sid: 'old-server-sid', resumed: false, ts: Date.now(), exp: 0, hb: 2500 },
          }),
        );
      });
    });
    await new Promise((r) => wss.once('listening', r));
    const port = (wss.address() as AddressInfo).port;
    const c = AgoraRTM.createInstance('fallback_app', {
      serverUrl: `ws://127.0.0.1:${port}`,
      earlyLogin,
    });
    try {
      await c.login({ uid: 'fb-user' });
      assert.deepEqual(
        offered[0],
        earlyLogin ? [SUBPROTOCOL_EARLY_LOGIN, SUBPROTOCOL] : [SUBPROTOCOL],
      );
      assert.equal(logins.length, 1);
      assert.equal(logins[0]!.u, 'fb-user');
      assert.equal(logins[0]!.a, 'fallback_app');
    } finally {
      await c.logout().catch(() => undefined);
      for (const ws of wss.clients) ws.terminate();
      await new Promise((r) => wss.close(r));
    }
  });
