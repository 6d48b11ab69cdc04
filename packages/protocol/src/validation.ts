/**
 * Building blocks of frame validation, shared by the validators of every feature
 * (validate.ts composes them). A validator rebuilds the frame from its known fields or throws
 * `Reject` with the RTM error code of the API and a message naming the field and the limit.
 */
import { base64DecodedLength, utf8Length, type RawFrame } from './codec.js';
import type { ClientFrame, WireMessage } from './frames.js';
import { ID_RULE, isValidId } from './ids.js';
import { Limits } from './limits.js';

export class Reject {
  constructor(
    readonly code: number,
    readonly message: string,
  ) {}
}

export type Validator = (f: RawFrame, id: number) => ClientFrame;

const B64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

export function token(value: unknown, code: number, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Reject(code, `${field}: must be a string`);
  if (value.length > Limits.maxTokenBytes)
    throw new Reject(code, `${field}: ${value.length} bytes; the limit is ${Limits.maxTokenBytes}`);
  return value;
}

export function idList(
  value: unknown,
  field: string,
  max: number,
  code: number,
  maxCode = code,
): string[] {
  if (!Array.isArray(value)) throw new Reject(code, `${field}: must be an array of user ids`);
  if (value.length === 0) throw new Reject(code, `${field}: must not be empty`);
  if (value.length > max)
    throw new Reject(maxCode, `${field}: ${value.length} ids; the limit is ${max} per call`);
  const out: string[] = [];
  for (const id of value) {
    if (!isValidId(id)) throw new Reject(code, `${field}: ${JSON.stringify(id)} is not ${ID_RULE}`);
    out.push(id);
  }
  return out;
}

/** Validates a message body against the 32 KB limit; shared by peer and channel messages. */
export function wireMessage(value: unknown, code: number): WireMessage {
  if (typeof value !== 'object' || value === null)
    throw new Reject(code, 'message: must be a text or raw message');
  const m = value as { k?: unknown; x?: unknown; b?: unknown; d?: unknown };
  if (m.k === 'T') {
    if (typeof m.x !== 'string') throw new Reject(code, 'message.text: must be a string');
    const bytes = utf8Length(m.x);
    if (bytes > Limits.maxMessageBytes)
      throw new Reject(
        code,
        `message.text: ${bytes} bytes; the limit is ${Limits.maxMessageBytes} bytes`,
      );
    return { k: 'T', x: m.x };
  }
  if (m.k === 'R') {
    if (typeof m.b !== 'string' || m.b.length % 4 !== 0 || !B64_TEXT.test(m.b))
      throw new Reject(code, 'message.rawMessage: must be base64 bytes');
    if (m.d !== undefined && typeof m.d !== 'string')
      throw new Reject(code, 'message.description: must be a string');
    const bytes = base64DecodedLength(m.b) + (m.d ? utf8Length(m.d) : 0);
    if (bytes > Limits.maxMessageBytes)
      throw new Reject(
        code,
        `message: rawMessage + description are ${bytes} bytes; the limit is ${Limits.maxMessageBytes} bytes`,
      );
    return m.d ? { k: 'R', b: m.b, d: m.d } : { k: 'R', b: m.b };
  }
  throw new Reject(code, "message.messageType: must be 'TEXT' or 'RAW'");
}

/** The `sig` flag of a legacy Signaling query: true, or absent (false). */
export function signalingFlag(value: unknown, code: number): boolean {
  if (value === undefined) return false;
  if (value !== true) throw new Reject(code, 'sig: must be true or absent');
  return true;
}
