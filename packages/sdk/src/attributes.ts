/**
 * Attributes: the key-value attributes of agora-rtm-sdk 1.x, the local user's (set again when
 * the server lost the session) and any channel's, and their shapes.
 */
import type { RequestBody } from '@parley/protocol';
import type { State } from './connection.js';
import type { ClientFeature, FeatureHost } from './feature.js';
import { apiCall, type ApiCall } from './requests.js';

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

/** set: replace all; add: add or update; del: the keys; clear: all. */
export type WriteOp = 'set' | 'add' | 'del' | 'clear';

function call(method: string): ApiCall {
  return apiCall(`RtmClient.${method}`, 'attributes');
}

/** `keys`, present only when given. */
function only(keys: string[] | undefined): { keys?: string[] } {
  return keys !== undefined ? { keys } : {};
}

/** The optional fields of a write, present only when given. */
function content(
  attrs: AttributesMap | undefined,
  keys: string[] | undefined,
): { attrs?: AttributesMap; keys?: string[] } {
  return { ...(attrs !== undefined ? { attrs } : {}), ...only(keys) };
}

export class Attributes implements ClientFeature<never> {
  readonly pushes = [] as const;
  /** The local user's attributes as last written, written again when the server lost the session. */
  private local = new Map<string, string>();

  constructor(private readonly host: FeatureHost) {}

  async writeUser(
    method: string,
    op: WriteOp,
    attrs?: AttributesMap,
    keys?: string[],
  ): Promise<void> {
    const body = { t: 'uattr', op, ...content(attrs, keys) } satisfies RequestBody<'uattr'>;
    await this.host.connection.request(call(method), body);
    // The server took the write, so attrs and keys are what it checked them to be.
    if (op === 'set' || op === 'clear') this.local.clear();
    for (const [k, v] of Object.entries(attrs ?? {})) this.local.set(k, v);
    for (const k of keys ?? []) this.local.delete(k);
  }

  async readUser(method: string, uid: string, keys?: string[]): Promise<AttributesMap> {
    const body = { t: 'uattr.get', u: uid, ...only(keys) } satisfies RequestBody<'uattr.get'>;
    return (await this.host.connection.request(call(method), body)).attrs;
  }

  async writeChannel(
    method: string,
    channelId: string,
    op: WriteOp,
    options: ChannelAttributeOptions | undefined,
    attrs?: AttributesMap,
    keys?: string[],
  ): Promise<void> {
    const notify = options?.enableNotificationToChannelMembers === true;
    const body = {
      t: 'cattr',
      c: channelId,
      op,
      notify,
      ...content(attrs, keys),
    } satisfies RequestBody<'cattr'>;
    await this.host.connection.request(call(method), body);
  }

  async readChannel(
    method: string,
    channelId: string,
    keys?: string[],
  ): Promise<ChannelAttributes> {
    const body = { t: 'cattr.get', c: channelId, ...only(keys) } satisfies RequestBody<'cattr.get'>;
    return (await this.host.connection.request(call(method), body)).attrs;
  }

  sessionRenewed(): void {
    if (this.local.size === 0) return;
    const attrs = Object.fromEntries(this.local);
    this.writeUser('setLocalUserAttributes', 'set', attrs).catch(() => undefined);
  }

  stateChanged(state: State): void {
    if (state === 'DISCONNECTED') this.local.clear();
  }
}
