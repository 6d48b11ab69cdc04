/**
 * The Parley demo page: log in as any user id, chat in channels, message and call people.
 * The connection state stays in the header the whole time.
 */
import { Calls } from './calls.js';
import { Conversations } from './conversations.js';
import { byId, notify } from './dom.js';
import { idProblem, showProblem } from './ids.js';
import { People } from './people.js';
import { createClient, describeError, type ConnectionState, type RtmClient } from './rtm.js';

/** The app id: `?app=` in the page URL (a server in open mode takes any). */
const appId = new URLSearchParams(location.search).get('app') || 'parley-demo';

const stateText: Record<ConnectionState, string> = {
  DISCONNECTED: 'Offline',
  CONNECTING: 'Connecting…',
  CONNECTED: 'Online',
  RECONNECTING: 'Reconnecting…',
  ABORTED: 'Signed out',
};

interface Session {
  client: RtmClient;
  uid: string;
  stop: AbortController;
  conversations: Conversations;
  people: People;
  calls: Calls;
}

let session: Session | undefined;

const loginForm = byId<HTMLFormElement>('login');
const uidInput = byId<HTMLInputElement>('uid');
const loginError = byId('login-error');
uidInput.value = localStorage.getItem('parley-demo-uid') ?? '';
uidInput.addEventListener('input', () => showProblem(loginError, uidInput, undefined));

loginForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const uid = uidInput.value.trim();
  if (showProblem(loginError, uidInput, idProblem('User ID', uid))) void logIn(uid);
});
byId('logout').addEventListener('click', () => void logOut());

showState('DISCONNECTED', '');

async function logIn(uid: string): Promise<void> {
  const button = loginForm.querySelector('button')!;
  button.disabled = true;
  let client: RtmClient;
  try {
    client = createClient(appId);
    client.on('ConnectionStateChanged', (state, reason) => {
      showState(state, reason);
      if (session?.client === client) connected(state === 'CONNECTED');
      if (state === 'ABORTED') {
        notify(reason === 'REMOTE_LOGIN' ? `${uid} logged in elsewhere.` : `Signed out: ${reason}`);
        tearDown();
      }
    });
    await client.login({ uid });
  } catch (err) {
    showProblem(loginError, uidInput, `Login failed: ${describeError(err)}`);
    button.disabled = false;
    return;
  }
  localStorage.setItem('parley-demo-uid', uid);
  const stop = new AbortController();
  const s: Partial<Session> = { client, uid, stop };
  const people = new People(
    client,
    uid,
    {
      channel: () => s.conversations?.openChannel,
      message: (id) => s.conversations?.openPeer(id),
      call: (id) => s.calls?.start(id),
    },
    stop.signal,
  );
  s.people = people;
  s.calls = new Calls(client);
  s.conversations = new Conversations(
    client,
    uid,
    {
      seen: (ids) => people.see(ids),
      changed: () => people.render(),
      call: (id) => s.calls?.start(id),
    },
    stop.signal,
  );
  session = s as Session;
  people.fitScreen();
  byId('me').textContent = uid;
  setView('app');
  button.disabled = false;
}

async function logOut(): Promise<void> {
  const client = session?.client;
  tearDown();
  await client?.logout().catch((err: unknown) => notify(describeError(err), 'error'));
  showState('DISCONNECTED', 'LOGOUT');
}

function tearDown(): void {
  if (!session) return;
  session.stop.abort();
  session.conversations.dispose();
  session.calls.dispose();
  session.client.removeAllListeners();
  session = undefined;
  byId('conn-banner').hidden = true;
  delete document.body.dataset.conn;
  setView('login');
}

/** While the connection is down the page says so, greys presence and pauses sending. */
function connected(up: boolean): void {
  byId('conn-banner').hidden = up;
  document.body.dataset.conn = up ? 'up' : 'down';
  session?.people.setConnected(up);
  session?.conversations.setConnected(up);
}

function setView(view: 'login' | 'app'): void {
  byId('login-view').hidden = view !== 'login';
  byId('app-view').hidden = view !== 'app';
  byId('me').hidden = view !== 'app';
  byId('logout').hidden = view !== 'app';
  if (view === 'login') uidInput.focus();
}

function showState(state: ConnectionState, reason: string): void {
  const el = byId('state');
  el.dataset.state = state;
  el.textContent = stateText[state] ?? state;
  el.title = reason ? `${state} (${reason})` : state;
}
