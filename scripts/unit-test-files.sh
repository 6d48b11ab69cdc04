#!/bin/sh
# The unit test files that may run side by side, the longest first: `node --test` starts them
# in this order, so a long one does not start last and end the run alone. (The browser tests
# and channels-scale run on their own afterwards: see test:unit:serial in package.json.)
longest="
packages/server/test/fuzz.test.ts
packages/server/test/invitations-scale.test.ts
packages/server/test/redis-resilience.test.ts
packages/server/test/redis-three-nodes.test.ts
packages/signaling/test/channels.test.ts
packages/server/test/redis-outage.test.ts
packages/server/test/telephony.test.ts
packages/server/test/redis-node-death.test.ts
"
{
  for f in $longest; do [ -f "$f" ] && echo "$f"; done
  ls packages/*/test/*.test.ts
} |
  awk 'NF && !seen[$0]++' |
  grep -v -e '/browser-' -e '/channels-scale\.test\.ts$'
