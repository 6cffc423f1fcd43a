/**
 * The Neo4j store's writes, inside one write transaction that the store opens (neo4j.store.ts): the write lock
 * first (so writes of every app process on this database are applied one after another and checks see each
 * other), then the change planner's plan (server/store/change-plan.ts, the embedded store's too) from what the
 * transaction reads, the writes in an order where each statement is valid, and the audit entry. The function only
 * computes from what it reads, so the driver may run it twice. The Cypher is in neo4j.cypher-writes.ts.
 */
import { randomUUID } from 'node:crypto';
import type { ManagedTransaction } from 'neo4j-driver';
import type { Node } from 'neo4j-driver';
import { Conflict, CorruptData, Unavailable } from '../../domain/errors.ts';
import type { LinkType } from '../../schema/graph.schema.ts';
import type { AuditChange, AuditEntry, ChangeOptions, ChangeResult, GraphChange } from '../graph-store.ts';
import { planChanges, writeOrder, type StateReader } from '../change-plan.ts';
import { recordVersion } from '../record-compare.ts';
import {
  CREATE_AUDIT_ENTRY,
  CREATE_AUDIT_PART,
  CREATE_LINKS,
  CREATE_NODES,
  DELETE_LINKS,
  DELETE_NODES,
  DELETE_STORIES,
  GET_AUDIT_PARTS,
  GET_STORIES,
  LINKS_TOUCHING,
  NAME_CANDIDATES,
  PUT_STORIES,
  TAKE_WRITE_LOCK,
  UPSERT_LINKS,
  UPSERT_NODES,
} from './neo4j.cypher.ts';
import { byChunks, chunks, fetchLabels, fetchLinks, fetchNodes, push } from './neo4j.graph-reads.ts';
import { auditFromNeo4j, auditPartToProps, type AuditPartLists, auditToProps, int, linkFromNeo4j, linkToRow, nameKeyNeedle, nodeFromNeo4j, nodeToRow, storyFromJson, toPlain } from './neo4j.values.ts';

/** Rows per UNWIND statement inside one write transaction (1,000 and 5,000 loaded 20k records equally fast). */
const WRITE_CHUNK = 1000;

/** All or nothing: the caller runs it as one managed write transaction. */
export async function applyChangesIn(tx: ManagedTransaction, changes: readonly GraphChange[], options: ChangeOptions): Promise<ChangeResult> {
  const lock = await tx.run(TAKE_WRITE_LOCK);
  if (lock.records[0]!.get('bulkLoad') !== null) {
    throw new Unavailable('a bulk load into the empty database is under way; try again when it has finished');
  }
  const seq = toPlain(lock.records[0]!.get('seq')) as number;
  const at = new Date().toISOString();
  const plan = await planChanges(changes, { by: options.actor.name, at }, stateReader(tx));
  const counts = { created: plan.created, updated: plan.updated, deleted: plan.deleted, unchanged: plan.unchanged };
  if (plan.changes.length === 0) return { entry: undefined, ...counts };
  await writePlan(tx, plan.changes, options.onProgress);
  const entry = await writeAuditEntry(tx, seq, at, options, plan.changes);
  return { entry, ...counts };
}

/**
 * Writes the audit entry of one change (a write or a bulk load), inside its transaction, and returns it. With
 * `parted`, its changes are already in that many parts (writeAuditPart, in earlier transactions of a bulk load) and
 * the entry node, under that id, only says how many.
 */
export async function writeAuditEntry(
  tx: ManagedTransaction,
  seq: number,
  at: string,
  options: ChangeOptions,
  changes: AuditChange[],
  parted?: { id: string; parts: number },
): Promise<AuditEntry> {
  const entry: AuditEntry = {
    id: parted?.id ?? randomUUID(),
    seq,
    at,
    by: options.actor.name,
    action: options.action,
    ...(options.revertOf ? { revert_of: options.revertOf } : {}),
    changes,
  };
  await tx.run(CREATE_AUDIT_ENTRY, { props: auditToProps(entry, parted?.parts) });
  return entry;
}

/** Writes part `n` of the (future) audit entry `entry`: some of its changes, in order. */
export async function writeAuditPart(tx: ManagedTransaction, entry: string, n: number, changes: readonly AuditChange[]): Promise<void> {
  await expectCount(tx.run(CREATE_AUDIT_PART, { props: auditPartToProps(entry, n, changes) }), 'written', 1);
}

/** An :AuditEntry node read in `tx` as an entry, its parts (if it has them) read in the same transaction. */
export async function readAuditEntry(tx: ManagedTransaction, node: Node): Promise<AuditEntry> {
  return (await readAuditEntries(tx, [node]))[0]!;
}

/**
 * :AuditEntry nodes read in `tx` as entries, in the same order; the parts of all of them (a bulk load's entries have
 * parts) in one statement, none when no entry has parts. A missing part is CorruptData, as a damaged entry is.
 */
