/**
 * Reading a REST request's JSON body: a body larger than the limit is refused before any of it
 * is parsed (by its Content-Length when it has one, else as soon as the bytes pass the limit,
 * and the rest is not read), so a large body costs no memory or parsing.
 */
import type http from 'node:http';
import { RestError, badRequest } from './answers.js';

const tooLarge = (max: number) =>
  new RestError(400, 'body_too_large', `body: more than ${max} bytes; the limit is ${max} bytes`);

/** The body as a JSON object; `{}` when there is none. */
export function readJsonObject(
  req: http.IncomingMessage,
  maxBytes: number,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      req.resume();
      reject(tooLarge(maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= maxBytes) {
        chunks.push(c);
        return;
      }
      req.off('data', onData);
      req.resume();
      chunks.length = 0;
      reject(tooLarge(maxBytes));
    };
    req.on('data', onData);
    req.on('error', () => reject(badRequest('body: the request broke off')));
    req.on('end', () => {
      if (size > maxBytes) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({});
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch {
        return reject(badRequest('body: must be JSON'));
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        return reject(badRequest('body: must be a JSON object'));
      resolve(v as Record<string, unknown>);
    });
  });
}
