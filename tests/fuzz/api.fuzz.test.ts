/**
 * Property-based requests (fast-check) against every endpoint of the API, enumerated from the route registry's
 * OpenAPI document and checked equal to the served /api/openapi.json (so a new route is fuzzed without touching
 * this file), plus unknown routes and the static explorer: malformed JSON, wrong types,
 * missing and extra fields, huge strings and arrays, deep nesting, Unicode edge cases, Cypher-shaped strings,
 * HTML payloads and path traversal, without a token, with a bad one, as an editor, as an admin and with the
 * session cookie from this site and from another.
 *
 * After every request: no 5xx (but the documented 501 of the Cypher console on the embedded store), an answer
 * within 5 s, every API error `{ error: { code, message } }` without a stack trace or server path, no CORS header,
 * nothing served from outside the explorer's folder, redirects on this site, and the graph and its audit
 * are byte for byte what they were unless the request was a write that succeeded (and such a write is audited).
 * At the end the store is closed and reopened from disk: it loads, and holds exactly what was served.
 *
 * Size: FUZZ_RUNS runs per endpoint (default 60 in `npm test`, 1500 under `npm run test:fuzz`); FUZZ_SEED replays
 * a run; FUZZ_DEBUG=<file> appends every request and answer to the file. Prints the number of requests, the counts
 * by status and by kind of body, and the slowest answer.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { apiRoutes } from '../../server/http/api.routes.ts';
import { openApiDocument } from '../../server/http/route-registry.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';
import { EditorDirectory } from '../../server/auth/editors.ts';
import { Sessions } from '../../server/auth/sessions.ts';
import { DEFAULT_AUTH, DEFAULT_READ_LIMITS } from '../../server/config.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { TEST_EDITORS, TEST_EDITOR_TOKENS } from '../support/app-fixture.ts';
import { loadSeed } from '../support/seed-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';
import { TRAVERSAL, described, hostileJson, hostileRawBody, hostileString, toJsonText, type RawBody } from './hostile-values.ts';
import { encodePathPart, headerValue, send, type RawRequest, type RawResponse } from './raw-http.ts';
import { mutate, mutations, validish, type JsonSchema, type SchemaContext } from './schema-arbitrary.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.npm_lifecycle_event === 'test:fuzz' ? 1500 : 60));
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
/** Per endpoint: generous, since a run under test:fuzz sends thousands of requests. */
const TIMEOUT = 60_000 + RUNS * 400;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}
interface Operation {
  method: string;
  /** OpenAPI path, e.g. /api/nodes/{id}. */
  path: string;
  parameters: Parameter[];
  body?: JsonSchema;
}

type AuthMode = 'none' | 'editor' | 'admin' | 'bad-bearer' | 'malformed-authorization' | 'cookie-same-origin' | 'cookie-cross-origin' | 'cookie-garbage';

interface Fuzzed {
  auth: AuthMode;
  badToken: string;
  pathValues: string[];
  query: string;
  body?: RawBody;
  ifMatch?: string;
  accept?: string;
}

// ------------------------------------------------------------------------------------------ the server

let dir: string;
let dataDir: string;
let store: EmbeddedStore;
let server: Server;
let base: { host: string; port: number };
/** bob's signed session cookie value (the cookie holds a session, not the token). */
let bobSession: string;
type OpenApiPaths = Record<string, Record<string, { parameters: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;

/** The schema with its `$ref`s to named components replaced by the components (the API's schemas have no cycles). */
function dereferenced(schema: JsonSchema | undefined, components: Record<string, JsonSchema>): JsonSchema | undefined {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') return walk(components[ref.replace('#/components/schemas/', '')]);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
  };
  return walk(schema) as JsonSchema | undefined;
}

function operationsOf(paths: OpenApiPaths, components: Record<string, JsonSchema>): Operation[] {
  const out: Operation[] = [];
  for (const [p, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      out.push({ method: method.toUpperCase(), path: p, parameters: op.parameters, body: dereferenced(op.requestBody?.content['application/json']?.schema, components) });
    }
  }
  return out;
}

