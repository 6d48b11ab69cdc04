/**
 * AccessToken "006", as produced by agora-access-token's `AccessToken` class.
 *
 *   token   = "006" + appId + base64(content)
 *   content = bytes(signature) uint32(crc32(channelName)) uint32(crc32(uid)) bytes(message)
 *   message = uint32(salt) uint32(ts) uint32Map(privilege → expire timestamp)
 *   signature = HMAC-SHA256(key = appCertificate, appId + channelName + uid + message)
 *
 * `ts` is the token's own expiry (issue time + 24h in the reference builder); each privilege
 * carries its own absolute expiry timestamp, 0 meaning "never".
 *
 * The RTM builder (`RtmTokenBuilder.buildToken`) puts the user account in the *channel name*
 * slot and leaves the uid empty, with the single privilege kRtmLogin.
 */
import { randomInt } from 'node:crypto';
import { ByteReader, ByteWriter, decodeBase64Strict, isUint32 } from './bytes.js';
import { crc32 } from './crc32.js';
import { hmacSha256 } from './digest.js';

export const VERSION_006 = '006';

/** The length of an Agora app id, which the reference parser assumes. */
const STANDARD_APP_ID_LENGTH = 32;

/** Privilege keys of the 006 privileges map (names from the reference implementation). */
export const Privilege006 = {
  joinChannel: 1,
  publishAudioStream: 2,
  publishVideoStream: 3,
  publishDataStream: 4,
  publishAudioCdn: 5,
  publishVideoCdn: 6,
  requestPublishAudioStream: 7,
  requestPublishVideoStream: 8,
  requestPublishDataStream: 9,
  invitePublishAudioStream: 10,
  invitePublishVideoStream: 11,
  invitePublishDataStream: 12,
  administrateChannel: 101,
  rtmLogin: 1000,
} as const;

export interface AccessToken006 {
  readonly appId: string;
  readonly signature: Buffer;
  /** CRC-32 of the channel name (of the user account, for RTM tokens). Not signed. */
  readonly crcChannelName: number;
  /** CRC-32 of the uid (of "", for RTM tokens). Not signed. */
  readonly crcUid: number;
  readonly salt: number;
  /** The token's own expiry, unix seconds; 0 = none. */
  readonly ts: number;
  /** privilege key → expiry in unix seconds (0 = never). */
  readonly privileges: ReadonlyMap<number, number>;
  /** The packed (salt, ts, privileges) message: the signed part of the content. */
  readonly message: Buffer;
}

interface Fields006 {
  appId: string;
  appCertificate: string;
  channelName: string;
  uid: string;
  salt: number;
  ts: number;
  privileges: ReadonlyMap<number, number>;
}

export function signature006(
  appCertificate: string,
  appId: string,
  channelName: string,
  uid: string,
  message: Uint8Array,
): Buffer {
  const signed = Buffer.concat([Buffer.from(appId + channelName + uid, 'utf8'), message]);
  return hmacSha256(appCertificate, signed);
}

function pack006(fields: Fields006): string {
  const message = new ByteWriter()
    .uint32(fields.salt)
    .uint32(fields.ts)
    .uint32Map(fields.privileges)
    .toBuffer();
  const signature = signature006(
    fields.appCertificate,
    fields.appId,
    fields.channelName,
    fields.uid,
    message,
  );
  const content = new ByteWriter()
    .bytes(signature)
    .uint32(crc32(fields.channelName))
    .uint32(crc32(fields.uid))
    .bytes(message)
    .toBuffer();
  return VERSION_006 + fields.appId + content.toString('base64');
}

/**
 * Builds the same token as agora-access-token's
 * `RtmTokenBuilder.buildToken(appId, appCertificate, uid, role, privilegeExpireTs)`.
 * `salt` defaults to a random uint32 and `ts` to now + 24h, as in the reference builder.
 * Throws TypeError / RangeError for arguments that cannot be encoded.
 */
export function buildRtmToken006(
  appId: string,
  appCertificate: string,
  uid: string,
  privilegeExpireTs: number,
  opts: { salt?: number; ts?: number } = {},
): string {
  if (typeof appId !== 'string' || appId.length === 0) {
    throw new TypeError('appId must be a non-empty string');
  }
  if (typeof appCertificate !== 'string') throw new TypeError('appCertificate must be a string');
  if (typeof uid !== 'string') throw new TypeError('uid must be a string');
  const salt = opts.salt ?? randomInt(0, 0xffffffff);
  const ts = opts.ts ?? Math.floor(Date.now() / 1000) + 24 * 3600;
  for (const [name, value] of [
    ['privilegeExpireTs', privilegeExpireTs],
    ['salt', salt],
    ['ts', ts],
  ] as const) {
    if (!isUint32(value)) throw new RangeError(`${name} must be a uint32, got ${value}`);
  }
  return pack006({
    appId,
    appCertificate,
    channelName: uid,
    uid: '',
    salt,
    ts,
    privileges: new Map([[Privilege006.rtmLogin, privilegeExpireTs]]),
  });
}

function decodeContent(appId: string, encoded: string): AccessToken006 | null {
  const content = decodeBase64Strict(encoded);
  if (content === null) return null;
  try {
    const outer = new ByteReader(content);
    const signature = outer.bytes();
    const crcChannelName = outer.uint32();
    const crcUid = outer.uint32();
    const message = outer.bytes();
    if (outer.remaining !== 0) return null;

    const inner = new ByteReader(message);
    const salt = inner.uint32();
    const ts = inner.uint32();
    const privileges = inner.uint32Map();
    if (inner.remaining !== 0) return null;

    return { appId, signature, crcChannelName, crcUid, salt, ts, privileges, message };
  } catch {
    return null;
  }
}

/**
 * Parses a 006 token without checking its signature; null when it is not well formed.
 *
 * The app id has no length prefix. The reference parser assumes Agora's 32 characters; when
 * `expectedAppId` is given and the token starts with it, that split is tried first so app ids
 * of other lengths work too.
 */
export function parseAccessToken006(token: string, expectedAppId?: string): AccessToken006 | null {
  if (typeof token !== 'string' || !token.startsWith(VERSION_006)) return null;
  const body = token.slice(VERSION_006.length);
  const appIdLengths: number[] = [];
  if (expectedAppId && body.startsWith(expectedAppId)) appIdLengths.push(expectedAppId.length);
  if (!appIdLengths.includes(STANDARD_APP_ID_LENGTH)) appIdLengths.push(STANDARD_APP_ID_LENGTH);
  for (const length of appIdLengths) {
    if (body.length <= length) continue;
    const parsed = decodeContent(body.slice(0, length), body.slice(length));
    if (parsed) return parsed;
  }
  return null;
}
