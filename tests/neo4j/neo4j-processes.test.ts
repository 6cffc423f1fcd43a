/**
 * Several app processes on one Neo4j (issue 14, items 2 and 3): two real servers (`tsx server/main.ts`), one
 * through a `bolt://` URI and one through a `neo4j://` routing URI, against one real Neo4j (auth on). A write
 * through one is read through the other at once; the same record edited through both with the same version gives
 * one 200 and one 412; concurrent writers lose nothing and the audit lists every change once, in order; an import
 * through one is reverted through the other; a write's bookmark comes back in `Neo4j-Bookmark` and a request that
 * sends it is served after that write (and a bookmark Neo4j does not know is a 400).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNeo4j } from '../neo4j-server/neo4j-server.ts';
import { TEST_EDITORS, TEST_EDITOR_TOKENS } from '../support/app-fixture.ts';
import { startServer, type ServerProcess } from '../support/server-process.ts';
import { tempDir } from '../support/temp-dir.ts';
import { neo4jRequirement, skipNeo4j, startTestNeo4j } from './neo4j-fixture.ts';

const PASSWORD = 'two-processes-password';
const BOOKMARK = 'neo4j-bookmark';

neo4jRequirement('Two app processes on one Neo4j');

interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

async function call(app: ServerProcess, method: string, url: string, options: { as?: keyof typeof TEST_EDITORS; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.as) headers.Authorization = `Bearer ${TEST_EDITORS[options.as]}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(`${app.url}${url}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/**
 * The bookmark of the transaction after the one `bookmark` names (test-only knowledge of Neo4j 5's format: "FB:"
 * and base64 of PackStream: a one-item list marker, 16 bytes of database id, the transaction id as an integer, an
 * empty list). Used to ask for a write that has not happened yet.
 */
function nextBookmark(bookmark: string): string {
  expect(bookmark).toMatch(/^FB:/);
  const bytes = Buffer.from(bookmark.slice(3), 'base64');
  expect([...bytes.subarray(0, 3)]).toEqual([0x91, 0xcc, 0x10]);
  expect(bytes.at(-1)).toBe(0x90);
  const at = 19;
  const marker = bytes[at]!;
  const widths: Record<number, number> = { 0xc8: 1, 0xc9: 2, 0xca: 4, 0xcb: 8 };
  let id: number;
  if (marker < 0x80) id = marker; // tiny int
  else if (widths[marker]) id = Number(widths[marker] === 8 ? bytes.readBigInt64BE(at + 1) : BigInt(bytes.readIntBE(at + 1, widths[marker]!)));
  else throw new Error(`a bookmark of an unknown format: ${bookmark}`);
  const out = Buffer.alloc(at + 1 + 8 + 1);
  bytes.copy(out, 0, 0, at);
  out[at] = 0xcb;
  out.writeBigInt64BE(BigInt(id + 1), at + 1);
  out[out.length - 1] = 0x90;
  return `FB:${out.toString('base64')}`;
}