/**
 * The operations, from the route registry's OpenAPI document (known when the file loads, so that each gets a
 * test of its own); beforeAll checks that the server's /api/openapi.json is the same document.
 */
const registryDocument = openApiDocument(
  apiRoutes({} as GraphStore, { cypher: { timeoutMs: 1000, maxRows: 10 }, editors: EditorDirectory.none(), sessions: Sessions.inMemory(EditorDirectory.none()), publicOrigins: [], log: () => undefined }),
  { title: '', version: '', description: '' },
) as unknown as { paths: OpenApiPaths; components: { schemas: Record<string, JsonSchema> } };
const operations: Operation[] = operationsOf(registryDocument.paths, registryDocument.components.schemas);
const secret = `TOP-SECRET-${randomBytes(8).toString('hex')}`;
const logs: string[] = [];

/** Ids that exist (or existed) by kind, for path parameters and id-shaped values. */
const pool = { nodes: [] as string[], documents: [] as string[], links: [] as string[], audit: [] as string[] };
const statusCounts = new Map<number, number>();
const kindCounts = new Map<string, number>();
let requests = 0;
/** Writes refused (graph checked unchanged) and writes that changed the graph (checked audited). */
const writes = { refused: 0, applied: 0 };
/** The slowest answer: a request that takes seconds is a denial of service waiting to happen. */
const slowest = { ms: 0, what: '' };
const SLOW_MS = 5_000;
/** The graph and audit head as served now (serialised), moved on only by successful writes. */
let current = '';

