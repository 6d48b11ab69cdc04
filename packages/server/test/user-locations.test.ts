import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserLocations } from '../src/user-locations.js';

test('user locations: remembered per app and user, forgotten only where they were, bounded', () => {
  const l = new UserLocations(4);
  l.remember('app1', 'u', 'n1');
  l.remember('app2', 'u', 'n2');
  assert.equal(l.get('app1', 'u'), 'n1');
  assert.equal(l.get('app2', 'u'), 'n2');
  assert.equal(l.get('app1', 'nobody'), undefined);
  // A stale notice from n2 about app1's u (remembered on n1 by now) changes nothing.
  l.forget('app1', 'u', 'n2');
  assert.equal(l.get('app1', 'u'), 'n1');
  l.remember('app1', 'u', 'n3');
  assert.equal(l.size, 2, 'a user remembered again is one entry');
  l.forget('app1', 'u', 'n3');
  assert.equal(l.get('app1', 'u'), undefined);
  assert.equal(l.size, 1);

  for (const uid of ['a', 'b', 'c']) l.remember('app1', uid, 'n1');
  assert.equal(l.size, 4);
  l.remember('app1', 'd', 'n2'); // over capacity: the oldest half goes first
  assert.equal(l.size, 3);
  assert.equal(l.get('app2', 'u'), undefined, 'the oldest went');
  assert.equal(l.get('app1', 'd'), 'n2');

  l.forgetNode('n1');
  assert.equal(l.size, 1);
  assert.equal(l.get('app1', 'd'), 'n2');
  assert.equal(l.get('app1', 'c'), undefined);
});
