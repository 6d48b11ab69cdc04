/**
 * Conformance suite of WebhookQueue implementations; every backend runs it unchanged.
 * `factory(dataDir, max)` opens a queue on a data location, with a `close` that closes it as its
 * backend does; opening it again on the same location must see what was durable.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { QueuedNotice, WebhookQueue } from '../src/backend/webhook-queue.js';
import { tempDir } from '@parley/testkit';

export interface OpenedQueue {
  queue: WebhookQueue;
  close(): Promise<void>;
}

export type WebhookQueueFactory = (
  dataDir: string,
  max: number,
) => Promise<OpenedQueue> | OpenedQueue;

let counter = 0;
const notice = (app: string, eventType = 101): QueuedNotice => ({
  id: `n${++counter}`,
  app,
  eventType,
  payload: JSON.stringify({ k: counter }),
  queuedMs: 1000 + counter,
  attempts: 0,
  notBeforeMs: 0,
});
const owner = () => `owner-${Math.random().toString(36).slice(2)}`;

export function runWebhookQueueConformance(name: string, factory: WebhookQueueFactory): void {
  describe(`webhook queue conformance: ${name}`, () => {
    test('heads are the oldest of each app; removing a head brings the next, in push order', async () => {
      const { queue: q, close } = await factory(tempDir(), 100);
      const o = owner();
      const a1 = notice('a');
      const a2 = notice('a');
      const b1 = notice('b');
      for (const n of [a1, b1, a2]) assert.equal(await q.push(o, n), true);
      const heads = await q.heads(o);
      assert.deepEqual(heads.map((h) => h.id).sort(), [a1.id, b1.id].sort());
      assert.deepEqual(
        heads.find((h) => h.app === 'a'),
        a1,
        'the notice as pushed',
      );
      assert.equal(await q.size(o), 3);
      await q.remove(o, 'a', a2.id);
      assert.equal((await q.head(o, 'a'))?.id, a1.id, 'only the head is removed');
      await q.remove(o, 'a', a1.id);
      assert.equal((await q.head(o, 'a'))?.id, a2.id);
      await q.remove(o, 'a', a2.id);
      assert.equal(await q.head(o, 'a'), undefined);
      assert.deepEqual(
        (await q.heads(o)).map((h) => h.id),
        [b1.id],
      );
      assert.equal(await q.size(o), 1);
      assert.deepEqual(await q.heads(owner()), [], 'owners are apart');
      await close();
    });

    test('postpone records attempts and the next time of the head', async () => {
      const { queue: q, close } = await factory(tempDir(), 100);
      const o = owner();
      const n = notice('a');
      await q.push(o, n);
      await q.postpone(o, 'a', n.id, 2, 5000);
      assert.deepEqual(await q.head(o, 'a'), { ...n, attempts: 2, notBeforeMs: 5000 });
      await q.postpone(o, 'a', 'not-the-head', 9, 9);
      assert.deepEqual(await q.head(o, 'a'), { ...n, attempts: 2, notBeforeMs: 5000 });
      await close();
    });

    test('a full queue refuses a push and keeps nothing of it', async () => {
      const { queue: q, close } = await factory(tempDir(), 2);
      const o = owner();
      assert.equal(await q.push(o, notice('a')), true);
      assert.equal(await q.push(o, notice('b')), true);
      const over = notice('a');
      assert.equal(await q.push(o, over), false);
      assert.equal(await q.size(o), 2);
      const a = await q.head(o, 'a');
      await q.remove(o, 'a', a!.id);
      assert.equal(await q.head(o, 'a'), undefined, 'the refused notice was not kept');
      assert.equal(await q.push(o, notice('a')), true, 'room again');
      await close();
    });

    test('adopt moves a dead owner’s notices once, each app in order', async () => {
      const { queue: q, close } = await factory(tempDir(), 100);
      const dead = owner();
      const heir = owner();
      const rival = owner();
      const pushed = [notice('a'), notice('a'), notice('b')];
      for (const n of pushed) await q.push(dead, n);
      const moved = await Promise.all([q.adopt(dead, heir), q.adopt(dead, rival)]);
      assert.deepEqual([...moved].sort(), [0, 3], 'one adopter gets them all');
      const winner = moved[0] === 3 ? heir : rival;
      assert.equal(await q.size(dead), 0);
      assert.equal(await q.size(winner), 3);
      assert.equal((await q.head(winner, 'a'))?.id, pushed[0]!.id);
      await q.remove(winner, 'a', pushed[0]!.id);
      assert.equal((await q.head(winner, 'a'))?.id, pushed[1]!.id);
      assert.deepEqual(await q.heads(dead), []);
      await close();
    });

    test('what a push resolved survives a reopen, with its attempts', async () => {
      const dir = tempDir();
      const o = owner();
      const first = await factory(dir, 100);
      const n = notice('durable');
      await first.queue.push(o, n);
      await first.queue.postpone(o, 'durable', n.id, 1, 42);
      await first.close();
      const again = await factory(dir, 100);
      assert.deepEqual(await again.queue.heads(o), [{ ...n, attempts: 1, notBeforeMs: 42 }]);
      assert.equal(await again.queue.size(o), 1);
      await again.close();
    });
  });
}
