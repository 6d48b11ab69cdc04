/**
 * RTM 1.x's rule for user and channel ids, checked before any SDK call so that a bad id is a
 * message under its field, never an exception: 1–64 characters of a-z A-Z 0-9, space and
 * !#$%&()+-:;<=.>?@[]^_{}|~, and not "null".
 */
const ALLOWED = /[ A-Za-z0-9!#$%&()+\-:;<=.>?@[\]^_{}|~,]/;

/** Why `id` cannot be a user or channel id (`what` names the field), or undefined when it can. */
export function idProblem(what: string, id: string): string | undefined {
  if (id.length === 0) return `${what}: enter 1–64 characters.`;
  if (id.length > 64) return `${what}: at most 64 characters (this one has ${id.length}).`;
  if (id === 'null') return `${what}: "null" is reserved.`;
  const bad = [...new Set([...id].filter((ch) => !ALLOWED.test(ch)))];
  if (bad.length > 0)
    return (
      `${what}: ${bad.map((ch) => `“${ch}”`).join(' ')} not allowed. ` +
      'Use letters, digits, spaces and !#$%&()+-:;<=.>?@[]^_{}|~,'
    );
  return undefined;
}

/** Shows `problem` in the message element `el` (hidden when there is none); answers whether the input is fine. */
export function showProblem(
  el: HTMLElement,
  input: HTMLInputElement,
  problem: string | undefined,
): boolean {
  el.textContent = problem ?? '';
  el.hidden = problem === undefined;
  if (problem === undefined) input.removeAttribute('aria-invalid');
  else input.setAttribute('aria-invalid', 'true');
  return problem === undefined;
}
