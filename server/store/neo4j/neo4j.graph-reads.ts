/**
 * The Neo4j store's graph reads, each inside a read transaction that the store opens (neo4j.store.ts): nodes and
 * links by id, a node's link counts and page of neighbours, the stats, breadth-first walks, the subgraph, shortest
 * paths, lineage records and the whole graph, with the same answers in the same order as the embedded store's
 * (server/store/embedded/graph-reads.ts). Their Cypher is in neo4j.cypher-reads.ts. The lookups by id serve the
 * writes too (neo4j.writes.ts reads the state it plans from with them).
 */
import type { ManagedTransaction, Node, Record as Neo4jRecord } from 'neo4j-driver';
import { NotFound } from '../../domain/errors.ts';
import { LABELS, LINK_TYPES, type GraphLink, type GraphNode, type Label, type LinkType } from '../../schema/graph.schema.ts';
import type {
  Direction,
  Elements,
  GraphPath,
  GraphStats,
  LineageQuery,
  LineageRecords,
  LinkCounts,
  NeighbourPage,
  NodeDetails,
  NeighbourQuery,
  PathQuery,
  PathResult,
  SubgraphQuery,
  TraverseQuery,
} from '../graph-store.ts';
import {
  EXPAND,
  EXPORT_LINKS,
  EXPORT_NODES,
  GET_LINKS,
  GET_NODE_LABELS,
  GET_NODES,
  LINEAGE_RECORDS,
  LINK_COUNTS,
  LINKS_AMONG,
  NEIGHBOURS,
  NODE_DETAILS,
  NODES_BY_ID,
  SHORTEST_PATHS,
  STATS_LINKS,
  STATS_NODES,
} from './neo4j.cypher.ts';
import { int, labelOf, linkFromNeo4j, nodeFromNeo4j, toPlain } from './neo4j.values.ts';

/** Ids per lookup statement. */
export const READ_CHUNK = 1000;
/** Shortest paths read at most before sorting; beyond this the order of the returned ones is not guaranteed. */
const MAX_PATH_ROWS = 10_000;

export async function readLinkCounts(tx: ManagedTransaction, id: string): Promise<LinkCounts> {
  const result = await tx.run(LINK_COUNTS, { id });
  const record = result.records[0];
  if (!record) throw notFound(id);
  return countsOf(record);
}

/** A node and its link counts in one statement (NODE_DETAILS); undefined when it does not exist. */
export async function readNodeDetails(tx: ManagedTransaction, id: string): Promise<NodeDetails | undefined> {
  const record = (await tx.run(NODE_DETAILS, { id })).records[0];
  return record ? { node: nodeFromNeo4j(record.get('n')), linkCounts: countsOf(record) } : undefined;
}

function countsOf(record: Neo4jRecord): LinkCounts {
  const counts: LinkCounts = {};
  for (const type of record.get('out') as string[]) (counts[type] ??= { out: 0, in: 0 }).out++;
  for (const type of record.get('in') as string[]) (counts[type] ??= { out: 0, in: 0 }).in++;
  return counts;
}

export async function readNeighbours(tx: ManagedTransaction, id: string, query: NeighbourQuery): Promise<NeighbourPage> {
  const result = await tx.run(NEIGHBOURS[query.direction], {
    id,
    type: query.type ?? null,
    offset: int(query.offset ?? 0),
    limit: int(query.limit),
  });
  const record = result.records[0];
  if (!record) throw notFound(id);
  const links = (record.get('links') as unknown[]).map(linkFromNeo4j);
  const nodes = new Map<string, GraphNode>();
  for (const value of record.get('nodes') as unknown[]) {
    const node = toPlain(value) as GraphNode;
    if (!nodes.has(node.id)) nodes.set(node.id, node);
  }
  return { total: toPlain(record.get('total')) as number, links, nodes: [...nodes.values()] };
}

export async function readStats(tx: ManagedTransaction): Promise<GraphStats> {
  const nodes = Object.fromEntries(LABELS.map((label) => [label, 0])) as Record<Label, number>;
  const links = Object.fromEntries(LINK_TYPES.map((type) => [type, 0])) as Record<LinkType, number>;
  const quality = { nodesMissingKhmer: 0, nodesMissingEnglish: 0, linksWithoutSource: 0, draftLinks: 0 };
  const nodeRows = await tx.run(STATS_NODES, { labels: [...LABELS] });
  const linkRows = await tx.run(STATS_LINKS, { types: [...LINK_TYPES] });
  for (const record of nodeRows.records) {
    const row = toPlain(record.toObject()) as { label: Label | null; count: number; missingKhmer: number; missingEnglish: number };
    if (row.label) nodes[row.label] += row.count;
    quality.nodesMissingKhmer += row.missingKhmer;
    quality.nodesMissingEnglish += row.missingEnglish;
  }
  for (const record of linkRows.records) {
    const row = toPlain(record.toObject()) as { type: string; count: number; withoutSource: number; drafts: number };
    if (row.type in links) links[row.type as LinkType] += row.count;
    quality.linksWithoutSource += row.withoutSource;
    quality.draftLinks += row.drafts;
  }
  return { nodes, links, quality };
}

