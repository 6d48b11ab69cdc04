/** Attribute shapes of agora-rtm-sdk 1.x and the requests that read and write them. */
import { AttributeOperationError } from '@parley/protocol';
import type { Connection } from './connection.js';

export interface AttributesMap {
  [key: string]: string;
}
export interface ChannelAttributeProperties {
  value: string;
  lastUpdateUserId: string;
  lastUpdateTs: number;
}
export interface ChannelAttributes {
  [key: string]: ChannelAttributeProperties;
}
export interface ChannelAttributeOptions {
  enableNotificationToChannelMembers?: boolean;
}

export type WriteOp = 'set' | 'add' | 'del' | 'clear';

/** Writes the local user's attributes. */
export function writeUserAttributes(
  c: Connection,
  method: string,
  op: WriteOp,
  attrs?: AttributesMap,
  keys?: string[],
): Promise<void> {
  const frame: Record<string, unknown> = { t: 'uattr', op };
  if (attrs !== undefined) frame.attrs = attrs;
  if (keys !== undefined) frame.keys = keys;
  return c.request('attributes', `RtmClient.${method}`, frame, AttributeOperationError.TIMEOUT);
}

export async function readUserAttributes(
  c: Connection,
  method: string,
  uid: string,
  keys?: string[],
): Promise<AttributesMap> {
  const frame: Record<string, unknown> = { t: 'uattr.get', u: uid };
  if (keys !== undefined) frame.keys = keys;
  const r = await c.request<{ attrs: AttributesMap }>(
    'attributes',
    `RtmClient.${method}`,
    frame,
    AttributeOperationError.TIMEOUT,
  );
  return r.attrs;
}

export function writeChannelAttributes(
  c: Connection,
  method: string,
  channelId: string,
  op: WriteOp,
  options: ChannelAttributeOptions | undefined,
  attrs?: AttributesMap,
  keys?: string[],
): Promise<void> {
  const frame: Record<string, unknown> = {
    t: 'cattr',
    c: channelId,
    op,
    notify: options?.enableNotificationToChannelMembers === true,
  };
  if (attrs !== undefined) frame.attrs = attrs;
  if (keys !== undefined) frame.keys = keys;
  return c.request('attributes', `RtmClient.${method}`, frame, AttributeOperationError.TIMEOUT);
}

export async function readChannelAttributes(
  c: Connection,
  method: string,
  channelId: string,
  keys?: string[],
): Promise<ChannelAttributes> {
  const frame: Record<string, unknown> = { t: 'cattr.get', c: channelId };
  if (keys !== undefined) frame.keys = keys;
  const r = await c.request<{ attrs: ChannelAttributes }>(
    'attributes',
    `RtmClient.${method}`,
    frame,
    AttributeOperationError.TIMEOUT,
  );
  return r.attrs;
}
