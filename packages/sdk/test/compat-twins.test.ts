import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';

const dir = new URL('./compat/', import.meta.url);

/** The lines of a file after its leading doc comment. */
function body(name: string): string[] {
  const text = fs.readFileSync(new URL(name, dir), 'utf8');
  return text.replace(/^\/\*\*[\s\S]*?\*\/\n/, '').split('\n');
}

for (const [agora, parley] of [
  ['sample-app.agora.ts', 'sample-app.parley.ts'],
  ['sample-app-1-2.agora.ts', 'sample-app-1-2.parley.ts'],
]) {
  test(`${parley} is ${agora} with only the import and serverUrl changed`, () => {
    const a = body(agora!);
    const p = body(parley!);
    assert.equal(a.length, p.length, 'same number of lines');
    const changed = a.flatMap((line, k) => (line === p[k] ? [] : [p[k]!]));
    assert.ok(changed.length >= 2, 'the import and serverUrl differ');
    for (const line of changed) {
      assert.match(
        line,
        /^import AgoraRTM from '\.\.\/\.\.\/src\/index\.js';$|serverUrl/,
        `unexpected change: ${line}`,
      );
    }
  });
}
