/** Validators of the channel, channel message and attribute requests (see channel-frames.ts). */
import {
  AttributeOperationError,
  ChannelMessageError,
  GetChannelMemberCountError,
  GetMembersError,
  JoinChannelError,
  LeaveChannelError,
} from './errors.js';
import { utf8Length } from './codec.js';
import { ID_RULE, isValidId } from './ids.js';
import { Limits } from './limits.js';
import type { ChannelSendReq, MemberCountReq, MembersReq } from './channel-frames.js';
import { Reject, signalingFlag, wireMessage, type Validator } from './validation.js';

function channelId(value: unknown, code: number): string {
  if (!isValidId(value)) throw new Reject(code, `channelId: must be ${ID_RULE}`);
  return value;
}

// Attribute keys: 1-32 bytes of visible characters.
const KEY_PATTERN = /^[\x21-\x7e]+$/;

function attrKey(key: unknown, field: string): string {
  const code = AttributeOperationError.INVALID_ARGUMENT;
  if (typeof key !== 'string' || key.length === 0 || !KEY_PATTERN.test(key))
    throw new Reject(
      code,
      `${field}: a key must be 1-${Limits.maxAttributeKeyBytes} visible ASCII characters`,
    );
  if (key.length > Limits.maxAttributeKeyBytes)
    throw new Reject(
      code,
      `${field}: key "${key.slice(0, 40)}…" is ${key.length} bytes; the limit is ${Limits.maxAttributeKeyBytes}`,
    );
  return key;
}

function attrMap(value: unknown, maxCount: number): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Reject(
      AttributeOperationError.INVALID_ARGUMENT,
      'attributes: must be an object of string values',
    );
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const entries = Object.entries(value);
  if (entries.length > maxCount)
    throw new Reject(
      AttributeOperationError.SIZE_OVERFLOW,
      `attributes: ${entries.length} keys; the limit is ${maxCount}`,
    );
  for (const [k, v] of entries) {
    attrKey(k, 'attributes');
    if (typeof v !== 'string' || v === '')
      throw new Reject(
        AttributeOperationError.INVALID_ARGUMENT,
        `attributes.${k}: the value must be a non-empty string`,
      );
    const bytes = utf8Length(v);
    if (bytes > Limits.maxAttributeValueBytes)
      throw new Reject(
        AttributeOperationError.SIZE_OVERFLOW,
        `attributes.${k}: ${bytes} bytes; the limit is ${Limits.maxAttributeValueBytes} per value`,
      );
    out[k] = v;
  }
  return { ...out };
}

function keyList(value: unknown, field: string, maxCount: number): string[] {
  if (!Array.isArray(value))
    throw new Reject(
      AttributeOperationError.INVALID_ARGUMENT,
      `${field}: must be an array of keys`,
    );
  if (value.length > maxCount)
    throw new Reject(
      AttributeOperationError.INVALID_ARGUMENT,
      `${field}: ${value.length} keys; the limit is ${maxCount}`,
    );
  return value.map((k) => attrKey(k, field));
}

function writeOp(
  f: Record<string, unknown>,
  maxCount: number,
): Pick<
  { op: 'set' | 'add' | 'del' | 'clear'; attrs?: Record<string, string>; keys?: string[] },
  'op' | 'attrs' | 'keys'
> {
  switch (f.op) {
    case 'set':
    case 'add':
      return { op: f.op, attrs: attrMap(f.attrs, maxCount) };
    case 'del':
      return { op: 'del', keys: keyList(f.keys, 'attributeKeys', maxCount) };
    case 'clear':
      return { op: 'clear' };
    default:
      throw new Reject(
        AttributeOperationError.INVALID_ARGUMENT,
        "op: must be 'set', 'add', 'del' or 'clear'",
      );
  }
}

export const channelValidators: Record<string, Validator> = {
  join(f, i) {
    const c = channelId(f.c, JoinChannelError.INVALID_ARGUMENT);
    if (f.list !== undefined && typeof f.list !== 'boolean')
      throw new Reject(JoinChannelError.INVALID_ARGUMENT, 'list: must be a boolean');
    return f.list ? { t: 'join', i, c, list: true } : { t: 'join', i, c };
  },
  opts(f, i) {
    if (typeof f.echo !== 'boolean')
      throw new Reject(JoinChannelError.INVALID_ARGUMENT, 'echo: must be a boolean');
    return { t: 'opts', i, echo: f.echo };
  },
  leave: (f, i) => ({ t: 'leave', i, c: channelId(f.c, LeaveChannelError.FAILURE) }),
  csend(f, i) {
    const c = channelId(f.c, ChannelMessageError.FAILURE);
    const m = wireMessage(f.m, ChannelMessageError.INVALID_MESSAGE);
    if (f.force !== undefined && typeof f.force !== 'boolean')
      throw new Reject(ChannelMessageError.FAILURE, 'force: must be a boolean');
    if (f.h !== undefined && typeof f.h !== 'boolean')
      throw new Reject(
        ChannelMessageError.INVALID_MESSAGE,
        'options.enableHistoricalMessaging: must be a boolean',
      );
    const frame: ChannelSendReq = { t: 'csend', i, c, m };
    if (f.force === true) frame.force = true;
    if (f.h === true) frame.h = true;
    return frame;
  },
  members(f, i) {
    const frame: MembersReq = { t: 'members', i, c: channelId(f.c, GetMembersError.FAILURE) };
    if (signalingFlag(f.sig, GetMembersError.FAILURE)) frame.sig = true;
    return frame;
  },
  mcount(f, i) {
    const code = GetChannelMemberCountError.INVALID_ARGUMENT;
    if (!Array.isArray(f.ids))
      throw new Reject(code, 'channelIds: must be an array of channel ids');
    if (f.ids.length > Limits.maxMemberCountChannels)
      throw new Reject(
        GetChannelMemberCountError.EXCEED_LIMIT,
        `channelIds: ${f.ids.length} ids; the limit is ${Limits.maxMemberCountChannels} per call`,
      );
    const frame: MemberCountReq = { t: 'mcount', i, ids: f.ids.map((c) => channelId(c, code)) };
    if (signalingFlag(f.sig, code)) frame.sig = true;
    return frame;
  },
  uattr: (f, i) => ({ t: 'uattr', i, ...writeOp(f, Limits.maxUserAttributes) }),
  'uattr.get'(f, i) {
    if (!isValidId(f.u))
      throw new Reject(AttributeOperationError.INVALID_ARGUMENT, `userId: must be ${ID_RULE}`);
    return f.keys === undefined
      ? { t: 'uattr.get', i, u: f.u }
      : {
          t: 'uattr.get',
          i,
          u: f.u,
          keys: keyList(f.keys, 'attributeKeys', Limits.maxUserAttributes),
        };
  },
  cattr(f, i) {
    const c = channelId(f.c, AttributeOperationError.INVALID_ARGUMENT);
    if (f.notify !== undefined && typeof f.notify !== 'boolean')
      throw new Reject(
        AttributeOperationError.INVALID_ARGUMENT,
        'options.enableNotificationToChannelMembers: must be a boolean',
      );
    return {
      t: 'cattr',
      i,
      c,
      ...writeOp(f, Limits.maxChannelAttributes),
      notify: f.notify === true,
    };
  },
  'cattr.get'(f, i) {
    const c = channelId(f.c, AttributeOperationError.INVALID_ARGUMENT);
    return f.keys === undefined
      ? { t: 'cattr.get', i, c }
      : {
          t: 'cattr.get',
          i,
          c,
          keys: keyList(f.keys, 'attributeKeys', Limits.maxChannelAttributes),
        };
  },
};
