/** The research API over HTTP: lineage, paths, subgraph, documents, centrality, exports, OpenAPI. */
import { Validator } from '@seriousme/openapi-schema-validator';
import { strFromU8, unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import request from '../support/checked-request.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sameRecord } from '../../server/store/record-compare.ts';
import { readJsonExport } from '../../server/services/export.service.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { seededApp, type AppFixture } from '../support/app-fixture.ts';
import { loadSeed } from '../support/seed-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';

function binary(res: request.Response, callback: (error: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

export function describeResearchApi(storeName: string, open?: Parameters<typeof seededApp>[0]): void {
  describe(`research API on ${storeName}`, () => {
    let fx: AppFixture;
    beforeAll(async () => {
      fx = await seededApp(open);
    });
    afterAll(async () => fx?.dispose());
    const get = (url: string, query: Record<string, string | number> = {}) => request(fx.app).get(url).query(query);
    const expect400 = async (url: string, query: Record<string, string | number>, parameter: string) => {
      const res = await get(url, query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_parameter');
      expect(res.body.error.message).toContain(`"${parameter}`);
    };

    describe('GET /api/lineage/:id', () => {
      it("reads DAR's lineage as EU SPACE/ARDP → EU DAR, DAR phase 1 → DAR phase 2 → ISD → ISD II", async () => {
        const res = await get('/api/lineage/dar');
        expect(res.status).toBe(200);
        const gen = Object.fromEntries(res.body.programmes.map((p: { id: string; generation: number }) => [p.id, p.generation]));
        expect(gen['eu-space']).toBe(0);
        expect(gen['ardp']).toBe(0);
        expect(gen['eu-dar']).toBe(1);
        expect(gen['dar-1']).toBe(1);
        expect(gen['dar-2']).toBe(2);
        expect(gen['isd']).toBe(3);
        expect(gen['isd-2']).toBe(4);
        const order = res.body.programmes.map((p: { id: string }) => p.id);
        expect(order.indexOf('eu-space')).toBeLessThan(order.indexOf('eu-dar'));
        expect(order.indexOf('dar-2')).toBeLessThan(order.indexOf('isd'));
        expect(order.at(-1)).toBe('isd-2');
      });

      it('gives each programme its period, funders, implementers and partners with roles and sources', async () => {
        const res = await get('/api/lineage/dar');
        const dar2 = res.body.programmes.find((p: { id: string }) => p.id === 'dar-2');
        expect(dar2).toMatchObject({ start: '2019-05', end: '2022-04', predecessors: ['dar-1', 'eu-dar'], successors: ['isd'], partOf: ['dar'] });
        const bmz = dar2.funders.find((f: { id: string }) => f.id === 'bmz');
        expect(bmz).toMatchObject({ amount: 5040000, currency: 'EUR' });
        expect(bmz.sources.length).toBeGreaterThan(0);
        expect(dar2.implementers.map((i: { id: string }) => i.id)).toContain('giz');
        const dar1 = res.body.programmes.find((p: { id: string }) => p.id === 'dar-1');
        expect(dar1.partners.find((p: { id: string }) => p.id === 'mcs')?.role).toBeTruthy();
        const ids = new Set(res.body.elements.nodes.map((n: { id: string }) => n.id));
        for (const id of ['dar', 'isd', 'eu-space', 'bmz', 'giz']) expect(ids).toContain(id);
        for (const link of res.body.elements.links) {
          expect(ids.has(link.from) && ids.has(link.to)).toBe(true);
        }
      });

      it('goes only back or only forward when asked', async () => {
        const back = (await get('/api/lineage/dar-2', { direction: 'back' })).body.programmes.map((p: { id: string }) => p.id);
        expect(back).toContain('eu-space');
        expect(back).not.toContain('isd');
        const forward = (await get('/api/lineage/dar-1', { direction: 'forward', depth: 1 })).body.programmes.map((p: { id: string }) => p.id);
        expect(forward).toContain('dar-2');
        expect(forward).not.toContain('eu-space');
      });

      it('walks the national chain from NP-2 back through NP-SNDD to Seila and CARERE, inferred steps marked draft', async () => {
        const res = await get('/api/lineage/np-2', { direction: 'back' });
        expect(res.status).toBe(200);
        const ids = res.body.programmes.map((p: { id: string }) => p.id);
        for (const id of ['np-2', 'np-sndd', 'ip3-1', 'ip3-2', 'ip3-3', 'seila', 'carere']) expect(ids).toContain(id);
        const entry = (id: string) => res.body.programmes.find((p: { id: string }) => p.id === id);
        expect(entry('np-2').predecessors).toEqual(['np-sndd']);
        expect(entry('np-sndd').predecessors).toEqual(['seila']);
        expect(entry('seila').predecessors).toEqual(['carere']);
        expect(entry('ip3-3').partOf).toEqual(['np-sndd']);
        expect(entry('carere').generation).toBeLessThan(entry('seila').generation);
        expect(entry('seila').generation).toBeLessThan(entry('np-sndd').generation);
        expect(entry('np-sndd').generation).toBeLessThan(entry('np-2').generation);
        // Each step is a link: the stated ones cite their source, the inferred ones are drafts.
        const step = (from: string, to: string) =>
          res.body.elements.links.find((l: { type: string; from: string; to: string }) => l.type === 'SUCCEEDS' && l.from === from && l.to === to);
        expect(step('np-2', 'np-sndd').sources.length).toBeGreaterThan(0);
        expect(step('np-sndd', 'seila').draft).toBe(true);
        expect(step('seila', 'carere').draft).toBe(true);
        // CARERE's own successor, the UNDP project that carries Seila's name, is reached going both ways.
        const both = (await get('/api/lineage/np-2', { direction: 'both' })).body.programmes.map((p: { id: string }) => p.id);
        expect(both).toContain('carere2');
      });

      it('refuses a node that is not a programme, an unknown id and bad parameters', async () => {
        await expect400('/api/lineage/mcs', {}, 'id');
        expect((await get('/api/lineage/nobody')).status).toBe(404);
        await expect400('/api/lineage/dar', { depth: 11 }, 'depth');
        await expect400('/api/lineage/dar', { direction: 'up' }, 'direction');
      });
    });

    describe('GET /api/paths', () => {
      it('links DAR to the Commune/Sangkat Fund, every hop a sourced link', async () => {
        const res = await get('/api/paths', { from: 'dar', to: 'commune-sangkat-fund' });
        expect(res.status).toBe(200);
        expect(res.body.length).toBeGreaterThan(0);
        expect(res.body.paths.length).toBeGreaterThan(0);
        for (const path of res.body.paths) {
          expect(path.hops[0].from).toBe('dar');
          expect(path.hops.at(-1).to).toBe('commune-sangkat-fund');
        }
        const sourced = res.body.paths.filter((path: { hops: { link: { sources: string[] } }[] }) => path.hops.every((hop) => hop.link.sources.length > 0));
        expect(sourced.length).toBeGreaterThan(0);
      });

      it('answers "how is the Ministry of Civil Service connected to EU SPACE?" with every shortest path and its citations', async () => {
        const res = await get('/api/paths', { from: 'mcs', to: 'eu-space' });
        expect(res.status).toBe(200);
        expect(res.body.length).toBeGreaterThan(0);
        expect(res.body.paths.length).toBeGreaterThan(0);
        for (const path of res.body.paths) {
          expect(path.hops).toHaveLength(res.body.length);
          for (const hop of path.hops) {
            expect(['forward', 'backward']).toContain(hop.direction);
            expect(hop.direction === 'forward' ? [hop.link.from, hop.link.to] : [hop.link.to, hop.link.from]).toEqual([hop.from, hop.to]);
            expect(hop.link.sources.length).toBeGreaterThan(0);
          }
        }
      });

      it('says null length when there is no path within maxHops', async () => {
        const res = await get('/api/paths', { from: 'isd', to: 'kh-0206', types: 'SUCCEEDS' });
        expect(res.body).toMatchObject({ length: null, paths: [] });
      });

      it('validates its parameters', async () => {
        await expect400('/api/paths', { to: 'dar' }, 'from');
        await expect400('/api/paths', { from: 'mcs', to: 'dar', maxHops: 11 }, 'maxHops');
        await expect400('/api/paths', { from: 'mcs', to: 'dar', limit: 26 }, 'limit');
        await expect400('/api/paths', { from: 'mcs', to: 'dar', types: 'SUCCEEDS,KNOWS' }, 'types');
        expect((await get('/api/paths', { from: 'mcs', to: 'nobody' })).status).toBe(404);
      });
    });

    describe('GET /api/subgraph', () => {
      it('gives everything within N hops of a node', async () => {
        const seed = await loadSeed();
        const res = await get('/api/subgraph', { around: 'isd', depth: 1 });
        expect(res.status).toBe(200);
        const expected = new Set(['isd', ...seed.links.filter((l) => l.from === 'isd' || l.to === 'isd').map((l) => (l.from === 'isd' ? l.to : l.from))]);
        expect(new Set(res.body.nodes.map((n: { id: string }) => n.id))).toEqual(expected);
      });

      it('gives the partnerships view: programmes, organisations and the roles between them', async () => {
        const res = await get('/api/subgraph', { labels: 'Programme,Organisation', types: 'FUNDED_BY,IMPLEMENTED_BY,PARTNERS_WITH' });
        expect(res.body.nodes.every((n: { label: string }) => n.label === 'Programme' || n.label === 'Organisation')).toBe(true);
        expect(res.body.links.every((l: { type: string }) => ['FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH'].includes(l.type))).toBe(true);
        expect(res.body.links.length).toBeGreaterThan(10);
        expect(res.body.truncated).toBe(false);
      });

      it('caps and says so', async () => {
        const res = await get('/api/subgraph', { limit: 5 });
        expect(res.body.nodes).toHaveLength(5);
        expect(res.body.truncated).toBe(true);
        await expect400('/api/subgraph', { depth: 0 }, 'depth');
        await expect400('/api/subgraph', { limit: 10001 }, 'limit');
        await expect400('/api/subgraph', { labels: 'Person' }, 'labels');
      });
    });

    describe('GET /api/documents', () => {
      it('arranges the library per programme and per category, titles in both languages', async () => {
        const res = await get('/api/documents');
        expect(res.status).toBe(200);
        const seed = await loadSeed();
        expect(res.body.total).toBe(seed.nodes.filter((n) => n.label === 'Document').length);
        const euDar = res.body.groups.find((g: { producer: { id: string } | null }) => g.producer?.id === 'eu-dar');
        expect(euDar.categories.map((c: { category: string }) => c.category)).toEqual(['EU-DAR-1', 'EU-DAR-2', 'EU-DAR-3', 'EU-DAR-4', 'EU-DAR-5']);
        for (const group of res.body.groups) for (const c of group.categories) for (const d of c.documents) {
          expect(d.name_en.length).toBeGreaterThan(0);
          expect(d.name_km.length).toBeGreaterThan(0);
        }
      });

      it('filters by programme, category and text (Khmer too)', async () => {
        expect((await get('/api/documents', { programme: 'eu-space' })).body.total).toBe(3);
        expect((await get('/api/documents', { category: 'DAR-III' })).body.total).toBe(1);
        const khmer = await get('/api/documents', { q: 'លិខិតបទដ្ឋានគតិយុត្ត' });
        expect(khmer.body.total).toBeGreaterThanOrEqual(1);
        expect((await get('/api/documents', { programme: 'nobody' })).status).toBe(404);
      });
    });

    describe('GET /api/analytics/centrality', () => {
      it('ranks nodes by degree or betweenness, filtered by label', async () => {
        for (const measure of ['degree', 'betweenness']) {
          const res = await get('/api/analytics/centrality', { measure, labels: 'Organisation,AdminArea', limit: 5 });
          expect(res.status).toBe(200);
          expect(res.body.results).toHaveLength(5);
          expect(res.body.results.every((r: { label: string }) => r.label === 'Organisation' || r.label === 'AdminArea')).toBe(true);
          for (let i = 1; i < 5; i++) expect(res.body.results[i - 1].score).toBeGreaterThanOrEqual(res.body.results[i].score);
        }
        await expect400('/api/analytics/centrality', { measure: 'pagerank' }, 'measure');
      });
    });

    describe('GET /api/export', () => {
      it('exports JSON that re-imports into an empty store as the same graph', async () => {
        const res = await get('/api/export', { format: 'json' });
        expect(res.status).toBe(200);
        expect(res.headers['content-disposition']).toMatch(/attachment; filename="dar-kg-.*\.json"/);
        const data = readJsonExport(res.text);
        const dir = tempDir('dar-kg-reimport-');
        const fresh = await EmbeddedStore.open({ dataDir: dir });
        try {
          await fresh.upsert(data, { name: 'import' });
          const original = await fx.store.exportAll();
          const copy = await fresh.exportAll();
          expect(copy.nodes.length).toBe(original.nodes.length);
          expect(copy.links.length).toBe(original.links.length);
          const byId = new Map(copy.nodes.map((n) => [n.id, n]));
          for (const node of original.nodes) expect(sameRecord(byId.get(node.id)!, node)).toBe(true);
          const linksById = new Map(copy.links.map((l) => [l.id, l]));
          for (const link of original.links) expect(sameRecord(linksById.get(link.id)!, link)).toBe(true);
        } finally {
          await fresh.close();
        }
      });

      it('exports CSV as a zip of nodes.csv and links.csv with a row per record', async () => {
        const stats = (await get('/api/stats')).body;
        const res = await get('/api/export', { format: 'csv' }).buffer(true).parse(binary);
        expect(res.headers['content-type']).toBe('application/zip');
        const files = unzipSync(new Uint8Array(res.body as Buffer));
        const nodes = strFromU8(files['nodes.csv']!).trim().split('\r\n');
        const links = strFromU8(files['links.csv']!).trim().split('\r\n');
        const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
        expect(nodes.length - 1).toBe(sum(stats.nodes));
        expect(links.length - 1).toBe(sum(stats.links));
        expect([...files['nodes.csv']!.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: spreadsheets read UTF-8
        expect(nodes[0]).toMatch(/^\uFEFF?id,label,name_en,name_km/);
        // Source and Target, the edge-table columns Gephi's spreadsheet import looks for, repeat from and to (and
        // Label the type, which Gephi reads as the direction).
        expect(links[0]).toMatch(/^\uFEFF?id,type,from,to,Source,Target,Label,sources/);
        for (const row of links.slice(1)) {
          const [, type, from, to, source, target, label] = row.split(',');
          expect([source, target, label]).toEqual([from, to, type]);
        }
        expect(strFromU8(files['nodes.csv']!)).toContain('ក្រសួងមុខងារសាធារណៈ');
      });

      it('exports GraphML that is well-formed XML with as many nodes and edges as /api/stats', async () => {
        const stats = (await get('/api/stats')).body;
        const res = await get('/api/export', { format: 'graphml' });
        expect(res.status).toBe(200);
        const counts: Record<string, number> = {};
        const parser = new SaxesParser({ xmlns: true });
        parser.on('opentag', (tag) => {
          counts[tag.local] = (counts[tag.local] ?? 0) + 1;
          if (tag.local === 'graphml') expect(tag.uri).toBe('http://graphml.graphdrawing.org/xmlns');
        });
        parser.write(res.text).close();
        const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
        expect(counts.node).toBe(sum(stats.nodes));
        expect(counts.edge).toBe(sum(stats.links));
      });

      it('exports a Cypher script of batched UNWIND statements with a line per node and per link', async () => {
        const stats = (await get('/api/stats')).body;
        const res = await get('/api/export', { format: 'cypher' });
        const lines = res.text.trim().split('\n');
        const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
        expect(lines.filter((l) => l.startsWith('{`')).length).toBe(sum(stats.nodes));
        expect(lines.filter((l) => l.startsWith('{from: ')).length).toBe(sum(stats.links));
        const statements = lines.filter((l) => l.startsWith('UNWIND [')).length;
        expect(lines.filter((l) => /^CREATE \(n:Entity:\w+\) SET n = row;$/.test(l)).length + lines.filter((l) => /^CREATE \(a\)-\[r:\w+\]->\(b\) SET r = row\.props;$/.test(l)).length).toBe(statements);
        expect(statements).toBeLessThan((sum(stats.nodes) + sum(stats.links)) / 10);
      });

      it('exports a view with the subgraph filters', async () => {
        const res = await get('/api/export', { format: 'json', labels: 'Programme', types: 'SUCCEEDS' });
        const data = readJsonExport(res.text);
        expect(data.nodes.every((n) => n.label === 'Programme')).toBe(true);
        expect(data.links.every((l) => l.type === 'SUCCEEDS')).toBe(true);
        await expect400('/api/export', { format: 'pdf' }, 'format');
      });
    });

    describe('GET /api/areas/:id/shape', () => {
      const geojson = async (url: string) => {
        const res = await get(url).buffer(true).parse((r, callback) => binary(r, (error, body) => callback(error, body.toString('utf8'))));
        return { res, feature: res.status === 200 ? JSON.parse(res.body as string) : undefined };
      };

      it("gives Banan's boundary as a GeoJSON Feature with its code, names, attribution and licence", async () => {
        const { res, feature } = await geojson('/api/areas/kh-0201/shape');
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
        expect(feature.type).toBe('Feature');
        expect(feature.id).toBe('kh-0201');
        expect(feature.properties).toMatchObject({ id: 'kh-0201', code: '0201', level: 'district', name_en: 'Banan', name_km: 'បាណន់', in_graph: true, licence: 'CC BY 4.0' });
        expect(feature.properties.attribution).toBe('Boundaries: geoBoundaries (Runfola et al. 2020, PLOS ONE 15(4): e0231866) / Open Development Cambodia, CC BY 4.0');
        expect(['Polygon', 'MultiPolygon']).toContain(feature.geometry.type);
        // WGS84 longitude, latitude around Banan (103.08°E, 12.95°N): its gazetteer point inside its box.
        const points: number[][] = feature.geometry.coordinates.flat(feature.geometry.type === 'Polygon' ? 1 : 2);
        const lons = points.map((p) => p[0]!);
        const lats = points.map((p) => p[1]!);
        expect(Math.min(...lons)).toBeLessThan(103.076);
        expect(Math.max(...lons)).toBeGreaterThan(103.076);
        expect(Math.min(...lats)).toBeLessThan(12.952);
        expect(Math.max(...lats)).toBeGreaterThan(12.952);
      });

      it('gives a province (the union of its districts) and a commune', async () => {
        const province = await geojson('/api/areas/kh-02/shape');
        expect(province.res.status).toBe(200);
        expect(province.feature.properties).toMatchObject({ code: '02', level: 'province', name_en: 'Battambang Province', in_graph: true });
        const commune = await geojson('/api/areas/kh-020101/shape');
        expect(commune.res.status).toBe(200);
        expect(commune.feature.properties).toMatchObject({ code: '020101', level: 'commune', in_graph: true });
        expect(commune.feature.properties.name_km).toMatch(/[\u1780-\u17FF]/);
      });

      it('answers 404 for an area without a shape, an unknown area and a node that is not an area', async () => {
        for (const [id, text] of [
          ['kh-0509', 'no shape'], // Odongk Maechay: a district created after 2014
          ['kh-99', 'no shape'],
          ['nowhere', 'no area'],
          ['dar', 'not an administrative area'],
        ] as const) {
          const res = await get(`/api/areas/${id}/shape`);
          expect(res.status, id).toBe(404);
          expect(res.body.error.code).toBe('not_found');
          expect(res.body.error.message).toContain(text);
        }
      });
    });

    describe('OpenAPI', () => {
      it('serves a valid OpenAPI 3.1 document listing every endpoint, and a docs page', async () => {
        const res = await get('/api/openapi.json');
        expect(res.status).toBe(200);
        const validator = new Validator();
        const result = await validator.validate(res.body);
        expect(result.errors ?? []).toEqual([]);
        expect(result.valid).toBe(true);
        expect(res.body.openapi).toBe('3.1.0');
        for (const path of ['/api/health', '/api/stats', '/api/search', '/api/nodes/{id}', '/api/nodes/{id}/neighbours', '/api/lineage/{id}', '/api/paths', '/api/subgraph', '/api/documents', '/api/analytics/centrality', '/api/export', '/api/areas/{id}/shape']) {
          expect(res.body.paths[path]?.get, path).toBeDefined();
        }
        const depth = res.body.paths['/api/lineage/{id}'].get.parameters.find((p: { name: string }) => p.name === 'depth');
        expect(depth.schema.maximum).toBe(10);
        const docs = await get('/api/docs');
        expect(docs.status).toBe(200);
        expect(docs.text).toContain('/api/lineage/{id}');
      });
    });
  });
}
