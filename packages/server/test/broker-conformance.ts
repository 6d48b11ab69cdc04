/**
 * Conformance suite of Broker implementations; every backend runs it unchanged. `factory()`
 * opens a broker that no other test publishes on.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Broker } from '../src/backend/broker.js';
import { until } from '@parley/testkit';

export type BrokerFactory = () => Promise<Broker> | Broker;

export function runBrokerConformance(name: string, factory: BrokerFactory): void {
  describe(`broker conformance: ${name}`, () => {
    test('publish reaches the subscribed handler in order and counts receivers', async () => {
      const b = await factory();
      const got: unknown[] = [];
      assert.equal(await b.publish('topic/a', 1), 0);
      await b.subscribe('topic/a', (p) => got.push(p));
      assert.equal(await b.publish('topic/a', { n: 1 }), 1);
      await b.publish('topic/a', { n: 2 });
      await b.publish('topic/b', { n: 3 });
      await until(() => got.length === 2, 'both messages');
      await b.unsubscribe('topic/a');
      assert.equal(await b.publish('topic/a', { n: 4 }), 0);
      assert.deepEqual(got, [{ n: 1 }, { n: 2 }]);
    });

    test('channel topics (sharded on Redis) behave the same', async () => {
      const b = await factory();
      const got: unknown[] = [];
      await b.subscribe('channel/app/room', (p) => got.push(p));
      assert.equal(await b.publish('channel/app/room', { n: 1 }), 1);
      assert.equal(await b.publish('channel/app/other', { n: 2 }), 0);
      // Published is not yet handled (another connection carries it on Redis).
      await until(() => got.length === 1, 'the message');
      await b.unsubscribe('channel/app/room');
      assert.equal(await b.publish('channel/app/room', { n: 3 }), 0);
      // A later message on another channel topic, which travels the same way, arrives after
      // anything still under way: then nothing more came for the room.
      const marker: unknown[] = [];
      await b.subscribe('channel/app/marker', (p) => marker.push(p));
      await b.publish('channel/app/marker', { n: 4 });
      await until(() => marker.length === 1, 'the marker');
      assert.deepEqual(got, [{ n: 1 }]);
    });
  });
}
