/**
 * A bulk load's audit entry larger than one transaction may hold (issue 14, item 4), on a real Neo4j started with
 * a small `db.memory.transaction.max` (6 MB): the entry's changes are written in parts, each in one of the load's
 * own transactions, so no transaction holds all of them; the entry reads back whole (list, by id, by record).
 * Before the parts, this load wrote all its records and then failed on the audit entry (MemoryPoolOutOfMemoryError),
 * as the 100k/300k bench load did with the default 512 MB heap. The entry's 120 parts are read back in one
 * statement, within the limit too. Its revert, one ordinary transaction, is over the limit: refused with a message
 * that names the memory limit (it said "a transient server error" before), nothing changed. A failed load taking its parts back, and the revert of a load written in parts,
 * are in neo4j-bulk-load.test.ts (a server without the limit).
 */
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Unavailable } from '../../server/domain/errors.ts';
import { revertChange } from '../../server/services/editing.service.ts';
import { AUDIT_LABEL, AUDIT_PART_LABEL } from '../../server/store/neo4j/neo4j.cypher-names.ts';
import { Neo4jStore } from '../../server/store/neo4j/neo4j.store.ts';
import type { RunningNeo4j } from '../neo4j-server/neo4j-server.ts';
import { generateDomainGraph } from '../support/graph-generator.ts';
import { adminDriver, neo4jRequirement, recordStatements, skipNeo4j, startTestNeo4j, storeConfig } from './neo4j-fixture.ts';

neo4jRequirement('Neo4j audit entries in parts');

const graph = generateDomainGraph({ nodes: 3000, links: 9000 });
const actor = { name: 'loader' };
const TRANSACTION_MEMORY_MAX = '6m';

describe.skipIf(skipNeo4j)(`a bulk load whose audit is larger than one transaction may hold (real Neo4j, db.memory.transaction.max ${TRANSACTION_MEMORY_MAX})`, () => {
  let server: RunningNeo4j;
  let admin: Driver;
  const open = () => Neo4jStore.connect(storeConfig(server, { bulkLoad: { minChanges: 1000, batch: 100 } }));
  // Emptied in small transactions: one transaction deleting the whole graph is over the limit too.
  const clearDatabase = async (driver: Driver) => {
    const step = 'MATCH (n) WITH n LIMIT 100 DETACH DELETE n RETURN count(*) AS deleted';
    while ((await driver.executeQuery(step, {}, { database: 'neo4j' })).records[0]!.get('deleted').toNumber() > 0);
  };
  const count = async (label: string) =>
    (await admin.executeQuery(`MATCH (n:${label}) RETURN count(n) AS n`, {}, { database: 'neo4j' })).records[0]!.get('n').toNumber() as number;

  beforeAll(async () => {
    server = await startTestNeo4j({ timeoutMs: 240_000, transactionMemoryMax: TRANSACTION_MEMORY_MAX });
    admin = adminDriver(server);
  }, 300_000);
  afterAll(async () => {
    await admin?.close();
    await server?.stop();
  });

  it('the premise: the records as JSON, in one node in one transaction, are over the limit', async () => {
    await clearDatabase(admin);
    const after = [...graph.nodes, ...graph.links].map((record) => JSON.stringify(record));
    const error = await admin.executeQuery('CREATE (p:Probe) SET p.after = $after', { after }, { database: 'neo4j' }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toMatch(/MemoryPoolOutOfMemoryError|TransactionOutOfMemoryError/);
    expect(await count('Probe')).toBe(0);
  }, 120_000);

  it('loads, and its one audit entry reads back with every change: listed, by id and by record', async () => {
    await clearDatabase(admin);
    const store = await open();
    try {
      const progress: number[] = [];
      const result = await store.upsert({ nodes: graph.nodes, links: graph.links }, actor, { onProgress: (written) => progress.push(written) }).catch((e: unknown) => e);
      // Every transaction of records fits the limit; before the parts, the audit entry did not (a 503 here).
      expect(progress.at(-1)).toBe(12_000);
      expect(result).toEqual({ created: 12_000, updated: 0, unchanged: 0 });
      const listed = await store.listAudit({ limit: 10 });
      expect(listed).toHaveLength(1);
      const entry = listed[0]!;
      expect(entry).toMatchObject({ by: 'loader', action: 'upsert' });
      // Its 120 parts are read in one statement (after the entry's own), within the transaction's memory limit.
      const recorder = recordStatements();
      try {
        expect(await store.getAudit(entry.id)).toEqual(entry);
        expect(recorder.seen).toHaveLength(2);
      } finally {
        recorder.restore();
      }
      // Every record once, created, with what the store holds now; nodes first, then links (the plan's order).
      const stored = await store.exportAll();
      const byKey = new Map<string, unknown>([...stored.nodes.map((n) => [`node:${n.id}`, n] as const), ...stored.links.map((l) => [`link:${l.id}`, l] as const)]);
      expect(new Set(entry.changes.map((c) => `${c.entity}:${c.id}`)).size).toBe(12_000);
      for (const change of entry.changes) {
        expect(change.before).toBeNull();
        expect(change.after).toEqual(byKey.get(`${change.entity}:${change.id}`));
      }
      const kinds = entry.changes.map((c) => c.entity);
      expect(kinds.lastIndexOf('node')).toBeLessThan(kinds.indexOf('link'));
      // The record filter sees every part: the first node, the last link.
      const first = entry.changes[0]!;
      const last = entry.changes.at(-1)!;
      expect((await store.listAudit({ limit: 10, entity: { id: first.id } })).map((e) => e.id)).toEqual([entry.id]);
      expect((await store.listAudit({ limit: 10, entity: { id: last.id, kind: 'link' } })).map((e) => e.id)).toEqual([entry.id]);
      expect(await store.listAudit({ limit: 10, entity: { id: last.id, kind: 'node' } })).toEqual([]);
      expect(await count(AUDIT_LABEL)).toBe(1);
      expect(await count(AUDIT_PART_LABEL)).toBe(120); // 100 changes each, one per transaction of records

      // Its revert is one ordinary transaction, over the limit here: refused with the reason (not "transient": trying
      // again cannot help), and nothing changed.
      const error = await revertChange(store, entry.id, { name: 'root', role: 'admin' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Unavailable);
      expect((error as Error).message).toContain('more memory than Neo4j lets one transaction use (db.memory.transaction.max, or its heap)');
      expect((error as Error).message).not.toContain('transient');
      expect(await count(AUDIT_LABEL)).toBe(1);
      expect((await store.exportAll()).nodes).toHaveLength(3000);
    } finally {
      await store.close();
    }
  }, 600_000); // a hang guard on a busy machine, not a speed claim
});
