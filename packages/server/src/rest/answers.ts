/**
 * How every REST call is answered: JSON, `{result: 'success', request_id, …}` or
 * `{result: 'failed', request_id, code, message}`, the message naming the field and the limit.
 * Handlers throw `RestError` for a refusal; anything else thrown is a 500.
 */
import type http from 'node:http';

/** A refusal: the HTTP status, a stable code and a message naming the field and the limit. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** 400: a parameter breaks a rule. */
export const badRequest = (message: string): RestError =>
  new RestError(400, 'invalid_argument', message);

export type SuccessBody = Record<string, unknown>;

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: Record<string, unknown>,
  headers: http.OutgoingHttpHeaders = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function failure(requestId: string, e: RestError): Record<string, unknown> {
  return { result: 'failed', request_id: requestId, code: e.code, message: e.message };
}
