/**
 * openapi.json and the router agree: every route is documented with its answers, every
 * documented operation is a route, and every schema compiles (ajv, strict). That each answer
 * the tests get fits it is checked on every call (rest-client.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { defaultConfig } from '../src/config.js';
import { restRoutes, type RestDeps } from '../src/rest/rest-api.js';
import { spec } from './rest-client.js';

test('every REST route is in openapi.json, and every operation there is a route', () => {
  const backend = { eventLog: {}, history: {} };
  const deps = { config: defaultConfig(), backend } as unknown as RestDeps;
  const routes = restRoutes(deps).map((r) => `${r.method} ${r.path}`);
  assert.equal(new Set(routes).size, routes.length, 'no route twice');
  const documented = Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );
  assert.deepEqual(documented.filter((d) => d !== 'GET /metrics').sort(), [...routes].sort());
});

test('each operation documents its success and its refusals, and every schema compiles', () => {
  const ajv = new Ajv2020({ strict: true });
  ajv.addSchema({
    $id: 'components',
    $defs: JSON.parse(
      JSON.stringify(spec.components.schemas).replaceAll(
        '#/components/schemas/',
        'components#/$defs/',
      ),
    ),
  });
  for (const [path, ops] of Object.entries(spec.paths))
    for (const [method, op] of Object.entries(ops)) {
      const codes = Object.keys(op.responses);
      assert.ok(codes.includes('200'), `${method} ${path} documents 200`);
      if (path === '/metrics') continue;
      for (const c of ['401', '404', '405', '500'])
        assert.ok(codes.includes(c), `${method} ${path} documents ${c}`);
      for (const [code, r] of Object.entries(op.responses)) {
        const schema = r.content?.['application/json']?.schema;
        assert.ok(schema, `${method} ${path} ${code} has a JSON schema`);
        const text = JSON.stringify(schema).replaceAll(
          '#/components/schemas/',
          'components#/$defs/',
        );
        ajv.compile(JSON.parse(text) as object);
      }
    }
});
