/**
 * Which server events become webhook notices, their `eventType` numbers and their payloads.
 * Numbers follow Agora Notifications' RTC channel events (101 channel create … 104 leave): one
 * hundred block for this product, a number per event; the README has the table.
 */
import type { WireMessage } from '@parley/protocol';
import type { ServerEvent } from '../events.js';

/** `productId` of Parley's notices (Agora's RTC channel events use 1). */
export const PRODUCT_ID = 11;

export const WEBHOOK_EVENT_TYPES = {
  login: 101,
  logout: 102,
  join: 103,
  leave: 104,
  'peer.message': 105,
  'channel.message': 106,
  'channel.attributes': 107,
} as const;

export type WebhookEventName = keyof typeof WEBHOOK_EVENT_TYPES;

export const WEBHOOK_EVENT_NAMES = Object.keys(WEBHOOK_EVENT_TYPES) as WebhookEventName[];

/** A notice before it is queued: its app, type number and payload. */
export interface NoticeContent {
  app: string;
  eventType: number;
  payload: Record<string, unknown>;
}

function message(m: WireMessage): Record<string, string> {
  if (m.k === 'T') return { messageType: 'TEXT', text: m.x };
  return m.d === undefined
    ? { messageType: 'RAW', rawMessage: m.b }
    : { messageType: 'RAW', rawMessage: m.b, description: m.d };
}

/** The notice of a server event, or undefined when the event is not one that is sent. */
export function noticeOf(e: ServerEvent): NoticeContent | undefined {
  const { app, ts } = e;
  switch (e.type) {
    case 'login':
      return {
        app,
        eventType: WEBHOOK_EVENT_TYPES.login,
        payload: { userId: e.uid, sessionId: e.sid, node: e.node, ts },
      };
    case 'logout':
      return {
        app,
        eventType: WEBHOOK_EVENT_TYPES.logout,
        payload: { userId: e.uid, sessionId: e.sid, node: e.node, reason: e.reason, ts },
      };
    case 'join':
    case 'leave':
      return {
        app,
        eventType: WEBHOOK_EVENT_TYPES[e.type],
        payload: { channelName: e.channel, userId: e.uid, memberCount: e.count, ts },
      };
    case 'peer.message':
      return {
        app,
        eventType: WEBHOOK_EVENT_TYPES['peer.message'],
        payload: {
          messageId: e.mid,
          from: e.from,
          to: e.to,
          ...message(e.message),
          source: e.source,
          outcome: e.outcome,
          serverReceivedTs: e.sentTs,
          ts,
        },
      };
    case 'channel.message':
      return {
        app,
        eventType: WEBHOOK_EVENT_TYPES['channel.message'],
        payload: {
          channelName: e.channel,
          from: e.from,
          ...message(e.message),
          source: e.source,
          ts,
        },
      };
    case 'attributes.changed':
      if (e.owner !== 'channel') return undefined;
      return {
        app,
        eventType: WEBHOOK_EVENT_TYPES['channel.attributes'],
        payload: {
          channelName: e.id,
          updatedBy: e.by,
          attributes: Object.fromEntries(e.attributes),
          ts,
        },
      };
    default:
      return undefined;
  }
}

/** The server event types a webhook event name listens to. */
export const SOURCE_EVENT: Readonly<Record<WebhookEventName, ServerEvent['type']>> = {
  login: 'login',
  logout: 'logout',
  join: 'join',
  leave: 'leave',
  'peer.message': 'peer.message',
  'channel.message': 'channel.message',
  'channel.attributes': 'attributes.changed',
};
