/** The API core over HTTP (supertest on createApp), on the seeded embedded store. */
import request from '../support/checked-request.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countBy, loadSeed } from '../support/seed-fixture.ts';
import { expectError, seededApp, TEST_EDITORS, type AppFixture } from '../support/app-fixture.ts';

export function describeApiCore(storeName: string, open?: Parameters<typeof seededApp>[0]): void {
  describe(`API core on ${storeName}`, () => {
    let fx: AppFixture;
    beforeAll(async () => {
      fx = await seededApp(open);
    });
    afterAll(async () => fx?.dispose());

    it('GET /api/health says the store is usable and which kind it is', async () => {
      const res = await request(fx.app).get('/api/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ok: true, kind: fx.store.kind });
    });

    it('GET /api/stats counts nodes per label and links per type, every node in both languages, every link sourced', async () => {
      const seed = await loadSeed();
      const res = await request(fx.app).get('/api/stats');
      expect(res.status).toBe(200);
      expect(res.body.nodes).toMatchObject(countBy(seed.nodes, (n) => n.label));
      expect(res.body.links).toMatchObject(countBy(seed.links, (l) => l.type));
      // Only drafts (inferred links) go without a source; every other link cites one.
      const unsourced = seed.links.filter((l) => l.sources.length === 0);
      expect(unsourced.every((l) => l.draft === true)).toBe(true);
      expect(res.body.quality).toMatchObject({
        nodesMissingKhmer: 0,
        nodesMissingEnglish: 0,
        linksWithoutSource: unsourced.length,
        draftLinks: seed.links.filter((l) => l.draft).length,
      });
    });

    describe('GET /api/search', () => {
      it('ranks the Ministry of Civil Service first for "មុខងារសាធារណៈ" and for "civil service"', async () => {
        for (const q of ['មុខងារសាធារណៈ', 'civil service', 'មុខ\u200Bងារសាធារណៈ']) {
          const res = await request(fx.app).get('/api/search').query({ q });
          expect(res.status).toBe(200);
          expect(res.body.results[0]).toMatchObject({ id: 'mcs', label: 'Organisation', name_km: 'ក្រសួងមុខងារសាធារណៈ' });
          expect(res.body.results[0].name_en).toMatch(/Civil Service/);
        }
      });

      it('respects limit and labels', async () => {
        const res = await request(fx.app).get('/api/search').query({ q: 'a', limit: 2, labels: 'AdminArea,Topic' });
        expect(res.status).toBe(200);
        expect(res.body.results.length).toBe(2);
        for (const hit of res.body.results) expect(['AdminArea', 'Topic']).toContain(hit.label);
      });

      it.each([
        [{}, 'q'],
        [{ q: '' }, 'q'],
        [{ q: 'x'.repeat(201) }, 'q'],
        [{ q: 'dar', limit: '0' }, 'limit'],
        [{ q: 'dar', limit: '51' }, 'limit'],
        [{ q: 'dar', limit: 'ten' }, 'limit'],
        [{ q: 'dar', limit: '2.5' }, 'limit'],
        [{ q: 'dar', labels: 'Person' }, 'labels'],
      ])('answers 400 naming the bad parameter for %j', async (query, parameter) => {
        const res = await request(fx.app).get('/api/search').query(query);
        expectError(res, 400, 'invalid_parameter', new RegExp(`"${parameter}`));
        expect(res.body.error.details.parameter).toMatch(new RegExp(`^${parameter}`));
      });

      it('answers 400 when a parameter is repeated', async () => {
        const res = await request(fx.app).get('/api/search?q=a&q=b');
        expectError(res, 400, 'invalid_parameter', /"q"/);
      });
    });

    describe('GET /api/nodes/:id', () => {
      it('returns the node, its properties and sources, and link counts per type', async () => {
        const seed = await loadSeed();
        const res = await request(fx.app).get('/api/nodes/mcs');
        expect(res.status).toBe(200);
        expect(res.body.node).toMatchObject(seed.nodes.find((n) => n.id === 'mcs') as object);
        const links = seed.links.filter((l) => l.from === 'mcs' || l.to === 'mcs');
        const total = Object.values(res.body.linkCounts as Record<string, { in: number; out: number }>).reduce((a, c) => a + c.in + c.out, 0);
        expect(total).toBe(links.length);
      });

      it('404s an unknown id and 400s an id that is not a slug', async () => {
        expectError(await request(fx.app).get('/api/nodes/no-such-node'), 404, 'not_found', /no-such-node/);
        expectError(await request(fx.app).get('/api/nodes/Not%20A%20Slug'), 400, 'invalid_parameter', /"id"/);
        expectError(await request(fx.app).get('/api/nodes/..%2F..%2Fetc%2Fpasswd'), 400, 'invalid_parameter', /"id"/);
      });
    });

    describe('GET /api/nodes/:id/neighbours', () => {
      it('returns links and neighbour nodes, filtered, capped, with the total', async () => {
        const seed = await loadSeed();
        const all = seed.links.filter((l) => l.from === 'kh-02' || l.to === 'kh-02');
        const res = await request(fx.app).get('/api/nodes/kh-02/neighbours').query({ limit: 5 });
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(all.length);
        expect(res.body.links).toHaveLength(Math.min(5, all.length));
        const part = await request(fx.app).get('/api/nodes/kh-02/neighbours').query({ type: 'PART_OF', direction: 'in', limit: 100 });
        expect(part.body.total).toBe(seed.links.filter((l) => l.type === 'PART_OF' && l.to === 'kh-02').length);
        expect(part.body.nodes.every((n: { label: string }) => n.label === 'AdminArea')).toBe(true);
      });

      it.each([
        [{ direction: 'sideways' }, 'direction'],
        [{ type: 'LIKES' }, 'type'],
        [{ limit: '501' }, 'limit'],
        [{ offset: '-1' }, 'offset'],
      ])('answers 400 naming the bad parameter for %j', async (query, parameter) => {
        const res = await request(fx.app).get('/api/nodes/dar/neighbours').query(query);
        expectError(res, 400, 'invalid_parameter', new RegExp(`"${parameter}"`));
      });

      it('404s an unknown node', async () => {
        expectError(await request(fx.app).get('/api/nodes/nobody/neighbours'), 404, 'not_found');
      });
    });

    it('POST /api/cypher is for signed-in editors, refuses what the guard refuses before it reaches any store, and needs Neo4j', async () => {
      const cypher = (body: unknown, signedIn = true) => {
        const req = request(fx.app).post('/api/cypher');
        return signedIn ? req.set('Authorization', `Bearer ${TEST_EDITORS.alice}`).send(body as object) : req.send(body as object);
      };
      expectError(await cypher({ query: 'MATCH (e:AuditEntry) RETURN e.by, e.before, e.after' }, false), 401, 'unauthenticated');
      expectError(await cypher({ query: 'RETURN 1' }, false), 401, 'unauthenticated');
      const refused = await cypher({ query: 'LOAD CSV FROM "file:///etc/passwd" AS r RETURN r' });
      if (fx.store.cypher) {
        expectError(refused, 400, 'cypher_refused', /LOAD CSV/);
      } else {
        expectError(refused, 501, 'not_supported', /Neo4j/);
        expectError(await cypher({ query: 'MATCH (n) RETURN n' }), 501, 'not_supported', /NEO4J_URI/);
      }
      expectError(await cypher({}), 400, 'invalid_parameter', /"query"/);
      expectError(await cypher({ query: 'RETURN 1', params: { 'bad name': 1 } }), 400, 'invalid_parameter', /params/);
      const broken = await request(fx.app).post('/api/cypher').set('Authorization', `Bearer ${TEST_EDITORS.alice}`).set('Content-Type', 'application/json').send('{"query": ');
      expectError(broken, 400, 'invalid_json');
    });

    it('answers unknown API routes with a JSON 404', async () => {
      expectError(await request(fx.app).get('/api/nothing-here'), 404, 'not_found', /GET \/nothing-here/);
    });

    it('sends security headers', async () => {
      const res = await request(fx.app).get('/api/health');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['content-security-policy']).not.toMatch(/unsafe-eval/);
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
  });
}
