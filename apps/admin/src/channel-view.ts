/**
 * The channel panel: the live channels with their counts (on every poll), and one channel's
 * members, attributes and metadata, with a form to send it a message (Agora's REST endpoint,
 * no join needed).
 */
import { byId, h } from '../../demo/src/dom.js';
import type { Api, Channel } from './api.js';
import { report } from './toast.js';

export class ChannelView {
  private id: string | undefined;
  private readonly root = byId('channel-view');

  constructor(private readonly api: Api) {
    byId('channel-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.open(byId<HTMLInputElement>('channel-id').value.trim());
    });
  }

  private open(id: string): void {
    this.id = id;
    this.root.replaceChildren();
    void this.refresh();
  }

  async refresh(): Promise<void> {
    await Promise.all([this.list(), this.detail()]);
  }

  private async list(): Promise<void> {
    let page;
    try {
      page = await this.api.channels();
    } catch (err) {
      return report(err);
    }
    byId('channel-list').replaceChildren(
      ...page.channels.map((c) => {
        const b = h(
          'button',
          { type: 'button', class: 'chip' },
          `# ${c.channelId} · ${c.memberCount}`,
        );
        b.addEventListener('click', () => this.open(c.channelId));
        return h('li', {}, b);
      }),
    );
  }

  private async detail(): Promise<void> {
    const id = this.id;
    if (!id) return;
    let c: Channel;
    try {
      c = await this.api.channel(id);
    } catch (err) {
      return report(err);
    }
    if (id !== this.id) return;
    const attrs = Object.entries(c.attributes);
    const facts = h(
      'dl',
      { class: 'facts', id: 'channel-facts', 'data-channel': c.channelId },
      h('dt', {}, 'Channel'),
      h('dd', {}, c.channelId),
      h('dt', {}, 'Members'),
      h('dd', {}, `${c.memberCount}`, c.members.length > 0 ? `: ${c.members.join(', ')}` : ''),
      h('dt', {}, 'Attributes'),
      h(
        'dd',
        {},
        attrs.length > 0
          ? h(
              'ul',
              { class: 'plain' },
              ...attrs.map(([k, a]) =>
                h(
                  'li',
                  {},
                  h('code', {}, k),
                  ' = ',
                  a.value,
                  h('span', { class: 'muted' }, ` (${a.lastUpdateUserId || 'server'})`),
                ),
              ),
            )
          : '—',
      ),
      h('dt', {}, 'Metadata'),
      h(
        'dd',
        {},
        c.metadata.items.length > 0
          ? h(
              'ul',
              { class: 'plain' },
              ...c.metadata.items.map((i) =>
                h(
                  'li',
                  {},
                  h('code', {}, i.key),
                  ' = ',
                  i.value,
                  h('span', { class: 'muted' }, ` r${i.revision}`),
                ),
              ),
            )
          : '—',
      ),
    );
    const existing = this.root.querySelector('#channel-facts');
    if (existing) {
      existing.replaceWith(facts);
      return;
    }
    this.root.replaceChildren(facts, this.sender(c.channelId));
  }

  private sender(channel: string): HTMLElement {
    const from = h('input', {
      'aria-label': 'Send as',
      value: 'admin',
      maxlength: '64',
      required: true,
    });
    const text = h('input', {
      'aria-label': 'Channel message',
      placeholder: 'Message',
      required: true,
    });
    const form = h(
      'form',
      { class: 'inline', 'aria-label': `Message #${channel}` },
      from,
      text,
      h('button', { type: 'submit' }, 'Send'),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.api.sendChannel(from.value.trim(), channel, text.value).then(() => {
        report(`Sent to #${channel}`);
        text.value = '';
      }, report);
    });
    return form;
  }
}