describe.skipIf(skipNeo4j)('two app processes on one Neo4j (real servers, auth on)', () => {
  let neo4jServer: RunningNeo4j;
  let a: ServerProcess; // bolt://
  let b: ServerProcess; // neo4j:// (client-side routing against the single server)

  beforeAll(async () => {
    neo4jServer = await startTestNeo4j({ password: PASSWORD, timeoutMs: 300_000 }); // a busy machine starts a JVM slowly
    const env = (uri: string) => ({ NEO4J_URI: uri, NEO4J_PASSWORD: PASSWORD, EDITOR_TOKENS: TEST_EDITOR_TOKENS, DATA_DIR: path.join(tempDir('dar-kg-two-'), 'unused') });
    a = await startServer(env(neo4jServer.uri), 120_000); // seeds the empty database
    b = await startServer(env(neo4jServer.uri.replace(/^bolt:/, 'neo4j:')), 120_000);
    console.log(`two processes: ${a.url} (bolt://) and ${b.url} (neo4j://) on Neo4j ${neo4jServer.version}`);
  }, 600_000);
  afterAll(async () => {
    if (a) expect(await a.kill()).toBe(0);
    if (b) expect(await b.kill()).toBe(0);
    await neo4jServer?.stop();
  });

  it('both serve the seeded graph; the one on neo4j:// routes (read and write transactions) to the single server', async () => {
    expect(b.output()).toMatch(/store: neo4j/);
    expect(b.output()).not.toMatch(/seeded/);
    const [statsA, statsB] = await Promise.all([call(a, 'GET', '/api/stats'), call(b, 'GET', '/api/stats')]);
    expect(statsA.status).toBe(200);
    expect(statsB.body).toEqual(statsA.body);
    expect((await call(b, 'GET', '/api/health')).body).toMatchObject({ ok: true, kind: 'neo4j' });
  });

  it('a write through one is read through the other at once, with or without its bookmark', async () => {
    const created = await call(a, 'POST', '/api/nodes', { as: 'alice', body: { label: 'Topic', name_en: 'Two processes topic', name_km: 'ប្រធានបទពីរ' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const bookmark = created.headers.get(BOOKMARK);
    expect(bookmark).toMatch(/^[A-Za-z0-9:_+/=.-]+(, [A-Za-z0-9:_+/=.-]+)*$/);
    const id = created.body.node.id as string;
    const plain = await call(b, 'GET', `/api/nodes/${id}`);
    expect(plain.status).toBe(200);
    expect(plain.body.node.name_en).toBe('Two processes topic');
    const causal = await call(b, 'GET', `/api/nodes/${id}`, { headers: { [BOOKMARK]: bookmark! } });
    expect(causal.status).toBe(200);
    expect(causal.body.node.name_km).toBe('ប្រធានបទពីរ');
    expect(causal.headers.get(BOOKMARK)).toBeNull(); // reads send none back
    // Search (TEXT and full-text indexes) sees it too.
    const search = await call(b, 'GET', `/api/search?q=${encodeURIComponent('Two processes topic')}`, { headers: { [BOOKMARK]: bookmark! } });
    expect(search.body.results.map((r: { id: string }) => r.id)).toContain(id);
    // Deleting through B, with A's bookmark, gives B's bookmark; A reads with it and finds nothing.
    const deleted = await call(b, 'DELETE', `/api/nodes/${id}`, { as: 'bob', headers: { [BOOKMARK]: bookmark! } });
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    const after = deleted.headers.get(BOOKMARK);
    expect(after).toBeTruthy();
    expect(after).not.toBe(bookmark);
    expect((await call(a, 'GET', `/api/nodes/${id}`, { headers: { [BOOKMARK]: after! } })).status).toBe(404);
  });

  it("a read that sends a bookmark of a write not yet committed waits for it, then sees it", async () => {
    const first = await call(a, 'PATCH', '/api/nodes/dar', { as: 'alice', body: { summary_en: 'before the awaited write' } });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const next = nextBookmark(first.headers.get(BOOKMARK)!); // the transaction after it: not committed yet
    let answered = false;
    const waiting = call(b, 'GET', '/api/nodes/dar', { headers: { [BOOKMARK]: next } }).then((res) => {
      answered = true;
      return res;
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(answered).toBe(false); // Neo4j holds the read until that transaction is applied
    const second = await call(a, 'PATCH', '/api/nodes/dar', { as: 'alice', body: { summary_en: 'the awaited write' } });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.node.summary_en).toBe('the awaited write');
  });

  it('a bookmark that is malformed, or that Neo4j does not know, is a 400 that changes nothing', async () => {
    for (const bad of ['not a bookmark!', 'x'.repeat(600), "FB:'; MATCH (n) DETACH DELETE n"]) {
      const res = await call(b, 'GET', '/api/nodes/dar', { headers: { [BOOKMARK]: bad } });
      expect(res.status, bad).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid', details: { parameter: 'Neo4j-Bookmark' } });
    }
    const unknown = await call(b, 'GET', '/api/nodes/dar', { headers: { [BOOKMARK]: 'FB:abc' } }); // well-formed to us, not to Neo4j
    expect(unknown.status, JSON.stringify(unknown.body)).toBe(400);
    expect(unknown.body.error.details.parameter).toBe('Neo4j-Bookmark');
    expect((await call(a, 'GET', '/api/nodes/dar')).status).toBe(200);
  });

  it('the same record edited through both with the same version: exactly one 200, the other 412', async () => {
    for (let round = 0; round < 3; round++) {
      const read = await call(a, 'GET', '/api/nodes/dar');
      const etag = read.headers.get('etag')!;
      expect(etag).toMatch(/^"\d+"$/);
      const [viaA, viaB] = await Promise.all([
        call(a, 'PATCH', '/api/nodes/dar', { as: 'alice', body: { summary_en: `edited through A, round ${round}` }, headers: { 'If-Match': etag } }),
        call(b, 'PATCH', '/api/nodes/dar', { as: 'bob', body: { summary_en: `edited through B, round ${round}` }, headers: { 'If-Match': etag } }),
      ]);
      expect([viaA.status, viaB.status].sort(), JSON.stringify([viaA.body, viaB.body])).toEqual([200, 412]);
      const winner = viaA.status === 200 ? viaA : viaB;
      const loser = viaA.status === 200 ? viaB : viaA;
      expect(loser.body.error.code).toBe('version_mismatch');
      const now = await call(viaA.status === 200 ? b : a, 'GET', '/api/nodes/dar', { headers: { [BOOKMARK]: winner.headers.get(BOOKMARK)! } });
      expect(now.body.node.summary_en).toBe(winner.body.node.summary_en);
    }
  });

  it('concurrent writers through both lose nothing, and the audit lists every change once, in order', async () => {
    const perWriter = 12;
    const writer = async (app: ServerProcess, as: 'alice' | 'bob') => {
      const made: { id: string; audit: string }[] = [];
      for (let i = 0; i < perWriter; i++) {
        const res = await call(app, 'POST', '/api/nodes', { as, body: { label: 'Topic', name_en: `Concurrent ${as} ${i}`, name_km: `ប្រធានបទ ${as} ${i}` } });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        made.push({ id: res.body.node.id, audit: res.body.audit });
      }
      return made;
    };
    const [byAlice, byBob] = await Promise.all([writer(a, 'alice'), writer(b, 'bob')]);
    const all = [...byAlice, ...byBob];
    expect(new Set(all.map((m) => m.id)).size).toBe(2 * perWriter);
    for (const { id } of all) expect((await call(b, 'GET', `/api/nodes/${id}`)).status, id).toBe(200);

    const audit = await call(a, 'GET', '/api/audit?limit=100', { as: 'root' });
    expect(audit.status).toBe(200);
    const entries = (audit.body.entries as { id: string; seq: number; by: string; changes: { id: string }[] }[]).filter((e) => all.some((m) => m.audit === e.id));
    expect(entries).toHaveLength(2 * perWriter); // every change once
    const seqs = entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => y - x)); // newest first
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const [as, made] of [['alice', byAlice], ['bob', byBob]] as const) {
      // Each writer's changes in the order it made them (oldest first once reversed).
      const mine = entries.filter((e) => e.by === as).reverse();
      expect(mine.map((e) => e.changes.map((c) => c.id))).toEqual(made.map((m) => [m.id]));
    }
  });

  it('an import through one is reverted through the other', async () => {
    const file = JSON.stringify({
      format: 'dar-kg-export',
      version: 1,
      nodes: [
        { id: 'two-proc-topic-1', label: 'Topic', name_en: 'Imported across processes one', name_km: 'នាំចូល ១', sources: [] },
        { id: 'two-proc-topic-2', label: 'Topic', name_en: 'Imported across processes two', name_km: 'នាំចូល ២', sources: [] },
      ],
      links: [{ id: 'two-proc-about', type: 'ABOUT', from: 'dar', to: 'two-proc-topic-1', sources: ['https://example.org/two'] }],
    });
    const imported = await call(a, 'POST', '/api/import?filename=two.json&apply=true', { as: 'alice', raw: file, headers: { 'Content-Type': 'application/json' } });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.result).toMatchObject({ created: 3 });
    const bookmark = imported.headers.get(BOOKMARK)!;
    expect(bookmark).toBeTruthy();
    const reverted = await call(b, 'POST', `/api/audit/${imported.body.result.audit}/revert`, { as: 'alice', headers: { [BOOKMARK]: bookmark } });
    expect(reverted.status, JSON.stringify(reverted.body)).toBe(200);
    expect(reverted.body.audit.changeCount).toBe(3);
    const after = reverted.headers.get(BOOKMARK)!;
    for (const id of ['two-proc-topic-1', 'two-proc-topic-2']) expect((await call(a, 'GET', `/api/nodes/${id}`, { headers: { [BOOKMARK]: after } })).status).toBe(404);
    expect((await call(a, 'GET', '/api/links/two-proc-about', { as: 'alice', headers: { [BOOKMARK]: after } })).status).toBe(404);
  });
});
