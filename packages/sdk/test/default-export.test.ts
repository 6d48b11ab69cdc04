import assert from 'node:assert/strict';
import { test } from 'node:test';
import AgoraRTM, { RtmClient } from '../src/node.js';

test('the default export has the shape of agora-rtm-sdk 1.x', () => {
  for (const key of [
    'createInstance',
    'setArea',
    'VERSION',
    'BUILD',
    'END_CALL_PREFIX',
    'LOG_FILTER_OFF',
    'LOG_FILTER_ERROR',
    'LOG_FILTER_INFO',
    'LOG_FILTER_WARNING',
  ]) {
    assert.ok(key in AgoraRTM, `${key} missing`);
  }
  for (const key of [
    'ConnectionChangeReason',
    'ConnectionState',
    'LocalInvitationFailureReason',
    'LocalInvitationState',
    'RemoteInvitationState',
    'RemoteInvitationFailureReason',
    'MessageType',
    'PeerOnlineState',
    'PeerSubscriptionOption',
    'AreaCode',
  ]) {
    assert.equal(typeof (AgoraRTM as Record<string, unknown>)[key], 'object', `${key} missing`);
  }
  assert.equal(AgoraRTM.ConnectionState.RECONNECTING, 'RECONNECTING');
  assert.equal(AgoraRTM.END_CALL_PREFIX, 'AgoraRTMLegacyEndcallCompatibleMessagePrefix');
});

test('createInstance gives independent clients with the RtmClient methods; serverUrl is required outside a page', () => {
  const a = AgoraRTM.createInstance('app', { serverUrl: 'ws://127.0.0.1:1' });
  const b = AgoraRTM.createInstance('app', {
    serverUrl: ['http://127.0.0.1:1', 'https://example.invalid'],
  });
  assert.ok(a instanceof RtmClient && b instanceof RtmClient && a !== b);
  for (const m of [
    'login',
    'logout',
    'renewToken',
    'sendMessageToPeer',
    'createMessage',
    'queryPeersOnlineStatus',
    'subscribePeersOnlineStatus',
    'unsubscribePeersOnlineStatus',
    'queryPeersBySubscriptionOption',
    'updateConfig',
    'setParameters',
    'on',
    'once',
    'off',
    'removeAllListeners',
  ]) {
    assert.equal(typeof (a as unknown as Record<string, unknown>)[m], 'function', `${m} missing`);
  }
  assert.equal(a.connectionState, 'DISCONNECTED');
  assert.throws(() => AgoraRTM.createInstance('app'), /serverUrl/);
});

test('createMessage infers messageType', () => {
  const c = AgoraRTM.createInstance('app', { serverUrl: 'ws://127.0.0.1:1' });
  assert.deepEqual(c.createMessage({ text: 'x' }), { text: 'x', messageType: 'TEXT' });
  const raw = new Uint8Array([1]);
  assert.deepEqual(c.createMessage({ rawMessage: raw }), {
    rawMessage: raw,
    messageType: 'RAW',
    description: '',
  });
});
