/**
 * GET /api/compare (issue 17) over HTTP, on any store: two periods of the seed graph (expectations worked out here
 * from the seed files' programmes, their dates and links), and two versions of the graph after edits made in the
 * test. Run on each store by tests/stores/embedded.test.ts and tests/stores/neo4j.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphLink, GraphNode } from '../../server/schema/graph.schema.ts';
import { seededApp, TEST_EDITORS, type AppFixture } from '../support/app-fixture.ts';
import request from '../support/checked-request.ts';
import { loadSeed } from '../support/seed-fixture.ts';

type Open = Parameters<typeof seededApp>[0];
type Range = { from: number; to: number };

const A: Range = { from: 2008, to: 2012 };
const B: Range = { from: 2018, to: 2022 };
const alice = { Authorization: `Bearer ${TEST_EDITORS.alice}` };

/**
 * The oracle, in whole years: a programme with a start is active from its start year to its end year; without an
 * end, to this year when active, planned or of no status, else only in its start year.
 */
function activeIn(node: GraphNode, range: Range, thisYear: number): boolean {
  if (node.label !== 'Programme' || !node.start) return false;
  const start = Number(node.start.slice(0, 4));
  const end = node.end ? Number(node.end.slice(0, 4)) : node.status === undefined || node.status === 'active' || node.status === 'planned' ? thisYear : start;
  return start <= range.to && Math.max(end, start) >= range.from;
}

function linkActiveIn(link: GraphLink, range: Range, thisYear: number): boolean {
  if (!link.start) return true;
  const start = Number(link.start.slice(0, 4));
  const end = link.end ? Number(link.end.slice(0, 4)) : thisYear;
  return start <= range.to && end >= range.from;
}

/** Who is in a period of the seed, for a view, by the oracle. */
function expected(nodes: GraphNode[], links: GraphLink[], view: 'explore' | 'partnerships', range: Range, thisYear: number) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const programmes = new Set(nodes.filter((n) => activeIn(n, range, thisYear)).map((n) => n.id));
  const members = new Set(programmes);
  const inLinks = new Set<string>();
  for (const link of links) {
    const from = byId.get(link.from)!;
    const to = byId.get(link.to)!;
    const scoped =
      view === 'partnerships'
        ? ['FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH'].includes(link.type) && from.label === 'Programme' && to.label === 'Organisation'
        : from.label === 'Programme' || to.label === 'Programme';
    if (!scoped) continue;
    const programmeEnds = [from, to].filter((n) => n.label === 'Programme');
    if (!programmeEnds.every((n) => programmes.has(n.id)) || !linkActiveIn(link, range, thisYear)) continue;
    inLinks.add(link.id);
    members.add(link.from);
    members.add(link.to);
  }
  return { programmes, members, links: inLinks };
}

function membershipOf(inA: ReadonlySet<string>, inB: ReadonlySet<string>): Map<string, 'a' | 'b' | 'both'> {
  const out = new Map<string, 'a' | 'b' | 'both'>();
  for (const id of inA) out.set(id, inB.has(id) ? 'both' : 'a');
  for (const id of inB) if (!inA.has(id)) out.set(id, 'b');
  return out;
}

