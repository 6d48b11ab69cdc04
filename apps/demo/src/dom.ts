/** Small DOM helpers: user text goes in through text nodes, never as HTML. */

type Child = Node | string | number | null | undefined | false;

/** Creates an element; `true` sets a boolean attribute, `false`/`undefined` leave it out. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el as T;
}

export function clockTime(ts: number): string {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;

/** Shows a short notice at the bottom of the screen (errors, call outcomes). */
export function notify(text: string, kind: 'info' | 'error' = 'info'): void {
  const el = byId('toast');
  el.textContent = text;
  el.dataset.kind = kind;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), kind === 'error' ? 6000 : 3500);
}

/** Hides the notice now (a new call state makes the last one stale). */
export function dismissNotice(): void {
  clearTimeout(toastTimer);
  byId('toast').hidden = true;
}
