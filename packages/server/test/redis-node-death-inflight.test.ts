/**
 * Two nodes on Redis; the receiver's node dies while messages the sender's node routed there
 * have no receipt yet. The sender's node keeps them until their receipts and, once the death
 * shows (the receiver lands on it and the kick of the old session goes unheard, or a publish
 * to the dead node reaches nobody), parks them for the receiver: each arrives once, in order,
 * before what was sent after the death.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RtmMessage } from '@parley/sdk';
import { isMarker, peerMarker, until } from '@parley/testkit';
import { nodeDeath } from './node-death-setup.js';

const IN_FLIGHT = 40;
const AFTER = 10;

for (const how of ['SIGKILL', 'SIGTERM'] as const)
  for (const flagged of [false, true])
    test(`${how} the receiver's node with ${IN_FLIGHT} messages in flight${flagged ? ' (flagged)' : ''}: each arrives once, in order`, async (t) => {
      const { doomed, sender, mover, states } = await nodeDeath(t, {
        sender: 'if-tx',
        mover: 'if-mover',
      });
      const got: string[] = [];
      let dying: Promise<unknown> | undefined;
      const die = () => (how === 'SIGKILL' ? doomed.kill() : doomed.stop());
      mover.on('MessageFromPeer', (m: RtmMessage) => {
        if (isMarker(m)) return;
        got.push(m.text!);
        // The first one in: the rest are on their way through the doomed node.
        dying ??= die();
      });

      const sent: string[] = [];
      const options = flagged ? { enableOfflineMessaging: true } : {};
      const send = (text: string): Promise<boolean | string> => {
        sent.push(text);
        return sender.sendMessageToPeer({ text }, 'if-mover', options).then(
          (r) => r.hasPeerReceived,
          (e: { code?: number }) => `error ${e.code}`,
        );
      };
      // All at once: none waits for the one before.
      const inFlight = Array.from({ length: IN_FLIGHT }, (_, n) => send(`inflight-${n}`));
      await until(() => dying !== undefined, 'the first message, and the kill', 10_000);
      await dying;
      const answers: (boolean | string)[] = [];
      for (let n = 0; n < AFTER; n++) answers.push(await send(`after-${n}`));
      answers.unshift(...(await Promise.all(inFlight)));
      await until(() => states.includes('CONNECTED/LOGIN_SUCCESS'), 'the mover lands', 15_000);
      // (Without the parking, what died with the node never comes: count what did.)
      await until(() => got.length >= sent.length, 'every message', 15_000).catch(() => undefined);
      await peerMarker(sender, mover, 'if-mover'); // a duplicate would have come before it
      const unreceived = answers.slice(0, IN_FLIGHT).filter((r) => r === false).length;
      t.diagnostic(
        `${how}${flagged ? ' flagged' : ''}: delivered/expected ${got.length}/${sent.length}; ` +
          `in flight at the death (answered not received): ${unreceived}/${IN_FLIGHT}`,
      );
      assert.deepEqual(got, sent, 'each once, in order');
      for (const [n, r] of answers.entries())
        assert.equal(typeof r, 'boolean', `message ${n} answered: ${r}`);
      await Promise.all([sender.logout(), mover.logout()]);
    });
