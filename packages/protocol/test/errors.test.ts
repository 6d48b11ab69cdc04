import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AttributeOperationError,
  ChannelMessageError,
  CreateChannelError,
  CreateInstanceError,
  ErrorTables,
  GetChannelMemberCountError,
  GetMembersError,
  InvitationApiCallError,
  JoinChannelError,
  LeaveChannelError,
  LoginError,
  LogoutError,
  MetadataOperationError,
  MetadataSubscriptionError,
  PeerMessageError,
  PeerSubscriptionStatusError,
  QueryPeersBySubscriptionOptionError,
  QueryPeersOnlineStatusError,
  RenewTokenError,
  errorKey,
  errorName,
  type ApiName,
  type RtmErrorName,
} from '@parley/protocol';

// The "Web" column of shared/research/rtm-semantics.md §1, written out again on purpose.
describe('error tables hold the web SDK 1.6.0 numbers', () => {
  test('createInstance and createChannel', () => {
    assert.deepEqual(CreateInstanceError, { INVALID_ARGUMENT: 1 });
    assert.deepEqual(CreateChannelError, { INVALID_ARGUMENT: 1 });
  });

  test('login', () => {
    assert.deepEqual(LoginError, {
      UNKNOWN: 1,
      REJECTED: 2,
      INVALID_ARGUMENT: 3,
      INVALID_APP_ID: 4,
      INVALID_TOKEN: 5,
      TOKEN_EXPIRED: 6,
      NOT_AUTHORIZED: 7,
      ALREADY_LOGIN: 8,
      TIMEOUT: 9,
      TOO_OFTEN: 10,
      ABORTED_BY_LOGOUT: 201,
    });
  });

  test('logout (REJECTED is the native value; web has only 102)', () => {
    assert.deepEqual(LogoutError, { REJECTED: 1, USER_NOT_LOGGED_IN: 102 });
  });

  test('renewToken', () => {
    assert.deepEqual(RenewTokenError, {
      FAILURE: 1,
      INVALID_ARGUMENT: 2,
      REJECTED: 3,
      TOO_OFTEN: 4,
      TOKEN_EXPIRED: 5,
      INVALID_TOKEN: 6,
      USER_NOT_LOGGED_IN: 102,
      ABORTED_BY_LOGOUT: 201,
    });
  });

  test('sendMessageToPeer', () => {
    assert.deepEqual(PeerMessageError, {
      FAILURE: 1,
      TIMEOUT: 2,
      TOO_OFTEN: 5,
      INVALID_USERID: 6,
      INVALID_MESSAGE: 7,
      INCOMPATIBLE_MESSAGE: 8,
      USER_NOT_LOGGED_IN: 102,
    });
  });

  test('join', () => {
    assert.deepEqual(JoinChannelError, {
      FAILURE: 1,
      REJECTED: 2,
      INVALID_ARGUMENT: 3,
      TIMEOUT: 4,
      EXCEED_LIMIT: 5,
      ALREADY_JOINED: 6,
      TOO_OFTEN: 7,
      JOIN_SAME_CHANNEL_TOO_OFTEN: 8,
      USER_NOT_LOGGED_IN: 102,
      ABORTED_BY_LEAVE: 201,
      ALREADY_JOINED_CHANNEL_OF_SAME_ID: 202,
    });
  });

  test('leave', () => {
    assert.deepEqual(LeaveChannelError, {
      FAILURE: 1,
      REJECTED: 2,
      NOT_IN_CHANNEL: 3,
      KICKED: 4,
      USER_NOT_LOGGED_IN: 102,
    });
  });

  test('channel sendMessage', () => {
    assert.deepEqual(ChannelMessageError, {
      FAILURE: 1,
      TIMEOUT: 2,
      TOO_OFTEN: 3,
      INVALID_MESSAGE: 4,
      NOT_IN_CHANNEL: 5,
      USER_NOT_LOGGED_IN: 102,
    });
  });

  test('getMembers', () => {
    assert.deepEqual(GetMembersError, {
      FAILURE: 1,
      REJECTED: 2,
      TIMEOUT: 3,
      TOO_OFTEN: 4,
      NOT_IN_CHANNEL: 5,
      USER_NOT_LOGGED_IN: 102,
    });
  });

  test('queryPeersOnlineStatus has no FAILURE on the web', () => {
    assert.deepEqual(QueryPeersOnlineStatusError, {
      INVALID_ARGUMENT: 2,
      REJECTED: 3,
      TIMEOUT: 4,
      TOO_OFTEN: 5,
      USER_NOT_LOGGED_IN: 102,
    });
  });

  test('peer subscription status', () => {
    assert.deepEqual(PeerSubscriptionStatusError, {
      FAILURE: 1,
      INVALID_ARGUMENT: 2,
      REJECTED: 3,
      TIMEOUT: 4,
      TOO_OFTEN: 5,
      OVERFLOW: 6,
      USER_NOT_LOGGED_IN: 102,
    });
  });

  test('queryPeersBySubscriptionOption', () => {
    assert.deepEqual(QueryPeersBySubscriptionOptionError, {
      FAILURE: 1,
      TIMEOUT: 2,
      TOO_OFTEN: 3,
      USER_NOT_LOGGED_IN: 102,
    });
  });

  test('getChannelMemberCount', () => {
    assert.deepEqual(GetChannelMemberCountError, {
      FAILURE: 1,
      INVALID_ARGUMENT: 2,
      TOO_OFTEN: 3,
      TIMEOUT: 4,
      EXCEED_LIMIT: 5,
      NOT_INITIALIZED: 101,
      USER_NOT_LOGGED_IN: 102,
    });
  });

  test('attribute operations start at 2', () => {
    assert.deepEqual(AttributeOperationError, {
      FAILURE: 2,
      INVALID_ARGUMENT: 3,
      SIZE_OVERFLOW: 4,
      TOO_OFTEN: 5,
      USER_NOT_FOUND: 6,
      TIMEOUT: 7,
      USER_NOT_LOGGED_IN: 102,
    });
  });

  test('metadata operations', () => {
    assert.deepEqual(MetadataOperationError, {
      FAILURE: 1,
      INVALID_USER_ID: 2,
      INVALID_ARGUMENT: 3,
      SIZE_OVERFLOW: 4,
      DUPLICATE_KEY: 5,
      TOO_OFTEN: 6,
      TIMEOUT: 7,
      OUTDATE_REVISION: 8,
      NOT_IN_CHANNEL: 9,
      NOT_INITIALIZED: 101,
      USER_NOT_LOGGED_IN: 102,
    });
  });

  test('metadata subscription spells 102 NOT_LOGGED_IN', () => {
    assert.deepEqual(MetadataSubscriptionError, {
      FAILURE: 1,
      TIMEOUT: 2,
      INVALID_ARGUMENT: 3,
      TOO_OFTEN: 4,
      OVERFLOW: 5,
      NOT_INITIALIZED: 101,
      NOT_LOGGED_IN: 102,
    });
  });

  test('invitation API calls', () => {
    assert.deepEqual(InvitationApiCallError, {
      INVALID_ARGUMENT: 1,
      NOT_STARTED: 2,
      ALREADY_END: 3,
      ALREADY_ACCEPT: 4,
      ALREADY_SENT: 5,
    });
  });
});

