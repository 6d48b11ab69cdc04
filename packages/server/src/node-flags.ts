/**
 * The Node flags parley-server runs with: its `#!` line, `npm start`, deploy/Dockerfile and
 * deploy/parley.service pass them (a test checks they agree), and the bench starts Parley
 * with them.
 *
 * A 32 MiB semi-space (Node 20's default is 16): at 10,000 peer messages/s the message path
 * allocates ~70 MB/s, so with the default young generation a scavenge runs every ~150 ms and
 * promotes per-message objects still in flight then, which die in old space and bring
 * Mark-Compacts; twice the semi-space halves the scavenges and what they promote (bench S2
 * with `--trace-gc-nvp`), for at most 32 MiB more memory under load (the young generation
 * grows to it only while allocation is that fast).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
