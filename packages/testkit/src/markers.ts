/**
 * Markers: to show that something did NOT arrive, send a later message down the same path and
 * wait for it. The server writes a socket's frames in order, so once the marker is in,
 * whatever the server pushed to that client before it is in too: no "wait, then look".
 */
import type { RtmChannel, RtmClient, RtmMessage } from '@parley/sdk';
import { until } from './wait.js';

let count = 0;

/** A text no other marker of this process has. */
export function markerText(): string {
  return `marker-${process.pid}-${++count}`;
}

/** Whether a received message is a marker (for tests that record every message). */
export function isMarker(m: RtmMessage): boolean {
  return m.text?.startsWith('marker-') === true;
}

/** Sends a marker peer message from `from` to `to` (user `toUid`); resolves once it arrived. */
export async function peerMarker(
  from: RtmClient,
  to: RtmClient,
  toUid: string,
  timeoutMs = 10_000,
): Promise<void> {
  const text = markerText();
  let arrived = false;
  const onMessage = (m: RtmMessage) => {
    if (m.text === text) arrived = true;
  };
  to.on('MessageFromPeer', onMessage);
  try {
    await from.sendMessageToPeer({ text }, toUid);
    await until(() => arrived, `marker ${text} at ${toUid}`, timeoutMs);
  } finally {
    to.off('MessageFromPeer', onMessage);
  }
}

/** Markers both ways between two clients: each has everything the server sent it before. */
export async function peerMarkers(
  a: RtmClient,
  aUid: string,
  b: RtmClient,
  bUid: string,
): Promise<void> {
  await Promise.all([peerMarker(a, b, bUid), peerMarker(b, a, aUid)]);
}

/** Sends a marker on `from` (a joined channel); resolves once `to` (the same channel) got it. */
export async function channelMarker(
  from: RtmChannel,
  to: RtmChannel,
  timeoutMs = 10_000,
): Promise<void> {
  const text = markerText();
  let arrived = false;
  const onMessage = (m: RtmMessage) => {
    if (m.text === text) arrived = true;
  };
  to.on('ChannelMessage', onMessage);
  try {
    await from.sendMessage({ text });
    await until(() => arrived, `channel marker ${text}`, timeoutMs);
  } finally {
    to.off('ChannelMessage', onMessage);
  }
}
