/**
 * The Signaling browser bundles (`/sdk/agora-sig.js`, `/sdk/agora-sig.esm.js`): the classic
 * script defines the global `Signal` as Agora's AgoraSig.js did, with the package's exports on
 * it; neither holds Node code. (browser-signaling.test.ts runs them in Chromium.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import * as signaling from '@parley/signaling';
import {
  buildSignalingBundles,
  signalingBundleFiles,
  type BuiltBundle,
} from '../../sdk/scripts/browser-bundles.js';

let bundles: Record<'esm' | 'iife', BuiltBundle>;

before(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sig-bundles-'));
  const built = await buildSignalingBundles(dir);
  bundles = Object.fromEntries(built.map((b) => [b.format, b])) as typeof bundles;
});

test('agora-sig.js is a classic script that sets the global Signal, with every export on it', () => {
  const b = bundles.iife;
  assert.equal(path.basename(b.file), signalingBundleFiles.iife);
  assert.doesNotMatch(b.code, /\b(import|export)\s*[{*]/, 'a classic script');
  const window: Record<string, unknown> = {};
  vm.runInNewContext(b.code, window);
  const Signal = window.Signal as typeof signaling.default & Record<string, unknown>;
  assert.equal(typeof Signal, 'function');
  const names = Object.keys(signaling).filter((n) => n !== 'default');
  assert.deepEqual(
    names.filter((n) => Signal[n] === undefined),
    [],
    'exports missing on Signal',
  );
  const s = Signal('bundle_app', { serverUrl: 'ws://127.0.0.1:9/' });
  assert.equal(s.getSDKVersion(), signaling.SIGNALING_SDK_VERSION);
  assert.equal(typeof new Signal('bundle_app').login, 'function', 'new Signal(appId) works too');
  assert.equal(JSON.stringify(Signal.SignalingCode), JSON.stringify(signaling.SignalingCode));
});

test('the Signaling bundles hold no Node code; sizes', () => {
  for (const b of Object.values(bundles)) {
    assert.ok(b.inputs.some((p) => p.endsWith('signaling/src/session.ts')));
    assert.ok(b.inputs.some((p) => p.endsWith('sdk/src/client.ts')));
    assert.deepEqual(
      b.inputs.filter((p) => p.includes('node_modules/') || p.endsWith('transport-node.ts')),
      [],
    );
    assert.doesNotMatch(b.code, /\brequire\(|from\s*["'](node:|ws["'])|import\(/);
    console.log(
      `${path.basename(b.file)}: ${b.code.length} B minified, ${gzipSync(b.code).length} B gzip`,
    );
  }
  assert.match(bundles.esm.code, /export\s*\{[^}]*\bas default\b/);
});
