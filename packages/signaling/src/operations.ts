/**
 * The Signaling operations that map onto one or two RTM calls, shared by the session's methods
 * (`setAttr`, `channelSetAttr`, …) and `invoke('io.agora.signal.…')`.
 */
import type { AttributesMap, ParleyExtensions, RtmClient } from '@parley/sdk';
import { AttributeOperationError } from '@parley/protocol';

/** Signaling's channel attribute writes always reach every member (`onChannelAttrUpdated`). */
const NOTIFY = { enableNotificationToChannelMembers: true };

/** USER_NOT_FOUND: the user is offline, so has no attributes. */
function userGone(e: unknown): boolean {
  const err = e as { api?: unknown; code?: unknown };
  return err.api === 'attributes' && err.code === AttributeOperationError.USER_NOT_FOUND;
}

/** Empty (or no) value deletes: RTM attributes cannot hold an empty string, Signaling's could be unset. */
function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** Sent at once, on the server's Signaling query window (not RTM's 10 calls per 5 s). */
export async function queryOnline(ext: ParleyExtensions, account: string): Promise<boolean> {
  const r = await ext.signalingPeersOnline([account]);
  return r[account] === true;
}

export function setUserAttr(client: RtmClient, name: string, value: unknown): Promise<void> {
  if (isUnset(value)) return client.deleteLocalUserAttributesByKeys([name]);
  return client.addOrUpdateLocalUserAttributes({ [name]: String(value) });
}

/** One attribute of a user ('' when unset or when the user is offline). */
export async function getUserAttr(
  client: RtmClient,
  account: string,
  name: string,
): Promise<string> {
  try {
    const attrs = await client.getUserAttributesByKeys(account, [name]);
    return attrs[name] ?? '';
  } catch (e) {
    if (userGone(e)) return '';
    throw e;
  }
}

/** Every attribute of a user ({} when the user is offline). */
export async function getUserAttrAll(client: RtmClient, account: string): Promise<AttributesMap> {
  try {
    return await client.getUserAttributes(account);
  } catch (e) {
    if (userGone(e)) return {};
    throw e;
  }
}

export function setChannelAttr(
  client: RtmClient,
  channel: string,
  name: string,
  value: unknown,
): Promise<void> {
  if (isUnset(value)) return delChannelAttr(client, channel, name);
  return client.addOrUpdateChannelAttributes(channel, { [name]: String(value) }, NOTIFY);
}

export function delChannelAttr(client: RtmClient, channel: string, name: string): Promise<void> {
  return client.deleteChannelAttributesByKeys(channel, [name], NOTIFY);
}

export function clearChannelAttr(client: RtmClient, channel: string): Promise<void> {
  return client.clearChannelAttributes(channel, NOTIFY);
}
