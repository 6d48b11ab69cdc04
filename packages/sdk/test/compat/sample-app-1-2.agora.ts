/**
 * A 1.2.x-era application (agora-rtm-sdk 1.2.2): peer messages with `SendMessageOptions` and
 * `isOfflineMessage`. Type-checked only; its twin `sample-app-1-2.parley.ts` runs on Parley.
 */
import AgoraRTM from 'agora-rtm-sdk-v1-2';

type Log = (line: string) => void;

export async function runSample12(appId: string, log: Log): Promise<void> {
  const sender = AgoraRTM.createInstance(appId);
  const receiver = AgoraRTM.createInstance(appId);
  receiver.on('MessageFromPeer', (message, peerId, props) => {
    log(`${peerId}: ${message.text} offline=${props.isOfflineMessage}`);
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
  await new Promise((resolve) => setTimeout(resolve, 300));
  await Promise.all([sender.logout(), receiver.logout()]);
}
