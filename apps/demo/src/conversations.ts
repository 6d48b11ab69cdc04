/**
 * The chat pane: one tab per joined channel and per peer, the messages of the open one, its
 * header (a channel's topic, from the channel attribute `topic`) and the composer.
 */
import { byId, clockTime, h, notify } from './dom.js';
import { idProblem, showProblem } from './ids.js';
import { describeError, type RtmChannel, type RtmClient, type RtmMessage } from './rtm.js';

/** The channel attribute shown as a channel's topic line. */
export const TOPIC_KEY = 'topic';

type Receipt = 'sending' | 'sent' | 'delivered' | 'offline' | 'failed';

interface Line {
  from: string;
  text: string;
  ts: number;
  /** A notice (joins, leaves, topic changes) rather than a message. */
  notice?: boolean;
  receipt?: Receipt;
  el?: HTMLLIElement;
}

interface Conversation {
  /** `#channel` or `@peer`: the two id spaces may overlap. */
  key: string;
  kind: 'channel' | 'peer';
  id: string;
  lines: Line[];
  unread: number;
  channel?: RtmChannel;
  topic?: { text: string; by: string };
  members: Set<string>;
}

export interface ConversationHooks {
  /** Someone the page should show in People (and watch the presence of). */
  seen(ids: string[]): void;
  /** A channel's members, or which conversation is open, changed. */
  changed(): void;
  call(peerId: string): void;
}

const receiptText: Record<Receipt, [string, string]> = {
  sending: ['…', 'sending'],
  sent: ['✓', 'sent'],
  delivered: ['✓✓', 'delivered'],
  offline: ['○', 'not delivered: the user is offline'],
  failed: ['!', 'not sent'],
};

export class Conversations {
  private readonly all = new Map<string, Conversation>();
  /** The open conversation; undefined shows the join form. */
  private active: Conversation | undefined;
  private readonly tabs = byId('tabs');
  private readonly head = byId('convo-head');
  private readonly list = byId<HTMLOListElement>('messages');
  private readonly joinForm = byId<HTMLFormElement>('join');
  private readonly composer = byId<HTMLFormElement>('composer');
  private readonly input = byId<HTMLInputElement>('message-text');
  private readonly channelInput = byId<HTMLInputElement>('channel-id');
  private readonly channelError = byId('channel-error');
  /** False while the connection is down: the composer is disabled. */
  private connected = true;

  constructor(
    private readonly client: RtmClient,
    private readonly me: string,
    private readonly hooks: ConversationHooks,
    signal: AbortSignal,
  ) {
    this.joinForm.addEventListener(
      'submit',
      (e) => {
        e.preventDefault();
        const id = this.channelInput.value.trim();
        if (showProblem(this.channelError, this.channelInput, idProblem('Channel id', id)))
          void this.joinChannel(id);
      },
      { signal },
    );
    this.channelInput.addEventListener(
      'input',
      () => showProblem(this.channelError, this.channelInput, undefined),
      { signal },
    );
    this.composer.addEventListener(
      'submit',
      (e) => {
        e.preventDefault();
        const text = this.input.value;
        if (text.trim() === '' || !this.active || !this.connected) return;
        this.input.value = '';
        void this.send(this.active, text);
      },
      { signal },
    );
    client.on('MessageFromPeer', (message, peerId, props) => {
      const c = this.peer(peerId);
      this.add(c, { from: peerId, text: textOf(message), ts: props.serverReceivedTs });
    });
    this.render();
  }

  /** The open channel, for the member list. */
  get openChannel(): { id: string; members: ReadonlySet<string> } | undefined {
    return this.active?.kind === 'channel' ? this.active : undefined;
  }

