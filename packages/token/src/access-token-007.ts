/**
 * AccessToken2 "007", as produced by agora-token's `AccessToken2` class.
 *
 *   token        = "007" + base64(deflate(bytes(signature) + signingInfo))
 *   signingInfo  = string(appId) uint32(issueTs) uint32(expire) uint32(salt) uint16(count) services…
 *   service      = uint16(type) uint32Map(privilege → expire) type-specific fields
 *   signingKey   = HMAC(key = uint32(salt), HMAC(key = uint32(issueTs), appCertificate))
 *   signature    = HMAC-SHA256(signingKey, signingInfo)
 *
 * `expire` and the privilege values are durations in seconds counted from `issueTs`.
 * Services are packed in ascending type order. A service has no length prefix, so a service
 * type this module does not know stops decoding (the signature still covers every byte).
 */
import { randomInt } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { ByteReader, ByteWriter, decodeBase64Strict, isUint32 } from './bytes.js';
import { hmacSha256 } from './digest.js';
import { zlibInflate } from './inflate.js';

export const VERSION_007 = '007';

export const ServiceType007 = {
  rtc: 1,
  rtm: 2,
  streaming: 3,
  fpa: 4,
  chat: 5,
  fcdn: 6,
  apaas: 7,
  rtm2: 8,
  convoAi: 9,
  stt: 10,
} as const;

/** The login privilege key of both the RTM (2) and RTM2 (8) services. */
export const RTM_LOGIN_PRIVILEGE_007 = 1;

/** Upper bound on the inflated token size, so a tiny token cannot inflate into a huge buffer. */
const MAX_INFLATED_BYTES = 64 * 1024;

export interface Service007 {
  readonly type: number;
  /** privilege key → duration in seconds from the token's issueTs (0 = no limit). */
  readonly privileges: ReadonlyMap<number, number>;
  /** The user id of RTM and RTM2 services. */
  readonly userId?: string;
}

export interface AccessToken007 {
  readonly signature: Buffer;
  /** Every byte after the signature: what the signature covers. */
  readonly signingInfo: Buffer;
  readonly appId: string;
  readonly issueTs: number;
  /** Token lifetime in seconds from issueTs. */
  readonly expire: number;
  readonly salt: number;
  /** The services decoded, in token order. */
  readonly services: readonly Service007[];
  /** How many declared services were left undecoded because an unknown type came first. */
  readonly undecodedServices: number;
}

export function signingKey007(appCertificate: string, issueTs: number, salt: number): Buffer {
  const first = hmacSha256(uint32Bytes(issueTs), appCertificate);
  return hmacSha256(uint32Bytes(salt), first);
}

function uint32Bytes(value: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(value);
  return b;
}

export function signature007(
  appCertificate: string,
  issueTs: number,
  salt: number,
  signingInfo: Uint8Array,
): Buffer {
  return hmacSha256(signingKey007(appCertificate, issueTs, salt), signingInfo);
}

/**
 * Builds the same token as agora-token's `RtmTokenBuilder.buildToken(appId, appCertificate,
 * uid, expireSeconds)`: one RTM service (type 2) whose login privilege lasts `expireSeconds`,
 * like the token itself. `salt` defaults to a random integer in [1, 99999999] and `issueTs`
 * to now, as in the reference builder. Unlike the reference (which returns "" unless appId and
 * appCertificate are 32 hex digits), any app id / certificate string is accepted.
 * Throws TypeError / RangeError for arguments that cannot be encoded.
 */
export function buildRtmToken007(
  appId: string,
  appCertificate: string,
  uid: string,
  expireSeconds: number,
  opts: { salt?: number; issueTs?: number } = {},
): string {
  if (typeof appId !== 'string' || appId.length === 0) {
    throw new TypeError('appId must be a non-empty string');
  }
  if (typeof appCertificate !== 'string') throw new TypeError('appCertificate must be a string');
  if (typeof uid !== 'string') throw new TypeError('uid must be a string');
  const salt = opts.salt ?? randomInt(1, 100_000_000);
  const issueTs = opts.issueTs ?? Math.floor(Date.now() / 1000);
  for (const [name, value] of [
    ['expireSeconds', expireSeconds],
    ['salt', salt],
    ['issueTs', issueTs],
  ] as const) {
    if (!isUint32(value)) throw new RangeError(`${name} must be a uint32, got ${value}`);
  }

  const signingInfo = new ByteWriter()
    .string(appId)
    .uint32(issueTs)
    .uint32(expireSeconds)
    .uint32(salt)
    .uint16(1)
    .uint16(ServiceType007.rtm)
    .uint32Map(new Map([[RTM_LOGIN_PRIVILEGE_007, expireSeconds]]))
    .string(uid)
    .toBuffer();
  const signature = signature007(appCertificate, issueTs, salt, signingInfo);
  const content = new ByteWriter().bytes(signature).raw(signingInfo).toBuffer();
  return VERSION_007 + deflateSync(content).toString('base64');
}

/** Reads the fields that follow a service's privileges; null for an unknown service type. */
function readServiceFields(type: number, reader: ByteReader): { userId?: string } | null {
  switch (type) {
    case ServiceType007.fpa:
    case ServiceType007.convoAi:
    case ServiceType007.stt:
      return {};
    case ServiceType007.rtm:
      return { userId: reader.string() };
    case ServiceType007.chat:
      reader.bytes(); // user id
      return {};
    case ServiceType007.rtc:
    case ServiceType007.streaming:
    case ServiceType007.fcdn:
      reader.bytes(); // channel name
      reader.bytes(); // uid / account
      return {};
    case ServiceType007.apaas:
      reader.bytes(); // room uuid
      reader.bytes(); // user uuid
      reader.uint16(); // role (int16)
      return {};
    case ServiceType007.rtm2: {
      const userId = reader.string();
      const resourceTypes = reader.uint16();
      for (let i = 0; i < resourceTypes; i++) {
        reader.uint16(); // resource type
        const permissionTypes = reader.uint16();
        for (let j = 0; j < permissionTypes; j++) {
          reader.uint16(); // permission type
          const resources = reader.uint16();
          for (let k = 0; k < resources; k++) reader.bytes();
        }
      }
      return { userId };
    }
    default:
      return null;
  }
}

/** Parses a 007 token without checking its signature; null when it is not well formed. */
export function parseAccessToken007(token: string): AccessToken007 | null {
  if (typeof token !== 'string' || !token.startsWith(VERSION_007)) return null;
  const compressed = decodeBase64Strict(token.slice(VERSION_007.length));
  if (compressed === null || compressed.length === 0) return null;
  try {
    const content = zlibInflate(compressed, MAX_INFLATED_BYTES);
    const outer = new ByteReader(content);
    const signature = outer.bytes();
    const signingInfo = outer.rest();

    const reader = new ByteReader(signingInfo);
    const appId = reader.string();
    const issueTs = reader.uint32();
    const expire = reader.uint32();
    const salt = reader.uint32();
    const count = reader.uint16();
    const services: Service007[] = [];
    for (let i = 0; i < count; i++) {
      const type = reader.uint16();
      const privileges = reader.uint32Map();
      const fields = readServiceFields(type, reader);
      if (fields === null) break;
      services.push({ type, privileges, ...fields });
    }
    const undecodedServices = count - services.length;
    return { signature, signingInfo, appId, issueTs, expire, salt, services, undecodedServices };
  } catch {
    return null;
  }
}