export function describeCompareApi(storeName: string, open?: Open): void {
  describe(`GET /api/compare on ${storeName}`, () => {
    let fx: AppFixture;
    const thisYear = new Date().getUTCFullYear();
    beforeAll(async () => {
      fx = await seededApp(open);
    });
    afterAll(async () => fx?.dispose());
    const get = (query: Record<string, string | number>) => request(fx.app).get('/api/compare').query(query);

    for (const view of ['partnerships', 'explore'] as const) {
      it(`${view}: colours each node and link a, b or both as the seed's programme dates say, with counts and who entered and left`, async () => {
        const seed = await loadSeed();
        const res = await get({ a: '2008-2012', b: '2018-2022', view });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({ kind: 'periods', view, a: '2008-2012', b: '2018-2022' });

        const ea = expected(seed.nodes, seed.links, view, A, thisYear);
        const eb = expected(seed.nodes, seed.links, view, B, thisYear);
        const nodes = membershipOf(ea.members, eb.members);
        const links = membershipOf(ea.links, eb.links);
        // The seed has programmes in each of the three groups, so the test can fail in each direction.
        const programmeMembership = membershipOf(ea.programmes, eb.programmes);
        for (const group of ['a', 'b', 'both'] as const) expect([...programmeMembership.values()]).toContain(group);

        const got = new Map<string, string>(res.body.nodes.map((n: { id: string; in: string }) => [n.id, n.in]));
        expect(Object.fromEntries(got)).toEqual(Object.fromEntries(nodes));
        const gotLinks = new Map<string, string>(res.body.links.map((l: { id: string; in: string }) => [l.id, l.in]));
        expect(Object.fromEntries(gotLinks)).toEqual(Object.fromEntries(links));

        const count = (map: ReadonlyMap<string, string>, keep: (id: string) => boolean = () => true) => {
          const out = { a: 0, b: 0, both: 0 };
          for (const [id, m] of map) if (keep(id)) out[m as 'a' | 'b' | 'both'] += 1;
          return out;
        };
        const label = new Map(seed.nodes.map((n) => [n.id, n.label]));
        expect(res.body.counts).toEqual({
          nodes: count(nodes),
          links: count(links),
          programmes: count(nodes, (id) => label.get(id) === 'Programme'),
          organisations: count(nodes, (id) => label.get(id) === 'Organisation'),
        });
        const ids = (list: { id: string }[]) => list.map((n) => n.id).sort();
        expect(ids(res.body.entered)).toEqual([...nodes].filter(([, m]) => m === 'b').map(([id]) => id).sort());
        expect(ids(res.body.left)).toEqual([...nodes].filter(([, m]) => m === 'a').map(([id]) => id).sort());
        // Programmes come first in the lists, each with both names.
        const firstOther = res.body.entered.findIndex((n: { label: string }) => n.label !== 'Programme');
        if (firstOther > 0) expect(res.body.entered.slice(firstOther).some((n: { label: string }) => n.label === 'Programme')).toBe(false);
        for (const n of res.body.entered) expect(n.name_km).toMatch(/[\u1780-\u17ff]/);
        // The records to draw are exactly the members.
        expect(ids(res.body.elements.nodes)).toEqual([...nodes.keys()].sort());
        expect(ids(res.body.elements.links)).toEqual([...links.keys()].sort());
      });
    }

    it('knows the DAR lineage: DAR only in the second period, NP-SNDD (2010–2020) in both', async () => {
      const res = await get({ a: '2008-2012', b: '2018-2022', view: 'partnerships' });
      const m = new Map(res.body.nodes.map((n: { id: string; in: string }) => [n.id, n.in]));
      expect(m.get('dar')).toBe('b');
      expect(m.get('np-sndd')).toBe('both');
      // Swapping the periods swaps a and b.
      const swapped = await get({ a: '2018-2022', b: '2008-2012', view: 'partnerships' });
      expect(swapped.body.counts.nodes).toEqual({ a: res.body.counts.nodes.b, b: res.body.counts.nodes.a, both: res.body.counts.nodes.both });
      expect(swapped.body.entered).toEqual(res.body.left);
    });

    it('refuses bad input with 400 naming the parameter', async () => {
      const bad: [Record<string, string>, string][] = [
        [{ a: '2012-2008', b: '2018-2022' }, 'a'],
        [{ a: '2008-2012', b: 'soon' }, 'b'],
        [{ a: '1800-1810', b: '2018-2022' }, 'a'],
        [{ a: '2008-2012' }, 'b'],
        [{ a: '2008-2012', b: '2018-2022', view: 'map' }, 'view'],
        [{}, 'a'],
        [{ a: '2008-2012', b: '2018-2022', from: '1' }, 'from'],
        [{ from: '1' }, 'to'],
        [{ from: 'yesterday', to: '2' }, 'from'],
        [{ from: '3', to: '1' }, 'to'],
        [{ from: '0', to: '999999' }, 'to'],
      ];
      for (const [query, parameter] of bad) {
        const res = await get(query);
        expect(res.status, JSON.stringify(query)).toBe(400);
        expect(res.body.error.code).toBe('invalid_parameter');
        expect(res.body.error.details.parameter, JSON.stringify(query)).toBe(parameter);
        expect(res.body.error.message).toContain(`"${parameter}"`);
      }
    });

    describe('two versions of the graph', () => {
      const auditOf = async (id: string) => {
        const res = await request(fx.app).get(`/api/audit/${id}`).set(alice);
        expect(res.status).toBe(200);
        return res.body as { seq: number; at: string };
      };
      const latest = async () => {
        const res = await request(fx.app).get('/api/audit').query({ limit: 1 }).set(alice);
        return res.body.entries[0] as { seq: number; at: string; id: string };
      };

      it('lists what the team added, changed and removed between two versions, by seq and by date', async () => {
        const start = await latest();
        expect(start.seq).toBeGreaterThan(0); // the seed's load

        // The edits: a new programme funded by BMZ, a changed organisation, a topic made and removed again, a
        // seed topic removed.
        const programme = await request(fx.app)
          .post('/api/nodes')
          .set(alice)
          .send({ label: 'Programme', name_en: 'Compare test programme', name_km: 'កម្មវិធីសាកល្បងប្រៀបធៀប', start: '2019', end: '2021', status: 'completed' });
        expect(programme.status, JSON.stringify(programme.body)).toBe(201);
        const pid = programme.body.node.id as string;
        const link = await request(fx.app).post('/api/links').set(alice).send({ type: 'FUNDED_BY', from: pid, to: 'bmz', sources: ['https://example.org/compare-test'] });
        expect(link.status, JSON.stringify(link.body)).toBe(201);
        const patched = await request(fx.app).patch('/api/nodes/cpdd').set(alice).send({ summary_en: 'Changed in the compare test' });
        expect(patched.status, JSON.stringify(patched.body)).toBe(200);
        const temp = await request(fx.app).post('/api/nodes').set(alice).send({ label: 'Topic', name_en: 'Fleeting topic', name_km: 'ប្រធានបទបណ្ដោះអាសន្ន' });
        expect(temp.status).toBe(201);
        expect((await request(fx.app).delete(`/api/nodes/${temp.body.node.id}`).set(alice)).status).toBe(200);
        const seed = await loadSeed();
        const lonely = seed.nodes.find((n) => n.label === 'Topic' && !seed.links.some((l) => l.from === n.id || l.to === n.id));
        let removedId: string | undefined;
        if (lonely) {
          expect((await request(fx.app).delete(`/api/nodes/${lonely.id}`).set(alice)).status).toBe(200);
          removedId = lonely.id;
        }
        // A story is audited too, beside the graph: it is not something added to the graph.
        const story = await request(fx.app)
          .post('/api/stories')
          .set(alice)
          .send({ title_en: 'Compare test story', title_km: 'រឿងសាកល្បង', steps: [{ scene: '?v=explore&f=dar', caption_en: 'DAR', caption_km: 'ដារ', sources: [] }] });
        expect(story.status, JSON.stringify(story.body)).toBe(201);
        const end = await latest();

        const res = await request(fx.app).get('/api/compare').query({ from: start.seq, to: end.seq });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.kind).toBe('versions');
        expect(res.body.from).toEqual({ seq: start.seq, at: start.at });
        expect(res.body.to).toEqual({ seq: end.seq, at: end.at });
        expect(res.body.entries).toBe(lonely ? 7 : 6);
        expect(res.body.added.map((r: { id: string }) => r.id).sort()).toEqual([link.body.link.id, pid].sort());
        expect(res.body.added).toContainEqual({ entity: 'node', id: pid, label: 'Programme', name_en: 'Compare test programme', name_km: 'កម្មវិធីសាកល្បងប្រៀបធៀប' });
        expect(res.body.added).toContainEqual({ entity: 'link', id: link.body.link.id, type: 'FUNDED_BY', from: pid, to: 'bmz' });
        expect(res.body.changed).toEqual([expect.objectContaining({ entity: 'node', id: 'cpdd', properties: ['summary_en'] })]);
        expect(res.body.removed.map((r: { id: string }) => r.id)).toEqual(removedId ? [removedId] : []);
        expect(res.body.counts).toEqual({ added: 2, changed: 1, removed: removedId ? 1 : 0 });
        expect(res.body.truncated).toBe(false);

        // The same versions named by their times (date-times), and a range that holds only the first edit.
        const byTime = await request(fx.app).get('/api/compare').query({ from: start.at, to: end.at });
        expect(byTime.body).toEqual(res.body);
        const first = await auditOf(programme.body.audit);
        const one = await request(fx.app).get('/api/compare').query({ from: start.seq, to: first.seq });
        expect(one.body.added.map((r: { id: string }) => r.id)).toEqual([pid]);
        // No change between a version and itself; a date alone is the end of that day.
        const same = await request(fx.app).get('/api/compare').query({ from: end.seq, to: end.seq });
        expect(same.body).toMatchObject({ entries: 0, counts: { added: 0, changed: 0, removed: 0 } });
        const day = end.at.slice(0, 10);
        const today = await request(fx.app).get('/api/compare').query({ from: start.seq, to: day });
        expect(today.body.to.seq).toBe(end.seq);
        // A seq after the version a date names is refused, naming `to`.
        const inverted = await request(fx.app).get('/api/compare').query({ from: end.seq, to: '2000-01-01' });
        expect(inverted.status).toBe(400);
        expect(inverted.body.error.details.parameter).toBe('to');
        // From before any change: the seed's records are all added.
        const all = await request(fx.app).get('/api/compare').query({ from: 0, to: start.seq });
        expect(all.body.counts.added).toBe(seed.nodes.length + seed.links.length);

        // The period comparison follows the edit: the new programme (2019–2021) is only in the second period.
        const periods = await get({ a: '2008-2012', b: '2018-2022', view: 'partnerships' });
        const m = new Map(periods.body.nodes.map((n: { id: string; in: string }) => [n.id, n.in]));
        expect(m.get(pid)).toBe('b');
        expect(new Map(periods.body.links.map((l: { id: string; in: string }) => [l.id, l.in])).get(link.body.link.id)).toBe('b');
      });
    });
  });
}