  async joinChannel(id: string): Promise<void> {
    const key = `#${id}`;
    const existing = this.all.get(key);
    if (existing) return this.open(existing);
    if (typeof this.client.createChannel !== 'function') {
      notify('Channels are not available in this SDK build yet.', 'error');
      return;
    }
    let channel: RtmChannel;
    try {
      channel = this.client.createChannel(id);
    } catch (err) {
      showProblem(this.channelError, this.channelInput, `Channel id: ${describeError(err)}`);
      return;
    }
    const c: Conversation = { key, kind: 'channel', id, lines: [], unread: 0, members: new Set() };
    channel.on('ChannelMessage', (message, from, props) =>
      this.add(c, { from, text: textOf(message), ts: props.serverReceivedTs }),
    );
    // After a reconnect (or a server restart) the server replays joins of members the page
    // already has: only a change of membership is a line in the feed.
    channel.on('MemberJoined', (uid) => {
      if (c.members.has(uid)) return;
      c.members.add(uid);
      this.hooks.seen([uid]);
      this.add(c, { from: uid, text: `${uid} joined`, ts: Date.now(), notice: true });
      this.hooks.changed();
    });
    channel.on('MemberLeft', (uid) => {
      if (!c.members.delete(uid)) return;
      this.add(c, { from: uid, text: `${uid} left`, ts: Date.now(), notice: true });
      this.hooks.changed();
    });
    channel.on('AttributesUpdated', (attributes) => {
      const t = attributes[TOPIC_KEY];
      c.topic = t ? { text: t.value, by: t.lastUpdateUserId } : undefined;
      if (this.active === c) this.renderHead();
    });
    try {
      await channel.join();
    } catch (err) {
      channel.removeAllListeners();
      showProblem(
        this.channelError,
        this.channelInput,
        `Could not join #${id}: ${describeError(err)}`,
      );
      return;
    }
    c.channel = channel;
    this.all.set(key, c);
    this.open(c);
    try {
      const members = await channel.getMembers();
      for (const m of members) c.members.add(m);
      this.hooks.seen(members);
      const t = (await this.client.getChannelAttributesByKeys(id, [TOPIC_KEY]))[TOPIC_KEY];
      // An AttributesUpdated that came first is newer than this answer.
      if (t && !c.topic) c.topic = { text: t.value, by: t.lastUpdateUserId };
    } catch (err) {
      notify(`#${id}: ${describeError(err)}`, 'error');
    }
    if (this.active === c) this.renderHead();
    this.hooks.changed();
  }

  /** Opens (creating it if needed) the conversation with a peer. */
  openPeer(peerId: string): void {
    this.open(this.peer(peerId));
    this.input.focus();
  }

  /** While disconnected the composer is disabled and says why. */
  setConnected(up: boolean): void {
    this.connected = up;
    this.renderComposer();
  }

  /** Drops every listener; the logout itself leaves the channels. */
  dispose(): void {
    for (const c of this.all.values()) c.channel?.removeAllListeners();
    this.all.clear();
    this.active = undefined;
    this.tabs.replaceChildren();
    this.list.replaceChildren();
  }

  private peer(peerId: string): Conversation {
    const key = `@${peerId}`;
    let c = this.all.get(key);
    if (!c) {
      c = { key, kind: 'peer', id: peerId, lines: [], unread: 0, members: new Set([peerId]) };
      this.all.set(key, c);
      this.hooks.seen([peerId]);
      this.renderTabs();
    }
    return c;
  }

  private open(c: Conversation | undefined): void {
    this.active = c;
    if (c) c.unread = 0;
    this.render();
    this.hooks.changed();
  }

  private async send(c: Conversation, text: string): Promise<void> {
    const line: Line = { from: this.me, text, ts: Date.now(), receipt: 'sending' };
    this.add(c, line);
    try {
      if (c.kind === 'channel') {
        await c.channel!.sendMessage({ text });
        this.mark(line, 'sent');
      } else {
        const r = await this.client.sendMessageToPeer({ text }, c.id);
        this.mark(line, r.hasPeerReceived ? 'delivered' : 'offline');
      }
    } catch (err) {
      this.mark(line, 'failed');
      notify(`Not sent: ${describeError(err)}`, 'error');
    }
  }

  private async leave(c: Conversation): Promise<void> {
    this.all.delete(c.key);
    if (c.channel) {
      c.channel.removeAllListeners();
      await c.channel.leave().catch((err: unknown) => notify(describeError(err), 'error'));
    }
    this.open([...this.all.values()].at(-1));
  }

  private async setTopic(c: Conversation, text: string): Promise<void> {
    try {
      await this.client.addOrUpdateChannelAttributes(
        c.id,
        { [TOPIC_KEY]: text },
        { enableNotificationToChannelMembers: true },
      );
      c.topic = { text, by: this.me };
    } catch (err) {
      notify(`Topic not set: ${describeError(err)}`, 'error');
    }
    if (this.active === c) this.renderHead();
  }

  private add(c: Conversation, line: Line): void {
    c.lines.push(line);
    if (c.lines.length > 500) c.lines.shift();
    if (this.active === c) this.appendLine(line);
    else if (!line.notice) {
      c.unread++;
      this.renderTabs();
    }
  }