export async function readTraverse(tx: ManagedTransaction, start: string, query: TraverseQuery): Promise<Elements> {
  await requireNodes(tx, [start]);
  return breadthFirst(tx, start, query.depth, query.limit, query.direction, [...query.types], undefined);
}

export async function readSubgraph(tx: ManagedTransaction, query: SubgraphQuery): Promise<Elements> {
  const labels = query.labels && query.labels.length > 0 ? [...query.labels] : null;
  const types = query.types && query.types.length > 0 ? [...query.types] : null;
  if (query.around !== undefined) {
    await requireNodes(tx, [query.around]);
    return breadthFirst(tx, query.around, query.depth, query.limit, 'both', types, labels ? new Set(labels) : undefined);
  }
  const result = await tx.run(NODES_BY_ID, { labels, limit: int(query.limit + 1) });
  const all = result.records.map((record) => nodeFromNeo4j(record.get('n')));
  const nodes = all.slice(0, query.limit);
  const links = await linksAmong(tx, nodes.map((n) => n.id), types);
  return { nodes, links, truncated: all.length > query.limit };
}

/** `query.maxHops` is at most MAX_PATH_HOPS (the store checks it before it opens a transaction). */
export async function readShortestPaths(tx: ManagedTransaction, query: PathQuery): Promise<PathResult> {
  await requireNodes(tx, [query.from, query.to]);
  if (query.from === query.to) {
    return { paths: [{ nodes: [query.from], hops: [] }], nodes: await fetchNodes(tx, [query.from]), truncated: false };
  }
  if (query.maxHops < 1) return { paths: [], nodes: [], truncated: false };
  const result = await tx.run(SHORTEST_PATHS[query.maxHops]!, {
    from: query.from,
    to: query.to,
    types: query.types && query.types.length > 0 ? [...query.types] : [...LINK_TYPES],
    max: int(MAX_PATH_ROWS),
  });
  const found = result.records.map((record) => ({
    nodes: record.get('nodes') as string[],
    links: (record.get('links') as unknown[]).map(linkFromNeo4j),
  }));
  // A stable order, the embedded store's: by the sequence of link ids from `from` to `to`.
  found.sort((a, b) => compareIdSequences(a.links.map((l) => l.id), b.links.map((l) => l.id)));
  const paths: GraphPath[] = found.slice(0, query.limit).map(({ nodes, links }) => ({
    nodes,
    hops: links.map((link, i) => ({ link, forward: link.from === nodes[i] })),
  }));
  const onPaths = [...new Set(paths.flatMap((p) => p.nodes))];
  return { paths, nodes: inOrder(onPaths, await fetchNodes(tx, onPaths)), truncated: found.length > query.limit };
}

/**
 * One statement (LINEAGE_RECORDS): the walk's steps unrolled in Cypher, so one round trip whatever the depth.
 * `query.depth` is a whole number from 0 to MAX_LINEAGE_DEPTH (the store checks it before it opens a transaction).
 */
export async function readLineageRecords(tx: ManagedTransaction, id: string, query: LineageQuery): Promise<LineageRecords> {
  const result = await tx.run(LINEAGE_RECORDS[query.depth]!, {
    id,
    back: query.direction !== 'forward',
    forward: query.direction !== 'back',
    linksPerPage: int(query.linksPerPage),
    maxProgrammes: int(query.maxProgrammes),
    participantTypes: [...query.participantTypes],
  });
  // Every link comes with the node at its other end, so a node comes many times: converted once.
  const nodes = new Map<string, GraphNode>();
  const linksOf = (entries: { link: unknown; node: Node }[]) =>
    entries.map(({ link, node }) => {
      const nodeId = node.properties.id as string;
      if (!nodes.has(nodeId)) nodes.set(nodeId, nodeFromNeo4j(node));
      return linkFromNeo4j(link);
    });
  const records: LineageRecords = { start: undefined, pages: [], participants: [], nodes: [] };
  for (const record of result.records) {
    records.start ??= nodeFromNeo4j(record.get('start') as Node);
    const at = record.get('at') as string;
    if (record.get('expand') === true) {
      records.pages.push({
        at,
        succeedsOut: linksOf(record.get('succeedsOut')),
        succeedsIn: linksOf(record.get('succeedsIn')),
        partOf: linksOf(record.get('partOf')),
        supports: linksOf(record.get('supports')),
      });
    }
    records.participants.push({ at, links: linksOf(record.get('participants')) });
  }
  records.nodes = [...nodes.values()];
  return records;
}

