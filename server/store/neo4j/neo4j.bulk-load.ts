/**
 * Bulk loads into the empty database (seeding, an import or upsert into a new database): the measured lever is the
 * four search indexes — keeping them up to date is most of a load's cost — so they are dropped, the records
 * `CREATE`d in transactions of `batch` records (parameters as lists of maps, links matched to their ends through
 * the id constraints' indexes, which stay), and the indexes created again and awaited before the load is
 * acknowledged. The audit is one entry with every record, as on the normal path, but its changes are written in
 * parts (:AuditPart, `batch` changes each), one with the records of each of the load's transactions, so that no
 * transaction holds them all (one node holding them needed Neo4j's heap to hold every record's JSON at once); the
 * entry itself, which says how many parts it has, is written in the last transaction. Readers assemble the parts
 * (neo4j.writes.ts, readAuditEntries: the parts of a page of entries in one statement), so the audit reads as it
 * always did.
 *
 * The load is marked on the write lock node while it runs, so other writes (of any app process) are refused with
 * 503 until it ends. A load that fails midway takes its records back (by id: the database held none before), and
 * the indexes come back in every case (`finally`); nothing is acknowledged until the last transaction commits.
 */
import { randomUUID } from 'node:crypto';
import type { ManagedTransaction, Session } from 'neo4j-driver';
import type { GraphLink, GraphNode } from '../../schema/graph.schema.ts';
import { planChanges, writeOrder, type StateReader } from '../change-plan.ts';
import type { ChangeOptions, ChangeResult, GraphChange } from '../graph-store.ts';
import {
  AWAIT_INDEXES,
  BULK_LOAD_BEGIN,
  BULK_LOAD_END,
  BULK_LOAD_UNDO,
  CREATE_LINKS,
  CREATE_NODES,
  DELETE_AUDIT_PARTS,
  DROP_SEARCH_INDEX,
  SEARCH_INDEXES,
  TAKE_WRITE_LOCK,
} from './neo4j.cypher.ts';
import { chunks } from './neo4j.graph-reads.ts';
import { int, linkToRow, nodeToRow, toPlain } from './neo4j.values.ts';
import { writeAuditEntry, writeAuditPart } from './neo4j.writes.ts';

export interface BulkLoadOptions {
  /** Writes of at least this many changes into the empty database take this path. */
  minChanges: number;
  /** Records per transaction (chosen by measurement: `npm run bench`, README "Bulk loads"). */
  batch: number;
}

/**
 * 10,000 records a transaction: faster than 1k/5k in both bench runs, level with 20k at 20k/60k; at 100k/300k the bare
 * load was faster still at 20k in one noisy run (README, Bulk loads) — a candidate once measured on a quiet machine.
 */
export const BULK_LOAD_DEFAULTS: BulkLoadOptions = Object.freeze({ minChanges: 10_000, batch: 10_000 });

const UNDO_BATCH = 10_000;
/** Audit parts deleted per transaction when a load is taken back (a part is `batch` changes). */
const UNDO_PARTS = 10;
const AWAIT_INDEXES_SECONDS = 3600;

/** What the planner sees of the empty database: nothing. */
const EMPTY: StateReader = {
  nodes: async () => [],
  labels: async () => new Map(),
  links: async () => [],
  linksTouching: async () => [],
  nameCandidates: async () => [],
  stories: async () => [],
};

/** Whether a write may take the bulk path: only puts of nodes and links, with no version expected, and many. */
export function bulkEligible(changes: readonly GraphChange[], options: BulkLoadOptions): boolean {
  if (changes.length < options.minChanges) return false;
  return changes.every((c) => (c.kind === 'putNode' || c.kind === 'putLink') && c.expectedVersion === undefined);
}

/**
 * The bulk load of `changes`, or undefined when the database is not empty (or another bulk load is under way):
 * then the caller takes the ordinary path. Invalid writes are refused before anything is touched (the plan is the
 * same planner's, against an empty graph).
 */
