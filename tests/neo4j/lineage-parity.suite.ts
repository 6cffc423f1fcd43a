/**
 * GET /api/lineage on Neo4j reads the whole walk in one statement (Neo4jStore.lineageRecords) and replays it; this
 * suite holds it to the answer of the walk through neighbour pages: the embedded store's, and the same walk on the
 * same Neo4j. On the seed graph, on a graph made for every rule of a lineage (several predecessors, phases, depth
 * limits, truncation at 500 programmes, pages cut at 500 links), and on a domain-shaped generated graph.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphLink, GraphNode } from '../../server/schema/graph.schema.ts';
import { lineage, LINEAGE_MAX_PROGRAMMES, type Lineage, type LineageDirection } from '../../server/services/lineage.service.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';
import { generateDomainGraph, generateLineageGraph } from '../support/graph-generator.ts';
import { landscapeFixture } from '../fixtures/landscape.fixture.ts';
import { loadSeed } from '../support/seed-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';

type OpenStore = () => Promise<{ store: GraphStore; dispose(): Promise<void> }>;

interface ParityGraph {
  nodes: GraphNode[];
  links: GraphLink[];
  /** Programmes to start from. */
  starts: string[];
  depths: number[];
  /** Starts whose lineages are also walked page by page on Neo4j (a round trip per page: slow on big ones). */
  walkedStarts: string[];
  /** What the answers must have shown, so that the comparison is not vacuous. */
  expectCoverage?(answers: Lineage[]): void;
}

const DIRECTIONS: readonly LineageDirection[] = ['both', 'back', 'forward'];
/** Hundreds of lineages per graph, and walks of 500 programmes at a round trip per page: more than the default. */
const PARITY_TIMEOUT_MS = 120_000;

