/**
 * The admin console's calls: Parley's operations API and Agora's REST message endpoints on the
 * page's own origin, each with the signed-in key:secret as HTTP basic auth. The credentials
 * live in this tab's sessionStorage only.
 */

export interface Credentials {
  key: string;
  secret: string;
  app: string;
}

export interface StatsSample {
  ts: number;
  connections: number;
  sessions: number;
  messagesPerSecond: number;
  deliveriesPerSecond: number;
}

export interface Stats {
  node: string;
  intervalMs: number;
  windowMs: number;
  samples: StatsSample[];
}

export interface Nodes {
  mode: 'embedded' | 'redis';
  nodes: { node: string; sessions: number; self: boolean }[];
}

export interface User {
  userId: string;
  online: boolean;
  presence: 'ONLINE' | 'UNREACHABLE' | 'OFFLINE';
  channels: string[];
  attributes: Record<string, string>;
}

export interface ChannelAttribute {
  value: string;
  lastUpdateUserId: string;
  lastUpdateTs: number;
}

export interface Channel {
  channelId: string;
  memberCount: number;
  members: string[];
  attributes: Record<string, ChannelAttribute>;
  metadata: { majorRevision: number; items: { key: string; value: string; revision: number }[] };
}

/** A refused call: its HTTP status and the server's message (which names the field). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const STORE = 'parley-admin';

export function savedCredentials(): Credentials | undefined {
  const raw = sessionStorage.getItem(STORE);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Credentials;
  } catch {
    return undefined;
  }
}

export class Api {
  private readonly auth: string;

  constructor(readonly creds: Credentials) {
    this.auth = 'Basic ' + btoa(`${creds.key}:${creds.secret}`);
  }

  remember(): void {
    sessionStorage.setItem(STORE, JSON.stringify(this.creds));
  }

  static forget(): void {
    sessionStorage.removeItem(STORE);
  }

  private get app(): string {
    return encodeURIComponent(this.creds.app);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(path, {
      method,
      headers: {
        authorization: this.auth,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await res.json().catch(() => ({}))) as { message?: string } & T;
    if (!res.ok) throw new ApiError(res.status, answer.message ?? `HTTP ${res.status}`);
    return answer;
  }

  stats = () => this.call<Stats>('GET', '/v1/admin/stats');
  nodes = () => this.call<Nodes>('GET', '/v1/admin/nodes');
  user = (uid: string) =>
    this.call<User>('GET', `/v1/apps/${this.app}/users/${encodeURIComponent(uid)}`);
  channels = () =>
    this.call<{ channels: { channelId: string; memberCount: number }[]; next: string }>(
      'GET',
      `/v1/apps/${this.app}/channels?limit=50`,
    );
  channel = (id: string) =>
    this.call<Channel>('GET', `/v1/apps/${this.app}/channels/${encodeURIComponent(id)}`);
  kick = (uid: string) =>
    this.call<{ kicked: boolean }>(
      'POST',
      `/v1/apps/${this.app}/users/${encodeURIComponent(uid)}/kick`,
    );
  ban = (uid: string, durationSeconds: number) =>
    this.call<{ kicked: boolean; bannedUntil: number }>(
      'POST',
      `/v1/apps/${this.app}/users/${encodeURIComponent(uid)}/ban`,
      { durationSeconds },
    );
  unban = (uid: string) =>
    this.call<object>('DELETE', `/v1/apps/${this.app}/users/${encodeURIComponent(uid)}/ban`);

  /** Agora's REST peer message, waiting for the receiver's ack. */
  sendPeer = (from: string, to: string, payload: string) =>
    this.call<{ code: string }>(
      'POST',
      `/dev/v2/project/${this.app}/rtm/users/${encodeURIComponent(from)}/peer_messages?wait_for_ack=true`,
      { destination: to, payload, enable_offline_messaging: true },
    );

  sendChannel = (from: string, channel: string, payload: string) =>
    this.call<{ code: string }>(
      'POST',
      `/dev/v2/project/${this.app}/rtm/users/${encodeURIComponent(from)}/channel_messages`,
      { channel_name: channel, payload },
    );
}