export async function readAll(tx: ManagedTransaction): Promise<{ nodes: GraphNode[]; links: GraphLink[] }> {
  const nodes = await tx.run(EXPORT_NODES);
  const links = await tx.run(EXPORT_LINKS);
  return {
    nodes: nodes.records.map((record) => nodeFromNeo4j(record.get('n'))),
    links: links.records.map((record) => linkFromNeo4j(record.get('link'))),
  };
}

// -------------------------------------------------------------------------------------------- lookups and walks

/** The rows of `cypher` for `ids`, run once per READ_CHUNK of them (as `$ids`), each row read by `read`. */
export async function byChunks<T>(tx: ManagedTransaction, cypher: string, ids: readonly string[], read: (record: Neo4jRecord) => T): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunks(ids, READ_CHUNK)) {
    const result = await tx.run(cypher, { ids: part });
    for (const record of result.records) out.push(read(record));
  }
  return out;
}

export function fetchNodes(tx: ManagedTransaction, ids: readonly string[]): Promise<GraphNode[]> {
  return byChunks(tx, GET_NODES, ids, (record) => nodeFromNeo4j(record.get('n')));
}

export async function fetchLabels(tx: ManagedTransaction, ids: readonly string[]): Promise<Map<string, Label>> {
  const out = new Map<string, Label>();
  for (const part of chunks(ids, READ_CHUNK)) {
    const result = await tx.run(GET_NODE_LABELS, { ids: part });
    for (const record of result.records) {
      const label = labelOf(record.get('labels') as string[]);
      if (label) out.set(record.get('id') as string, label);
    }
  }
  return out;
}

export function fetchLinks(tx: ManagedTransaction, ids: readonly string[]): Promise<GraphLink[]> {
  return byChunks(tx, GET_LINKS, ids, (record) => linkFromNeo4j(record.get('link')));
}

/** NotFound for the first of `ids` (in order) that does not exist. */
export async function requireNodes(tx: ManagedTransaction, ids: readonly string[]): Promise<void> {
  const found = await fetchLabels(tx, ids);
  for (const id of ids) if (!found.has(id)) throw notFound(id);
}

async function linksAmong(tx: ManagedTransaction, ids: readonly string[], types: readonly LinkType[] | null): Promise<GraphLink[]> {
  if (ids.length === 0) return [];
  const result = await tx.run(LINKS_AMONG, { ids: [...ids], types: types ? [...types] : null });
  return result.records.map((record) => linkFromNeo4j(record.get('link')));
}

/**
 * Nodes within `depth` hops (closest first, link-id order), through links of `types` (all when null) to nodes
 * whose label passes `labels` (all when undefined); exactly the embedded store's breadth-first walk, one
 * statement per hop.
 */
async function breadthFirst(
  tx: ManagedTransaction,
  start: string,
  depth: number,
  limit: number,
  direction: Direction,
  types: LinkType[] | null,
  labels: Set<Label> | undefined,
): Promise<Elements> {
  const kept = new Set<string>([start]);
  let truncated = false;
  let frontier = [start];
  for (let hop = 1; hop <= depth && frontier.length > 0 && !truncated; hop++) {
    const result = await tx.run(EXPAND[direction], { ids: frontier, types });
    const byNode = new Map<string, { link: string; other: string; label: Label | undefined }[]>();
    for (const record of result.records) {
      push(byNode, record.get('at') as string, {
        link: record.get('link') as string,
        other: record.get('other') as string,
        label: labelOf(record.get('labels') as string[]),
      });
    }
    const next: string[] = [];
    for (const id of frontier) {
      const candidates = (byNode.get(id) ?? []).sort((a, b) => compareIds(a.link, b.link));
      for (const candidate of candidates) {
        if (kept.has(candidate.other)) continue;
        if (labels && (!candidate.label || !labels.has(candidate.label))) continue;
        if (kept.size >= limit) {
          truncated = true;
          break;
        }
        kept.add(candidate.other);
        next.push(candidate.other);
      }
      if (truncated) break;
    }
    frontier = next;
  }
  const ids = [...kept];
  const nodes = inOrder(ids, await fetchNodes(tx, ids));
  return { nodes, links: await linksAmong(tx, ids, types), truncated };
}

// -------------------------------------------------------------------------------------------- small helpers

export function notFound(id: string): NotFound {
  return new NotFound(`no node with id "${id}"`, { id });
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

function inOrder(ids: readonly string[], nodes: readonly GraphNode[]): GraphNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return ids.flatMap((id) => {
    const node = byId.get(id);
    return node ? [node] : [];
  });
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareIdSequences(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareIds(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}
