/**
 * The user panel: presence, joined channels and attributes of one user (refreshed on every
 * poll, so a user going online shows), and what an operator does to them: send a peer message
 * (Agora's REST endpoint), kick, ban for a while, lift a ban.
 */
import { byId, h } from '../../demo/src/dom.js';
import type { Api, User } from './api.js';
import { report } from './toast.js';

const BANS: [string, number][] = [
  ['10 minutes', 600],
  ['1 hour', 3600],
  ['1 day', 86_400],
];

export class UserView {
  private uid: string | undefined;
  private readonly root = byId('user-view');

  constructor(private readonly api: Api) {
    byId('user-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.uid = byId<HTMLInputElement>('user-id').value.trim();
      this.root.replaceChildren();
      void this.refresh();
    });
  }

  /** Reads the user again (on every poll while one is open). */
  async refresh(): Promise<void> {
    const uid = this.uid;
    if (!uid) return;
    let user: User;
    try {
      user = await this.api.user(uid);
    } catch (err) {
      return report(err);
    }
    if (uid !== this.uid) return;
    this.show(user);
  }

  private show(u: User): void {
    const state = u.presence.toLowerCase();
    const facts = h(
      'dl',
      { class: 'facts', id: 'user-facts', 'data-uid': u.userId, 'data-presence': state },
      h('dt', {}, 'User'),
      h('dd', {}, u.userId),
      h('dt', {}, 'Presence'),
      h('dd', {}, h('span', { class: 'dot', 'data-presence': state }), u.presence),
      h('dt', {}, 'Channels'),
      h('dd', {}, u.channels.length > 0 ? u.channels.join(', ') : '—'),
      h('dt', {}, 'Attributes'),
      h(
        'dd',
        {},
        Object.keys(u.attributes).length > 0
          ? h(
              'ul',
              { class: 'plain' },
              ...Object.entries(u.attributes).map(([k, v]) =>
                h('li', {}, h('code', {}, k), ' = ', v),
              ),
            )
          : '—',
      ),
    );
    const existing = this.root.querySelector('#user-facts');
    if (existing) {
      existing.replaceWith(facts);
      return;
    }
    this.root.replaceChildren(facts, this.actions(u.userId));
  }

  private actions(uid: string): HTMLElement {
    const from = h('input', {
      'aria-label': 'Send as',
      value: 'admin',
      maxlength: '64',
      required: true,
    });
    const text = h('input', { 'aria-label': 'Message', placeholder: 'Message', required: true });
    const send = h(
      'form',
      { class: 'inline', 'aria-label': `Message ${uid}` },
      from,
      text,
      h('button', { type: 'submit' }, 'Send'),
    );
    send.addEventListener('submit', (e) => {
      e.preventDefault();
      this.api.sendPeer(from.value.trim(), uid, text.value).then((r) => {
        report(`Message to ${uid}: ${r.code.replace('message_', '')}`);
        text.value = '';
      }, report);
    });
    const duration = h(
      'select',
      { 'aria-label': 'Ban for' },
      ...BANS.map(([label, s]) => h('option', { value: String(s) }, label)),
    );
    const button = (label: string, run: () => Promise<string>) => {
      const b = h(
        'button',
        { type: 'button', class: label === 'Unban' ? 'quiet' : 'danger' },
        label,
      );
      b.addEventListener('click', () => {
        run().then((msg) => {
          report(msg);
          void this.refresh();
        }, report);
      });
      return b;
    };
    const moderate = h(
      'div',
      { class: 'inline', role: 'group', 'aria-label': `Moderate ${uid}` },
      button('Kick', async () =>
        (await this.api.kick(uid)).kicked ? `${uid} kicked` : `${uid} was not online`,
      ),
      duration,
      button('Ban', async () => {
        const r = await this.api.ban(uid, Number(duration.value));
        return `${uid} banned until ${new Date(r.bannedUntil).toLocaleString()}`;
      }),
      button('Unban', async () => (await this.api.unban(uid), `${uid} may log in again`)),
    );
    return h('div', { class: 'actions' }, send, moderate);
  }
}
