/**
 * The twin of `sample-app-1-2.agora.ts`: only the import and `serverUrl` changed.
 */
import AgoraRTM from '../../src/index.js';

type Log = (line: string) => void;

export async function runSample12(appId: string, log: Log, serverUrl: string): Promise<void> {
  const sender = AgoraRTM.createInstance(appId, { serverUrl });
  const receiver = AgoraRTM.createInstance(appId, { serverUrl });
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