async function openFixture(): Promise<void> {
  dir = tempDir('dar-kg-fuzz-');
  dataDir = path.join(dir, 'data');
  // A built explorer stand-in beside a file that must never be served.
  fs.mkdirSync(path.join(dir, 'web'));
  fs.writeFileSync(path.join(dir, 'web', 'index.html'), '<!doctype html><title>explorer</title>');
  fs.writeFileSync(path.join(dir, 'secret.txt'), secret);
  fs.writeFileSync(path.join(dataDir + '-secret.txt'), secret);
  // Compacting often puts hostile strings through the snapshot codec as well as the journal.
  store = await EmbeddedStore.open({ dataDir, compactEntries: 25 });
  await store.upsert(await loadSeed(), { name: 'seed' });
  const editors = EditorDirectory.fromEnv(TEST_EDITOR_TOKENS);
  const sessions = Sessions.inMemory(editors);
  bobSession = sessions.issue({ name: 'bob', role: 'editor' });
  const app = createApp({
    store,
    config: { requestBodyLimit: '1mb', importMaxBytes: 2 * 1024 * 1024, auth: { ...DEFAULT_AUTH, signInsPerMinute: 1e9, writesPerMinute: 1e9 }, reads: { ...DEFAULT_READ_LIMITS, readsPerMinute: 1e9 } },
    editors,
    sessions,
    webDir: path.join(dir, 'web'),
    log: (line) => logs.push(line),
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
}

async function graphState(): Promise<string> {
  const [data, audit] = await Promise.all([store.exportAll(), store.listAudit({ limit: 1 })]);
  return JSON.stringify({ ...data, audit: audit[0] ?? null });
}

beforeAll(async () => {
  await openFixture();
  const data = await store.exportAll();
  pool.nodes.push(...data.nodes.map((n) => n.id));
  pool.documents.push(...data.nodes.filter((n) => n.label === 'Document').map((n) => n.id));
  pool.links.push(...data.links.map((l) => l.id));
  pool.audit.push(...(await store.listAudit({ limit: 10 })).map((e) => e.id));
  current = await graphState();
  const openapi = await send(base, { method: 'GET', path: '/api/openapi.json', headers: {} });
  expect(openapi.status).toBe(200);
  const served = JSON.parse(openapi.body.toString('utf8')) as { paths: OpenApiPaths; components: { schemas: Record<string, JsonSchema> } };
  expect(operationsOf(served.paths, served.components.schemas)).toEqual(operations);
}, 60_000);

afterAll(async () => {
  const byStatus = [...statusCounts].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', ');
  const byKind = [...kindCounts].sort(([, a], [, b]) => b - a).map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(`fuzz: ${requests} requests over ${operations.length} operations + unknown routes + static files (${RUNS} runs each, seed ${SEED}); by status: ${byStatus}`);
  console.log(`fuzz: writes refused ${writes.refused} (graph and audit unchanged after each), writes applied ${writes.applied} (each audited)`);
  console.log(`fuzz: bodies by kind: ${byKind}`);
  console.log(`fuzz: slowest answer ${slowest.ms.toFixed(0)} ms: ${slowest.what}`);
  server?.close();
  await store?.close().catch(() => undefined);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

// ------------------------------------------------------------------------------------------ requests

function schemaContext(): SchemaContext {
  const names = new Set<string>();
  const schemas = new Map<string, JsonSchema>();
  const visit = (schema: JsonSchema | undefined) => {
    if (!schema) return;
    for (const [name, s] of Object.entries(schema.properties ?? {})) {
      names.add(name);
      if (!schemas.has(name) && Object.keys(s).length > 0) schemas.set(name, s);
    }
    for (const s of [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) visit(s);
  };
  for (const op of operations) visit(op.body);
  return { knownIds: () => pool.nodes, sourceIds: () => pool.documents, propertyNames: [...names], propertySchemas: schemas };
}

function idPool(opPath: string): () => readonly string[] {
  if (opPath.startsWith('/api/audit')) return () => pool.audit;
  if (opPath.startsWith('/api/links')) return () => pool.links;
  return () => pool.nodes;
}

/** A path parameter: an id that exists, an id-shaped one, hostile text (encoded) or traversal (raw). */
function pathValue(op: Operation, parameter: Parameter, ctx: SchemaContext): fc.Arbitrary<string> {
  const ids = idPool(op.path);
  return fc.oneof(
    { weight: 10, arbitrary: fc.nat().map((i) => ids()[i % Math.max(ids().length, 1)] ?? 'dar') },
    { weight: 1, arbitrary: validish(parameter.schema, ctx).map((v) => encodePathPart(String(v))) },
    { weight: 2, arbitrary: hostileString({ huge: false }).filter((s) => s.length > 0).map((s) => encodePathPart(s)) },
    { weight: 2, arbitrary: fc.constantFrom(...TRAVERSAL) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }).map((s) => encodePathPart(s, true)) },
  );
}

/** A query string: each declared parameter absent, fitting, hostile or repeated; sometimes extra parameters. */
function queryString(op: Operation, ctx: SchemaContext): fc.Arbitrary<string> {
  const parts = op.parameters
    .filter((p) => p.in === 'query')
    .map((p) => {
      const value = fc.oneof(
        { weight: 4, arbitrary: validish(p.schema, ctx).map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')) },
        { weight: 2, arbitrary: hostileString({ huge: false }) },
        { weight: 1, arbitrary: fc.constantFrom('', '-1', '0', '1e9', '99999999999999999999', '1.5', 'true', 'NaN', ' 1') },
      );
      const encoded = value.map((v) => `${p.name}=${encodePathPart(v)}`);
      return fc.oneof(
        { weight: p.required ? 1 : 3, arbitrary: fc.constant('') },
        { weight: 6, arbitrary: encoded },
        { weight: 1, arbitrary: fc.tuple(encoded, encoded).map(([a, b]) => `${a}&${b}`) },
        { weight: 1, arbitrary: encoded.map((e) => e.replace('=', '[]=')) },
      );
    });
  const extra = fc.oneof(
    { weight: 4, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.tuple(hostileString({ maxLength: 6 }), hostileString({ maxLength: 6 })).map(([k, v]) => `${encodePathPart(k)}=${encodePathPart(v)}`) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__[admin]=1', 'constructor[prototype][x]=1', 'a[b][c][d][e][f]=1', '&&&', '=', '%', 'q=%ED%A0%80') },
  );
  return fc.tuple(...parts, extra).map((ps) => ps.filter(Boolean).join('&'));
}

/** Bodies an import takes (files) or any other body-less POST might get. */
function fileBody(): fc.Arbitrary<RawBody> {
  const xml = (inner: string) => `<?xml version="1.0"?><iati-activities version="2.03">${inner}</iati-activities>`;
  const activity = (id: string, title: string) =>
    `<iati-activity><iati-identifier>${id}</iati-identifier><reporting-org ref="DE-1" type="10"><narrative>BMZ</narrative></reporting-org><title><narrative>${title}</narrative></title><recipient-country code="KH"/><activity-status code="2"/></iati-activity>`;
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return fc.oneof(
    fc.tuple(hostileString(), hostileString()).map(([id, title]) => ({ kind: 'iati-xml', contentType: 'application/xml', bytes: Buffer.from(xml(activity(escape(id), escape(title)))) })),
    fc.constantFrom(
      // Entity expansion (billion laughs) and an external entity (XXE).
      `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]><iati-activities version="2.03"><iati-activity><iati-identifier>&e;</iati-identifier><title><narrative>&e;</narrative></title></iati-activity></iati-activities>`,
      `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><iati-activities version="2.03"><iati-activity><iati-identifier>xxe</iati-identifier><title><narrative>&xxe;</narrative></title></iati-activity></iati-activities>`,
      `<iati-activities><iati-activity>`,
      `<a>${'<b>'.repeat(50_000)}`,
      '<?xml version="1.0" encoding="UTF-16"?><x/>',
    ).map((s) => ({ kind: 'hostile-xml', contentType: 'application/xml', bytes: Buffer.from(s) })),
    fc
      .tuple(fc.array(hostileJson(), { maxLength: 3 }), fc.array(hostileJson(), { maxLength: 3 }))
      .map(([nodes, links]) => ({ kind: 'json-export', contentType: 'application/json', bytes: Buffer.from(toJsonText({ format: 'dar-kg-export', version: 1, nodes, links })) })),
    fc
      .tuple(fc.constantFrom('id,label,name_en,name_km', 'id,name_en,name_km,type', 'id,type,from,to,sources'), fc.array(fc.array(hostileString(), { maxLength: 5 }), { maxLength: 4 }))
      .map(([header, rows]) => ({ kind: 'csv', contentType: 'text/csv', bytes: Buffer.from([header, ...rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))].join('\n')) })),
    hostileRawBody(),
  );
}

function bodyFor(op: Operation, ctx: SchemaContext): fc.Arbitrary<RawBody | undefined> {
  const json = (kind: string) => (value: unknown): RawBody => ({ kind, contentType: 'application/json', bytes: Buffer.from(toJsonText(value), 'utf8') });
  if (op.body) {
    return fc.oneof(
      { weight: 6, arbitrary: fc.tuple(validish(op.body, ctx), mutations()).map(([value, list]) => json(list.length === 0 ? 'schema' : 'schema-mutated')(mutate(value, list))) },
      { weight: 2, arbitrary: hostileJson().map(json('hostile-json')) },
      { weight: 2, arbitrary: hostileRawBody() },
      { weight: 1, arbitrary: fc.constant(undefined) },
    );
  }
  if (op.method === 'GET' || op.method === 'DELETE') {
    return fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileRawBody() });
  }
  return fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 6, arbitrary: fileBody() });
}

