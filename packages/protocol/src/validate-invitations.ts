/** Validators of the call-invitation requests (see invitation-frames.ts). */
import { utf8Length } from './codec.js';
import { InvitationApiCallError } from './errors.js';
import { ID_RULE, isValidId } from './ids.js';
import { InvitationLimits } from './invitation-frames.js';
import { Reject, type Validator } from './validation.js';

const INVALID = InvitationApiCallError.INVALID_ARGUMENT;

function userId(value: unknown, field: string): string {
  if (!isValidId(value)) throw new Reject(INVALID, `${field}: must be ${ID_RULE}`);
  return value;
}

/** Invitation ids follow the user-id rule (the SDK makes 22 characters of base64url). */
function invitationId(value: unknown): string {
  return userId(value, 'invitationId');
}

/** content / response: a string of at most 8 KB in UTF-8; absent = ''. */
function text(value: unknown, field: string): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new Reject(INVALID, `${field}: must be a string`);
  const bytes = utf8Length(value);
  if (bytes > InvitationLimits.maxTextBytes)
    throw new Reject(
      INVALID,
      `${field}: ${bytes} bytes; the limit is ${InvitationLimits.maxTextBytes} bytes (UTF-8)`,
    );
  return value;
}

function channelId(value: unknown): string {
  if (value === undefined || value === '') return '';
  if (!isValidId(value)) throw new Reject(INVALID, `channelId: must be empty or ${ID_RULE}`);
  return value;
}

export const invitationValidators: Record<string, Validator> = {
  'inv.send': (f, i) => ({
    t: 'inv.send',
    i,
    id: invitationId(f.id),
    to: userId(f.to, 'calleeId'),
    ch: channelId(f.ch),
    c: text(f.c, 'content'),
  }),
  'inv.cancel': (f, i) => ({ t: 'inv.cancel', i, id: invitationId(f.id), c: text(f.c, 'content') }),
  'inv.confirm': (f, i) => ({ t: 'inv.confirm', i, id: invitationId(f.id) }),
  'inv.ack': (f, i) => ({ t: 'inv.ack', i, f: userId(f.f, 'callerId'), id: invitationId(f.id) }),
  'inv.accept': (f, i) => ({
    t: 'inv.accept',
    i,
    f: userId(f.f, 'callerId'),
    id: invitationId(f.id),
    r: text(f.r, 'response'),
  }),
  'inv.refuse': (f, i) => ({
    t: 'inv.refuse',
    i,
    f: userId(f.f, 'callerId'),
    id: invitationId(f.id),
    r: text(f.r, 'response'),
  }),
  'inv.endcall': (f, i) => ({
    t: 'inv.endcall',
    i,
    f: userId(f.f, 'callerId'),
    id: invitationId(f.id),
  }),
};
