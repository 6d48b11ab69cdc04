/** Test helpers shared by every package's tests (private: never published). */
export { ManualClock } from './manual-clock.js';
export { sleep, until, eventually, nextTurn, track } from './wait.js';
export { BareServer, type BareServerOptions } from './bare-server.js';
export { tempDir } from './temp-dir.js';
export { APP, clockedServer, testServer } from './test-server.js';
export { client, loggedIn, recordStates } from './clients.js';
export { markerText, isMarker, peerMarker, peerMarkers, channelMarker } from './markers.js';
export { RawSocket, type Frame } from './raw-socket.js';
export { CutProxy } from './cut-proxy.js';
export {
  startNode,
  nodeProcess,
  nodeProcesses,
  killAllNodes,
  type NodeConfig,
  type NodeProcess,
  type Owner,
} from './node-process.js';
export { TOPOLOGIES, startTopology, type Topology, type TopologyName } from './topologies.js';
export { REDIS_URL, uniquePrefix, privateRedis, killRedis, type PrivateRedis } from './redis.js';
export { unhandledRejections } from './process-events.js';
export { Gateway } from './telephony-gateway.js';
export { fastTimers, recordLocal, recordRemote, receiver, logOf, RawParty } from './invitations.js';
export {
  signal,
  signedIn,
  record,
  entries,
  signOut,
  sessionMarker,
  channelMessageMarker,
  type Recorded,
} from './signaling.js';
