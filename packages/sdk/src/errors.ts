/**
 * The errors a rejected SDK promise carries: one class per error kind of the agora-rtm-sdk web
 * SDK, each with that SDK's `name`, the per-API numeric `code` of the RTM 1.x enums, and the
 * server's own code when it had one.
 *
 * @example
 * ```ts
 * try {
 *   await channel.join();
 * } catch (e) {
 *   if (e instanceof RtmLimitExceededError && e.code === JoinChannelError.EXCEED_LIMIT) leaveOne();
 * }
 * ```
 */
import { errorName, type ApiName, type RtmErrorName } from '@parley/protocol';

export interface RtmErrorInit {
  /** The per-API code (e.g. `LoginError.TIMEOUT`). */
  code: number;
  serverCode?: number;
  originalError?: unknown;
  /** The API whose table `code` belongs to. */
  api?: string;
}

/** Base of every SDK error; `instanceof RtmError` holds for all of them. */
export class RtmError extends Error {
  override name: string = 'RtmError';
  readonly code: number;
  readonly serverCode?: number;
  readonly originalError?: unknown;
  readonly api?: string;

  /** `init` is the code alone, or the code with the server's code, the cause and the API. */
  constructor(message: string, init: number | RtmErrorInit) {
    const o = typeof init === 'number' ? { code: init } : init;
    super(message, o.originalError === undefined ? undefined : { cause: o.originalError });
    this.code = o.code;
    this.serverCode = o.serverCode;
    this.originalError = o.originalError;
    this.api = o.api;
  }
}

export class RtmInvalidArgumentError extends RtmError {
  override name = 'RtmInvalidArgumentError' as const;
}
export class RtmInvalidStatusError extends RtmError {
  override name = 'RtmInvalidStatusError' as const;
}
export class RtmTimeoutError extends RtmError {
  override name = 'RtmTimeoutError' as const;
}
export class RtmLimitExceededError extends RtmError {
  override name = 'RtmLimitExceededError' as const;
}
export class RtmInvokeTooOftenError extends RtmError {
  override name = 'RtmInvokeTooOftenError' as const;
}
export class RtmUnavailableError extends RtmError {
  override name = 'RtmUnavailableError' as const;
}
export class RtmUnauthenticatedError extends RtmError {
  override name = 'RtmUnauthenticatedError' as const;
}
export class RtmUnknownError extends RtmError {
  override name = 'RtmUnknownError' as const;
}
export class RtmInternalError extends RtmError {
  override name = 'RtmInternalError' as const;
}

const CLASSES: Readonly<
  Record<RtmErrorName, new (message: string, init: number | RtmErrorInit) => RtmError>
> = {
  RtmInvalidArgumentError,
  RtmInvalidStatusError,
  RtmTimeoutError,
  RtmLimitExceededError,
  RtmInvokeTooOftenError,
  RtmUnavailableError,
  RtmUnauthenticatedError,
  RtmUnknownError,
  RtmInternalError,
};

/**
 * The error for `code` of `api`, of the class the web SDK uses for it
 * (`createRtmError('login', LoginError.INVALID_TOKEN, 'token: expired')` is an RtmUnauthenticatedError).
 */
export function createRtmError(
  api: ApiName,
  code: number,
  message: string,
  serverCode?: number,
): RtmError {
  return new CLASSES[errorName(api, code)](message, { code, serverCode, api });
}

/**
 * A request that got no answer in time, worded as the web SDK words it:
 * `timeoutError('login', LoginError.TIMEOUT, 'RtmClient.login', 12)` says
 * `Executing "RtmClient.login" timed out after 12s`.
 */
export function timeoutError(
  api: ApiName,
  code: number,
  what: string,
  seconds: number,
): RtmTimeoutError {
  return new RtmTimeoutError(`Executing "${what}" timed out after ${seconds}s`, { code, api });
}
