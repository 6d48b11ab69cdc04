/** Checks of REST parameters: each throws a 400 naming the field and the rule it breaks. */
import { ID_RULE, Limits, isValidId, utf8Length } from '@parley/protocol';
import { badRequest } from './answers.js';

/** A user or channel id by the RTM rules. */
export function id(value: unknown, field: string): string {
  if (!isValidId(value)) throw badRequest(`${field}: must be ${ID_RULE}`);
  return value;
}

export function optionalBoolean(value: unknown, field: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw badRequest(`${field}: must be true or false`);
  return value;
}

/** A message text: non-empty, at most 32 KB of UTF-8. */
export function payload(value: unknown, field = 'payload'): string {
  if (typeof value !== 'string' || value === '')
    throw badRequest(`${field}: must be a non-empty string`);
  const bytes = utf8Length(value);
  if (bytes > Limits.maxMessageBytes)
    throw badRequest(`${field}: ${bytes} bytes; the limit is ${Limits.maxMessageBytes} bytes`);
  return value;
}

/** An integer from a query string or a body, within [min, max], or `fallback` when absent. */
export function integer(
  value: unknown,
  field: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max)
    throw badRequest(`${field}: must be an integer from ${min} to ${max}`);
  return n;
}

/** `true` / `false` from a query string, or `fallback` when absent. */
export function queryBoolean(value: string | null, field: string, fallback: boolean): boolean {
  if (value === null) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest(`${field}: must be true or false`);
}

/** An array of ids, at most `max`. */
export function idArray(value: unknown, field: string, max: number): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw badRequest(`${field}: must be a non-empty array of ids`);
  if (value.length > max)
    throw badRequest(`${field}: ${value.length} ids; the limit is ${max} per call`);
  return value.map((v, k) => id(v, `${field}[${k}]`));
}