describe('ErrorTables', () => {
  test('names the table of each API', () => {
    assert.deepEqual(ErrorTables, {
      createInstance: CreateInstanceError,
      createChannel: CreateChannelError,
      login: LoginError,
      logout: LogoutError,
      renewToken: RenewTokenError,
      sendMessageToPeer: PeerMessageError,
      join: JoinChannelError,
      leave: LeaveChannelError,
      sendMessage: ChannelMessageError,
      getMembers: GetMembersError,
      queryPeersOnlineStatus: QueryPeersOnlineStatusError,
      subscribePeersOnlineStatus: PeerSubscriptionStatusError,
      unsubscribePeersOnlineStatus: PeerSubscriptionStatusError,
      queryPeersBySubscriptionOption: QueryPeersBySubscriptionOptionError,
      getChannelMemberCount: GetChannelMemberCountError,
      attributes: AttributeOperationError,
      metadata: MetadataOperationError,
      metadataSubscription: MetadataSubscriptionError,
      invitation: InvitationApiCallError,
    });
  });

  test('no table gives two keys the same code, so a code names one key', () => {
    for (const [api, table] of Object.entries(ErrorTables)) {
      const codes = Object.values(table);
      assert.equal(new Set(codes).size, codes.length, api);
    }
  });
});

describe('errorKey', () => {
  test('finds the key of a code', () => {
    assert.equal(errorKey('login', 8), 'ALREADY_LOGIN');
    assert.equal(errorKey('join', 4), 'TIMEOUT');
    assert.equal(errorKey('attributes', 2), 'FAILURE');
    assert.equal(errorKey('metadataSubscription', 102), 'NOT_LOGGED_IN');
  });

  test('round-trips every key of every table', () => {
    for (const [api, table] of Object.entries(ErrorTables) as [ApiName, Record<string, number>][])
      for (const [key, code] of Object.entries(table)) assert.equal(errorKey(api, code), key);
  });

  test('is undefined for a code the table lacks', () => {
    assert.equal(errorKey('queryPeersOnlineStatus', 1), undefined);
    assert.equal(errorKey('invitation', 102), undefined);
    assert.equal(errorKey('login', 0), undefined);
  });
});