/**
 * The answer as JSON in one canonical form: audit stamps dropped (two loads at two times) and each record's keys
 * sorted (Neo4j returns properties in its own order). Everything else, the order of every list included, is kept.
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (/^(created|updated)_(at|by)$/.test(key)) return undefined;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const record = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]]));
    }
    return v;
  });
}

/** The store with its calls counted by method name. */
function counting(store: GraphStore): { store: GraphStore; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const proxy = new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(property), (calls.get(String(property)) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

/** The same store without its one-statement read: the lineage walks it through neighbour pages, as before. */
function walkOnly(store: GraphStore): GraphStore {
  return Object.create(store, { lineageRecords: { value: undefined } }) as GraphStore;
}

const errorOf = (call: Promise<unknown>) =>
  call.then(
    () => 'answered',
    (e: Error) => `${e.name}: ${e.message}`,
  );

function describeParity(title: string, openNeo4j: OpenStore, makeGraph: () => Promise<ParityGraph>): void {
  describe(title, () => {
    let graph: ParityGraph;
    let neo: { store: GraphStore; dispose(): Promise<void> };
    let embedded: EmbeddedStore;
    let dir: string;
    beforeAll(async () => {
      graph = await makeGraph();
      neo = await openNeo4j();
      dir = tempDir('dar-kg-lineage-parity-');
      embedded = await EmbeddedStore.open({ dataDir: dir });
      const batch = { nodes: graph.nodes, links: graph.links };
      await Promise.all([neo.store.upsert(batch, { name: 'seed' }), embedded.upsert(batch, { name: 'seed' })]);
    });
    afterAll(async () => {
      await neo?.dispose();
      await embedded?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('gives the same JSON as the embedded store for every start, direction and depth, in one read each', async () => {
      const counted = counting(neo.store);
      const answers: Lineage[] = [];
      let asked = 0;
      for (const start of graph.starts) {
        for (const direction of DIRECTIONS) {
          for (const depth of graph.depths) {
            const fast = await lineage(counted.store, start, direction, depth);
            const walked = await lineage(embedded, start, direction, depth);
            asked++;
            expect(canonicalJson(fast), `lineage ${start} ${direction} ${depth}`).toBe(canonicalJson(walked));
            answers.push(walked);
          }
        }
      }
      // One walk per lineage (one statement, one round trip), never a neighbour page; besides it at most one read of
      // the dated laws and elections for the year axis's markers (only when the lineage has years).
      const calls = Object.fromEntries(counted.calls);
      expect(Object.keys(calls).filter((name) => name !== 'lineageRecords' && name !== 'subgraph')).toEqual([]);
      expect(calls.lineageRecords).toBe(asked);
      expect(calls.subgraph ?? 0).toBeLessThanOrEqual(asked);
      graph.expectCoverage?.(answers);
    }, PARITY_TIMEOUT_MS);

    it('gives byte for byte the JSON of the walk through neighbour pages on the same Neo4j', async () => {
      const walker = walkOnly(neo.store);
      for (const start of graph.walkedStarts) {
        for (const direction of DIRECTIONS) {
          for (const depth of [1, Math.max(...graph.depths)]) {
            const fast = JSON.stringify(await lineage(neo.store, start, direction, depth));
            const walked = JSON.stringify(await lineage(walker, start, direction, depth));
            expect(fast, `lineage ${start} ${direction} ${depth}`).toBe(walked);
          }
        }
      }
    }, PARITY_TIMEOUT_MS);

    it('refuses an unknown id and a node that is not a programme with the same errors', async () => {
      const other = graph.nodes.find((n) => n.label !== 'Programme')!;
      for (const id of ['nobody', other.id]) {
        const [fast, walked, embeddedAnswer] = await Promise.all([
          errorOf(lineage(neo.store, id, 'both', 10)),
          errorOf(lineage(walkOnly(neo.store), id, 'both', 10)),
          errorOf(lineage(embedded, id, 'both', 10)),
        ]);
        expect(fast).not.toBe('answered');
        expect(fast).toBe(walked);
        expect(fast).toBe(embeddedAnswer);
      }
    });
  });
}

export function describeLineageParity(storeName: string, openNeo4j: OpenStore): void {
  describe(`lineage in one read on ${storeName}: the same answer as the walk`, () => {
    describeParity('on the seed graph', openNeo4j, async () => {
      const seed = await loadSeed();
      const programmes = seed.nodes.filter((n) => n.label === 'Programme').map((n) => n.id);
      return { ...seed, starts: programmes, depths: [0, 1, 2, 3, 10], walkedStarts: programmes };
    });

    describeParity('on the landscape fixture (SUPPORTS between donor projects and national programmes, laws, elections)', openNeo4j, async () => {
      const seed = await loadSeed();
      const fixture = landscapeFixture(seed);
      // The fixture repeats the seed's programmes with their kind: one record per id, the fixture's.
      const byId = new Map([...seed.nodes, ...fixture.nodes].map((n) => [n.id, n]));
      const programmes = [...byId.values()].filter((n) => n.label === 'Programme').map((n) => n.id);
      return {
        nodes: [...byId.values()],
        links: [...seed.links, ...fixture.links],
        starts: programmes,
        depths: [0, 1, 2, 4, 10],
        walkedStarts: ['np-2', 'rilgp', 'dar'],
        expectCoverage: (answers) => {
          expect(answers.some((a) => a.programmes.some((p) => p.supportedBy.length > 0))).toBe(true);
          expect(answers.some((a) => a.markers.some((m) => m.id === 'organic-law'))).toBe(true);
        },
      };
    });

    describeParity('on a graph made for every rule of a lineage', openNeo4j, async () => {
      const made = generateLineageGraph();
      return {
        ...made,
        depths: [0, 1, 2, 3, 6, 10],
        walkedStarts: ['g20-03', 'big', 'chain-12', 'cycle-a', 'heavy-2'],
        expectCoverage: (answers) => {
          const all = answers.flatMap((a) => a.programmes);
          expect(answers.some((a) => a.truncated && a.programmes.length === LINEAGE_MAX_PROGRAMMES), 'a lineage cut at 500').toBe(true);
          expect(answers.some((a) => !a.truncated && a.programmes.length > 100), 'a long lineage, whole').toBe(true);
          expect(all.some((p) => p.predecessors.length >= 3), 'several predecessors').toBe(true);
          expect(all.some((p) => p.phases.length > 1 && p.partOf.length === 0), 'containers').toBe(true);
          expect(all.some((p) => p.generation >= 10), 'ten generations').toBe(true);
          // More phases than a page holds: `big` keeps the first by link id until it has 500 programmes.
          const big = answers.find((a) => a.id === 'big' && a.depth === 1 && a.direction === 'both')!;
          expect(big.truncated).toBe(true);
          expect(big.programmes.map((p) => p.id).filter((id) => id.startsWith('big-')).sort().at(-1)).toBe('big-498');
          // Participants among the first 500 outgoing links only: none of heavy's funders, one of heavy-2's.
          const heavy = (id: string) => answers.find((a) => a.id === id)!.programmes.find((p) => p.id === id)!;
          expect(heavy('heavy').funders).toEqual([]);
          expect(heavy('heavy-2').funders.map((f) => f.link)).toEqual(['heavy-2-z-funded-0']);
        },
      };
    });

    describeParity('on a domain-shaped generated graph', openNeo4j, async () => {
      const generated = generateDomainGraph({ nodes: 2000, links: 6000, seed: 11 });
      const programmes = generated.nodes.filter((n) => n.label === 'Programme').map((n) => n.id);
      return { ...generated, starts: programmes, depths: [2, 10], walkedStarts: programmes.slice(0, 8) };
    });
  });
}
