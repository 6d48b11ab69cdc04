/**
 * A sample application written against agora-rtm-sdk 1.6.0, using every method and event of
 * its declaration. It is only type-checked here (Agora's code never runs); its twin
 * `sample-app.parley.ts` differs in the import and the `serverUrl` line only (a test checks),
 * and runs against a live Parley server.
 */
import AgoraRTM from 'agora-rtm-sdk';

type Log = (line: string) => void;

export async function runSample(appId: string, log: Log): Promise<void> {
  const config = { enableLogUpload: false, logFilter: AgoraRTM.LOG_FILTER_WARNING };
  const alice = AgoraRTM.createInstance(appId, config);
  const bob = AgoraRTM.createInstance(appId, config);
  alice.updateConfig({ logFilter: AgoraRTM.LOG_FILTER_ERROR });
  bob.setParameters({ enableLogUpload: false });
  log(
    `version ${AgoraRTM.VERSION} ${typeof AgoraRTM.BUILD} ${AgoraRTM.END_CALL_PREFIX.length > 0}`,
  );

  alice.on('ConnectionStateChanged', (state, reason) => log(`alice ${state} ${reason}`));
  alice.on('MessageFromPeer', (message, peerId, props) => {
    if (message.messageType === AgoraRTM.MessageType.TEXT)
      log(`alice got "${message.text}" from ${peerId} ${props.serverReceivedTs > 0}`);
  });
  alice.on('PeersOnlineStatusChanged', (status) => {
    for (const [peer, state] of Object.entries(status)) log(`alice sees ${peer} ${state}`);
  });
  alice.on('TokenExpired', () => log('alice token expired'));
  alice.on('TokenPrivilegeWillExpire', () => log('alice token will expire'));
  alice.on('BannedByServer', () => log('alice banned'));
  alice.on('FallbackProxyConnected', () => log('alice proxy'));
  alice.on('UserMetaDataUpdated', (uid, data) =>
    log(`alice sees metadata of ${uid}: ${data.items.length} items`),
  );
  alice.on('ChannelMetaDataUpdated', (data) =>
    log(`alice sees channel metadata r${data.majorRevision}`),
  );
  bob.on('RemoteInvitationReceived', (invitation) => {
    log(
      `bob rung by ${invitation.callerId} content=${invitation.content} channel=${invitation.channelId}`,
    );
    invitation.on('RemoteInvitationAccepted', () => log(`bob accepted ${invitation.state}`));
    invitation.on('RemoteInvitationRefused', () => log('bob refused'));
    invitation.on('RemoteInvitationCanceled', (content) => log(`bob canceled ${content}`));
    invitation.on('RemoteInvitationFailure', (reason) => log(`bob failure ${reason}`));
    invitation.response = 'on my way';
    invitation.accept();
  });

  await alice.login({ uid: 'sample-alice' });
  await bob.login({ uid: 'sample-bob', token: undefined });
  await alice.renewToken('a-token-an-open-app-ignores');

  await alice.subscribePeersOnlineStatus(['sample-bob']);
  log(
    `alice subscribed to ${(await alice.queryPeersBySubscriptionOption(AgoraRTM.PeerSubscriptionOption.ONLINE_STATUS)).join(',')}`,
  );
  const online = await alice.queryPeersOnlineStatus(['sample-bob', 'sample-nobody']);
  log(`online bob=${online['sample-bob']} nobody=${online['sample-nobody']}`);
  const sent = await bob.sendMessageToPeer(
    bob.createMessage({ text: 'hello alice', messageType: AgoraRTM.MessageType.TEXT }),
    'sample-alice',
  );
  log(`bob's message received=${sent.hasPeerReceived}`);
  await bob.sendMessageToPeer(
    { rawMessage: new Uint8Array([1, 2, 3]), description: 'bytes' },
    'sample-alice',
  );

  const channel = alice.createChannel('sample-room');
  channel.on('ChannelMessage', (message, memberId, props) =>
    log(`room: ${memberId} said ${message.text ?? '(raw)'} ${props.serverReceivedTs > 0}`),
  );
  channel.on('MemberJoined', (memberId) => log(`room: ${memberId} joined`));
  channel.on('MemberLeft', (memberId) => log(`room: ${memberId} left`));
  channel.on('AttributesUpdated', (attributes) =>
    log(`room: topic is ${attributes.topic?.value} by ${attributes.topic?.lastUpdateUserId}`),
  );
  channel.on('MemberCountUpdated', (count) => log(`room: ${count} members`));
  await channel.join();
  const bobChannel = bob.createChannel('sample-room');
  await bobChannel.join();
  await bobChannel.sendMessage({ text: 'hi room' });
  log(`members ${(await channel.getMembers()).sort().join(',')}`);
  log(`count ${(await bob.getChannelMemberCount(['sample-room']))['sample-room']}`);

  await alice.setLocalUserAttributes({ mood: 'happy' });
  await alice.addOrUpdateLocalUserAttributes({ city: 'Oslo' });
  await alice.deleteLocalUserAttributesByKeys(['city']);
  log(`alice attrs ${JSON.stringify(await bob.getUserAttributes('sample-alice'))}`);
  log(`alice mood ${JSON.stringify(await bob.getUserAttributesByKeys('sample-alice', ['mood']))}`);
  await alice.clearLocalUserAttributes();
  await bob.setChannelAttributes(
    'sample-room',
    { topic: 'launch' },
    { enableNotificationToChannelMembers: true },
  );
  await bob.addOrUpdateChannelAttributes('sample-room', { agenda: 'demo' });
  await bob.deleteChannelAttributesByKeys('sample-room', ['agenda']);
  log(`room attrs ${Object.keys(await alice.getChannelAttributes('sample-room')).join(',')}`);
  log(
    `room topic ${(await alice.getChannelAttributesByKeys('sample-room', ['topic'])).topic?.value}`,
  );
  await bob.clearChannelAttributes('sample-room');

  await alice.subscribeUserMetadata('sample-bob');
  const item = bob.createMetadataItem();
  item.setKey('status');
  item.setValue('available');
  await bob.setLocalUserMetadata([item], { enableRecordTs: true, enableRecordUserId: true });
  await bob.addLocalUserMetadata(
    [bob.createMetadataItem()].map((i) => (i.setKey('extra'), i.setValue('x'), i)),
  );
  await bob.updateLocalUserMetadata([item]);
  await bob.deleteLocalUserMetadata([item]);
  const meta = await alice.getUserMetadata('sample-bob');
  log(
    `bob metadata ${meta.items.map((i) => `${i.getKey()}=${i.getValue()} r${i.getRevision()} ${i.getUpdateTs() >= 0} ${i.getAuthorUserId()}`).join(';')} major=${meta.majorRevision}`,
  );
  await bob.clearLocalUserMetadata();
  await alice.unsubscribeUserMetadata('sample-bob');
  await channel.setChannelMetadata([item], { majorRevision: -1 });
  await channel.addChannelMetadata(
    [alice.createMetadataItem()].map((i) => (i.setKey('pin'), i.setValue('1'), i)),
  );
  await channel.updateChannelMetadata([item]);
  await channel.deleteChannelMetadata([item]);
  log(
    `room metadata ${(await channel.getChannelMetadata()).items.map((i) => i.getKey()).join(',')}`,
  );
  await channel.clearChannelMetadata();

  const invitation = alice.createLocalInvitation('sample-bob');
  invitation.content = 'call me';
  invitation.channelId = 'sample-call';
  await new Promise<void>((resolve) => {
    invitation.on('LocalInvitationReceivedByPeer', () =>
      log(`alice's call ringing ${invitation.state}`),
    );
    invitation.on('LocalInvitationAccepted', (response) => {
      log(`alice's call accepted: ${response} ${invitation.state}`);
      resolve();
    });
    invitation.on('LocalInvitationRefused', (response) => log(`alice's call refused: ${response}`));
    invitation.on('LocalInvitationCanceled', () => log("alice's call canceled"));
    invitation.on('LocalInvitationFailure', (reason) => log(`alice's call failed: ${reason}`));
    invitation.send();
  });
  const second = alice.createLocalInvitation('sample-bob');
  second.send();
  second.cancel();

  await bobChannel.leave();
  await alice.unsubscribePeersOnlineStatus(['sample-bob']);
  await channel.leave();
  await bob.logout();
  await alice.logout();
  alice.removeAllListeners();
  log(`listeners ${alice.listenerCount('ConnectionStateChanged')}`);
  AgoraRTM.setArea({ areaCodes: [AgoraRTM.AreaCode.GLOBAL] });
}
