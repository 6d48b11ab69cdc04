import { after } from 'node:test';
import { createRedisBackend, type Backend } from '../src/index.js';
import { runBackendConformance } from './backend-conformance.js';
import { runChannelStoreConformance } from './channel-store-conformance.js';
import { runInvitationStoreConformance } from './invitation-store-conformance.js';
import { REDIS_URL, uniquePrefix } from '@parley/testkit';

const opened: Backend[] = [];
after(() => Promise.all(opened.map((b) => b.close())));

runBackendConformance('redis', (dataDir, limits) =>
  createRedisBackend({ url: REDIS_URL, prefix: `test:${dataDir}:`, limits }),
);
runChannelStoreConformance('redis', async () => {
  const b = await createRedisBackend({
    url: REDIS_URL,
    prefix: uniquePrefix(),
    limits: { maxPerReceiver: 5, maxAgeMs: 60_000 },
  });
  opened.push(b);
  return b.channels;
});
runInvitationStoreConformance('redis', async () => {
  const b = await createRedisBackend({
    url: REDIS_URL,
    prefix: uniquePrefix(),
    limits: { maxPerReceiver: 5, maxAgeMs: 60_000 },
  });
  opened.push(b);
  return b.invitations;
});
