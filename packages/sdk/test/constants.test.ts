import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  ChannelMessageError,
  GetChannelMemberCountError,
  JoinChannelError,
  LoginError,
  PeerMessageError,
  RenewTokenError,
  type ApiName,
} from '@parley/protocol';
import type { RtmStatusCode } from 'agora-rtm-sdk';
import {
  AreaCode,
  BUILD,
  ConnectionChangeReason,
  ConnectionState,
  END_CALL_PREFIX,
  LegacyAreaCode,
  LocalInvitationFailureReason,
  LocalInvitationState,
  LOG_FILTER_DEBUG,
  LOG_FILTER_ERROR,
  LOG_FILTER_INFO,
  LOG_FILTER_OFF,
  LOG_FILTER_WARNING,
  MessageType,
  PeerOnlineState,
  PeerSubscriptionOption,
  RemoteInvitationFailureReason,
  RemoteInvitationState,
  VERSION,
} from '../src/constants.js';
import {
  RtmError,
  RtmInternalError,
  RtmInvalidArgumentError,
  RtmInvalidStatusError,
  RtmInvokeTooOftenError,
  RtmLimitExceededError,
  RtmTimeoutError,
  RtmUnauthenticatedError,
  RtmUnavailableError,
  RtmUnknownError,
  createRtmError,
  timeoutError,
} from '../src/errors.js';

// Compile-time: each enum object drops in where agora-rtm-sdk's is expected (npm run typecheck).
const dropIn: {
  [K in keyof typeof RtmStatusCode]: (typeof RtmStatusCode)[K];
} = {
  ConnectionChangeReason,
  ConnectionState,
  LocalInvitationState,
  RemoteInvitationState,
  LocalInvitationFailureReason,
  RemoteInvitationFailureReason,
  PeerOnlineState,
  PeerSubscriptionOption,
  MessageType,
  LegacyAreaCode,
  AreaCode,
};
const anAgoraState: RtmStatusCode.ConnectionState = ConnectionState.CONNECTED;
const aParleyState: ConnectionState = anAgoraState;

describe('RtmStatusCode enums', () => {
  test('hold agora-rtm-sdk 1.6.0 members, each value its own name', () => {
    const expected: Record<string, string[]> = {
      ConnectionChangeReason: [
        'LOGIN',
        'LOGIN_SUCCESS',
        'LOGIN_FAILURE',
        'LOGIN_TIMEOUT',
        'INTERRUPTED',
        'LOGOUT',
        'BANNED_BY_SERVER',
        'REMOTE_LOGIN',
        'TOKEN_EXPIRED',
      ],
      ConnectionState: ['DISCONNECTED', 'CONNECTING', 'CONNECTED', 'RECONNECTING', 'ABORTED'],
      LocalInvitationState: [
        'IDLE',
        'SENT_TO_REMOTE',
        'RECEIVED_BY_REMOTE',
        'ACCEPTED_BY_REMOTE',
        'REFUSED_BY_REMOTE',
        'CANCELED',
        'FAILURE',
      ],
      RemoteInvitationState: [
        'INVITATION_RECEIVED',
        'ACCEPT_SENT_TO_LOCAL',
        'REFUSED',
        'ACCEPTED',
        'CANCELED',
        'FAILURE',
      ],
      LocalInvitationFailureReason: [
        'UNKNOWN',
        'PEER_NO_RESPONSE',
        'INVITATION_EXPIRE',
        'PEER_OFFLINE',
        'NOT_LOGGEDIN',
      ],
      RemoteInvitationFailureReason: [
        'UNKNOWN',
        'PEER_OFFLINE',
        'ACCEPT_FAILURE',
        'INVITATION_EXPIRE',
      ],
      PeerOnlineState: ['ONLINE', 'UNREACHABLE', 'OFFLINE'],
      PeerSubscriptionOption: ['ONLINE_STATUS'],
      MessageType: ['TEXT', 'RAW'],
      LegacyAreaCode: ['CN', 'NA', 'EU', 'AS', 'JP', 'IN', 'GLOB', 'OC', 'SA', 'AF', 'OVS'],
      AreaCode: ['GLOBAL', 'INDIA', 'JAPAN', 'ASIA', 'EUROPE', 'CHINA', 'NORTH_AMERICA'],
    };
    assert.deepEqual(Object.keys(dropIn), Object.keys(expected));
    for (const [name, members] of Object.entries(expected)) {
      const actual = dropIn[name as keyof typeof dropIn];
      assert.deepEqual(actual, Object.fromEntries(members.map((m) => [m, m])), name);
    }
  });

  test('are frozen', () => {
    for (const [name, e] of Object.entries(dropIn)) assert.ok(Object.isFrozen(e), name);
    assert.throws(() => {
      (ConnectionState as unknown as Record<string, string>).CONNECTED = 'x';
    }, TypeError);
  });

  test('values compare equal to the strings apps use', () => {
    assert.equal(aParleyState, 'CONNECTED');
    assert.equal(PeerOnlineState.UNREACHABLE, 'UNREACHABLE');
    assert.equal(MessageType.RAW, 'RAW');
  });
});

