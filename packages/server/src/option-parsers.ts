/**
 * The pieces of the option table (options.ts): an option's shape, the parsers of its raw text,
 * and the helper that builds an entry.
 */
import type { AppConfig, RestKey, ServerConfig } from './config.js';

export type Key = keyof ServerConfig;

/** Turns an env or flag value into the option's value; throws naming `name` when it is bad. */
export type Parser<T> = (raw: string, name: string) => T;

export interface Option<K extends Key> {
  readonly key: K;
  readonly env: string;
  /** `--kebab-case`. */
  readonly flag: string;
  readonly parse: Parser<ServerConfig[K]>;
  readonly doc: string;
}

export type AnyOption = { [K in Key]: Option<K> }[Key];

export const int: Parser<number> = (raw, name) => {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isSafeInteger(n) || n < 0)
    throw new Error(`${name}: "${raw}" is not a non-negative integer`);
  return n;
};
export const text: Parser<string> = (raw) => raw;
export const optionalText: Parser<string | undefined> = (raw) => (raw === '' ? undefined : raw);
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const level: Parser<string> = (raw, name) => {
  if (!LEVELS.includes(raw)) throw new Error(`${name}: "${raw}" is not one of ${LEVELS.join(' ')}`);
  return raw;
};
export const apps: Parser<AppConfig[]> = (raw, name) =>
  splitList(raw).map((entry) => {
    const [appId, appCertificate] = entry.split(':', 2);
    if (!appId) throw new Error(`${name}: empty appId in "${entry}"`);
    return appCertificate ? { appId, appCertificate } : { appId };
  });
export const keys: Parser<RestKey[]> = (raw, name) =>
  splitList(raw).map((entry) => {
    const i = entry.indexOf(':');
    if (i <= 0 || i === entry.length - 1) throw new Error(`${name}: "${entry}" is not key:secret`);
    return { key: entry.slice(0, i), secret: entry.slice(i + 1) };
  });

export function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function o<K extends Key>(
  key: K,
  env: string,
  flag: string,
  parse: Parser<ServerConfig[K]>,
  doc: string,
): Option<K> {
  return { key, env, flag, parse, doc };
}
