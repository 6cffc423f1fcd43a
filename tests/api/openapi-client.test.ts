/**
 * A client generated from /api/openapi.json works, as an integrator would make one: the document passes a
 * validator other than the one of research.suite.ts (@readme/openapi-parser), openapi-typescript turns it into
 * types with named schemas (Programme, Lineage, Error …), a program using them with openapi-fetch type-checks (and
 * one that misreads an answer does not), and that client calls the running server: a node, a search, a 404 with
 * the Error schema, a creation with a JSON body, an import with a binary body, and a CSV export as bytes.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { validate } from '@readme/openapi-parser';
import createClient from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededApp, TEST_EDITORS, type AppFixture } from '../support/app-fixture.ts';
import { ROOT } from '../support/seed-fixture.ts';

let fx: AppFixture;
let server: Server;
let base = '';
let document: Record<string, unknown>;
/** Under the repo (ignored by git) so that the program resolves openapi-fetch from node_modules. */
const dir = path.join(ROOT, 'tests', 'artifacts', `openapi-client-${process.pid}`);

beforeAll(async () => {
  fx = await seededApp();
  server = await new Promise<Server>((resolve) => {
    const s = fx.app.listen(0, '127.0.0.1', () => resolve(s));
    // The type-checks below block this process's event loop for ~25 s (ts.createProgram is synchronous): the
    // server's 5 s keep-alive timer and the client's reuse of its pooled socket then both fire late, at the same
    // moment, and the next request met ECONNRESET. Sockets stay open here until the server closes.
    s.keepAliveTimeout = 0;
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  document = (await (await fetch(`${base}/api/openapi.json`)).json()) as Record<string, unknown>;
  fs.mkdirSync(dir, { recursive: true });
});

afterAll(async () => {
  server?.close();
  await fx?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Type errors of a program of one file beside the generated types. */
function typeErrors(source: string): string[] {
  const file = path.join(dir, `use-${Math.random().toString(36).slice(2)}.ts`);
  fs.writeFileSync(file, source);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    types: [],
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('a client generated from the OpenAPI document', () => {
  it('the document is valid (@readme/openapi-parser) and names its schemas', async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    const schemas = Object.keys((document.components as { schemas: Record<string, unknown> }).schemas);
    for (const name of ['Programme', 'Organisation', 'AdminArea', 'Document', 'Topic', 'Law', 'Event', 'Node', 'Link', 'Lineage', 'Path', 'Paths', 'SearchHit', 'AuditEntry', 'Error', 'ProgrammeInput', 'LinkInput']) {
      expect(schemas).toContain(name);
    }
  });

  it('openapi-typescript makes types that type-check a client, and refuse a misread answer', async () => {
    // defaultNonNullable false: a request property with a default (a node's sources) stays optional, as the document says.
    const types = astToString(await openapiTS(structuredClone(document) as never, { defaultNonNullable: false }));
    expect(types).toMatch(/\bProgramme: \{/);
    expect(types).toMatch(/\bLineage: \{/);
    fs.writeFileSync(path.join(dir, 'api.d.ts'), types);
    const program = (body: string) => `import createClient from 'openapi-fetch';
import type { components, paths } from './api.d.ts';
const client = createClient<paths>({ baseUrl: 'http://localhost' });
export async function use(): Promise<unknown> {
${body}
}
`;
    const good = program(`
  const node = await client.GET('/api/nodes/{id}', { params: { path: { id: 'mcs' } } });
  const name: string | undefined = node.data?.node.name_en;
  const lineage = await client.GET('/api/lineage/{id}', { params: { path: { id: 'dar' }, query: { direction: 'back' } } });
  const first: components['schemas']['LineageProgramme'] | undefined = lineage.data?.programmes[0];
  const error: string | undefined = (await client.GET('/api/nodes/{id}', { params: { path: { id: 'x' } } })).error?.error.code;
  const created = await client.POST('/api/nodes', { body: { label: 'Topic', name_en: 'A', name_km: 'ក' } });
  const id: string | undefined = created.data?.node.id;
  return [name, first, error, id];`);
    expect(typeErrors(good).join('\n')).toBe('');
    const misread = program(`
  const node = await client.GET('/api/nodes/{id}', { params: { path: { id: 'mcs' } } });
  return node.data?.node.nam_en;`);
    expect(typeErrors(misread).join('\n')).toMatch(/nam_en/);
    const badBody = program(`
  return client.POST('/api/nodes', { body: { label: 'Programme', name_en: 'A' } });`);
    expect(typeErrors(badBody).length).toBeGreaterThan(0);
  }, 60_000);

  it('openapi-fetch calls the running server: JSON, errors, a binary upload and a file download', async () => {
    // The types above are what an integrator compiles against; at run time the client is the same either way.
    const client = createClient<any>({ baseUrl: base }); // eslint-disable-line @typescript-eslint/no-explicit-any
    const auth = { authorization: `Bearer ${TEST_EDITORS.alice}` };

    const node = await client.GET('/api/nodes/{id}', { params: { path: { id: 'mcs' } } });
    expect(node.response.status).toBe(200);
    expect(node.data.node).toMatchObject({ id: 'mcs', label: 'Organisation' });

    const search = await client.GET('/api/search', { params: { query: { q: 'civil service', limit: 3 } } });
    expect(search.data.results[0].id).toBe('mcs');

    const missing = await client.GET('/api/nodes/{id}', { params: { path: { id: 'no-such-node' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error.error.code).toBe('not_found');

    const created = await client.POST('/api/nodes', { body: { label: 'Topic', name_en: 'Client round trip', name_km: 'ការធ្វើដំណើរ' }, headers: auth });
    expect(created.response.status).toBe(201);
    expect(created.data.node).toMatchObject({ label: 'Topic', name_en: 'Client round trip', version: 1 });

    const file = fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', 'iati', 'BD-IATI_donor-data_germany_bmz-20160121.xml'));
    const imported = await client.POST('/api/import', {
      params: { query: { filename: 'bmz.xml' } },
      body: file,
      bodySerializer: (body: unknown) => body as Buffer,
      headers: { ...auth, 'content-type': 'application/octet-stream' },
    });
    expect(imported.response.status, JSON.stringify(imported.error)).toBe(200);
    expect(imported.data).toMatchObject({ dryRun: true, plan: { format: 'iati-xml' } });

    const csv = await client.GET('/api/export', { params: { query: { format: 'csv' } }, parseAs: 'arrayBuffer' });
    expect(csv.response.headers.get('content-type')).toBe('application/zip');
    expect(Buffer.from(csv.data as ArrayBuffer).subarray(0, 2).toString('latin1')).toBe('PK');
  });
});