function fuzzedRequest(op: Operation, ctx: SchemaContext): fc.Arbitrary<Fuzzed> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const writes = op.method !== 'GET';
  return fc.record({
    auth: fc.oneof(
      { weight: writes ? 8 : 3, arbitrary: fc.constant<AuthMode>('editor') },
      { weight: 1, arbitrary: fc.constant<AuthMode>('admin') },
      { weight: 3, arbitrary: fc.constant<AuthMode>('none') },
      {
        weight: 2,
        arbitrary: fc.constantFrom<AuthMode>('bad-bearer', 'malformed-authorization', 'cookie-same-origin', 'cookie-cross-origin', 'cookie-garbage'),
      },
    ),
    badToken: hostileString({ maxLength: 20 }),
    pathValues: fc.tuple(...pathParams.map((p) => pathValue(op, p, ctx))),
    query: queryString(op, ctx),
    body: bodyFor(op, ctx).map((b) => (b ? described(b) : b)),
    ifMatch: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.oneof(fc.nat({ max: 5 }).map((n) => `"${n}"`), fc.constantFrom('*', 'W/"1"', '"1", "2"', '"abc"', '""', '"99999999999"'), hostileString({ maxLength: 10 })) },
    ),
    accept: fc.option(fc.constantFrom('text/html', 'application/xml', '*/*', 'application/json;q=0'), { freq: 4 }),
  });
}