describe('errorName picks the class the web SDK throws', () => {
  const cases: [ApiName, number, RtmErrorName][] = [
    ['createInstance', CreateInstanceError.INVALID_ARGUMENT, 'RtmInvalidArgumentError'],
    ['createChannel', CreateChannelError.INVALID_ARGUMENT, 'RtmInvalidArgumentError'],
    ['login', LoginError.UNKNOWN, 'RtmUnavailableError'],
    ['login', LoginError.REJECTED, 'RtmUnavailableError'],
    ['login', LoginError.INVALID_ARGUMENT, 'RtmInvalidArgumentError'],
    ['login', LoginError.INVALID_APP_ID, 'RtmUnauthenticatedError'],
    ['login', LoginError.INVALID_TOKEN, 'RtmUnauthenticatedError'],
    ['login', LoginError.TOKEN_EXPIRED, 'RtmUnauthenticatedError'],
    ['login', LoginError.NOT_AUTHORIZED, 'RtmUnauthenticatedError'],
    ['login', LoginError.ALREADY_LOGIN, 'RtmInvalidStatusError'],
    ['login', LoginError.TIMEOUT, 'RtmTimeoutError'],
    ['login', LoginError.TOO_OFTEN, 'RtmInvokeTooOftenError'],
    ['login', LoginError.ABORTED_BY_LOGOUT, 'RtmInvalidStatusError'],
    ['logout', LogoutError.USER_NOT_LOGGED_IN, 'RtmInvalidStatusError'],
    ['renewToken', RenewTokenError.FAILURE, 'RtmUnavailableError'],
    ['renewToken', RenewTokenError.INVALID_ARGUMENT, 'RtmInvalidArgumentError'],
    ['renewToken', RenewTokenError.TOO_OFTEN, 'RtmInvokeTooOftenError'],
    ['renewToken', RenewTokenError.TOKEN_EXPIRED, 'RtmUnauthenticatedError'],
    ['renewToken', RenewTokenError.INVALID_TOKEN, 'RtmUnauthenticatedError'],
    ['renewToken', RenewTokenError.USER_NOT_LOGGED_IN, 'RtmInvalidStatusError'],
    ['sendMessageToPeer', PeerMessageError.FAILURE, 'RtmUnavailableError'],
    ['sendMessageToPeer', PeerMessageError.TIMEOUT, 'RtmTimeoutError'],
    ['sendMessageToPeer', PeerMessageError.TOO_OFTEN, 'RtmLimitExceededError'],
    ['sendMessageToPeer', PeerMessageError.INVALID_USERID, 'RtmInvalidArgumentError'],
    ['sendMessageToPeer', PeerMessageError.INVALID_MESSAGE, 'RtmInvalidArgumentError'],
    ['sendMessageToPeer', PeerMessageError.USER_NOT_LOGGED_IN, 'RtmInvalidStatusError'],
    ['join', JoinChannelError.FAILURE, 'RtmUnavailableError'],
    ['join', JoinChannelError.TIMEOUT, 'RtmTimeoutError'],
    ['join', JoinChannelError.EXCEED_LIMIT, 'RtmLimitExceededError'],
    ['join', JoinChannelError.ALREADY_JOINED, 'RtmInvalidStatusError'],
    ['join', JoinChannelError.TOO_OFTEN, 'RtmLimitExceededError'],
    ['join', JoinChannelError.JOIN_SAME_CHANNEL_TOO_OFTEN, 'RtmLimitExceededError'],
    ['join', JoinChannelError.ABORTED_BY_LEAVE, 'RtmInvalidStatusError'],
    ['join', JoinChannelError.ALREADY_JOINED_CHANNEL_OF_SAME_ID, 'RtmInvalidStatusError'],
    ['leave', LeaveChannelError.FAILURE, 'RtmUnknownError'],
    ['leave', LeaveChannelError.NOT_IN_CHANNEL, 'RtmInvalidStatusError'],
    ['leave', LeaveChannelError.KICKED, 'RtmInvalidStatusError'],
    ['sendMessage', ChannelMessageError.FAILURE, 'RtmUnknownError'],
    ['sendMessage', ChannelMessageError.TOO_OFTEN, 'RtmLimitExceededError'],
    ['sendMessage', ChannelMessageError.NOT_IN_CHANNEL, 'RtmInvalidStatusError'],
    ['getMembers', GetMembersError.FAILURE, 'RtmUnknownError'],
    ['getMembers', GetMembersError.REJECTED, 'RtmInvalidStatusError'],
    ['getMembers', GetMembersError.NOT_IN_CHANNEL, 'RtmInvalidStatusError'],
    [
      'queryPeersOnlineStatus',
      QueryPeersOnlineStatusError.INVALID_ARGUMENT,
      'RtmInvalidArgumentError',
    ],
    ['queryPeersOnlineStatus', QueryPeersOnlineStatusError.TIMEOUT, 'RtmTimeoutError'],
    ['subscribePeersOnlineStatus', PeerSubscriptionStatusError.FAILURE, 'RtmUnavailableError'],
    ['subscribePeersOnlineStatus', PeerSubscriptionStatusError.OVERFLOW, 'RtmLimitExceededError'],
    ['unsubscribePeersOnlineStatus', PeerSubscriptionStatusError.OVERFLOW, 'RtmLimitExceededError'],
    [
      'queryPeersBySubscriptionOption',
      QueryPeersBySubscriptionOptionError.TOO_OFTEN,
      'RtmLimitExceededError',
    ],
    ['getChannelMemberCount', GetChannelMemberCountError.EXCEED_LIMIT, 'RtmInvalidArgumentError'],
    ['getChannelMemberCount', GetChannelMemberCountError.NOT_INITIALIZED, 'RtmInvalidStatusError'],
    ['attributes', AttributeOperationError.FAILURE, 'RtmUnavailableError'],
    ['attributes', AttributeOperationError.SIZE_OVERFLOW, 'RtmLimitExceededError'],
    ['attributes', AttributeOperationError.USER_NOT_FOUND, 'RtmUnavailableError'],
    ['attributes', AttributeOperationError.TIMEOUT, 'RtmTimeoutError'],
    ['metadata', MetadataOperationError.DUPLICATE_KEY, 'RtmInvalidArgumentError'],
    ['metadata', MetadataOperationError.OUTDATE_REVISION, 'RtmUnavailableError'],
    ['metadata', MetadataOperationError.NOT_IN_CHANNEL, 'RtmInvalidStatusError'],
    ['metadataSubscription', MetadataSubscriptionError.OVERFLOW, 'RtmLimitExceededError'],
    ['metadataSubscription', MetadataSubscriptionError.NOT_LOGGED_IN, 'RtmInvalidStatusError'],
    ['invitation', InvitationApiCallError.INVALID_ARGUMENT, 'RtmInvalidArgumentError'],
    ['invitation', InvitationApiCallError.NOT_STARTED, 'RtmInvalidStatusError'],
    ['invitation', InvitationApiCallError.ALREADY_END, 'RtmInvalidStatusError'],
    ['invitation', InvitationApiCallError.ALREADY_ACCEPT, 'RtmInvalidStatusError'],
    ['invitation', InvitationApiCallError.ALREADY_SENT, 'RtmInvalidStatusError'],
  ];
  for (const [api, code, name] of cases)
    test(`${api} ${errorKey(api, code)} (${code}) → ${name}`, () => {
      assert.equal(errorName(api, code), name);
    });

  test('a code outside the table is RtmUnknownError', () => {
    assert.equal(errorName('login', 999), 'RtmUnknownError');
    assert.equal(errorName('queryPeersOnlineStatus', 1), 'RtmUnknownError');
  });
});
