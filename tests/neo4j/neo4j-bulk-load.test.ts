/**
 * Bulk loads into the empty database (server/store/neo4j/neo4j.bulk-load.ts), on a real Neo4j, with small sizes so
 * that a few thousand records make several transactions: the search indexes are gone while it loads and back
 * (online) after; the graph, the audit entry and search are those of the ordinary one-transaction write; a load
 * that fails midway leaves the indexes in place, no record and no audit entry (nor a part of one); other writes are
 * refused while a load runs; a database that is not empty takes the ordinary path. The audit entry's changes are in
 * parts (:AuditPart, one per transaction; neo4j-audit-parts.test.ts shows why): it lists, reads, filters and reverts
 * as the ordinary write's one node does.
 */
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorruptData } from '../../server/domain/errors.ts';
import type { GraphLink, GraphNode } from '../../server/schema/graph.schema.ts';
import { revertChange } from '../../server/services/editing.service.ts';
import { AUDIT_PART_LABEL, ENTITY_LABEL, GET_AUDIT, GET_LINKS, LIST_AUDIT, SEARCH_INDEXES } from '../../server/store/neo4j/neo4j.cypher.ts';
import { READ_CHUNK } from '../../server/store/neo4j/neo4j.graph-reads.ts';
import { listSchema } from '../../server/store/neo4j/neo4j.migrations.ts';
import { Neo4jStore } from '../../server/store/neo4j/neo4j.store.ts';
import type { AuditEntry } from '../../server/store/graph-store.ts';
import type { RunningNeo4j } from '../neo4j-server/neo4j-server.ts';
import { generateDomainGraph } from '../support/graph-generator.ts';
import { adminDriver, clearDatabase, neo4jRequirement, profileOperators, recordStatements, skipNeo4j, startTestNeo4j, storeConfig } from './neo4j-fixture.ts';

neo4jRequirement('Neo4j bulk loads');

const SEARCH_INDEX_NAMES = SEARCH_INDEXES.map((i) => i.name).sort();
const graph = generateDomainGraph({ nodes: 400, links: 1200 });
const actor = { name: 'loader' };

/** Records without the write's own stamps (times), so two writes of the same graph compare equal. */
function unstamped<T extends GraphNode | GraphLink>(records: readonly T[]): Record<string, unknown>[] {
  return [...records]
    .map(({ created_at: _c, updated_at: _u, ...rest }) => rest as Record<string, unknown>)
    .sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1));
}

function auditShape(entry: AuditEntry) {
  return {
    by: entry.by,
    action: entry.action,
    changes: entry.changes.map((c) => ({
      entity: c.entity,
      id: c.id,
      before: c.before && unstamped([c.before as GraphNode])[0],
      after: c.after && unstamped([c.after as GraphNode])[0],
    })),
  };
}

