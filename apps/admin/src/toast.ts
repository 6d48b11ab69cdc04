/** The notice at the bottom of the page: outcomes of actions, and errors with their message. */
import { byId } from '../../demo/src/dom.js';

let timer: ReturnType<typeof setTimeout> | undefined;

/** Shows a text, or an error's message (the server names the field and the limit). */
export function report(what: unknown): void {
  const error = typeof what !== 'string';
  const el = byId('toast');
  el.textContent = error ? (what instanceof Error ? what.message : String(what)) : what;
  el.dataset.kind = error ? 'error' : 'info';
  el.hidden = false;
  clearTimeout(timer);
  timer = setTimeout(() => (el.hidden = true), error ? 6000 : 3500);
}