export async function readAuditEntries(tx: ManagedTransaction, nodes: readonly Node[]): Promise<AuditEntry[]> {
  const parted = new Map<string, (AuditPartLists | undefined)[]>();
  for (const node of nodes) {
    const count = toPlain(node.properties.parts ?? 0) as number;
    if (count > 0) parted.set(node.properties.id as string, new Array<AuditPartLists | undefined>(count).fill(undefined));
  }
  if (parted.size > 0) {
    const entries = [...parted].map(([id, parts]) => ({ id, parts: int(parts.length) }));
    for (const record of (await tx.run(GET_AUDIT_PARTS, { entries })).records) {
      const parts = parted.get(record.get('entry') as string)!;
      parts[toPlain(record.get('n')) as number] = { keys: record.get('keys') as string[], before: record.get('before') as string[], after: record.get('after') as string[] };
    }
  }
  return nodes.map((node) => {
    const id = node.properties.id as string;
    const parts = parted.get(id) ?? [];
    const missing = parts.findIndex((part) => part === undefined);
    if (missing >= 0) throw new CorruptData(`Neo4j audit entry ${id} cannot be read back: its part ${missing} of ${parts.length} is missing`, { id });
    return auditFromNeo4j(node, parts as AuditPartLists[]);
  });
}

/** What the change planner reads, inside the write transaction (after the write lock). */
function stateReader(tx: ManagedTransaction): StateReader {
  return {
    nodes: (ids) => fetchNodes(tx, ids),
    labels: (ids) => fetchLabels(tx, ids),
    links: (ids) => fetchLinks(tx, ids),
    linksTouching: (ids) => byChunks(tx, LINKS_TOUCHING, ids, (record) => linkFromNeo4j(record.get('link'))),
    nameCandidates: async (label, key) => {
      const result = await tx.run(NAME_CANDIDATES, { label, needle: nameKeyNeedle(key) });
      return result.records.map((record) => nodeFromNeo4j(record.get('n')));
    },
    stories: async (ids) => {
      const result = await tx.run(GET_STORIES, { ids: [...ids] });
      return result.records.map((record) => storyFromJson(record.get('json')));
    },
  };
}

/** Writes a plan's changes in an order where each statement is valid; every count is checked. */
async function writePlan(tx: ManagedTransaction, changes: readonly AuditChange[], onProgress?: (written: number, total: number) => void): Promise<void> {
  const order = writeOrder(changes);
  let written = 0;
  const wrote = (count: number) => {
    written += count;
    onProgress?.(written, changes.length);
  };
  const deleteLinks = new Map<LinkType, string[]>();
  for (const link of order.deleteLinks) push(deleteLinks, link.type, link.id);
  for (const { link, before } of order.putLinks) {
    // A relationship cannot change its type or ends: delete it, create it anew.
    if (before && (before.type !== link.type || before.from !== link.from || before.to !== link.to)) push(deleteLinks, before.type, link.id);
  }
  for (const [type, ids] of deleteLinks) {
    for (const part of chunks(ids, WRITE_CHUNK)) await expectCount(tx.run(DELETE_LINKS[type], { ids: part }), 'deleted', part.length);
  }
  // Records the plan found absent are CREATEd (no MERGE lookup: the bulk-load path); the others MERGEd and SET.
  const createdNodes = new Set(changes.filter((c) => c.entity === 'node' && c.before === null && c.after !== null).map((c) => c.id));
  const nodeRows = new Map<string, { cypher: string; rows: ReturnType<typeof nodeToRow>[] }>();
  for (const node of order.putNodes) {
    const cypher = createdNodes.has(node.id) ? CREATE_NODES[node.label] : UPSERT_NODES[node.label];
    (nodeRows.get(cypher) ?? nodeRows.set(cypher, { cypher, rows: [] }).get(cypher)!).rows.push(nodeToRow(node));
  }
  for (const { cypher, rows } of nodeRows.values()) {
    for (const part of chunks(rows, WRITE_CHUNK)) {
      await expectCount(tx.run(cypher, { rows: part }), 'written', part.length);
      wrote(part.length);
    }
  }
  const linkRows = new Map<string, { cypher: string; rows: ReturnType<typeof linkToRow>[] }>();
  for (const { link, before } of order.putLinks) {
    const moved = before && (before.type !== link.type || before.from !== link.from || before.to !== link.to);
    const cypher = !before || moved ? CREATE_LINKS[link.type] : UPSERT_LINKS[link.type];
    (linkRows.get(cypher) ?? linkRows.set(cypher, { cypher, rows: [] }).get(cypher)!).rows.push(linkToRow(link));
  }
  for (const { cypher, rows } of linkRows.values()) {
    for (const part of chunks(rows, WRITE_CHUNK)) {
      await expectCount(tx.run(cypher, { rows: part }), 'written', part.length);
      wrote(part.length);
    }
  }
  const nodeIds = order.deleteNodes.map((node) => node.id);
  for (const part of chunks(nodeIds, WRITE_CHUNK)) await expectCount(tx.run(DELETE_NODES, { ids: part }), 'deleted', part.length);
  if (order.putStories.length > 0) {
    const rows = order.putStories.map((story) => ({ id: story.id, version: int(recordVersion(story)), json: JSON.stringify(story) }));
    await expectCount(tx.run(PUT_STORIES, { rows }), 'written', rows.length);
    wrote(rows.length);
  }
  if (order.deleteStories.length > 0) await expectCount(tx.run(DELETE_STORIES, { ids: order.deleteStories }), 'deleted', order.deleteStories.length);
  if (written < changes.length) onProgress?.(changes.length, changes.length);
}

async function expectCount(pending: Promise<{ records: { get(key: string): unknown }[] }>, key: string, expected: number): Promise<void> {
  const result = await pending;
  const count = toPlain(result.records[0]?.get(key) ?? 0) as number;
  if (count !== expected) {
    // A node or link went away between our checks and our write (another process): refuse, roll back.
    throw new Conflict(`the graph changed during the write (${count} of ${expected} records ${key}); try again`);
  }
}