function toRaw(op: Operation, f: Fuzzed): RawRequest {
  let i = 0;
  const p = op.path.replace(/\{[^}]+\}/g, () => f.pathValues[i++] ?? '');
  const headers: Record<string, string> = { host: `127.0.0.1:${base.port}` };
  const own = `http://127.0.0.1:${base.port}`;
  switch (f.auth) {
    case 'editor':
      headers.authorization = `Bearer ${TEST_EDITORS.alice}`;
      break;
    case 'admin':
      headers.authorization = `Bearer ${TEST_EDITORS.root}`;
      break;
    case 'bad-bearer':
      headers.authorization = headerValue(`Bearer ${f.badToken}`);
      break;
    case 'malformed-authorization':
      headers.authorization = headerValue(f.badToken || 'Basic YWRtaW46YWRtaW4=');
      break;
    case 'cookie-same-origin':
      headers.cookie = `dar_session=${bobSession}`;
      headers.origin = own;
      break;
    case 'cookie-cross-origin':
      headers.cookie = `dar_session=${bobSession}`;
      headers.origin = 'https://evil.example';
      break;
    case 'cookie-garbage':
      headers.cookie = headerValue(`dar_session=${f.badToken}; dar_session=%E0%A4%A; =; x`);
      break;
  }
  if (f.ifMatch !== undefined && f.ifMatch !== null) headers['if-match'] = headerValue(f.ifMatch);
  if (f.accept) headers.accept = f.accept;
  if (f.body?.contentType) headers['content-type'] = f.body.contentType;
  Object.assign(headers, f.body?.headers);
  return { method: op.method, path: `${p}${f.query ? `?${f.query}` : ''}`, headers, body: f.body?.bytes };
}

// ------------------------------------------------------------------------------------------ checks

