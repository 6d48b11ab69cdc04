/**
 * telephony: invitations to phone numbers and DTMF go to the operator's telephony gateway
 * (`PARLEY_TELEPHONY_WEBHOOK`, an HTTP POST); without one they fail with a clear reason.
 *
 * The body is one JSON object:
 * `{type: 'invite' | 'dtmf' | 'end', appId, from, channel, phone, sourceNumber?, extra?, dtmf?, ts}`.
 * A 2xx answer within `gatewayTimeoutMs` means the gateway took it (the reply is `ok`); any other
 * status is `err` TelephonyError.OTHER, no answer or no connection is `err` TelephonyError.NET.
 */
import { Limits, TelephonyError, type Clock, type TelephonyRequest } from '@parley/protocol';
import type { ServerConfig } from '../config.js';
import type { Hub } from '../hub.js';
import { op, type ServiceFrame, type SessionService } from '../service.js';
import type { Session } from '../session.js';

const TELEPHONY = op(TelephonyError.NET, TelephonyError.OTHER);

const TYPE = { 'tel.invite': 'invite', 'tel.dtmf': 'dtmf', 'tel.end': 'end' } as const;

export class Telephony implements SessionService {
  readonly name = 'telephony';
  readonly ops = { 'tel.invite': TELEPHONY, 'tel.dtmf': TELEPHONY, 'tel.end': TELEPHONY };

  constructor(
    private readonly hub: Hub,
    private readonly config: ServerConfig,
    private readonly clock: Clock,
  ) {}

  async handle(session: Session, frame: ServiceFrame, now: number): Promise<void> {
    const f = frame as TelephonyRequest;
    const err = (c: number, m: string) => this.hub.tell(session, { t: 'err', i: f.i, c, m });
    const { telephonyRateCount, telephonyRateWindowMs } = Limits;
    const gatewayTimeoutMs = this.config.telephonyTimeoutMs;
    const url = this.config.telephonyWebhook;
    if (!url)
      return err(
        TelephonyError.OTHER,
        'telephony: no gateway is configured; the operator sets PARLEY_TELEPHONY_WEBHOOK (--telephony-webhook) to its URL',
      );
    if (!session.rate('telephony', telephonyRateCount, telephonyRateWindowMs).take(now))
      return err(
        TelephonyError.OTHER,
        `telephony: more than ${telephonyRateCount} requests per ${telephonyRateWindowMs / 1000} s`,
      );
    const body: Record<string, unknown> = {
      type: TYPE[f.t],
      appId: session.app,
      from: session.uid,
      channel: f.c,
      phone: f.phone,
    };
    if (f.t === 'tel.invite' && f.src !== undefined) body.sourceNumber = f.src;
    if (f.t !== 'tel.dtmf' && f.extra !== undefined) body.extra = f.extra;
    if (f.t === 'tel.dtmf') body.dtmf = f.dtmf;
    body.ts = now;
    let status: number;
    // The deadline runs on the server's clock (a test advances it instead of waiting 5 s).
    const abort = new AbortController();
    let timedOut = false;
    const deadline = this.clock.setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, gatewayTimeoutMs);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: abort.signal,
      });
      status = res.status;
      await res.body?.cancel();
    } catch (e) {
      return err(
        TelephonyError.NET,
        timedOut
          ? `telephony: the gateway did not answer within ${gatewayTimeoutMs / 1000} s`
          : `telephony: the gateway could not be reached (${describe(e)})`,
      );
    } finally {
      this.clock.clear(deadline);
    }
    if (status < 200 || status > 299)
      return err(TelephonyError.OTHER, `telephony: the gateway refused with HTTP ${status}`);
    this.hub.tell(session, { t: 'ok', i: f.i });
  }
}

function describe(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return e instanceof Error ? e.message : String(e);
}
