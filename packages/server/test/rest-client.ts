/**
 * REST calls for the tests, over real HTTP: every answer is checked against `openapi.json`
 * (the operation its method and path name, the status it documents, the JSON Schema of that
 * answer, with ajv), so a test that calls the API also proves the document right.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

export const spec = JSON.parse(
  readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'),
) as Spec;

/** openapi.json's `#/components/schemas/X` as a schema of ajv's own. */
const rewrite = (schema: unknown): unknown =>
  JSON.parse(JSON.stringify(schema).replaceAll('#/components/schemas/', 'components#/$defs/'));

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema({ $id: 'components', $defs: rewrite(spec.components.schemas) });

const templates = Object.keys(spec.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
}));

const validators = new Map<string, ValidateFunction>();

/** Operation, status pairs the tests of this process saw (`POST /v1/... 200`). */
export const seen = new Set<string>();

/** Checks one answer against the document; throws naming what does not fit. */
export function checkAnswer(method: string, path: string, status: number, body: unknown): void {
  const found = templates.find((t) => t.pattern.test(path));
  const op = found && spec.paths[found.template]![method.toLowerCase()];
  if (!found || !op) {
    // Not an operation of the document: only the refusal of it is (404 / 405, as a Failure).
    assert.equal(status, found ? 405 : 404, `openapi.json has no ${method} ${path}`);
    return checkFailure(`${method} ${path} ${status}`, body);
  }
  const response = op.responses[String(status)];
  assert.ok(response, `openapi.json documents no ${status} for ${method} ${found.template}`);
  const key = `${method} ${found.template} ${status}`;
  seen.add(key);
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return;
  let validate = validators.get(key);
  if (!validate) validators.set(key, (validate = ajv.compile(rewrite(schema) as object)));
  assert.ok(
    validate(body),
    `${key}: the answer does not fit openapi.json: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`,
  );
}

const failureSchema = ajv.compile({ $ref: 'components#/$defs/Failure' });

function checkFailure(what: string, body: unknown): void {
  assert.ok(
    failureSchema(body),
    `${what}: not a Failure of openapi.json: ${ajv.errorsText(failureSchema.errors)}`,
  );
}

export const basic = (key: string, secret: string): string =>
  'Basic ' + Buffer.from(`${key}:${secret}`).toString('base64');

export interface RestAnswer {
  status: number;
  // The tests read fields of the answers they expect; the schema check above vouches for them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as the body as it is (e.g. malformed JSON). */
  raw?: string;
  auth?: string;
  headers?: Record<string, string>;
}

/** A REST client of one server; `auth` is the default Authorization header. */
export function restClient(port: number, auth?: string) {
  return async (method: string, path: string, o: CallOptions = {}): Promise<RestAnswer> => {
    const headers: Record<string, string> = { ...o.headers };
    const authorization = 'auth' in o ? o.auth : auth;
    if (authorization) headers.authorization = authorization;
    let body: string | undefined = o.raw;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, body });
    const text = await res.text();
    const json: unknown = res.headers.get('content-type')?.startsWith('application/json')
      ? JSON.parse(text)
      : text;
    checkAnswer(method, path.split('?', 1)[0]!, res.status, json);
    return { status: res.status, body: json };
  };
}
