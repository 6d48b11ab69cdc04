/**
 * The admin console: sign in with a key:secret of PARLEY_REST_KEYS, then live charts, the
 * deployment's nodes, user and channel lookups and actions, all from the REST API, polled
 * every couple of seconds.
 */
import { byId, h } from '../../demo/src/dom.js';
import { Api, ApiError, savedCredentials, type Credentials } from './api.js';
import { drawCharts } from './charts.js';
import { ChannelView } from './channel-view.js';
import { report } from './toast.js';
import { UserView } from './user-view.js';

const POLL_MS = 2000;
let poller: ReturnType<typeof setInterval> | undefined;

async function signIn(creds: Credentials): Promise<void> {
  const api = new Api(creds);
  const first = await api.stats();
  const windowSamples = Math.max(2, Math.round(first.windowMs / first.intervalMs));
  api.remember();
  byId('login-view').hidden = true;
  byId('console').hidden = false;
  byId('signout').hidden = false;
  const users = new UserView(api);
  const channels = new ChannelView(api);
  const poll = async () => {
    try {
      const [stats, nodes] = await Promise.all([api.stats(), api.nodes()]);
      byId('where').textContent = `${creds.app} · node ${stats.node} · ${nodes.mode}`;
      drawCharts(stats.samples, windowSamples);
      byId('nodes')
        .querySelector('tbody')!
        .replaceChildren(
          ...nodes.nodes.map((n) =>
            h(
              'tr',
              { 'data-node': n.node },
              h('td', {}, n.node, n.self ? h('span', { class: 'muted' }, ' (this one)') : ''),
              h('td', {}, String(n.sessions)),
            ),
          ),
        );
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return signOut();
      report(err);
    }
    await Promise.all([users.refresh(), channels.refresh()]);
  };
  await poll();
  poller = setInterval(() => void poll(), POLL_MS);
}

function signOut(): void {
  clearInterval(poller);
  Api.forget();
  location.reload();
}

function start(): void {
  const app = byId<HTMLInputElement>('app');
  app.value = new URLSearchParams(location.search).get('app') ?? 'parley-demo';
  byId('signout').addEventListener('click', signOut);
  byId('login').addEventListener('submit', (e) => {
    e.preventDefault();
    const error = byId('login-error');
    error.hidden = true;
    const creds = {
      key: byId<HTMLInputElement>('key').value,
      secret: byId<HTMLInputElement>('secret').value,
      app: app.value.trim(),
    };
    signIn(creds).catch((err: unknown) => {
      error.textContent =
        err instanceof ApiError && err.status === 401
          ? 'Wrong key or secret.'
          : err instanceof ApiError && err.status === 404
            ? 'The REST API is off on this server: set PARLEY_REST_KEYS.'
            : String(err instanceof Error ? err.message : err);
      error.hidden = false;
    });
  });
  const saved = savedCredentials();
  if (saved) signIn(saved).catch(() => Api.forget());
}

start();
