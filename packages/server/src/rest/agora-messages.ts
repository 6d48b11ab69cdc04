/**
 * Agora's RESTful message endpoints: a backend sends a peer or a channel message as any user
 * (Basic auth) or as the user of its token, without a session and without joining. Receivers
 * get what an SDK sender would cause (MessageFromPeer / ChannelMessage, offline storage, the
 * Signaling callbacks).
 *
 *   POST /dev/v2/project/{appId}/rtm/users/{user_id}/peer_messages[?wait_for_ack=true|false]
 *        {destination, payload, enable_offline_messaging?, enable_historical_messaging?}
 *   POST /dev/v2/project/{appId}/rtm/users/{user_id}/channel_messages
 *        {channel_name, payload, enable_historical_messaging?}
 */
import type { ServerConfig } from '../config.js';
import type { Channels } from '../services/channels.js';
import type { Peers, RestPeerOutcome } from '../services/peers.js';
import { RestError } from './answers.js';
import { mayActAs } from './auth.js';
import { id, optionalBoolean, payload, queryBoolean } from './fields.js';
import type { RestContext, Route } from './router.js';

const BASE = '/dev/v2/project/{appId}/rtm/users/{user_id}';

const CODE: Readonly<Record<Exclude<RestPeerOutcome, 'timeout'>, string>> = {
  delivered: 'message_delivered',
  offline: 'message_offline',
  sent: 'message_sent',
};

function sender(ctx: RestContext): string {
  const uid = id(ctx.params.get('user_id'), 'user_id');
  mayActAs(ctx.caller, uid);
  return uid;
}

export function messageRoutes(
  peers: Peers,
  channels: Channels,
  config: Pick<ServerConfig, 'restAckTimeoutMs'>,
): Route[] {
  return [
    {
      name: 'peer_messages',
      method: 'POST',
      path: `${BASE}/peer_messages`,
      auth: 'sender',
      async handle(ctx) {
        const from = sender(ctx);
        const waitForAck = queryBoolean(ctx.query.get('wait_for_ack'), 'wait_for_ack', false);
        const b = await ctx.body();
        const to = id(b.destination, 'destination');
        const text = payload(b.payload);
        const off = optionalBoolean(b.enable_offline_messaging, 'enable_offline_messaging');
        const hist = optionalBoolean(b.enable_historical_messaging, 'enable_historical_messaging');
        const timeoutMs = config.restAckTimeoutMs;
        const outcome = await peers.sendAs(
          ctx.app,
          from,
          to,
          { k: 'T', x: text },
          {
            off,
            hist,
            waitForAck,
            timeoutMs,
          },
        );
        if (outcome === 'timeout')
          throw new RestError(
            408,
            'timeout',
            `wait_for_ack: the receiver's SDK did not acknowledge within ${timeoutMs} ms`,
          );
        return { code: CODE[outcome] };
      },
    },
    {
      name: 'channel_messages',
      method: 'POST',
      path: `${BASE}/channel_messages`,
      auth: 'sender',
      async handle(ctx) {
        const from = sender(ctx);
        const b = await ctx.body();
        const channel = id(b.channel_name, 'channel_name');
        const text = payload(b.payload);
        const hist = optionalBoolean(b.enable_historical_messaging, 'enable_historical_messaging');
        await channels.sendMessage(
          ctx.app,
          from,
          channel,
          { k: 'T', x: text },
          hist,
          'rest',
          ctx.now,
        );
        return { code: 'message_sent' };
      },
    },
  ];
}