/** Sends one request and checks everything that must hold after it. */
async function check(label: string, raw: RawRequest, bodyKind?: string): Promise<RawResponse> {
  const before = current;
  let res: RawResponse;
  const started = performance.now();
  try {
    res = await send(base, raw);
  } catch (error) {
    throw new Error(`${label}: ${raw.method} ${raw.path.slice(0, 200)}: no answer (${(error as Error).message})`);
  }
  requests++;
  const ms = performance.now() - started;
  if (ms > slowest.ms) Object.assign(slowest, { ms, what: `${raw.method} ${raw.path.slice(0, 120)} [${bodyKind ?? 'no body'}, ${raw.body?.length ?? 0} bytes] → ${res.status}` });
  if (process.env.FUZZ_DEBUG) fs.appendFileSync(process.env.FUZZ_DEBUG, `${raw.method} ${raw.path.slice(0, 200)} ${bodyKind} ${raw.body?.subarray(0, 300).toString('utf8')}\n  → ${res.status} ${res.body.subarray(0, 300).toString('utf8')}\n`);
  statusCounts.set(res.status, (statusCounts.get(res.status) ?? 0) + 1);
  if (bodyKind) kindCounts.set(bodyKind, (kindCounts.get(bodyKind) ?? 0) + 1);
  const where = `${label}: ${raw.method} ${raw.path.slice(0, 300)} [${bodyKind ?? 'no body'}, ${raw.headers.authorization ? 'bearer' : raw.headers.cookie ? 'cookie' : 'anonymous'}] → ${res.status} ${res.body.subarray(0, 300).toString('utf8')}`;

  const documented501 = res.status === 501 && raw.path.startsWith('/api/cypher');
  if (res.status >= 500 && !documented501) {
    const id = /request id ([0-9a-f-]+)/.exec(res.body.toString('utf8'))?.[1];
    const logged = id ? logs.find((l) => l.includes(id)) : undefined;
    expect.fail(`${where}${logged ? `\nserver log: ${logged.slice(0, 600)}` : ''}`);
  }
  expect(ms, `${where}: took ${ms.toFixed(0)} ms`).toBeLessThan(SLOW_MS);
  const text = res.body.toString('utf8');
  const leaked = res.status >= 400 ? /\n\s+at |node_modules|\.ts:\d+|\/work\/|\/tmp\//.exec(text) : null;
  const asked = `${raw.path}\n${raw.body?.toString('utf8') ?? ''}`;
  expect(leaked && !asked.includes(leaked[0]) ? leaked[0] : null, `${where}: a stack trace or server path in the answer`).toBeNull();
  expect(text.includes(secret), `${where}: served a file outside the explorer`).toBe(false);
  const isApi = /^\/api(\/|$|\?)/i.test(raw.path);
  if (isApi && res.status >= 400 && raw.method !== 'HEAD') {
    expect(res.headers['content-type'], where).toMatch(/^application\/json/);
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code, where).toBe('string');
    expect(typeof body.error?.message, where).toBe('string');
  }
  expect(res.headers['x-content-type-options'], where).toBe('nosniff');
  // A redirect stays on this site (no open redirect through "//host" or "/\\host").
  if (res.status >= 300 && res.status < 400) expect(res.headers.location ?? '', where).toMatch(/^\/(?![/\\])/);
  // CORS is closed everywhere but the reconciliation service (OpenRefine's page reads it), and never with credentials.
  const reconciliation = /^\/api\/reconcile(\/|\?|$)/i.test(raw.path);
  expect(res.headers['access-control-allow-origin'], where).toBe(reconciliation ? '*' : undefined);
  expect(res.headers['access-control-allow-credentials'], where).toBeUndefined();

  const after = await graphState();
  const ok = res.status >= 200 && res.status < 300;
  if (!ok || raw.method === 'GET' || raw.method === 'HEAD') {
    expect(after === before, `${where}: the graph or audit changed`).toBe(true);
    if (raw.method !== 'GET' && raw.method !== 'HEAD') writes.refused++;
  } else if (after !== before) {
    writes.applied++;
    // A write that changed the graph is audited: the newest entry is a new one.
    const head = (s: string) => (JSON.parse(s) as { audit: { id: string } | null }).audit?.id;
    expect(head(after), `${where}: changed the graph without an audit entry`).not.toBe(head(before));
    learn(text);
  }
  current = after;
  return res;
}

/** Ids a successful write answered with join the pools. */
function learn(text: string): void {
  let body: { node?: { id?: string }; link?: { id?: string }; audit?: string | { id?: string } | null } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return;
  }
  if (body?.node?.id) pool.nodes.push(body.node.id);
  if (body?.link?.id) pool.links.push(body.link.id);
  const audit = typeof body?.audit === 'string' ? body.audit : body?.audit?.id;
  if (audit) pool.audit.push(audit);
}

async function alive(): Promise<void> {
  const res = await send(base, { method: 'GET', path: '/api/health', headers: {} });
  expect(res.status).toBe(200);
}

// ------------------------------------------------------------------------------------------ properties

