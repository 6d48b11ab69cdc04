/**
 * @parley/signaling — the legacy Agora Signaling API (Web SDK 1.3-era) on top of @parley/sdk.
 *
 * ```ts
 * import Signal from '@parley/signaling';
 * const signal = Signal(appId, { serverUrl: 'ws://localhost:8080' });
 * const session = signal.login('alice', '_no_need_token');
 * session.onLoginSuccess = (uid) => console.log('logged in', uid);
 * ```
 */
export interface SignalOptions {
  serverUrl?: string | string[];
}

export default function Signal(_appId: string, _options: SignalOptions = {}): never {
  throw new Error('@parley/signaling: not implemented yet');
}
