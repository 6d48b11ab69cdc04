/** Validators of the telephony requests (see telephony-frames.ts). */
import { utf8Length, type RawFrame } from './codec.js';
import { ID_RULE, isValidId } from './ids.js';
import { maxTelephonyExtraBytes, TelephonyError } from './telephony-frames.js';
import { Reject, type Validator } from './validation.js';

const code = TelephonyError.WRONG_PARAM;

// A phone number or SIP address: 1-64 visible ASCII characters (no spaces).
const PHONE_PATTERN = /^[\x21-\x7e]{1,64}$/;
// DTMF tones (RFC 4733 events 0-15).
const DTMF_PATTERN = /^[0-9*#A-D]{1,64}$/;

function channel(f: RawFrame): string {
  if (!isValidId(f.c)) throw new Reject(code, `channelId: must be ${ID_RULE}`);
  return f.c;
}

function phone(value: unknown, field: string): string {
  if (typeof value !== 'string' || !PHONE_PATTERN.test(value))
    throw new Reject(code, `${field}: must be 1-64 visible ASCII characters (no spaces)`);
  return value;
}

function extra(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new Reject(code, 'extra: must be a string');
  const bytes = utf8Length(value);
  if (bytes > maxTelephonyExtraBytes)
    throw new Reject(code, `extra: ${bytes} bytes; the limit is ${maxTelephonyExtraBytes}`);
  return value;
}

export const telephonyValidators: Record<string, Validator> = {
  'tel.invite'(f, i) {
    const c = channel(f);
    const p = phone(f.phone, 'phone');
    const src = f.src === undefined || f.src === '' ? undefined : phone(f.src, 'src');
    const x = extra(f.extra);
    return {
      t: 'tel.invite',
      i,
      c,
      phone: p,
      ...(src === undefined ? {} : { src }),
      ...(x === undefined ? {} : { extra: x }),
    };
  },
  'tel.dtmf'(f, i) {
    const c = channel(f);
    const p = phone(f.phone, 'phone');
    if (typeof f.dtmf !== 'string' || !DTMF_PATTERN.test(f.dtmf))
      throw new Reject(code, 'dtmf: must be 1-64 of 0-9 * # A-D');
    return { t: 'tel.dtmf', i, c, phone: p, dtmf: f.dtmf };
  },
  'tel.end'(f, i) {
    const c = channel(f);
    const p = phone(f.phone, 'phone');
    const x = extra(f.extra);
    return { t: 'tel.end', i, c, phone: p, ...(x === undefined ? {} : { extra: x }) };
  },
};
