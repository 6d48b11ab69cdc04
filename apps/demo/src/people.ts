/**
 * People: the members of the open channel, then everyone else the page has met (peers who
 * wrote, were written to, called, or were added by id), each with an online dot kept by a
 * presence subscription (`subscribePeersOnlineStatus` → `PeersOnlineStatusChanged`).
 */
import { byId, h } from './dom.js';
import { idProblem, showProblem } from './ids.js';
import { describeError, type PeerOnlineState, type RtmClient } from './rtm.js';

export interface PeopleHooks {
  /** The open channel, whose members come first. */
  channel(): { id: string; members: ReadonlySet<string> } | undefined;
  message(peerId: string): void;
  call(peerId: string): void;
}

const presenceText: Record<PeerOnlineState, string> = {
  ONLINE: 'online',
  UNREACHABLE: 'unreachable',
  OFFLINE: 'offline',
};

export class People {
  private readonly known = new Set<string>();
  private readonly presence = new Map<string, PeerOnlineState>();
  private readonly box = byId<HTMLDetailsElement>('people');
  private readonly sections = byId('people-sections');
  private readonly addError = byId('add-person-error');
  /** False while the connection is down: presence is then unknown. */
  private connected = true;

  constructor(
    private readonly client: RtmClient,
    private readonly me: string,
    private readonly hooks: PeopleHooks,
    signal: AbortSignal,
  ) {
    client.on('PeersOnlineStatusChanged', (status) => {
      for (const [id, state] of Object.entries(status)) this.presence.set(id, state);
      this.render();
    });
    byId<HTMLFormElement>('add-person').addEventListener(
      'submit',
      (e) => {
        e.preventDefault();
        const input = byId<HTMLInputElement>('add-person-id');
        const id = input.value.trim();
        const problem = idProblem('User ID', id) ?? (id === this.me ? 'That is you.' : undefined);
        if (!showProblem(this.addError, input, problem)) return;
        input.value = '';
        this.see([id]);
      },
      { signal },
    );
    const input = byId<HTMLInputElement>('add-person-id');
    input.addEventListener('input', () => showProblem(this.addError, input, undefined), {
      signal,
    });
    this.render();
  }

  /** Shows these users and subscribes to their presence (once each). */
  see(ids: readonly string[]): void {
    const fresh = ids.filter((id) => id !== this.me && !this.known.has(id));
    if (fresh.length === 0) return this.render();
    for (const id of fresh) this.known.add(id);
    this.render();
    this.client.subscribePeersOnlineStatus(fresh).catch((err: unknown) => {
      // Not watched, so not listed: a contact without presence would look like a working one.
      for (const id of fresh) this.known.delete(id);
      this.render();
      showProblem(
        this.addError,
        byId<HTMLInputElement>('add-person-id'),
        `Could not add ${fresh.join(', ')}: ${describeError(err)}`,
      );
    });
  }

  /** While disconnected every dot is grey ("unknown"); the last known states come back after. */
  setConnected(up: boolean): void {
    this.connected = up;
    this.render();
  }

  render(): void {
    const channel = this.hooks.channel();
    const members = channel ? [...channel.members].sort() : [];
    const others = [...this.known].filter((id) => !channel?.members.has(id)).sort();
    const online = [...this.known].filter((id) => this.presence.get(id) === 'ONLINE').length;
    byId('people-count').textContent = this.connected ? `· ${online} online` : '· offline';
    const section = (title: string, ids: string[]) =>
      h(
        'section',
        { 'aria-label': title },
        h('h2', {}, title),
        h('ul', { class: 'people-list' }, ...ids.map((id) => this.row(id))),
      );
    this.sections.replaceChildren(
      ...(channel ? [section(`In #${channel.id} · ${members.length}`, members)] : []),
      ...(others.length > 0 ? [section(channel ? 'Others' : 'Contacts', others)] : []),
      ...(!channel && others.length === 0
        ? [h('p', { class: 'muted hint' }, 'Join a channel, or add someone by user id.')]
        : []),
    );
  }

  /** Opens the list on wide screens; on a phone it starts folded above the chat. */
  fitScreen(): void {
    this.box.open = window.matchMedia('(min-width: 720px)').matches;
  }

  private row(id: string): HTMLLIElement {
    const state = !this.connected ? undefined : id === this.me ? 'ONLINE' : this.presence.get(id);
    const label = state ? presenceText[state] : 'unknown';
    const li = h(
      'li',
      { class: 'person', 'data-uid': id, 'data-presence': label },
      h('span', { class: 'dot', title: label, role: 'img', 'aria-label': label }),
      h('span', { class: 'name' }, id, id === this.me && h('span', { class: 'muted' }, ' (you)')),
    );
    if (id !== this.me) {
      const message = h('button', { type: 'button', class: 'quiet' }, 'Message');
      const call = h('button', { type: 'button', class: 'quiet' }, 'Call');
      message.addEventListener('click', () => this.hooks.message(id));
      call.addEventListener('click', () => this.hooks.call(id));
      li.append(h('span', { class: 'actions' }, message, call));
    }
    return li;
  }
}
