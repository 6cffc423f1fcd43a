/**
 * Read-your-writes from the explorer: web/src/lib/api.ts keeps the Neo4j-Bookmark of a write's answer and sends it
 * on the requests after it (server/http/bookmark.middleware.ts), sends nothing when the store gave none (the
 * embedded store), and gets over a bookmark the database refuses. A fake fetch stands for the server here;
 * tests/unit/server/bookmarks.test.ts and tests/neo4j/neo4j-processes.test.ts have the server's side.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, currentBookmarks, forgetBookmarks } from '../../../web/src/lib/api.ts';

interface Seen {
  method: string;
  path: string;
  bookmark: string | null;
}

/** A server of canned answers: each call takes the next one; every request is recorded with its bookmark header. */
function fakeServer(answers: { status?: number; body?: unknown; bookmark?: string }[]): Seen[] {
  const seen: Seen[] = [];
  const queue = [...answers];
  vi.stubGlobal('fetch', async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    seen.push({ method: init.method ?? 'GET', path, bookmark: headers.get('neo4j-bookmark') });
    const next = queue.shift() ?? {};
    return new Response(JSON.stringify(next.body ?? {}), {
      status: next.status ?? 200,
      headers: { 'content-type': 'application/json', ...(next.bookmark ? { 'Neo4j-Bookmark': next.bookmark } : {}) },
    });
  });
  return seen;
}

const topic = { label: 'Topic' as const, name_en: 'Bookmarked', name_km: 'ចំណាំ' };

beforeEach(() => forgetBookmarks());
afterEach(() => {
  vi.unstubAllGlobals();
  forgetBookmarks();
});

describe('the explorer reads its own writes', () => {
  it('sends no header until a write answered with one (the embedded store never does)', async () => {
    const seen = fakeServer([{}, {}, {}]);
    await api.node('dar');
    await api.createNode(topic);
    await api.node('dar');
    expect(seen.map((s) => s.bookmark)).toEqual([null, null, null]);
    expect(currentBookmarks()).toEqual([]);
  });

  it("sends a write's bookmark on every later read, and a later write's instead of it", async () => {
    const seen = fakeServer([{ bookmark: 'FB:one' }, {}, {}, { bookmark: 'FB:two' }, {}]);
    await api.createNode(topic);
    await api.node('bookmarked');
    await api.search('book', 10);
    await api.updateNode('bookmarked', { name_en: 'Bookmarked again' }, 1);
    await api.neighbours('bookmarked');
    expect(seen.map((s) => [s.method, s.bookmark])).toEqual([
      ['POST', null],
      ['GET', 'FB:one'],
      ['GET', 'FB:one'],
      ['PATCH', 'FB:one'],
      ['GET', 'FB:two'],
    ]);
  });

  it('keeps the bookmarks of two writes in flight at once, then one write covers both', async () => {
    const seen = fakeServer([{ bookmark: 'FB:a' }, { bookmark: 'FB:b' }, {}, { bookmark: 'FB:c' }]);
    await Promise.all([api.createNode(topic), api.createNode({ ...topic, name_en: 'Other' })]);
    await api.node('dar');
    await api.deleteNode('other', { version: 1 });
    expect(seen[2]!.bookmark).toBe('FB:a, FB:b');
    expect(seen[3]!.bookmark).toBe('FB:a, FB:b');
    expect(currentBookmarks()).toEqual(['FB:c']);
  });

  it('a bookmark the database refuses is dropped and the request made once more without it', async () => {
    const refused = { status: 400, body: { error: { code: 'invalid', message: 'the Neo4j-Bookmark header is not a bookmark of this database', details: { parameter: 'Neo4j-Bookmark' } } } };
    const seen = fakeServer([{ bookmark: 'FB:gone' }, refused, { body: { id: 'dar' } }]);
    await api.createNode(topic);
    expect(await api.node('dar')).toEqual({ id: 'dar' });
    expect(seen.map((s) => s.bookmark)).toEqual([null, 'FB:gone', null]);
    expect(currentBookmarks()).toEqual([]);
  });

  it('another 400 is not retried, and a refusal repeated is not retried twice', async () => {
    const badQuery = { status: 400, body: { error: { code: 'invalid', message: 'bad limit', details: { parameter: 'limit' } } } };
    const refused = { status: 400, body: { error: { code: 'invalid', message: 'no', details: { parameter: 'Neo4j-Bookmark' } } } };
    const seen = fakeServer([{ bookmark: 'FB:x' }, badQuery, refused, refused]);
    await api.createNode(topic);
    await expect(api.search('x', 0)).rejects.toBeInstanceOf(ApiError);
    expect(seen).toHaveLength(2);
    await expect(api.node('dar')).rejects.toMatchObject({ status: 400, details: { parameter: 'Neo4j-Bookmark' } });
    expect(seen).toHaveLength(4);
  });

  it('keeps at most 16, the newest (what the server takes)', async () => {
    fakeServer(Array.from({ length: 20 }, (_, i) => ({ bookmark: `FB:${i}` })));
    // Writes in flight together: none of them covers another.
    await Promise.all(Array.from({ length: 20 }, (_, i) => api.createNode({ ...topic, name_en: `T${i}` })));
    expect(currentBookmarks()).toHaveLength(16);
    expect(currentBookmarks().at(-1)).toBe('FB:19');
  });
});
