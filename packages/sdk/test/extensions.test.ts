import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JoinChannelError, TelephonyError } from '@parley/protocol';
import AgoraRTM, { parleyExtensions, RtmError } from '../src/node.js';

test('parleyExtensions refuses anything but a Parley RtmClient with a TypeError', () => {
  for (const notAClient of [{}, { features: {} }, { features: new Map() }, new Date()])
    assert.throws(
      () => parleyExtensions(notAClient),
      (e: unknown) =>
        e instanceof TypeError && e.message === 'parleyExtensions: not a Parley RtmClient',
    );
});

test('the extensions work detached from their object, and need a login like every request', async () => {
  const c = AgoraRTM.createInstance('ext_app', { serverUrl: 'ws://127.0.0.1:1' });
  const { setChannelMessageEcho, telephony } = parleyExtensions(c);
  await assert.rejects(setChannelMessageEcho(true), (e: RtmError) => {
    assert.equal(e.code, JoinChannelError.USER_NOT_LOGGED_IN);
    assert.equal(e.message, 'RtmClient.setChannelMessageEcho: the client is not logged in');
    return true;
  });
  await assert.rejects(
    telephony({ t: 'tel.dtmf', c: 'room', phone: '+15550100', dtmf: '1' }),
    (e: RtmError) =>
      e.code !== TelephonyError.NET &&
      /Signaling\.tel\.dtmf: the client is not logged in/.test(e.message),
  );
});
