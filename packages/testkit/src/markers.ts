/**
 * Markers: to show that something did NOT arrive, send a later message down the same path and
 * wait for it. The server writes a socket's frames in order, so once the marker is in,
 * whatever the server pushed to that client before it is in too: no "wait, then look".
 */
import type { RtmChannel, RtmClient, RtmMessage } from '@parley/sdk';

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
  const marker = arrival(text, `marker ${text} at ${toUid}`, timeoutMs);
  to.on('MessageFromPeer', marker.onMessage);
  try {
    await from.sendMessageToPeer({ text }, toUid);
    await marker.arrived;
  } finally {
    marker.stop();
    to.off('MessageFromPeer', marker.onMessage);
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
  const marker = arrival(text, `channel marker ${text}`, timeoutMs);
  to.on('ChannelMessage', marker.onMessage);
  try {
    await from.sendMessage({ text });
    await marker.arrived;
  } finally {
    marker.stop();
    to.off('ChannelMessage', marker.onMessage);
  }
}

interface Arrival {
  arrived: Promise<void>;
  onMessage: (m: RtmMessage) => void;
  /** Ends the wait (its deadline too) once the caller is done, arrived or not. */
  stop: () => void;
}

/** A listener that resolves `arrived` on the marker (no polling: a test may wait for 2,000). */
function arrival(text: string, what: string, timeoutMs: number): Arrival {
  let onMessage!: (m: RtmMessage) => void;
  let timer: NodeJS.Timeout | undefined;
  const arrived = new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
    onMessage = (m) => {
      if (m.text !== text) return;
      clearTimeout(timer);
      resolve();
    };
  });
  arrived.catch(() => undefined); // awaited by the caller unless its send failed first
  return { arrived, onMessage, stop: () => clearTimeout(timer) };
}
