/**
 * A 1.2.x-era application (agora-rtm-sdk 1.2.2): peer messages with `SendMessageOptions` and
 * `isOfflineMessage`. Type-checked only; its twin `sample-app-1-2.parley.ts` runs on Parley.
 */
import AgoraRTM from 'agora-rtm-sdk-v1-2';

type Log = (line: string) => void;

export async function runSample12(appId: string, log: Log): Promise<void> {
  const sender = AgoraRTM.createInstance(appId);
  const receiver = AgoraRTM.createInstance(appId);
  const welcomed = new Promise<void>((resolve) => {
    receiver.on('MessageFromPeer', (message, peerId, props) => {
      log(`${peerId}: ${message.text} offline=${props.isOfflineMessage}`);
      if (message.text === 'welcome back') resolve();
    });
  });
  await sender.login({ uid: 'v12-sender' });
  const options = { enableOfflineMessaging: true, enableHistoricalMessaging: false };
  const result = await sender.sendMessageToPeer(
    { text: 'while you were away' },
    'v12-receiver',
    options,
  );
  log(`received=${result.hasPeerReceived}`);
  await receiver.login({ uid: 'v12-receiver' });
  // A message sent now arrives after the stored one (and after any copy of it).
  const online = await sender.sendMessageToPeer({ text: 'welcome back' }, 'v12-receiver', options);
  log(`received=${online.hasPeerReceived}`);
  await welcomed;
  await Promise.all([sender.logout(), receiver.logout()]);
}