describe(`fuzzing every endpoint (${RUNS} runs each)`, () => {
  it('found the operations in /api/openapi.json', () => {
    expect(operations.length).toBeGreaterThanOrEqual(25);
    expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(['POST /api/nodes', 'PATCH /api/nodes/{id}', 'POST /api/import', 'GET /api/search']));
  });

  // One property per operation, so that each gets its share of runs.
  operations.forEach((op, index) => {
    it(`${op.method} ${op.path}`, { timeout: TIMEOUT }, async () => {
      const ctx = schemaContext();
      await fc.assert(
        fc.asyncProperty(fuzzedRequest(op, ctx), async (f) => {
          await check(`${op.method} ${op.path}`, toRaw(op, f), f.body?.kind);
        }),
        { numRuns: RUNS, seed: SEED + index, endOnFailure: true },
      );
      await alive();
    });
  });

  it('unknown routes and methods under /api', { timeout: TIMEOUT }, async () => {
    const methods = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND');
    const paths = fc.oneof(
      fc.constantFrom(...TRAVERSAL).map((t) => `/api/${t}`),
      fc.constantFrom(...operations.map((o) => o.path)).map((p) => p.replace(/\{[^}]+\}/g, 'dar')),
      hostileString().map((s) => `/api/${encodePathPart(s, true)}`),
      fc.constantFrom('/api', '/api/', '/API/nodes', '/api//nodes', '/api/nodes/', '/api/./nodes', '/api/nodes/dar/', '/api/nodes/dar/neighbours/x', '/api/%2e%2e/package.json'),
    );
    await fc.assert(
      fc.asyncProperty(methods, paths, fc.option(hostileRawBody().map(described), { freq: 3 }), fc.constantFrom<AuthMode>('none', 'editor'), async (method, p, body, auth) => {
        const headers: Record<string, string> = auth === 'editor' ? { authorization: `Bearer ${TEST_EDITORS.alice}` } : {};
        if (body?.contentType) headers['content-type'] = body.contentType;
        const res = await check('unknown route', { method, path: p, headers, body: body?.bytes ?? undefined }, body?.kind);
        // Unknown API paths are 404 (or 405/400), never the explorer's page.
        if (method === 'GET') expect(res.headers['content-type'] ?? '').not.toMatch(/text\/html/);
      }),
      { numRuns: RUNS * 2, seed: SEED - 1, endOnFailure: true },
    );
    await alive();
  });

  it('the explorer files: no traversal out of its folder', { timeout: TIMEOUT }, async () => {
    const dataName = path.basename(dataDir);
    const paths = fc.oneof(
      fc.constantFrom(
        '/../secret.txt',
        '/..%2fsecret.txt',
        '/%2e%2e/secret.txt',
        '/%2e%2e%2fsecret.txt',
        '/..%5csecret.txt',
        '/....//secret.txt',
        '/%252e%252e/secret.txt',
        '/%c0%ae%c0%ae/secret.txt',
        '/index.html/../../secret.txt',
        `/../${dataName}-secret.txt`,
        `/../${dataName}/graph.journal`,
        `/../${dataName}/lock`,
        '/.%2e/secret.txt',
        '/%2e%2e%5c%2e%2e%5csecret.txt',
        '/%00../secret.txt',
        '/index.html%00.txt',
      ),
      fc.tuple(fc.integer({ min: 1, max: 6 }), fc.constantFrom('../', '..%2f', '%2e%2e/', '%2e%2e%2f', '..\\', '..%5c', '..;/')).map(([n, up]) => `/${up.repeat(n)}secret.txt`),
      hostileString().map((s) => `/${encodePathPart(s, true)}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'HEAD'), paths, async (method, p) => {
        await check('static', { method, path: p, headers: {} });
      }),
      { numRuns: RUNS * 2, seed: SEED - 2, endOnFailure: true },
    );
    await alive();
  });

  it('leaves a store that loads from disk with exactly what was served', { timeout: 60_000 }, async () => {
    const served = JSON.stringify(await store.exportAll());
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
    store = await EmbeddedStore.open({ dataDir });
    expect(JSON.stringify(await store.exportAll()) === served, 'the reopened store differs from what was served').toBe(true);
    console.log(`fuzz: after ${requests} requests the store reopened with ${(await store.exportAll()).nodes.length} nodes, equal to what was served`);
  });
});