describe.skipIf(skipNeo4j)('bulk loads into the empty database (real Neo4j)', () => {
  let server: RunningNeo4j;
  let admin: Driver;
  const searchIndexes = async () =>
    (await listSchema(admin, 'neo4j')).indexes.filter((i) => SEARCH_INDEX_NAMES.includes(i.name)).map((i) => `${i.name}:${i.state}`).sort();
  const online = SEARCH_INDEX_NAMES.map((name) => `${name}:ONLINE`);
  const parts = async () =>
    (await admin.executeQuery(`MATCH (p:${AUDIT_PART_LABEL}) RETURN count(p) AS n`, {}, { database: 'neo4j' })).records[0]!.get('n').toNumber() as number;
  const open = (minChanges: number) => Neo4jStore.connect(storeConfig(server, { bulkLoad: { minChanges, batch: 500 } }));

  beforeAll(async () => {
    server = await startTestNeo4j({ timeoutMs: 240_000 });
    admin = adminDriver(server);
  }, 300_000);
  afterAll(async () => {
    await admin?.close();
    await server?.stop();
  });

  it('loads in batches with the search indexes dropped, then gives the graph, audit and search of the ordinary write', async () => {
    // The ordinary path (bulk loads off), for comparison.
    await clearDatabase(admin);
    let store = await open(Number.POSITIVE_INFINITY);
    await store.upsert({ nodes: graph.nodes, links: graph.links }, actor);
    const ordinary = { ...(await store.exportAll()), audit: await store.listAudit({ limit: 10 }) };
    await store.close();

    await clearDatabase(admin);
    store = await open(1000);
    try {
      expect(await searchIndexes()).toEqual(online);
      const progress: number[] = [];
      const result = await store.upsert({ nodes: graph.nodes, links: graph.links }, actor, {
        onProgress: (written, total) => {
          expect(total).toBe(1600);
          progress.push(written);
        },
      });
      // Progress after every transaction of 500 records: nodes (400), then links.
      expect(progress).toEqual([400, 900, 1400, 1600]);
      expect(result).toEqual({ created: 1600, updated: 0, unchanged: 0 });
      expect(await searchIndexes()).toEqual(online);
      const back = await store.exportAll();
      expect(unstamped(back.nodes)).toEqual(unstamped(ordinary.nodes));
      expect(unstamped(back.links)).toEqual(unstamped(ordinary.links));
      const audit = await store.listAudit({ limit: 10 });
      expect(audit).toHaveLength(1);
      expect(ordinary.audit).toHaveLength(1);
      expect(auditShape(audit[0]!)).toEqual(auditShape(ordinary.audit[0]!));
      const target = graph.nodes[11]!;
      expect((await store.search({ q: target.name_en, limit: 50 })).map((hit) => hit.id)).toContain(target.id);
      // The database is no longer empty: the next large write is an ordinary one (it updates).
      const renamed = graph.nodes.map((n) => ({ ...n, name_en: `${n.name_en} x` }));
      const again = await store.upsert({ nodes: renamed, links: graph.links }, actor);
      expect(again).toEqual({ created: 0, updated: 400, unchanged: 1200 });
      expect(await store.listAudit({ limit: 10 })).toHaveLength(2);
    } finally {
      await store.close();
    }
  }, 600_000); // two loads and an index rebuild on a busy machine: a hang guard, not a speed claim

  it("its audit entry, written in parts, is listed, read, filtered and reverted as the ordinary write's is", async () => {
    const admin_ = { name: 'root', role: 'admin' as const };
    /** The load's entry seen every way the API sees it, and its revert (the graph is empty after). */
    const seen = async (minChanges: number) => {
      await clearDatabase(admin);
      const store = await open(minChanges);
      try {
        await store.upsert({ nodes: graph.nodes, links: graph.links }, actor);
        const [entry] = await store.listAudit({ limit: 10 });
        const link = graph.links.at(-1)!.id;
        const result = {
          entry: auditShape(entry!),
          byId: auditShape((await store.getAudit(entry!.id))!),
          byRecord: (await store.listAudit({ limit: 10, entity: { id: link } })).map((e) => e.id === entry!.id),
          byEditor: (await store.listAudit({ limit: 10, editor: 'loader', before: entry!.seq + 1 })).length,
          parts: await parts(),
        };
        // The revert reads the entry's 1,200 links together (it read them one transaction each before).
        const recorder = recordStatements();
        const revert = await revertChange(store, entry!.id, admin_).finally(() => recorder.restore());
        const linkReads = recorder.seen.filter((s) => s.query === GET_LINKS).length;
        const after = await store.listAudit({ limit: 10 });
        return {
          ...result,
          revert: { ...auditShape(revert), revert_of: revert.revert_of === entry!.id },
          listedRevert: auditShape(after[0]!),
          count: after.length,
          left: (await store.exportAll()).nodes.length,
          linkReads,
        };
      } finally {
        await store.close();
      }
    };
    const ordinary = await seen(Number.POSITIVE_INFINITY);
    const bulk = await seen(1000);
    expect(ordinary.parts).toBe(0);
    expect(bulk.parts).toBe(4); // 1,600 changes, 500 a part, one part per transaction
    for (const key of ['entry', 'byId', 'byRecord', 'byEditor', 'revert', 'listedRevert', 'count', 'left'] as const) {
      expect(bulk[key], key).toEqual(ordinary[key]);
    }
    expect(bulk.entry.changes).toHaveLength(1600);
    expect(bulk.byRecord).toEqual([true]);
    expect(bulk.revert.changes).toHaveLength(1600);
    expect(bulk.count).toBe(2);
    expect(bulk.left).toBe(0);
    expect(ordinary.linkReads).toBe(bulk.linkReads);
    expect(bulk.linkReads).toBeGreaterThan(0);
    // Once by the revert's check, once by the write's plan, READ_CHUNK ids a statement (1,202 statements before).
    expect(bulk.linkReads).toBeLessThanOrEqual(2 * Math.ceil(graph.links.length / READ_CHUNK));
  }, 600_000);

  it("reads every entry's parts in one statement, through the (entry, n) index; a missing part is an error", async () => {
    // Two loads of 16 parts each (100 changes a part): the graph emptied in between (the audit kept), so that the
    // second write into it is a bulk load too.
    await clearDatabase(admin);
    const store = await Neo4jStore.connect(storeConfig(server, { bulkLoad: { minChanges: 1000, batch: 100 } }));
    const recorder = recordStatements();
    try {
      await store.upsert({ nodes: graph.nodes, links: graph.links }, actor);
      await admin.executeQuery(`MATCH (n:${ENTITY_LABEL}) DETACH DELETE n`, {}, { database: 'neo4j' });
      await store.upsert({ nodes: graph.nodes, links: graph.links }, { name: 'second' });
      expect(await parts()).toBe(32);
      const partsStatements = () => recorder.seen.filter((s) => s.query !== LIST_AUDIT && s.query !== GET_AUDIT);

      recorder.clear();
      const listed = await store.listAudit({ limit: 10 });
      expect(listed.map((e) => [e.by, e.changes.length])).toEqual([
        ['second', 1600],
        ['loader', 1600],
      ]);
      // Every change in the plan's order: the 400 nodes, then the 1,200 links.
      expect(listed[0]!.changes.map((c) => c.id)).toEqual([...graph.nodes.map((n) => n.id), ...graph.links.map((l) => l.id)]);
      expect(listed[1]!.changes.map((c) => c.id)).toEqual(listed[0]!.changes.map((c) => c.id));
      // One statement for the page, one for the 32 parts of its two entries (it was one per part: 33 in all).
      expect(recorder.seen).toHaveLength(2);
      expect(partsStatements()).toHaveLength(1);
      const operators = await profileOperators(admin, partsStatements()[0]!);
      expect(operators).toContain('NodeUniqueIndexSeek');
      expect(operators.filter((o) => /Scan/.test(o))).toEqual([]);

      recorder.clear();
      expect(await store.getAudit(listed[1]!.id)).toEqual(listed[1]);
      expect(recorder.seen).toHaveLength(2); // the entry, then its 16 parts
      expect(partsStatements()).toHaveLength(1);

      // An ordinary write's entry (no parts) needs no statement of parts, alone or on a page with parted ones.
      await store.upsert({ nodes: [{ ...graph.nodes[0]!, name_en: 'Renamed' }] }, actor);
      recorder.clear();
      expect((await store.listAudit({ limit: 1 }))[0]!.changes).toHaveLength(1);
      expect(recorder.seen).toHaveLength(1);
      recorder.clear();
      expect((await store.listAudit({ limit: 10 })).map((e) => e.changes.length)).toEqual([1, 1600, 1600]);
      expect(partsStatements()).toHaveLength(1);

      // A part gone (deleted by hand): the entry cannot be read back, by id or listed; the other entry still can.
      await admin.executeQuery(`MATCH (p:${AUDIT_PART_LABEL} {entry: $entry, n: 5}) DELETE p`, { entry: listed[1]!.id }, { database: 'neo4j' });
      for (const read of [() => store.getAudit(listed[1]!.id), () => store.listAudit({ limit: 10 })]) {
        const error = await read().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CorruptData);
        expect((error as Error).message).toBe(`Neo4j audit entry ${listed[1]!.id} cannot be read back: its part 5 of 16 is missing`);
      }
      expect(await store.getAudit(listed[0]!.id)).toEqual(listed[0]);
    } finally {
      recorder.restore();
      await store.close();
    }
  }, 600_000);

  it('drops the search indexes while it loads and refuses other writes until it ends', async () => {
    await clearDatabase(admin);
    const store = await open(1000);
    const other = await open(Number.POSITIVE_INFINITY);
    try {
      const seen: { indexes: string[]; write: unknown }[] = [];
      // The load awaits a progress callback's promise: this one looks in between two of its transactions.
      const onProgress = async (written: number) => {
        if (written !== 900) return;
        const indexes = await searchIndexes();
        const write = await other.upsert({ nodes: [{ ...graph.nodes[0]!, id: 'elsewhere' }] }, actor).catch((e: unknown) => e);
        seen.push({ indexes, write });
      };
      await store.upsert({ nodes: graph.nodes, links: graph.links }, actor, { onProgress: onProgress as (written: number) => void });
      expect(seen).toHaveLength(1);
      expect(seen[0]!.indexes).toEqual([]);
      expect((seen[0]!.write as Error).message).toMatch(/a bulk load into the empty database is under way/);
      expect(await other.getNode('elsewhere')).toBeUndefined();
      // Once it has ended, writes go through again.
      await other.upsert({ nodes: [{ ...graph.nodes[0]!, id: 'elsewhere', name_en: 'Elsewhere', name_km: 'ផ្សេង' }] }, actor);
      expect(await other.getNode('elsewhere')).toBeDefined();
    } finally {
      await store.close();
      await other.close();
    }
  }, 600_000);

  it('a load that fails midway leaves the search indexes in place, no record and no audit entry; the next load succeeds', async () => {
    await clearDatabase(admin);
    const store = await open(1000);
    try {
      const error = await store
        .upsert({ nodes: graph.nodes, links: graph.links }, actor, {
          onProgress: (written) => {
            if (written === 900) throw new Error('stopped midway');
          },
        })
        .catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/stopped midway/);
      expect(await searchIndexes()).toEqual(online);
      expect(await store.countNodes()).toBe(0);
      expect((await store.exportAll()).links).toEqual([]);
      expect(await store.listAudit({ limit: 10 })).toEqual([]);
      expect(await parts()).toBe(0); // the parts written with its first transactions are taken back too
      // Nothing is left marked: ordinary writes and another load go through.
      const result = await store.upsert({ nodes: graph.nodes, links: graph.links }, actor);
      expect(result.created).toBe(1600);
      expect(await store.countNodes()).toBe(400);
      expect(await store.listAudit({ limit: 10 })).toHaveLength(1);
      expect(await searchIndexes()).toEqual(online);
    } finally {
      await store.close();
    }
  }, 600_000);

  it('a mark left by a process that died mid-load is logged at start, and writes answer 503 until it is removed', async () => {
    await clearDatabase(admin);
    await (await open(1000)).close();
    await admin.executeQuery("MATCH (l:WriteLock {id: 'graph'}) SET l.bulk_load = 'dead-load'", {}, { database: 'neo4j' });
    const lines: string[] = [];
    const store = await Neo4jStore.connect(storeConfig(server), (line) => lines.push(line));
    try {
      expect(lines.join('\n')).toMatch(/a bulk load \(dead-load\) is marked on the write lock/);
      const error = await store.upsert({ nodes: [graph.nodes[0]!] }, actor).catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe('store_unavailable');
      expect(await store.countNodes()).toBe(0);
      await admin.executeQuery("MATCH (l:WriteLock {id: 'graph'}) REMOVE l.bulk_load", {}, { database: 'neo4j' });
      await store.upsert({ nodes: [graph.nodes[0]!] }, actor);
      expect(await store.countNodes()).toBe(1);
    } finally {
      await store.close();
    }
  }, 600_000);

  it('a write the empty graph refuses is refused as the ordinary path refuses it, touching nothing', async () => {
    await clearDatabase(admin);
    const store = await open(1000);
    try {
      const broken = [...graph.links.slice(0, 1100), { ...graph.links[0]!, id: 'dangling', to: 'nowhere' }];
      const error = await store.upsert({ nodes: graph.nodes, links: broken }, actor).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/link dangling: node nowhere does not exist/);
      expect(await store.countNodes()).toBe(0);
      expect(await searchIndexes()).toEqual(online);
    } finally {
      await store.close();
    }
  }, 600_000);
});
