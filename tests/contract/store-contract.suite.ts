/**
 * The store contract: one suite, run against every GraphStore (embedded, and a real Neo4j). A store passes when
 * it behaves the same as every other on the real seed graph.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conflict, Invalid, NotFound } from '../../server/domain/errors.ts';
import type { GraphLink, GraphNode } from '../../server/schema/graph.schema.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';
import { countBy, loadSeed } from '../support/seed-fixture.ts';
import { describeEditingContract } from './editing-contract.suite.ts';
import { describeStoryContract } from './story-contract.suite.ts';

export interface StoreHandle {
  store: GraphStore;
  /** Closes the store and removes what it wrote. */
  dispose(): Promise<void>;
  /** Closes the store and opens it again on the same data (`store` is the new one afterwards). */
  reopen?(): Promise<void>;
}

const ACTOR = { name: 'contract-test' };

export function describeStoreContract(storeName: string, openEmpty: () => Promise<StoreHandle>): void {
  describe(`store contract on ${storeName}`, () => {
    describe('an empty store', () => {
      let handle: StoreHandle;
      beforeAll(async () => {
        handle = await openEmpty();
      });
      afterAll(async () => handle?.dispose());

      it('is healthy and empty', async () => {
        const health = await handle.store.health();
        expect(health.ok).toBe(true);
        expect(await handle.store.countNodes()).toBe(0);
        expect(await handle.store.getNode('dar')).toBeUndefined();
        expect(await handle.store.search({ q: 'dar', limit: 10 })).toEqual([]);
        const stats = await handle.store.stats();
        expect(Object.values(stats.nodes).reduce((a, b) => a + b, 0)).toBe(0);
      });

      it('refuses a write that breaks the schema and writes nothing of it', async () => {
        const seed = await loadSeed();
        const mcs = seed.nodes.find((n) => n.id === 'mcs')!;
        const dar = seed.nodes.find((n) => n.id === 'dar')!;
        const forbidden: GraphLink = { id: 'bad-link', type: 'FUNDED_BY', from: 'mcs', to: 'dar', sources: ['https://example.org'] };
        await expect(handle.store.upsert({ nodes: [mcs, dar], links: [forbidden] }, ACTOR)).rejects.toBeInstanceOf(Invalid);
        const dangling: GraphLink = { id: 'dangling', type: 'FUNDED_BY', from: 'dar', to: 'nobody', sources: ['https://example.org'] };
        await expect(handle.store.upsert({ nodes: [dar], links: [dangling] }, ACTOR)).rejects.toBeInstanceOf(Invalid);
        expect(await handle.store.countNodes()).toBe(0);
        expect(await handle.store.getLink('bad-link')).toBeUndefined();
      });

      it('refuses to change the label of an existing node', async () => {
        const topic: GraphNode = { id: 'relabel-me', label: 'Topic', name_en: 'A topic', name_km: 'ប្រធានបទ', sources: [] };
        expect(await handle.store.upsert({ nodes: [topic] }, ACTOR)).toEqual({ created: 1, updated: 0, unchanged: 0 });
        const asOrg = { ...topic, label: 'Organisation', type: 'private' } as GraphNode;
        await expect(handle.store.upsert({ nodes: [asOrg] }, ACTOR)).rejects.toBeInstanceOf(Conflict);
        expect((await handle.store.getNode('relabel-me'))?.label).toBe('Topic');
      });

      it('counts a node whose Khmer name holds no Khmer letters as missing Khmer', async () => {
        const before = (await handle.store.stats()).quality.nodesMissingKhmer;
        const imported: GraphNode = { id: 'english-only', label: 'Topic', name_en: 'Water supply', name_km: 'Water supply', sources: [] };
        await handle.store.upsert({ nodes: [imported] }, ACTOR);
        expect((await handle.store.stats()).quality.nodesMissingKhmer).toBe(before + 1);
      });

      it('records who and when, keeps created_* on update', async () => {
        const before = await handle.store.getNode('relabel-me');
        expect(before?.created_by).toBe('contract-test');
        expect(Date.parse(before!.created_at!)).not.toBeNaN();
        await new Promise((r) => setTimeout(r, 5));
        const changed = { ...before!, name_en: 'A renamed topic' };
        expect(await handle.store.upsert({ nodes: [changed] }, { name: 'someone-else' })).toEqual({ created: 0, updated: 1, unchanged: 0 });
        const after = await handle.store.getNode('relabel-me');
        expect(after?.name_en).toBe('A renamed topic');
        expect(after?.created_at).toBe(before!.created_at);
        expect(after?.created_by).toBe('contract-test');
        expect(after?.updated_by).toBe('someone-else');
        expect(after!.updated_at! > before!.updated_at!).toBe(true);
      });
    });

    describe('the seed graph', () => {
      let handle: StoreHandle;
      let store: GraphStore;
      beforeAll(async () => {
        handle = await openEmpty();
        store = handle.store;
        const seed = await loadSeed();
        const first = await store.upsert(seed, { name: 'seed' });
        expect(first).toEqual({ created: seed.nodes.length + seed.links.length, updated: 0, unchanged: 0 });
      });
      afterAll(async () => handle?.dispose());

      it('loads idempotently: the same seed again changes nothing', async () => {
        const seed = await loadSeed();
        const before = await store.getNode('dar');
        const again = await store.upsert(seed, { name: 'seed' });
        expect(again).toEqual({ created: 0, updated: 0, unchanged: seed.nodes.length + seed.links.length });
        expect(await store.getNode('dar')).toEqual(before);
      });

      it('counts every label and type as the seed has them, every node in both languages, only drafts unsourced', async () => {
        const seed = await loadSeed();
        const stats = await store.stats();
        for (const [label, n] of Object.entries(countBy(seed.nodes, (x) => x.label))) expect(stats.nodes[label as never]).toBe(n);
        for (const [type, n] of Object.entries(countBy(seed.links, (x) => x.type))) expect(stats.links[type as never]).toBe(n);
        // Inferred links are drafts, some without a source; every other link cites one.
        const unsourced = seed.links.filter((l) => l.sources.length === 0);
        expect(unsourced.every((l) => l.draft === true)).toBe(true);
        expect(stats.quality).toEqual({
          nodesMissingKhmer: 0,
          nodesMissingEnglish: 0,
          linksWithoutSource: unsourced.length,
          draftLinks: seed.links.filter((l) => l.draft).length,
        });
        expect(await store.countNodes()).toBe(seed.nodes.length);
      });

      it('returns a node with its properties and sources exactly as seeded', async () => {
        const seed = await loadSeed();
        const expected = seed.nodes.find((n) => n.id === 'kh-0206')!;
        const node = await store.getNode('kh-0206');
        expect(node).toMatchObject(expected as Record<string, unknown>);
        expect(node?.name_km).toBe('មោងឫស្សី');
        expect(typeof (node as { lat?: unknown }).lat).toBe('number');
        const link = seed.links[0]!;
        expect(await store.getLink(link.id)).toMatchObject(link as Record<string, unknown>);
        expect((await store.getNodes(['dar', 'nope', 'mcs'])).map((n) => n.id).sort()).toEqual(['dar', 'mcs']);
        // Many links in one read: those that exist, each once, as getLink gives them; of several types.
        const some = [...seed.links.filter((l) => l.type !== link.type).slice(0, 300), ...seed.links.filter((l) => l.type === link.type).slice(0, 1200)];
        expect(new Set(some.map((l) => l.type)).size).toBeGreaterThan(1);
        const read = await store.getLinks([...some.map((l) => l.id), 'nope', some[0]!.id]);
        expect(read.map((l) => l.id).sort()).toEqual(some.map((l) => l.id).sort());
        expect(read.find((l) => l.id === link.id)).toEqual(await store.getLink(link.id));
        expect(await store.getLinks([])).toEqual([]);
      });

      it('counts links per type and direction', async () => {
        const seed = await loadSeed();
        const counts = await store.linkCounts('dar');
        const out = seed.links.filter((l) => l.from === 'dar');
        const into = seed.links.filter((l) => l.to === 'dar');
        const total = Object.values(counts).reduce((a, c) => a + c.in + c.out, 0);
        expect(total).toBe(out.length + into.length);
        for (const [type, n] of Object.entries(countBy(out, (l) => l.type))) expect(counts[type]?.out).toBe(n);
        for (const [type, n] of Object.entries(countBy(into, (l) => l.type))) expect(counts[type]?.in).toBe(n);
      });

      it('pages through neighbours without gaps or repeats, ordered by link id', async () => {
        const seed = await loadSeed();
        const expected = seed.links.filter((l) => l.from === 'dar' || l.to === 'dar').map((l) => l.id).sort();
        const seen: string[] = [];
        for (let offset = 0; offset < expected.length; offset += 3) {
          const page = await store.neighbours('dar', { direction: 'both', limit: 3, offset });
          expect(page.total).toBe(expected.length);
          for (const link of page.links) {
            const other = link.from === 'dar' ? link.to : link.from;
            expect(page.nodes.some((n) => n.id === other)).toBe(true);
          }
          seen.push(...page.links.map((l) => l.id));
        }
        expect(seen).toEqual(expected);
      });

      it('filters neighbours by type and direction', async () => {
        const seed = await loadSeed();
        const succeedsIntoEuSpace = seed.links.filter((l) => l.type === 'SUCCEEDS' && l.to === 'eu-space');
        const page = await store.neighbours('eu-space', { type: 'SUCCEEDS', direction: 'in', limit: 50 });
        expect(page.total).toBe(succeedsIntoEuSpace.length);
        expect(page.links.every((l) => l.type === 'SUCCEEDS' && l.to === 'eu-space')).toBe(true);
        expect(page.nodes.map((n) => n.id).sort()).toEqual(succeedsIntoEuSpace.map((l) => l.from).sort());
        const out = await store.neighbours('isd', { type: 'SUCCEEDS', direction: 'out', limit: 50 });
        expect(out.nodes.map((n) => n.id)).toEqual(['dar-2']);
      });

      it('reads a node with its link counts together, as getNode and linkCounts give them', async () => {
        await loadSeed();
        for (const id of ['dar', 'mcs']) {
          expect(await store.nodeDetails(id)).toEqual({ node: await store.getNode(id), linkCounts: await store.linkCounts(id) });
        }
        expect(await store.nodeDetails('no-such-node')).toBeUndefined();
      });

      it('says NotFound for an unknown node', async () => {
        await expect(store.neighbours('no-such-node', { direction: 'both', limit: 5 })).rejects.toBeInstanceOf(NotFound);
        await expect(store.linkCounts('no-such-node')).rejects.toBeInstanceOf(NotFound);
      });

      describe('search (English, Khmer, invisible characters)', () => {
        const first = async (q: string, labels?: GraphNode['label'][]) => (await store.search({ q, limit: 10, labels }))[0]?.id;

        it('ranks the Ministry of Civil Service first for its Khmer word and for "civil service"', async () => {
          expect(await first('មុខងារសាធារណៈ')).toBe('mcs');
          expect(await first('civil service')).toBe('mcs');
          expect(await first('CIVIL Service')).toBe('mcs');
        });

        it('ignores zero-width spaces and other invisible characters in the query', async () => {
          expect(await first('មុខងារ\u200Bសាធារណៈ')).toBe('mcs');
          expect(await first('\u200Bcivil\u00ADservice'.replace('\u00AD', ' '))).toBe('mcs');
        });

        it('finds a Khmer word inside a longer Khmer name', async () => {
          const hits = await store.search({ q: 'បាត់ដំបង', limit: 20 });
          const ids = hits.map((h) => h.id);
          expect(ids).toContain('kh-02');
          expect(ids).toContain('kh-0203');
        });

        it('matches words in any order and acronyms', async () => {
          const ids = (await store.search({ q: 'service civil', limit: 10 })).map((h) => h.id);
          expect(ids).toContain('mcs');
          expect(await first('MCS')).toBe('mcs');
          expect(await first('eu space')).toBe('eu-space');
        });

        it('filters by label and respects the limit', async () => {
          const hits = await store.search({ q: 'a', limit: 3, labels: ['AdminArea'] });
          expect(hits.length).toBeLessThanOrEqual(3);
          expect(hits.length).toBeGreaterThan(0);
          expect(hits.every((h) => h.label === 'AdminArea')).toBe(true);
        });

        it('returns names in both languages with each hit, best first', async () => {
          const hits = await store.search({ q: 'dar', limit: 10 });
          expect(hits.length).toBeGreaterThan(1);
          for (const hit of hits) {
            expect(hit.name_en.length).toBeGreaterThan(0);
            expect(hit.name_km.length).toBeGreaterThan(0);
          }
          for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
          expect(hits[0]!.id).toBe('dar');
        });

        it('offers a district before its namesake communes, each area with the areas it lies in', async () => {
          for (const q of ['Baray', 'បារាយណ៍']) {
            const hits = await store.search({ q, limit: 10, labels: ['AdminArea'] });
            expect(hits.slice(0, 3).map((h) => h.id), q).toEqual(['kh-0601', 'kh-031301', 'kh-031401']);
            expect(hits[0]).toMatchObject({ level: 'district', parents: [{ id: 'kh-06', name_en: 'Kampong Thom Province', name_km: 'ខេត្តកំពង់ធំ' }] });
            expect(hits[1]!.level).toBe('commune');
            expect(hits[1]!.parents?.map((p) => p.id)).toEqual(['kh-0313', 'kh-03']);
          }
          const banan = (await store.search({ q: 'Banan', limit: 5 }))[0]!;
          expect(banan).toMatchObject({ id: 'kh-0201', parents: [{ id: 'kh-02', name_en: 'Battambang Province' }] });
          expect((await store.search({ q: 'Battambang Province', limit: 1 }))[0]).not.toHaveProperty('parents');
          expect((await store.search({ q: 'dar', limit: 1 }))[0]).not.toHaveProperty('parents');
        });

        it('finds a province by a Khmer substring of its name', async () => {
          expect((await store.search({ q: 'ន្ទាយមាន', limit: 10 })).map((h) => h.id)).toContain('kh-01');
          expect(await first('ភ្នំពេញ', ['AdminArea'])).toBe('kh-12');
        });

        it('finds Khmer names typed with either subscript ្ដ (DA) or ្ត (TA)', async () => {
          // Pumi writes the province កណ្តាល (TA) and its district កណ្ដាលស្ទឹង (DA).
          const withTa = (await store.search({ q: 'កណ្តាល', limit: 20, labels: ['AdminArea'] })).map((h) => h.id);
          const withDa = (await store.search({ q: 'កណ្ដាល', limit: 20, labels: ['AdminArea'] })).map((h) => h.id);
          for (const id of ['kh-08', 'kh-0801', 'kh-0803']) expect(withTa).toContain(id);
          expect(withDa).toEqual(withTa);
          expect(await first('ខេត្តកណ្ដាល')).toBe('kh-08');
        });

        it('forgives one typo in an English word of five letters or more, ranking it below every match as typed', async () => {
          expect(await first('civil servise')).toBe('mcs'); // wrong
          expect(await first('minstry of civil service')).toBe('mcs'); // missing
          expect(await first('civil serivce')).toBe('mcs'); // swapped
          const battambang = await store.search({ q: 'battambangg', limit: 10 }); // extra
          expect(battambang[0]).toMatchObject({ id: 'kh-02', matched: 'name_en' });
          expect(battambang.every((h) => h.score <= 16.5)).toBe(true);
          expect(battambang.find((h) => h.id === 'kh-0203')?.parents?.map((p) => p.id)).toEqual(['kh-02']);
          // Matches as typed first: "ministry" as typed, then "ministery" → "ministry" only when too few.
          const typed = await store.search({ q: 'ministry', limit: 50 });
          const typo = await store.search({ q: 'ministery', limit: typed.length + 5 });
          expect(typo.map((h) => h.id)).toEqual(typed.map((h) => h.id).slice(0, typo.length));
          expect(await store.search({ q: 'civl service', limit: 10 })).toEqual([]); // four letters: not corrected
        });

        it('finds nothing for text that is nowhere, or only a field separator', async () => {
          expect(await store.search({ q: 'zzqxw', limit: 10 })).toEqual([]);
          expect(await store.search({ q: '\u0001', limit: 10 })).toEqual([]);
        });
      });

      describe('traversal, views and paths', () => {
        it('traverses the lineage of DAR along SUCCEEDS and PART_OF', async () => {
          const lineage = await store.traverse('dar', { types: ['SUCCEEDS', 'PART_OF'], direction: 'both', depth: 10, limit: 100 });
          const ids = lineage.nodes.map((n) => n.id);
          for (const id of ['dar', 'eu-space', 'ardp', 'eu-dar', 'dar-1', 'dar-2', 'isd']) expect(ids).toContain(id);
          expect(lineage.truncated).toBe(false);
          expect(lineage.links.every((l) => l.type === 'SUCCEEDS' || l.type === 'PART_OF')).toBe(true);
          expect(lineage.links.some((l) => l.id && l.from === 'isd' && l.to === 'dar-2' && l.type === 'SUCCEEDS')).toBe(true);
          const back = await store.traverse('isd', { types: ['SUCCEEDS'], direction: 'out', depth: 1, limit: 100 });
          expect(back.nodes.map((n) => n.id).sort()).toEqual(['dar-2', 'isd']);
          const capped = await store.traverse('dar', { types: ['SUCCEEDS', 'PART_OF'], direction: 'both', depth: 10, limit: 3 });
          expect(capped.nodes).toHaveLength(3);
          expect(capped.truncated).toBe(true);
        });

        it('gives a neighbourhood view filtered by label and type', async () => {
          const seed = await loadSeed();
          const one = await store.subgraph({ around: 'dar', depth: 1, limit: 1000 });
          const expected = new Set(['dar', ...seed.links.filter((l) => l.from === 'dar' || l.to === 'dar').map((l) => (l.from === 'dar' ? l.to : l.from))]);
          expect(new Set(one.nodes.map((n) => n.id))).toEqual(expected);
          const partners = await store.subgraph({ around: 'dar-2', depth: 2, labels: ['Programme', 'Organisation'], types: ['FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH', 'PART_OF'], limit: 1000 });
          expect(partners.nodes.every((n) => n.label === 'Programme' || n.label === 'Organisation')).toBe(true);
          expect(partners.nodes.map((n) => n.id)).toContain('bmz');
          const ids = new Set(partners.nodes.map((n) => n.id));
          expect(partners.links.every((l) => ids.has(l.from) && ids.has(l.to))).toBe(true);
        });

        it('gives the whole graph by label, capped, in id order', async () => {
          const seed = await loadSeed();
          const programmes = seed.nodes.filter((n) => n.label === 'Programme').map((n) => n.id).sort();
          const all = await store.subgraph({ labels: ['Programme'], types: ['SUCCEEDS'], depth: 1, limit: 1000 });
          expect(all.nodes.map((n) => n.id).sort()).toEqual(programmes);
          expect(all.links.length).toBe(seed.links.filter((l) => l.type === 'SUCCEEDS').length);
          const capped = await store.subgraph({ labels: ['Programme'], depth: 1, limit: 2 });
          expect(capped.nodes.map((n) => n.id).sort()).toEqual(programmes.slice(0, 2));
          expect(capped.truncated).toBe(true);
        });

        it('finds every shortest path, each hop with its link and direction', async () => {
          const result = await store.shortestPaths({ from: 'mcs', to: 'eu-space', maxHops: 6, limit: 25 });
          expect(result.paths.length).toBeGreaterThan(0);
          const length = result.paths[0]!.hops.length;
          for (const path of result.paths) {
            expect(path.nodes[0]).toBe('mcs');
            expect(path.nodes.at(-1)).toBe('eu-space');
            expect(path.hops).toHaveLength(length);
            path.hops.forEach((hop, i) => {
              const [a, b] = [path.nodes[i]!, path.nodes[i + 1]!];
              expect(hop.forward ? [hop.link.from, hop.link.to] : [hop.link.to, hop.link.from]).toEqual([a, b]);
              expect(hop.link.sources.length).toBeGreaterThan(0);
            });
          }
          const keys = result.paths.map((p) => p.hops.map((h) => h.link.id).join('>'));
          expect(new Set(keys).size).toBe(keys.length);
          expect(result.nodes.map((n) => n.id)).toContain('mcs');
          const capped = await store.shortestPaths({ from: 'mcs', to: 'eu-space', maxHops: 6, limit: 1 });
          expect(capped.paths).toHaveLength(1);
          expect(capped.truncated).toBe(result.paths.length > 1);
          // A capped answer is the first of the full order (by the sequence of link ids).
          const many = await store.shortestPaths({ from: 'mcs', to: 'isd', maxHops: 6, limit: 25 });
          const two = await store.shortestPaths({ from: 'mcs', to: 'isd', maxHops: 6, limit: 2 });
          expect(two.paths).toEqual(many.paths.slice(0, 2));
        });

        it('finds no path beyond maxHops or through excluded types', async () => {
          expect((await store.shortestPaths({ from: 'mcs', to: 'eu-space', maxHops: 1, limit: 25 })).paths).toEqual([]);
          expect((await store.shortestPaths({ from: 'isd', to: 'eu-space', maxHops: 10, types: ['SUCCEEDS'], limit: 25 })).paths.length).toBeGreaterThan(0);
          expect((await store.shortestPaths({ from: 'isd', to: 'kh-0206', maxHops: 10, types: ['SUCCEEDS'], limit: 25 })).paths).toEqual([]);
          await expect(store.shortestPaths({ from: 'mcs', to: 'nobody', maxHops: 3, limit: 5 })).rejects.toBeInstanceOf(NotFound);
        });
      });

      it('records the seed as one audit entry, and a second identical load as none', async () => {
        const seed = await loadSeed();
        const entries = await store.listAudit({ limit: 10 });
        expect(entries).toHaveLength(1);
        const [entry] = entries;
        expect(entry).toMatchObject({ action: 'upsert', by: 'seed' });
        expect(entry!.changes).toHaveLength(seed.nodes.length + seed.links.length);
        expect(entry!.changes.every((c) => c.before === null && c.after !== null)).toBe(true);
        const dar = entry!.changes.find((c) => c.entity === 'node' && c.id === 'dar')!;
        expect(dar.after).toEqual(await store.getNode('dar'));
        expect(await store.getAudit(entry!.id)).toEqual(entry);
      });

      it('exports the whole graph', async () => {
        const seed = await loadSeed();
        const all = await store.exportAll();
        expect(all.nodes.length).toBe(seed.nodes.length);
        expect(all.links.length).toBe(seed.links.length);
        expect(new Set(all.links.map((l) => l.id))).toEqual(new Set(seed.links.map((l) => l.id)));
      });
    });

    describeEditingContract(openEmpty);

    describeStoryContract(openEmpty);
  });
}
