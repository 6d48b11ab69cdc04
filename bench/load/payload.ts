/**
 * Bench payloads: `~<seq>~` then `x` up to the payload size. Receivers find the sequence with
 * a byte scan (`indexOf('~')`) instead of parsing the frame, so the load generator's cost per
 * delivery stays small and the same for every server's wire format.
 */
const TILDE = 0x7e;

export function makePayload(seq: number, bytes: number): string {
  const head = `~${seq}~`;
  return head + 'x'.repeat(Math.max(0, bytes - head.length));
}

/** The sequence of the payload in `frame`, or -1 if it carries none. */
export function payloadSeq(frame: Buffer): number {
  const k = frame.indexOf(TILDE);
  if (k < 0) return -1;
  let seq = 0;
  for (let i = k + 1; i < frame.length; i++) {
    const c = frame[i]!;
    if (c === TILDE) return seq;
    seq = seq * 10 + (c - 48);
  }
  return -1;
}
