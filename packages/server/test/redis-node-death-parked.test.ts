/**
 * Two nodes on Redis, one killed with SIGKILL while a peer messages one of its users: what is
 * sent during the fail-over waits in Redis for the user's resume window and is delivered once,
 * in order, by the node the user lands on.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RtmMessage } from '@parley/sdk';
import { isMarker, peerMarker, until } from '@parley/testkit';
import { nodeDeath } from './node-death-setup.js';

for (const how of ['SIGKILL', 'SIGTERM'] as const)
  for (const flagged of [false, true])
    test(`${how} the node of a user being messaged${flagged ? ' (flagged for offline storage)' : ''}: 40 of 40 arrive, in order, none twice`, async (t) => {
      const { doomed, sender, mover, states } = await nodeDeath(t, {
        sender: 'np-tx',
        mover: 'np-mover',
      });
      const got: string[] = [];
      mover.on('MessageFromPeer', (m: RtmMessage) => {
        if (!isMarker(m)) got.push(m.text!);
      });

      const sent: string[] = [];
      const send = async (text: string) => {
        sent.push(text);
        const options = flagged ? { enableOfflineMessaging: true } : {};
        return (await sender.sendMessageToPeer({ text }, 'np-mover', options)).hasPeerReceived;
      };
      for (let n = 0; n < 20; n++) assert.equal(await send(`before-${n}`), true);
      if (how === 'SIGKILL') await doomed.kill();
      else await doomed.stop();
      // Sent at once, one after the other, while the mover finds its way to the survivor.
      const during: boolean[] = [];
      for (let n = 0; n < 20; n++) during.push(await send(`during-${n}`));
      await until(
        () => states.includes('CONNECTED/LOGIN_SUCCESS'),
        'the mover lands on the survivor',
        15_000,
      );
      await until(() => got.length >= 40, 'every message', 15_000);
      await peerMarker(sender, mover, 'np-mover'); // a duplicate would have come before it
      t.diagnostic(
        `${how}${flagged ? ' flagged' : ''}: delivered/expected: ${got.length}/${sent.length}; during the fail-over answered received: ${during.filter(Boolean).length}/20`,
      );
      assert.deepEqual(got, sent, 'each once, in order');
      await Promise.all([sender.logout(), mover.logout()]);
    });
