/** Validators of the metadata requests (see metadata-frames.ts). */
import { utf8Length } from './codec.js';
import { MetadataOperationError, MetadataSubscriptionError } from './errors.js';
import { ID_RULE, isValidId } from './ids.js';
import { Limits } from './limits.js';
import { Reject, type Validator } from './validation.js';

const KEY_PATTERN = /^[\x21-\x7e]+$/;
const OPS = ['set', 'add', 'update', 'delete', 'clear'];

function revision(value: unknown, field: string): number {
  if (value === undefined) return -1;
  if (!Number.isSafeInteger(value) || (value as number) < -1)
    throw new Reject(
      MetadataOperationError.INVALID_ARGUMENT,
      `${field}: must be an integer >= -1 (-1 = no check)`,
    );
  return value as number;
}

function owner(f: Record<string, unknown>): { o: 'u' | 'c'; id?: string } {
  if (f.o === 'u') return { o: 'u' };
  if (f.o === 'c') {
    if (!isValidId(f.id))
      throw new Reject(MetadataOperationError.INVALID_ARGUMENT, `channelId: must be ${ID_RULE}`);
    return { o: 'c', id: f.id };
  }
  throw new Reject(MetadataOperationError.INVALID_ARGUMENT, "owner: must be 'u' or 'c'");
}

export const metadataValidators: Record<string, Validator> = {
  meta(f, i) {
    const code = MetadataOperationError.INVALID_ARGUMENT;
    const who = owner(f);
    if (typeof f.op !== 'string' || !OPS.includes(f.op))
      throw new Reject(code, `op: must be one of ${OPS.join(', ')}`);
    const op = f.op as 'set' | 'add' | 'update' | 'delete' | 'clear';
    const raw = f.items === undefined ? [] : f.items;
    if (!Array.isArray(raw)) throw new Reject(code, 'items: must be an array of metadata items');
    if (raw.length > Limits.maxMetadataItems)
      throw new Reject(
        MetadataOperationError.SIZE_OVERFLOW,
        `items: ${raw.length} items; the limit is ${Limits.maxMetadataItems}`,
      );
    const items = raw.map((item: unknown, n) => {
      const it = (typeof item === 'object' && item !== null ? item : {}) as {
        k?: unknown;
        v?: unknown;
        r?: unknown;
      };
      if (
        typeof it.k !== 'string' ||
        it.k === '' ||
        !KEY_PATTERN.test(it.k) ||
        it.k.length > Limits.maxMetadataKeyBytes
      )
        throw new Reject(
          code,
          `items[${n}].key: must be 1-${Limits.maxMetadataKeyBytes} visible ASCII characters`,
        );
      const v = it.v === undefined || it.v === null ? '' : it.v;
      if (typeof v !== 'string') throw new Reject(code, `items[${n}].value: must be a string`);
      const bytes = utf8Length(v);
      if (bytes > Limits.maxMetadataValueBytes)
        throw new Reject(
          MetadataOperationError.SIZE_OVERFLOW,
          `items[${n}].value: ${bytes} bytes; the limit is ${Limits.maxMetadataValueBytes}`,
        );
      return { k: it.k, v, r: revision(it.r, `items[${n}].revision`) };
    });
    if (new Set(items.map((x) => x.k)).size !== items.length)
      throw new Reject(code, 'items: a key appears twice');
    if (op !== 'clear' && op !== 'delete' && items.length === 0)
      throw new Reject(code, 'items: must not be empty');
    if (f.rts !== undefined && typeof f.rts !== 'boolean')
      throw new Reject(code, 'options.enableRecordTs: must be a boolean');
    if (f.ruid !== undefined && typeof f.ruid !== 'boolean')
      throw new Reject(code, 'options.enableRecordUserId: must be a boolean');
    return {
      t: 'meta',
      i,
      ...who,
      op,
      items,
      mr: revision(f.mr, 'options.majorRevision'),
      rts: f.rts === true,
      ruid: f.ruid === true,
    };
  },
  'meta.get'(f, i) {
    if (f.o === 'u') {
      if (!isValidId(f.id))
        throw new Reject(MetadataOperationError.INVALID_USER_ID, `userId: must be ${ID_RULE}`);
      return { t: 'meta.get', i, o: 'u', id: f.id };
    }
    const who = owner(f);
    return { t: 'meta.get', i, o: who.o, id: who.id! };
  },
  'meta.sub'(f, i) {
    if (!isValidId(f.u))
      throw new Reject(MetadataSubscriptionError.INVALID_ARGUMENT, `userId: must be ${ID_RULE}`);
    return { t: 'meta.sub', i, u: f.u };
  },
  'meta.unsub'(f, i) {
    if (!isValidId(f.u))
      throw new Reject(MetadataSubscriptionError.INVALID_ARGUMENT, `userId: must be ${ID_RULE}`);
    return { t: 'meta.unsub', i, u: f.u };
  },
};
