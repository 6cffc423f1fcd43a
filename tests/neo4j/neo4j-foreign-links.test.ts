/**
 * Relationships of types outside the schema (written into the same database by another tool, e.g. Neo4j Browser
 * or a data scientist's script) are ignored by every read of the graph: neighbours, link counts, walks, views,
 * lineage, stats, export. And the bulk-load path (CREATE for records the plan found absent) reports progress and
 * writes the same audit as the MERGE path. Against a real Neo4j.
 */
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_TYPES } from '../../server/schema/graph.schema.ts';
import type { RunningNeo4j } from '../neo4j-server/neo4j-server.ts';
import { loadSeed } from '../support/seed-fixture.ts';
import { adminDriver, neo4jRequirement, openEmptyNeo4jStore, skipNeo4j, startTestNeo4j } from './neo4j-fixture.ts';

neo4jRequirement('Foreign relationship types on Neo4j');

describe.skipIf(skipNeo4j)('relationships of types outside the schema (real Neo4j)', () => {
  let server: RunningNeo4j;
  let driver: Driver;
  let handle: Awaited<ReturnType<typeof openEmptyNeo4jStore>>;

  beforeAll(async () => {
    server = await startTestNeo4j({ timeoutMs: 300_000 }); // a busy machine starts a JVM slowly
    driver = adminDriver(server);
    handle = await openEmptyNeo4jStore(server, driver);
  }, 400_000);
  afterAll(async () => {
    await handle?.dispose();
    await driver?.close();
    await server?.stop();
  });

  it('a bulk load CREATEs what is absent, tells its progress, and is audited as one entry with every record', async () => {
    const seed = await loadSeed();
    const progress: [number, number][] = [];
    const result = await handle.store.upsert(seed, { name: 'seed' }, { onProgress: (written, total) => progress.push([written, total]) });
    const total = seed.nodes.length + seed.links.length;
    expect(result).toEqual({ created: total, updated: 0, unchanged: 0 });
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toEqual([total, total]);
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThan(progress[i - 1]![0]);
    const [entry] = await handle.store.listAudit({ limit: 1 });
    const full = await handle.store.getAudit(entry!.id);
    expect(full!.changes).toHaveLength(total);
    expect(full!.changes.every((c) => c.before === null && c.after !== null)).toBe(true);
    // The same data again changes nothing; a changed record goes through the MERGE path.
    expect(await handle.store.upsert(seed, { name: 'seed' })).toEqual({ created: 0, updated: 0, unchanged: total });
    const dar = seed.nodes.find((n) => n.id === 'dar')!;
    expect(await handle.store.upsert({ nodes: [{ ...dar, name_en: `${dar.name_en} (changed)` }] }, { name: 'seed' })).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect((await handle.store.getNode('dar'))?.name_en).toBe(`${dar.name_en} (changed)`);
  }, 300_000); // the national seed in one transaction on a busy machine: a hang guard, not a speed claim

  it('are ignored by neighbours, link counts, walks, views, stats and the export', async () => {
    const store = handle.store;
    const before = {
      neighbours: await store.neighbours('dar', { direction: 'both', limit: 1000 }),
      counts: await store.linkCounts('dar'),
      traverse: await store.traverse('dar', { depth: 1, limit: 1000, direction: 'both', types: [...LINK_TYPES] }),
      subgraph: await store.subgraph({ around: 'dar', depth: 1, limit: 1000 }),
      stats: await store.stats(),
      links: (await store.exportAll()).links.length,
    };
    // A stranger's relationships from and to DAR, with ids like ours, to a node of ours and to one of theirs.
    await driver.executeQuery(
      `MATCH (a:Entity {id: 'dar'}), (b:Entity {id: 'mcs'})
       CREATE (a)-[:MENTIONS {id: 'foreign-1', sources: ['x']}]->(b), (b)-[:CITES {id: 'foreign-2'}]->(a),
              (a)-[:TAGGED {id: 'foreign-3'}]->(:Scratch {id: 'foreign-node', name_en: 'Not ours'})`,
      {},
      { database: 'neo4j' },
    );
    try {
      const neighbours = await store.neighbours('dar', { direction: 'both', limit: 1000 });
      expect(neighbours.total).toBe(before.neighbours.total);
      expect(neighbours.links.map((l) => l.id)).toEqual(before.neighbours.links.map((l) => l.id));
      expect(await store.linkCounts('dar')).toEqual(before.counts);
      const any = await store.traverse('dar', { depth: 1, limit: 1000, direction: 'both', types: [...LINK_TYPES] });
      expect(any.links.map((l) => l.id).sort()).toEqual(before.traverse.links.map((l) => l.id).sort());
      const around = await store.subgraph({ around: 'dar', depth: 1, limit: 1000 });
      expect(around.nodes.map((n) => n.id)).not.toContain('foreign-node');
      expect(around.links.map((l) => l.id).sort()).toEqual(before.subgraph.links.map((l) => l.id).sort());
      expect(await store.stats()).toMatchObject({ links: before.stats.links });
      expect((await store.exportAll()).links).toHaveLength(before.links);
      const lineage = await store.lineageRecords('dar', { depth: 2, direction: 'both', linksPerPage: 1000, maxProgrammes: 100, participantTypes: [...LINK_TYPES] });
      const lineageLinks = [...lineage.pages.flatMap((p) => [...p.succeedsOut, ...p.succeedsIn, ...p.partOf, ...p.supports]), ...lineage.participants.flatMap((p) => p.links)];
      expect(lineageLinks.map((l) => l.id).filter((id) => id.startsWith('foreign-'))).toEqual([]);
    } finally {
      await driver.executeQuery(`MATCH ()-[r]->() WHERE r.id STARTS WITH 'foreign-' DELETE r`, {}, { database: 'neo4j' });
      await driver.executeQuery(`MATCH (n {id: 'foreign-node'}) DELETE n`, {}, { database: 'neo4j' });
    }
  }, 120_000);
});