  private mark(line: Line, receipt: Receipt): void {
    line.receipt = receipt;
    const el = line.el?.querySelector<HTMLElement>('.receipt');
    if (el) [el.textContent, el.title] = receiptText[receipt];
    line.el?.setAttribute('data-receipt', receipt);
  }

  private render(): void {
    this.renderTabs();
    this.renderHead();
    this.joinForm.hidden = this.active !== undefined;
    this.composer.hidden = this.active === undefined;
    this.list.hidden = this.active === undefined;
    this.list.replaceChildren();
    for (const line of this.active?.lines ?? []) this.appendLine(line);
    this.renderComposer();
    if (!this.active) this.channelInput.focus();
  }

  private renderComposer(): void {
    const c = this.active;
    this.input.disabled = !this.connected;
    this.composer.querySelector('button')!.disabled = !this.connected;
    this.composer.dataset.state = this.connected ? 'ready' : 'paused';
    if (!this.connected) this.input.placeholder = 'Offline: sending resumes once reconnected';
    else if (c)
      this.input.placeholder = c.kind === 'channel' ? `Message #${c.id}` : `Message ${c.id}`;
  }

  private renderTabs(): void {
    const tab = (label: string, selected: boolean, onClick: () => void, unread = 0) => {
      const b = h(
        'button',
        { type: 'button', role: 'tab', 'aria-selected': String(selected), class: 'tab' },
        label,
        unread > 0 && h('span', { class: 'badge', 'aria-label': `${unread} unread` }, unread),
      );
      b.addEventListener('click', onClick);
      return b;
    };
    this.tabs.replaceChildren(
      ...[...this.all.values()].map((c) =>
        tab(
          c.kind === 'channel' ? `# ${c.id}` : `@ ${c.id}`,
          c === this.active,
          () => this.open(c),
          c.unread,
        ),
      ),
      tab('+ Join', this.active === undefined, () => this.open(undefined)),
    );
  }

  private renderHead(): void {
    const c = this.active;
    this.head.hidden = c === undefined;
    if (!c) return this.head.replaceChildren();
    const button = (label: string, onClick: () => void, cls = 'quiet') => {
      const b = h('button', { type: 'button', class: cls }, label);
      b.addEventListener('click', onClick);
      return b;
    };
    if (c.kind === 'peer') {
      this.head.replaceChildren(
        h('p', { class: 'topic' }, 'Direct messages with ', h('b', {}, c.id)),
        button('Call', () => this.hooks.call(c.id)),
        button('Close', () => void this.leave(c)),
      );
      return;
    }
    const topic = h(
      'p',
      { class: 'topic', id: 'topic' },
      c.topic?.text
        ? h('span', { class: 'topic-text' }, c.topic.text)
        : h('span', { class: 'topic-text muted' }, 'No topic'),
      c.topic?.text && h('span', { class: 'muted topic-by' }, ` · set by ${c.topic.by}`),
    );
    const edit = button('Edit topic', () => {
      const input = h('input', {
        'aria-label': 'Topic',
        value: c.topic?.text ?? '',
        maxlength: '200',
      });
      const form = h('form', { class: 'topic-form' }, input, h('button', {}, 'Save'));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        void this.setTopic(c, input.value.trim());
      });
      this.head.replaceChildren(
        form,
        button('Cancel', () => this.renderHead()),
      );
      input.focus();
    });
    this.head.replaceChildren(
      topic,
      edit,
      button('Leave', () => void this.leave(c)),
    );
  }

  private appendLine(line: Line): void {
    const stick = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 60;
    const mine = line.from === this.me && !line.notice;
    line.el = line.notice
      ? h('li', { class: 'notice' }, line.text)
      : h(
          'li',
          { class: mine ? 'msg mine' : 'msg', 'data-from': line.from },
          h(
            'div',
            { class: 'meta' },
            h('b', {}, mine ? 'you' : line.from),
            ' ',
            h('time', { datetime: new Date(line.ts).toISOString() }, clockTime(line.ts)),
            line.receipt && h('span', { class: 'receipt' }),
          ),
          h('p', { class: 'text' }, line.text),
        );
    this.list.append(line.el);
    if (line.receipt) this.mark(line, line.receipt);
    if (stick || mine) this.list.scrollTop = this.list.scrollHeight;
  }
}

function textOf(message: RtmMessage): string {
  if (message.text !== undefined) return message.text;
  return `[binary message${message.description ? `: ${message.description}` : ''}]`;
}
