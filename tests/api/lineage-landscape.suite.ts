/**
 * GET /api/lineage at the size of the whole field (the DAR seed plus the landscape fixture: ~35 programmes
 * 1992–2030, donor projects that SUPPORT national programmes, laws and elections): the chain from NP-2 back to
 * CARERE is walkable, donor projects come with the national programme they support, and the laws and events
 * dated within the lineage's years come as markers with their sources. Run on every store.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineageResponse } from '../../server/http/api.responses.ts';
import { yearsOf, type LineageEntry } from '../../server/services/lineage.service.ts';
import { landscapeFixture } from '../fixtures/landscape.fixture.ts';
import { seededApp, type AppFixture } from '../support/app-fixture.ts';
import { loadSeed } from '../support/seed-fixture.ts';

interface Marker {
  id: string;
  label: string;
  kind: string;
  date: string;
  reference?: string;
  sources: string[];
}

export function describeLineageLandscape(storeName: string, open?: Parameters<typeof seededApp>[0]): void {
  describe(`lineage of the whole field on ${storeName}`, () => {
    let fx: AppFixture;
    beforeAll(async () => {
      fx = await seededApp(open);
      await fx.store.upsert(landscapeFixture(await loadSeed()), { name: 'landscape fixture' });
    });
    afterAll(async () => fx?.dispose());
    const get = (url: string, query: Record<string, string | number> = {}) => request(fx.app).get(url).query(query);

    it('walks the chain from NP-2 back to Seila and CARERE, with the donor projects that support it', async () => {
      const res = await get('/api/lineage/np-2', { direction: 'back' });
      expect(res.status).toBe(200);
      expect(LineageResponse.safeParse(res.body).success).toBe(true);
      const byId = new Map<string, { kind?: string; predecessors: string[]; supports: string[]; supportedBy: string[]; generation: number }>(
        res.body.programmes.map((p: { id: string }) => [p.id, p]),
      );
      for (const id of ['np-2', 'np-sndd', 'seila', 'carere2', 'carere', 'ip3-2']) expect(byId.has(id), id).toBe(true);
      expect(byId.get('np-2')).toMatchObject({ kind: 'national-programme', predecessors: ['np-sndd'] });
      expect(byId.get('seila')!.predecessors).toEqual(['carere2']);
      expect(byId.get('carere')!.generation).toBe(0);
      // Donor projects beside the national programme they supported, and DAR's own chain through DAR.
      expect(byId.get('np-sndd')!.supportedBy).toEqual(expect.arrayContaining(['dar', 'rilgp-2', 'eu-sndd', 'sdc-sndd-1']));
      expect(byId.get('rilgp')).toMatchObject({ kind: 'donor-project', supports: ['seila'] });
      expect(byId.has('eu-space')).toBe(true);
      // SUPPORTS links are in the elements, between programmes of the answer.
      const supports = res.body.elements.links.filter((l: { type: string }) => l.type === 'SUPPORTS');
      expect(supports.length).toBeGreaterThan(10);
    });

    it("gives the laws and elections dated within the lineage's years as markers, by date, with their sources", async () => {
      const res = await get('/api/lineage/np-2');
      expect(res.body.years).toEqual({ from: 1992, to: 2030 });
      const markers: Marker[] = res.body.markers;
      const ids = markers.map((m) => m.id);
      expect(ids).toEqual(expect.arrayContaining(['cs-law', 'organic-law', 'ncdd-decree-2008', 'ce-2002', 'council-2009', 'ce-2022', 'snif-subdecree']));
      expect(ids).not.toContain('undated-law'); // dated 1980, before every programme
      expect(markers.map((m) => m.date)).toEqual(markers.map((m) => m.date).slice().sort());
      expect(markers.find((m) => m.id === 'organic-law')).toMatchObject({ label: 'Law', kind: 'royal-kram', date: '2008-05', reference: 'NS/RKM/0508/017' });
      expect(markers.find((m) => m.id === 'ce-2012')).toMatchObject({ label: 'Event', kind: 'commune-election', date: '2012-06-03' });
      for (const m of markers) expect(m.sources.length, m.id).toBeGreaterThan(0);
      // The marker nodes are in the elements, to be drawn and selected.
      const nodes = new Set(res.body.elements.nodes.map((n: { id: string }) => n.id));
      for (const id of ids) expect(nodes.has(id), id).toBe(true);
    });

    it('takes markers from the years of the programmes it found, not from the whole field', async () => {
      // RILGP (2003–2010), RILGP-II (2007–2012) which succeeds it, and Seila (1996–2006) which it supports.
      const res = await get('/api/lineage/rilgp', { direction: 'forward', depth: 1 });
      expect(res.body.programmes.map((p: { id: string }) => p.id).sort()).toEqual(['rilgp', 'rilgp-2', 'seila']);
      expect(res.body.years).toEqual({ from: 1996, to: 2012 });
      const ids = res.body.markers.map((m: Marker) => m.id);
      expect(ids).toEqual(['cs-law', 'cs-election-law', 'ce-2002', 'dd-framework', 'ncdd-decree-2006', 'ce-2007', 'organic-law', 'ncdd-decree-2008', 'council-2009', 'ce-2012']);
    });

    it('lists the laws and decrees in the library by date, with reference, sources and what each established', async () => {
      const res = await get('/api/documents');
      expect(res.status).toBe(200);
      const laws: { id: string; date?: string; reference?: string; kind: string; sources: string[]; established: { id: string }[] }[] = res.body.laws;
      expect(laws.map((l) => l.id)).toEqual(['undated-law', 'cs-law', 'cs-election-law', 'dd-framework', 'ncdd-decree-2006', 'organic-law', 'ncdd-decree-2008', 'snif-subdecree']);
      expect(laws.find((l) => l.id === 'organic-law')).toMatchObject({ kind: 'royal-kram', date: '2008-05', reference: 'NS/RKM/0508/017' });
      expect(laws.find((l) => l.id === 'ncdd-decree-2008')!.established.map((b) => b.id)).toEqual(['ncdd']);
      for (const law of laws) expect(law.sources.length).toBeGreaterThan(0);
      // Filtered like the documents: by text (a reference, Khmer), by what it established; none for a category.
      expect((await get('/api/documents', { q: 'ns/rkm/0508' })).body.laws.map((l: { id: string }) => l.id)).toEqual(['organic-law']);
      expect((await get('/api/documents', { q: 'រាជធានី ខេត្ត' })).body.laws.map((l: { id: string }) => l.id)).toEqual(['organic-law']);
      expect((await get('/api/documents', { programme: 'ncdd' })).body.laws.map((l: { id: string }) => l.id)).toEqual(['ncdd-decree-2008']);
      expect((await get('/api/documents', { category: 'DAR-I' })).body.laws).toEqual([]);
    });

    it('counts the years from the earliest start to the latest end, an ongoing programme to this year', () => {
      const entry = (start: string | undefined, end: string | undefined, status?: string) => ({ start, end, status }) as LineageEntry;
      expect(yearsOf([])).toBeNull();
      expect(yearsOf([entry(undefined, undefined)])).toBeNull();
      expect(yearsOf([entry('2003-04-22', '2010-12-31'), entry('1996', '2006')], 2026)).toEqual({ from: 1996, to: 2010 });
      expect(yearsOf([entry('2022', undefined, 'active')], 2026)).toEqual({ from: 2022, to: 2026 });
      expect(yearsOf([entry('2002', undefined, 'completed')], 2026)).toEqual({ from: 2002, to: 2002 });
    });
  });
}
