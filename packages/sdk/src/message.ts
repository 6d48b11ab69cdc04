/** RtmMessage ↔ wire message conversions. */
import { base64ToBytes, bytesToBase64, type WireMessage } from '@parley/protocol';

export interface RtmTextMessage {
  text: string;
  messageType?: 'TEXT';
  rawMessage?: never;
  description?: never;
}

export interface RtmRawMessage {
  rawMessage: Uint8Array;
  description?: string;
  messageType?: 'RAW';
  text?: never;
}

export type RtmMessage = RtmTextMessage | RtmRawMessage;

/** Properties of a received message. `isOfflineMessage` is the 1.2.x field, kept for old apps. */
export interface ReceivedMessageProperties {
  serverReceivedTs: number;
  isOfflineMessage?: boolean;
}

/** 1.2.x `sendMessageToPeer` options. */
export interface SendMessageOptions {
  enableOfflineMessaging?: boolean;
  /** Keep a text message in the server's history (Agora's REST history queries). */
  enableHistoricalMessaging?: boolean;
}

/** 1.x `RtmChannel.sendMessage` options. */
export interface ChannelMessageOptions {
  /** Keep a text message in the server's history (Agora's REST history queries). */
  enableHistoricalMessaging?: boolean;
}

/** Answers the wire form, or undefined when `message` is neither a text nor a raw message. */
export function toWire(message: unknown): WireMessage | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as {
    text?: unknown;
    rawMessage?: unknown;
    description?: unknown;
    messageType?: unknown;
  };
  if (m.rawMessage instanceof Uint8Array && m.messageType !== 'TEXT') {
    const out: WireMessage = { k: 'R', b: bytesToBase64(m.rawMessage) };
    if (typeof m.description === 'string' && m.description !== '') out.d = m.description;
    return out;
  }
  if (typeof m.text === 'string' && m.messageType !== 'RAW') return { k: 'T', x: m.text };
  return undefined;
}

export function fromWire(m: WireMessage): RtmMessage {
  if (m.k === 'T') return { text: m.x, messageType: 'TEXT' };
  return {
    rawMessage: base64ToBytes(m.b) ?? new Uint8Array(0),
    description: m.d ?? '',
    messageType: 'RAW',
  };
}

/** `createMessage`: fills in `messageType` from the content, as the web SDK does. */
export function createMessage<T extends RtmMessage>(message: Partial<T>): T {
  const m = { ...message } as Record<string, unknown>;
  if (m.messageType === undefined)
    m.messageType = m.rawMessage instanceof Uint8Array ? 'RAW' : 'TEXT';
  if (m.messageType === 'RAW' && m.description === undefined) m.description = '';
  return m as T;
}