export async function bulkLoad(
  session: Session,
  changes: readonly GraphChange[],
  options: ChangeOptions,
  sizes: BulkLoadOptions,
): Promise<ChangeResult | undefined> {
  const at = new Date().toISOString();
  // Planned against an empty graph; when that refuses the write (a link to a stored node, say), the ordinary path
  // plans it against the database and says why, or writes it.
  const plan = await planChanges(changes, { by: options.actor.name, at }, EMPTY).catch(() => undefined);
  if (!plan) return undefined;
  const counts = { created: plan.created, updated: plan.updated, deleted: plan.deleted, unchanged: plan.unchanged };
  const load = randomUUID();
  const begun = await session.executeWrite(async (tx) => {
    await tx.run(TAKE_WRITE_LOCK);
    return (await tx.run(BULK_LOAD_BEGIN, { load })).records.length === 1;
  });
  if (!begun) return undefined;
  const order = writeOrder(plan.changes);
  // The audit entry's changes, in the plan's order, in parts of `batch`: part i goes with the records of the
  // load's transaction i (there are at least as many transactions as parts: one change per record written).
  const entryId = randomUUID();
  const parts = [...chunks(plan.changes, sizes.batch)];
  const withPart = async (tx: ManagedTransaction, i: number) => {
    if (i < parts.length) await writeAuditPart(tx, entryId, i, parts[i]!);
  };
  let dropped = false;
  try {
    dropped = true;
    for (const { name } of SEARCH_INDEXES) await session.run(DROP_SEARCH_INDEX[name]!);
    const transactions = await writeBatches(session, order.putNodes, order.putLinks.map(({ link }) => link), sizes.batch, options.onProgress, withPart);
    for (let i = transactions; i < parts.length; i++) await session.executeWrite((tx) => withPart(tx, i));
    await createSearchIndexes(session);
    dropped = false;
    const entry = await session.executeWrite(async (tx) => {
      const seq = toPlain((await tx.run(TAKE_WRITE_LOCK)).records[0]!.get('seq')) as number;
      const ended = toPlain((await tx.run(BULK_LOAD_END, { load })).records[0]!.get('ended')) as number;
      if (ended !== 1) throw new Error(`the bulk load ${load} lost its mark on the write lock`);
      return writeAuditEntry(tx, seq, at, options, plan.changes, { id: entryId, parts: parts.length });
    });
    return { entry, ...counts };
  } catch (error) {
    // The load's own error is the one to report; a failed undo leaves the mark (README, Bulk loads).
    await undo(session, load, order.putNodes.map((node) => node.id), entryId, parts.length).catch(() => undefined);
    throw error;
  } finally {
    if (dropped) await createSearchIndexes(session);
  }
}

/**
 * Nodes, then links, in transactions of `batch` records; one statement per label or type in each, and `also` (the
 * audit part of that transaction) with them. Returns the number of transactions.
 */
async function writeBatches(
  session: Session,
  nodes: readonly GraphNode[],
  links: readonly GraphLink[],
  batch: number,
  onProgress: ChangeOptions['onProgress'],
  also: (tx: ManagedTransaction, transaction: number) => Promise<void>,
): Promise<number> {
  const total = nodes.length + links.length;
  let written = 0;
  let transaction = 0;
  const run = async <T extends { label?: string; type?: string }>(records: readonly T[], statement: (record: T) => string, row: (record: T) => unknown) => {
    for (let i = 0; i < records.length; i += batch) {
      const groups = new Map<string, unknown[]>();
      for (const record of records.slice(i, i + batch)) {
        const cypher = statement(record);
        (groups.get(cypher) ?? groups.set(cypher, []).get(cypher)!).push(row(record));
      }
      await session.executeWrite(async (tx) => {
        for (const [cypher, rows] of groups) {
          const result = await tx.run(cypher, { rows });
          const count = toPlain(result.records[0]?.get('written') ?? 0) as number;
          if (count !== rows.length) throw new Error(`bulk load: ${count} of ${rows.length} records written`);
        }
        await also(tx, transaction);
      });
      transaction += 1;
      written += Math.min(batch, records.length - i);
      // Awaited when it returns a promise (a caller that looks at the database between two transactions).
      await (onProgress?.(written, total) as unknown);
    }
  };
  await run(nodes, (node) => CREATE_NODES[node.label], nodeToRow);
  await run(links, (link) => CREATE_LINKS[link.type], linkToRow);
  return transaction;
}

async function createSearchIndexes(session: Session): Promise<void> {
  for (const { create } of SEARCH_INDEXES) await session.run(create);
  await session.run(AWAIT_INDEXES, { timeoutSeconds: int(AWAIT_INDEXES_SECONDS) });
}

/**
 * Takes back what a failed load wrote (its nodes and, with them, their links, and the parts of its audit entry)
 * and removes its mark.
 */
async function undo(session: Session, load: string, ids: readonly string[], entry: string, parts: number): Promise<void> {
  for (let i = 0; i < ids.length; i += UNDO_BATCH) {
    await session.executeWrite((tx) => tx.run(BULK_LOAD_UNDO, { ids: ids.slice(i, i + UNDO_BATCH) }));
  }
  const numbers = Array.from({ length: parts }, (_, n) => int(n));
  for (let i = 0; i < numbers.length; i += UNDO_PARTS) {
    await session.executeWrite((tx) => tx.run(DELETE_AUDIT_PARTS, { entry, ns: numbers.slice(i, i + UNDO_PARTS) }));
  }
  await session.executeWrite((tx) => tx.run(BULK_LOAD_END, { load }));
}