describe('log filters', () => {
  test('enable each level and the ones above it, as agora-rtm-sdk does', () => {
    const off = { error: false, warn: false, info: false, track: false, debug: false };
    assert.deepEqual(LOG_FILTER_OFF, off);
    assert.deepEqual(LOG_FILTER_ERROR, { ...off, error: true });
    assert.deepEqual(LOG_FILTER_WARNING, { ...off, error: true, warn: true });
    assert.deepEqual(LOG_FILTER_INFO, { ...off, error: true, warn: true, info: true });
    assert.deepEqual(LOG_FILTER_DEBUG, {
      error: true,
      warn: true,
      info: true,
      track: true,
      debug: true,
    });
    for (const f of [
      LOG_FILTER_OFF,
      LOG_FILTER_ERROR,
      LOG_FILTER_WARNING,
      LOG_FILTER_INFO,
      LOG_FILTER_DEBUG,
    ])
      assert.ok(Object.isFrozen(f));
  });
});

describe('version and prefix', () => {
  test('VERSION is the agora-rtm-sdk API level in plain x.y.z', () => {
    assert.equal(VERSION, '1.6.0');
  });

  test("BUILD names Parley and this package's version", () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    assert.equal(BUILD, `parley-${pkg.version}`);
  });

  test('END_CALL_PREFIX is the legacy end-call prefix of the web SDK', () => {
    assert.equal(END_CALL_PREFIX, 'AgoraRTMLegacyEndcallCompatibleMessagePrefix');
  });
});

describe('errors', () => {
  test('each class carries its web SDK name and is an RtmError and an Error', () => {
    const classes = [
      RtmInvalidArgumentError,
      RtmInvalidStatusError,
      RtmTimeoutError,
      RtmLimitExceededError,
      RtmInvokeTooOftenError,
      RtmUnavailableError,
      RtmUnauthenticatedError,
      RtmUnknownError,
      RtmInternalError,
    ];
    for (const C of classes) {
      const e = new C('boom', 7);
      assert.equal(e.name, C.name);
      assert.ok(e instanceof RtmError && e instanceof Error && e instanceof C);
      assert.equal(e.code, 7);
      assert.equal(e.message, 'boom');
      assert.match(String(e), new RegExp(`^${C.name}: boom$`));
    }
  });

  test('keep the server code and the original error', () => {
    const cause = new Error('socket closed');
    const e = new RtmUnavailableError('join failed', {
      code: 1,
      serverCode: 42,
      originalError: cause,
    });
    assert.equal(e.serverCode, 42);
    assert.equal(e.originalError, cause);
    assert.equal(e.cause, cause);
  });

  test('createRtmError picks the class for the code and records the API', () => {
    const cases: [ApiName, number, typeof RtmError][] = [
      ['login', LoginError.INVALID_TOKEN, RtmUnauthenticatedError],
      ['login', LoginError.TOO_OFTEN, RtmInvokeTooOftenError],
      ['login', LoginError.ALREADY_LOGIN, RtmInvalidStatusError],
      ['sendMessageToPeer', PeerMessageError.TOO_OFTEN, RtmLimitExceededError],
      ['sendMessage', ChannelMessageError.NOT_IN_CHANNEL, RtmInvalidStatusError],
      ['join', JoinChannelError.EXCEED_LIMIT, RtmLimitExceededError],
      ['getChannelMemberCount', GetChannelMemberCountError.EXCEED_LIMIT, RtmInvalidArgumentError],
      ['renewToken', RenewTokenError.FAILURE, RtmUnavailableError],
      ['createInstance', 1, RtmInvalidArgumentError],
      ['login', 999, RtmUnknownError],
    ];
    for (const [api, code, C] of cases) {
      const e = createRtmError(api, code, `${api}: failed`);
      assert.ok(e instanceof C && e instanceof RtmError, `${api} ${code}: ${e.name}`);
      assert.equal(e.name, C.name);
      assert.equal(e.code, code);
      assert.equal(e.api, api);
      assert.equal(e.message, `${api}: failed`);
      assert.equal(e.serverCode, undefined);
    }
    assert.equal(createRtmError('login', LoginError.INVALID_TOKEN, 'token: bad', 9).serverCode, 9);
  });

  test('timeoutError is an RtmTimeoutError worded as the web SDK words it', () => {
    const e = timeoutError('login', LoginError.TIMEOUT, 'RtmClient.login', 12);
    assert.ok(e instanceof RtmTimeoutError && e instanceof RtmError);
    assert.equal(e.name, 'RtmTimeoutError');
    assert.equal(e.code, 9);
    assert.equal(e.api, 'login');
    assert.equal(e.message, 'Executing "RtmClient.login" timed out after 12s');
    // The web SDK times renewToken out with RENEW_TOKEN_ERR_FAILURE and still says RtmTimeoutError.
    assert.equal(
      timeoutError('renewToken', RenewTokenError.FAILURE, 'RtmClient.renewToken', 20).name,
      'RtmTimeoutError',
    );
  });
});
