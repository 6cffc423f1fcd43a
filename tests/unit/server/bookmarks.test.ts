/**
 * The Neo4j-Bookmark header (read-your-writes across app processes): parsed and checked at the HTTP layer, the same
 * on both stores; tests/neo4j/neo4j-processes.test.ts has the bookmarks of real writes on a real Neo4j.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOKMARK_HEADER, parseBookmarks } from '../../../server/http/bookmark.middleware.ts';
import { causalContext, withCausalContext } from '../../../server/store/causal-context.ts';
import { seededApp, TEST_EDITORS, type AppFixture } from '../../support/app-fixture.ts';

describe('parseBookmarks', () => {
  it('splits on commas, trims, drops empties and repeats', () => {
    expect(parseBookmarks(undefined)).toEqual([]);
    expect(parseBookmarks('FB:a1=, FB:b2+/,,FB:a1=')).toEqual(['FB:a1=', 'FB:b2+/']);
    expect(parseBookmarks(['FB:x', 'FB:y'])).toEqual(['FB:x', 'FB:y']);
  });

  it('refuses what no response gave: spaces, quotes, Cypher, very long or very many', () => {
    for (const bad of ['FB: x y', "FB:'})", 'MATCH (n) DETACH DELETE n', 'x'.repeat(513), Array.from({ length: 17 }, (_, i) => `FB:${i}`).join(',')]) {
      expect(() => parseBookmarks(bad), bad).toThrow(/Neo4j-Bookmark header/);
    }
  });
});

describe('the causal context', () => {
  it('follows a request through awaits and timers, and stays apart from another request', async () => {
    const seen: string[][] = [];
    await Promise.all(
      ['FB:one', 'FB:two'].map((bookmark) =>
        withCausalContext({ after: [bookmark], written: [] }, async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          await Promise.resolve();
          seen.push([bookmark, ...(causalContext()?.after ?? [])]);
        }),
      ),
    );
    expect(seen.sort()).toEqual([
      ['FB:one', 'FB:one'],
      ['FB:two', 'FB:two'],
    ]);
    expect(causalContext()).toBeUndefined();
  });
});

describe('the Neo4j-Bookmark header on the embedded store', () => {
  let fx: AppFixture;
  beforeAll(async () => {
    fx = await seededApp();
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  it('a malformed one is a 400 naming the header, as on Neo4j; a well-formed one is accepted', async () => {
    const bad = await request(fx.app).get('/api/nodes/dar').set(BOOKMARK_HEADER, 'not a bookmark');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid', details: { parameter: 'Neo4j-Bookmark' } });
    const good = await request(fx.app).get('/api/nodes/dar').set(BOOKMARK_HEADER, 'FB:kcwQ1ivUEslLQ6O5mYJJ1Fa52MkCLJA=');
    expect(good.status).toBe(200);
  });

  it('a write sends none back (one process, one graph: nothing to wait for)', async () => {
    const created = await request(fx.app)
      .post('/api/nodes')
      .set('Authorization', `Bearer ${TEST_EDITORS.alice}`)
      .send({ label: 'Topic', name_en: 'Bookmark-free topic', name_km: 'ប្រធានបទ' });
    expect(created.status).toBe(201);
    expect(created.headers[BOOKMARK_HEADER.toLowerCase()]).toBeUndefined();
  });
});

describe('the Neo4j-Bookmark header in the OpenAPI document', () => {
  let fx: AppFixture;
  beforeAll(async () => {
    fx = await seededApp();
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  type Operation = { parameters: { name: string; in: string; required: boolean }[]; responses: Record<string, { headers?: Record<string, unknown> }> };

  it('every operation takes it as an optional request header (the middleware reads it on every request), and may answer 400', async () => {
    const doc = (await request(fx.app).get('/api/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ at: `${method} ${path}`, op })));
    expect(operations.length).toBeGreaterThan(20);
    for (const { at, op } of operations) {
      expect(op.parameters.filter((p) => p.name === BOOKMARK_HEADER), at).toEqual([expect.objectContaining({ in: 'header', required: false })]);
      expect(op.responses['400'], at).toBeDefined();
    }
  });

  it('answers of writes declare it as a response header; reads do not', async () => {
    const doc = (await request(fx.app).get('/api/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    const headersOf = (method: string, path: string, status: string) => doc.paths[path]![method]!.responses[status]!.headers ?? {};
    expect(Object.keys(headersOf('post', '/api/nodes', '201'))).toEqual([BOOKMARK_HEADER]);
    expect(Object.keys(headersOf('patch', '/api/nodes/{id}', '200'))).toEqual([BOOKMARK_HEADER]);
    expect(Object.keys(headersOf('post', '/api/audit/{id}/revert', '200'))).toEqual([BOOKMARK_HEADER]);
    expect(Object.keys(headersOf('patch', '/api/nodes/{id}', '412'))).toEqual([]);
    expect(Object.keys(headersOf('get', '/api/nodes/{id}', '200'))).toEqual([]);
    expect(Object.keys(headersOf('get', '/api/search', '200'))).toEqual([]);
  });
});
