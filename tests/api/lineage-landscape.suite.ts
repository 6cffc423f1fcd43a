/**
 * GET /api/lineage and GET /api/documents on the landscape seed (Cambodia's D&D reform 1992–2030: national
 * programmes and plans, funds, donor projects that SUPPORT a national programme, laws and elections): donor
 * projects come with the national programme they support, and the laws and events dated within the lineage's
 * years come as markers with their sources; the library lists the laws. Run on every store.
 */
import request from '../support/checked-request.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineageResponse } from '../../server/http/api.responses.ts';
import { yearsOf, type LineageEntry } from '../../server/services/lineage.service.ts';
import { seededApp, type AppFixture } from '../support/app-fixture.ts';

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
    });
    afterAll(async () => fx?.dispose());
    const get = (url: string, query: Record<string, string | number> = {}) => request(fx.app).get(url).query(query);

    it('walks from NP-2 back through the national chain and reaches the donor projects that support it', async () => {
      const res = await get('/api/lineage/np-2', { direction: 'back' });
      expect(res.status).toBe(200);
      expect(LineageResponse.safeParse(res.body).success).toBe(true);
      const byId = new Map<string, { kind?: string; supports: string[]; supportedBy: string[] }>(res.body.programmes.map((p: { id: string }) => [p.id, p]));
      for (const id of ['np-2', 'np-sndd', 'seila', 'carere', 'ip3-2', 'sdc-sndd', 'eu-sndd', 'rilgp']) expect(byId.has(id), id).toBe(true);
      expect(byId.get('np-sndd')).toMatchObject({ kind: 'national-programme' });
      expect(byId.get('np-sndd')!.supportedBy).toEqual(expect.arrayContaining(['eu-sndd', 'sdc-sndd']));
      expect(byId.get('rilgp')).toMatchObject({ kind: 'donor-project', supports: ['seila'] });
      // SUPPORTS links are in the elements, between programmes of the answer.
      const ids = new Set(res.body.elements.nodes.map((n: { id: string }) => n.id));
      const supports = res.body.elements.links.filter((l: { type: string }) => l.type === 'SUPPORTS');
      expect(supports.length).toBeGreaterThanOrEqual(4);
      for (const l of supports) expect(ids.has(l.from) && ids.has(l.to)).toBe(true);
    });

    it("gives the laws and elections dated within the lineage's years as markers, by date, with their sources", async () => {
      const res = await get('/api/lineage/np-2');
      expect(res.body.years.from).toBe(1992);
      expect(res.body.years.to).toBeGreaterThanOrEqual(2030);
      const markers: Marker[] = res.body.markers;
      const ids = markers.map((m) => m.id);
      expect(ids).toEqual(
        expect.arrayContaining(['law-commune-sangkat-administration-2001', 'organic-law-2008', 'royal-decree-ncdd-2008', 'commune-election-2002', 'council-election-2009', 'commune-election-2022']),
      );
      expect(markers.map((m) => m.date)).toEqual(markers.map((m) => m.date).slice().sort());
      expect(markers.find((m) => m.id === 'organic-law-2008')).toMatchObject({ label: 'Law', kind: 'royal-kram', reference: 'NS/RKM/0508/017' });
      expect(markers.find((m) => m.id === 'commune-election-2012')).toMatchObject({ label: 'Event', kind: 'commune-election', date: '2012-06-03' });
      for (const m of markers) expect(m.sources.length, m.id).toBeGreaterThan(0);
      // The marker nodes are in the elements, to be drawn and selected.
      const nodes = new Set(res.body.elements.nodes.map((n: { id: string }) => n.id));
      for (const id of ids) expect(nodes.has(id), id).toBe(true);
    });

    it('takes markers from the years of the programmes it found, not from the whole field', async () => {
      // SDC's SNDD phase 1 (2013–2015) and NP-SNDD (2010–2020), which it supports.
      const res = await get('/api/lineage/sdc-sndd', { direction: 'back', depth: 1 });
      expect(res.body.programmes.map((p: { id: string }) => p.id).sort()).toEqual(['np-sndd', 'sdc-sndd']);
      expect(res.body.years).toEqual({ from: 2010, to: 2020 });
      const ids = res.body.markers.map((m: Marker) => m.id);
      expect(ids).toEqual(['commune-election-2012', 'council-election-2014', 'commune-election-2017']);
    });

    it('lists the laws and decrees in the library by date, with reference, sources and what each established', async () => {
      const res = await get('/api/documents');
      expect(res.status).toBe(200);
      const laws: { id: string; date?: string; reference?: string; kind: string; sources: string[]; established: { id: string }[] }[] = res.body.laws;
      expect(laws.length).toBeGreaterThanOrEqual(6);
      const dated = laws.filter((l) => l.date).map((l) => l.date!);
      expect(dated).toEqual(dated.slice().sort());
      expect(laws.find((l) => l.id === 'organic-law-2008')).toMatchObject({ kind: 'royal-kram', reference: 'NS/RKM/0508/017' });
      expect(laws.find((l) => l.id === 'royal-decree-ncdd-2008')!.established.map((b) => b.id)).toEqual(['ncdd']);
      for (const law of laws) expect(law.sources.length).toBeGreaterThan(0);
      // Filtered like the documents: by text (a reference, Khmer), by what it established; none for a category.
      expect((await get('/api/documents', { q: 'ns/rkm/0508' })).body.laws.map((l: { id: string }) => l.id)).toEqual(['organic-law-2008']);
      expect((await get('/api/documents', { q: 'រាជធានី ខេត្ត' })).body.laws.map((l: { id: string }) => l.id)).toEqual(['organic-law-2008']);
      expect((await get('/api/documents', { programme: 'ncdd' })).body.laws.map((l: { id: string }) => l.id).sort()).toEqual(['royal-decree-ncdd-2006', 'royal-decree-ncdd-2008']);
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
