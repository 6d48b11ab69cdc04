/** Shared inputs for the token tests (the app id / certificate are the reference tests' own). */
import { deflateSync, inflateSync } from 'node:zlib';
import type { TokenCheck, VerifyOptions } from '../src/index.js';

export const APP_ID = '970CA35de60c44645bbae8a215061b33';
export const APP_CERT = '5CFd2fd1755d40ecb72977518be15d3b';
export const OTHER_APP_ID = '0123456789abcdef0123456789abcdef';
export const OTHER_APP_CERT = 'fedcba9876543210fedcba9876543210';
export const UID = 'test_user';
export const OTHER_UID = 'someone_else';

/** A fixed "now" (2023-11-14T22:13:20Z) used as issue time. */
export const NOW = 1_700_000_000;

/** Returns a copy of `bytes` with one byte XOR-ed with 0x01. */
export function flipByte(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

/** Splits a 006 token into its prefix ("006" + 32-char app id) and decoded content. */
export function split006(token: string): { prefix: string; content: Buffer } {
  return { prefix: token.slice(0, 35), content: Buffer.from(token.slice(35), 'base64') };
}

export function join006(prefix: string, content: Buffer): string {
  return prefix + content.toString('base64');
}

/** Decodes a 007 token to its inflated content (signature + signing info). */
export function inflate007(token: string): Buffer {
  return inflateSync(Buffer.from(token.slice(3), 'base64'));
}

export function deflate007(content: Buffer): string {
  return '007' + deflateSync(content).toString('base64');
}

/** Verification options for APP_ID / APP_CERT / UID at NOW, with overrides. */
export function verifyOpts(extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return { appId: APP_ID, appCertificate: APP_CERT, uid: UID, nowSec: NOW, ...extra };
}

/** 'ok' or the failure reason, for compact assertions. */
export function reasonOf(result: TokenCheck): string {
  return result.ok ? 'ok' : result.reason;
}
