/**
 * Limits of heavy reads over HTTP (issue 19 item 3), on each store: the cache per graph version (a second identical
 * call does not recompute; a write invalidates it), the deadline, the byte limit, the concurrency limits per client
 * and in all, and the read rate limit. Computations are counted, and held where a test needs one to be running,
 * through createApp's onHeavyRead hook: no test depends on how fast anything runs.
 */
import fs from 'node:fs';
import type { Express } from 'express';
import request from '../support/checked-request.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { EditorDirectory } from '../../server/auth/editors.ts';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../../server/config.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';
import { TEST_EDITORS, TEST_EDITOR_TOKENS } from '../support/app-fixture.ts';
import { loadSeed } from '../support/seed-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';

type Opener = () => Promise<{ store: GraphStore; dispose(): Promise<void> }>;

const openEmbedded: Opener = async () => {
  const dir = tempDir('dar-kg-heavy-api-');
  const store = await EmbeddedStore.open({ dataDir: dir });
  return {
    store,
    dispose: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** A promise and the function that settles it. */
function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

export function describeHeavyReadLimits(storeName: string, open: Opener = openEmbedded): void {
  describe(`heavy-read limits on ${storeName}`, () => {
    let handle: Awaited<ReturnType<Opener>>;
    let store: GraphStore;
    beforeAll(async () => {
      handle = await open();
      store = handle.store;
      await store.upsert(await loadSeed(), { name: 'seed' });
    });
    afterAll(async () => handle?.dispose());

    /** An app of its own (its own cache and slots) with these limits; `computed` counts computations by kind. */
    const appWith = (reads: Partial<ReadLimits>, hold?: (kind: string, nth: number) => Promise<void> | undefined) => {
      const computed: Record<string, number> = {};
      let nth = 0;
      const app: Express = createApp({
        store,
        config: { requestBodyLimit: '1mb', trustProxy: true, reads: { ...DEFAULT_READ_LIMITS, ...reads } },
        editors: EditorDirectory.fromEnv(TEST_EDITOR_TOKENS),
        log: () => {},
        onHeavyRead: (kind) => {
          computed[kind] = (computed[kind] ?? 0) + 1;
          return hold?.(kind, nth++);
        },
      });
      return { app, computed };
    };
    const from = (app: Express, address: string, url: string) => request(app).get(url).set('X-Forwarded-For', address);

    it('changes the graph version with every write', async () => {
      const before = await store.graphVersion();
      expect(await store.graphVersion()).toBe(before);
      await store.upsert({ nodes: [{ id: 'heavy-version-probe', label: 'Topic', name_en: 'Version probe', name_km: 'កំណែ', sources: [] }] }, { name: 'test' });
      expect(await store.graphVersion()).not.toBe(before);
    });

    it('answers a repeated centrality and export from the cache until a write changes the graph', async () => {
      const { app, computed } = appWith({});
      const url = '/api/analytics/centrality?measure=betweenness&limit=5';
      const first = await request(app).get(url);
      expect(first.status).toBe(200);
      expect(first.headers['x-cache']).toBe('miss');
      const second = await request(app).get(url);
      expect(second.status).toBe(200);
      expect(second.headers['x-cache']).toBe('hit');
      expect(second.body).toEqual(first.body);
      expect(computed.centrality).toBe(1);

      const exportUrl = '/api/export?format=graphml';
      const file1 = await request(app).get(exportUrl).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      expect(file1.status).toBe(200);
      expect(file1.headers['content-disposition']).toMatch(/attachment; filename="dar-kg-.*\.graphml"/);
      const file2 = await request(app).get(exportUrl);
      expect(file2.status).toBe(200);
      expect(file2.headers['x-cache']).toBe('hit');
      expect(computed.export).toBe(1);

      // A write: the next call computes again, on the changed graph.
      const write = await request(app)
        .post('/api/nodes')
        .set('Authorization', `Bearer ${TEST_EDITORS.alice}`)
        .send({ label: 'Topic', name_en: 'Heavy read cache probe', name_km: 'ការសាកល្បង' });
      expect(write.status).toBe(201);
      const third = await request(app).get(url);
      expect(third.status).toBe(200);
      expect(third.headers['x-cache']).toBe('miss');
      expect(third.body.graph.nodes).toBe(first.body.graph.nodes + 1);
      expect(computed.centrality).toBe(2);
    });

    it('stops a read that runs past HEAVY_READ_TIMEOUT_MS with 503 deadline_exceeded, and frees its slot', async () => {
      // The first computation is held until after its answer: it cannot finish within the deadline.
      const held = latch();
      const { app, computed } = appWith({ timeoutMs: 200, concurrency: 1, perClient: 1, cacheBytes: 0 }, (_kind, nth) => (nth === 0 ? held.promise : undefined));
      const res = await request(app).get('/api/analytics/centrality?measure=degree');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('deadline_exceeded');
      expect(res.body.error.message).toContain('HEAVY_READ_TIMEOUT_MS');
      expect(res.body.error.details).toEqual({ timeoutMs: 200 });
      held.open();
      // The held work gave its slot back (concurrency is 1): the next read runs.
      await new Promise((resolve) => setImmediate(resolve));
      const next = await request(app).get('/api/stats');
      expect(next.status).toBe(200);
      expect(computed.centrality).toBe(1);
    });

    it('ends betweenness in its worker thread at the deadline (1 ms: it cannot finish)', async () => {
      const { app } = appWith({ timeoutMs: 1, cacheBytes: 0 });
      const res = await request(app).get('/api/analytics/centrality?measure=betweenness');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('deadline_exceeded');
    });

    it('refuses an answer larger than HEAVY_READ_MAX_BYTES with 400 result_too_large naming the limit', async () => {
      const { app } = appWith({ maxBytes: 2000 });
      for (const url of ['/api/export?format=json', '/api/subgraph?limit=500']) {
        const res = await request(app).get(url);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('result_too_large');
        expect(res.body.error.message).toContain('2000 bytes (HEAVY_READ_MAX_BYTES)');
        expect(res.body.error.details.limitBytes).toBe(2000);
      }
      const small = await request(app).get('/api/analytics/centrality?measure=degree&limit=1');
      expect(small.status).toBe(200);
    });

    it('allows HEAVY_READ_CONCURRENCY_PER_CLIENT heavy reads at once per client address (429 with Retry-After), others go on', async () => {
      const held = latch();
      const started = latch();
      const { app } = appWith({ concurrency: 5, perClient: 1, cacheBytes: 0 }, (_kind, nth) => {
        if (nth !== 0) return undefined;
        started.open();
        return held.promise;
      });
      const first = from(app, '10.0.0.1', '/api/analytics/centrality?measure=degree').then((r) => r);
      await started.promise;
      const second = await from(app, '10.0.0.1', '/api/subgraph?around=dar&depth=1');
      expect(second.status).toBe(429);
      expect(second.body.error.code).toBe('rate_limited');
      expect(second.body.error.message).toContain('HEAVY_READ_CONCURRENCY_PER_CLIENT');
      expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
      const other = await from(app, '10.0.0.2', '/api/subgraph?around=dar&depth=1');
      expect(other.status).toBe(200);
      held.open();
      expect((await first).status).toBe(200);
      const again = await from(app, '10.0.0.1', '/api/subgraph?around=dar&depth=1');
      expect(again.status).toBe(200);
    });

    it('allows HEAVY_READ_CONCURRENCY heavy reads at once in all (429 with Retry-After); light reads go on', async () => {
      const held = latch();
      const started = latch();
      const { app } = appWith({ concurrency: 1, perClient: 5, cacheBytes: 0 }, (_kind, nth) => {
        if (nth !== 0) return undefined;
        started.open();
        return held.promise;
      });
      const first = from(app, '10.0.1.1', '/api/export?format=csv').then((r) => r);
      await started.promise;
      const second = await from(app, '10.0.1.2', '/api/paths?from=dar&to=mcs');
      expect(second.status).toBe(429);
      expect(second.body.error.message).toContain('HEAVY_READ_CONCURRENCY)');
      expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
      const light = await from(app, '10.0.1.2', '/api/nodes/dar');
      expect(light.status).toBe(200);
      const health = await from(app, '10.0.1.2', '/api/health');
      expect(health.status).toBe(200);
      held.open();
      expect((await first).status).toBe(200);
      expect((await from(app, '10.0.1.2', '/api/paths?from=dar&to=mcs')).status).toBe(200);
    });

    it('counts a Cypher console query as a heavy read (Neo4j; the embedded store has no console: 501)', async () => {
      const held = latch();
      const started = latch();
      const { app, computed } = appWith({ concurrency: 5, perClient: 1, cacheBytes: 0 }, (_kind, nth) => {
        if (nth !== 0) return undefined;
        started.open();
        return held.promise;
      });
      const query = { query: 'MATCH (p:Programme) RETURN p.id AS id ORDER BY id LIMIT 3', params: {} };
      // The console is for signed-in editors (issue 19 item 2).
      const console = (address: string) =>
        request(app).post('/api/cypher').set('X-Forwarded-For', address).set('Authorization', `Bearer ${TEST_EDITORS.alice}`).send(query);
      if (!store.cypher) {
        expect((await console('10.0.3.1')).status).toBe(501);
        expect(computed).toEqual({});
        return;
      }
      const first = console('10.0.3.1').then((r) => r);
      await started.promise;
      const second = await console('10.0.3.1');
      expect(second.status).toBe(429);
      expect(second.body.error.message).toContain('HEAVY_READ_CONCURRENCY_PER_CLIENT');
      held.open();
      const answered = await first;
      expect(answered.status).toBe(200);
      expect(answered.body.rows.length).toBe(3);
      expect(computed['Cypher query']).toBe(1);
    });

    it('limits reads per client address to READ_RATE_LIMIT a minute (429 with Retry-After); health stays open', async () => {
      const { app } = appWith({ readsPerMinute: 3 });
      for (let i = 0; i < 3; i++) expect((await from(app, '10.0.2.1', '/api/stats')).status).toBe(200);
      const over = await from(app, '10.0.2.1', '/api/search?q=dar');
      expect(over.status).toBe(429);
      expect(over.body.error.code).toBe('rate_limited');
      expect(over.body.error.message).toContain('too many reads');
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      expect((await from(app, '10.0.2.1', '/api/health')).status).toBe(200);
      expect((await from(app, '10.0.2.2', '/api/stats')).status).toBe(200);
    });
  });
}
