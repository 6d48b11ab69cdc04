/**
 * Agora Notifications' signatures: `Agora-Signature` is the hex HMAC-SHA1 of the raw request
 * body keyed with the secret, `Agora-Signature-V2` the hex HMAC-SHA256, so a handler written
 * for Agora's notifications verifies Parley's unchanged.
 */
import { createHmac } from 'node:crypto';

export function signatureHeaders(body: string, secret: string): Record<string, string> {
  return {
    'Agora-Signature': createHmac('sha1', secret).update(body).digest('hex'),
    'Agora-Signature-V2': createHmac('sha256', secret).update(body).digest('hex'),
  };
}
