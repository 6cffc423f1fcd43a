/**
 * The production store: a Neo4j 5 database through neo4j-driver. One driver per process, a session per unit of
 * work (closed in `finally`), managed transactions whose functions only compute from what they read (so the
 * driver may run them twice), `database` on every session. Every Cypher statement is in neo4j.cypher.ts; driver
 * values are converted in neo4j.values.ts and driver errors translated by code in neo4j.errors.ts; connecting (and
 * migrating) is neo4j.connection.ts, the read-only Cypher console neo4j.console.ts.
 *
 * The app keeps no state of its own here (no caches), so several app processes can share one database; when
 * Neo4j goes away, calls fail with `Unavailable` and work again once it is back (the driver reconnects).
 */
import { randomUUID } from 'node:crypto';
import neo4j, { type Driver, type ManagedTransaction, type Node, type Record as Neo4jRecord, type ServerInfo, type Session } from 'neo4j-driver';
import { Conflict, CorruptData, DeadlineExceeded, DomainError, Invalid, NotFound, Unavailable } from '../../domain/errors.ts';
import type { Story } from '../../schema/story.schema.ts';
import { recordVersion } from '../record-compare.ts';
import {
  LABELS,
  LINK_TYPES,
  type GraphLink,
  type GraphNode,
  type Label,
  type LinkType,
} from '../../schema/graph.schema.ts';
import { cellBoost, searchByCells, TYPO_WORD_TOKEN } from '../../search/search-cells.ts';
import { addParents, addTypos, parseQuery, type ParsedQuery } from '../../search/search.ranking.ts';
import type {
  Actor,
  AuditChange,
  AuditEntry,
  AuditQuery,
  ChangeOptions,
  ChangeResult,
  CypherOptions,
  GraphChange,
  CypherResult,
  Direction,
  Elements,
  GraphPath,
  GraphStats,
  GraphStore,
  HealthReport,
  LineageQuery,
  LineageRecords,
  LinkCounts,
  NeighbourPage,
  NeighbourQuery,
  PathQuery,
  PathResult,
  SearchHit,
  SearchQuery,
  SubgraphQuery,
  TraverseQuery,
  WriteBatch,
  WriteResult,
} from '../graph-store.ts';
import { auditKeysOf } from '../audit-query.ts';
import { causalContext } from '../causal-context.ts';
import { planChanges, writeOrder, type StateReader } from '../change-plan.ts';
import { upsertByChanges } from '../upsert.ts';
import { connectDriver, versionOf, type Neo4jStoreConfig } from './neo4j.connection.ts';
import { consoleError, consoleFetchSize, consoleQuery } from './neo4j.console.ts';
import {
  COUNT_NODES,
  CREATE_AUDIT_ENTRY,
  DELETE_LINKS,
  DELETE_NODES,
  GET_AUDIT,
  LINKS_TOUCHING,
  LIST_AUDIT,
  NAME_CANDIDATES,
  TAKE_WRITE_LOCK,
  GRAPH_VERSION,
  EXPAND,
  EXPORT_LINKS,
  EXPORT_NODES,
  GET_LINKS,
  GET_NODES,
  GET_NODE_LABELS,
  LINEAGE_RECORDS,
  LINKS_AMONG,
  LINK_COUNTS,
  MAX_LINEAGE_DEPTH,
  MAX_PATH_HOPS,
  NEIGHBOURS,
  NODES_BY_ID,
  PING,
  SEARCH_BY_CELLS,
  SEARCH_BY_CELLS_TOP,
  SEARCH_CANDIDATES_FULLTEXT,
  SEARCH_PARENTS,
  SEARCH_CANDIDATES_TEXT,
  SEARCH_TYPO_CANDIDATES,
  SHORTEST_PATHS,
  STATS_LINKS,
  STATS_NODES,
  UPSERT_LINKS,
  UPSERT_NODES,
  CREATE_LINKS,
  CREATE_NODES,
  DELETE_STORIES,
  GET_STORIES,
  LIST_STORIES,
  PUT_STORIES,
} from './neo4j.cypher.ts';
import { errorCode, translateError } from './neo4j.errors.ts';
import { readSchemaVersion } from './neo4j.migrations.ts';
import { BULK_LOAD_DEFAULTS, bulkEligible, bulkLoad } from './neo4j.bulk-load.ts';
import {
  auditFromNeo4j,
  auditToProps,
  int,
  labelOf,
  linkFromNeo4j,
  linkToRow,
  nameKeyNeedle,
  nodeFromNeo4j,
  nodeToRow,
  toPlain,
} from './neo4j.values.ts';

/** Rows per UNWIND statement inside one write transaction (1,000 and 5,000 loaded 20k records equally fast). */
const WRITE_CHUNK = 1000;
/** Ids per lookup statement. */
const READ_CHUNK = 1000;
/** How many search candidates are ranked at most (as in the embedded store). */
const MAX_SEARCH_CANDIDATES = 5000;
/** Shortest paths read at most before sorting; beyond this the order of the returned ones is not guaranteed. */
const MAX_PATH_ROWS = 10_000;
export type { Neo4jStoreConfig } from './neo4j.connection.ts';

type Log = (line: string) => void;

export class Neo4jStore implements GraphStore {
  readonly kind = 'neo4j' as const;
  private closed = false;

  /** Bookmarks of this process's transactions, so that each unit of work sees the ones before it (causal chain). */
  private readonly bookmarkManager = neo4j.bookmarkManager();

  private constructor(
    private readonly driver: Driver,
    private readonly config: Neo4jStoreConfig,
  ) {}

  /**
   * Connects (waiting up to `connectTimeoutMs` for Neo4j to be reachable and accept the credentials), applies
   * the schema migrations, and returns the store. Throws `Unavailable` with one line naming the URI and the cause.
   */
  static async connect(config: Neo4jStoreConfig, log: Log = () => {}): Promise<Neo4jStore> {
    return new Neo4jStore(await connectDriver(config, log), config);
  }


  // ------------------------------------------------------------------------------------------ reads

  async schemaVersion(): Promise<number> {
    return (await readSchemaVersion(this.driver, this.config.database)) ?? 0;
  }

  async health(): Promise<HealthReport> {
    if (this.closed) return { ok: false, kind: this.kind, message: 'the store is closed' };
    try {
      const info = await this.driver.getServerInfo({ database: this.config.database });
      await this.read((tx) => tx.run(PING));
      return { ok: true, kind: this.kind, version: versionOf(info) };
    } catch (error) {
      const translated = translateError(error, this.config.uri, this.config.database);
      const message = translated instanceof Error ? translated.message : String(translated);
      return { ok: false, kind: this.kind, message };
    }
  }

  async graphVersion(): Promise<number> {
    const result = await this.read((tx) => tx.run(GRAPH_VERSION));
    return toPlain(result.records[0]?.get('version') ?? 0) as number;
  }

  async countNodes(): Promise<number> {
    const result = await this.read((tx) => tx.run(COUNT_NODES));
    return toPlain(result.records[0]?.get('count') ?? 0) as number;
  }

  async getNode(id: string): Promise<GraphNode | undefined> {
    return (await this.getNodes([id]))[0];
  }

  async getNodes(ids: readonly string[]): Promise<GraphNode[]> {
    if (ids.length === 0) return [];
    return this.read((tx) => fetchNodes(tx, [...new Set(ids)]));
  }

  async getLink(id: string): Promise<GraphLink | undefined> {
    const links = await this.read((tx) => fetchLinks(tx, [id]));
    return links[0];
  }

  async linkCounts(id: string): Promise<LinkCounts> {
    const result = await this.read((tx) => tx.run(LINK_COUNTS, { id }));
    const record = result.records[0];
    if (!record) throw notFound(id);
    const counts: LinkCounts = {};
    for (const type of record.get('out') as string[]) (counts[type] ??= { out: 0, in: 0 }).out++;
    for (const type of record.get('in') as string[]) (counts[type] ??= { out: 0, in: 0 }).in++;
    return counts;
  }

  async neighbours(id: string, query: NeighbourQuery): Promise<NeighbourPage> {
    const result = await this.read((tx) =>
      tx.run(NEIGHBOURS[query.direction], {
        id,
        type: query.type ?? null,
        offset: int(query.offset ?? 0),
        limit: int(query.limit),
      }),
    );
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

  async search(query: SearchQuery): Promise<SearchHit[]> {
    const parsed = parseQuery(query.q);
    if (parsed.terms.length === 0) return [];
    const labels = query.labels && query.labels.length > 0 ? [...query.labels] : null;
    // The best cells first (search-cells.ts); the full candidate set only when they cannot decide (a Latin phrase
    // that starts inside a word, words in another order); typo matches when too few; their areas' parents: one
    // read transaction, one statement each.
    return this.read(async (tx) => {
      const exact = await searchByCells(
        parsed,
        query.limit,
        async (bands, rows) => {
          const queries = bands.map((cells) => cells.map((cell) => `${escapeLucene(cell.prefix)}*^${cellBoost(cell)}`).join(' OR '));
          const result = await (labels ? tx.run(SEARCH_BY_CELLS, { queries, labels, maxRows: int(rows) }) : tx.run(SEARCH_BY_CELLS_TOP, { queries, maxRows: int(rows) }));
          return result.records.map((record) => ({ ...keyed(record), band: toPlain(record.get('band')) as number, score: record.get('score') as number }));
        },
        () => searchCandidates(tx, parsed, labels),
      );
      const hits = await addTypos(exact, parsed, query.limit, async (terms) => {
        const fuzzy = terms.map((term) => `${escapeLucene(TYPO_WORD_TOKEN + term)}~1`).join(' OR ');
        return (await tx.run(SEARCH_TYPO_CANDIDATES, { query: fuzzy, labels, max: int(MAX_SEARCH_CANDIDATES) })).records.map(keyed);
      });
      const areas = hits.filter((hit) => hit.label === 'AdminArea').map((hit) => hit.id);
      const links = new Map<string, { linkId: string; parent: GraphNode }[]>();
      if (areas.length > 0) {
        for (const record of (await tx.run(SEARCH_PARENTS, { ids: areas })).records) {
          const id = record.get('id') as string;
          links.set(id, [...(links.get(id) ?? []), { linkId: record.get('linkId') as string, parent: toPlain(record.get('p')) as GraphNode }]);
        }
      }
      return addParents(hits, async (ids) => new Map(ids.map((id) => [id, links.get(id) ?? []])));
    });
  }

  async stats(): Promise<GraphStats> {
    const nodes = Object.fromEntries(LABELS.map((label) => [label, 0])) as Record<Label, number>;
    const links = Object.fromEntries(LINK_TYPES.map((type) => [type, 0])) as Record<LinkType, number>;
    const quality = { nodesMissingKhmer: 0, nodesMissingEnglish: 0, linksWithoutSource: 0, draftLinks: 0 };
    const [nodeRows, linkRows] = await this.read(async (tx) => [
      await tx.run(STATS_NODES, { labels: [...LABELS] }),
      await tx.run(STATS_LINKS, { types: [...LINK_TYPES] }),
    ]);
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

  async traverse(start: string, query: TraverseQuery): Promise<Elements> {
    return this.read(async (tx) => {
      await requireNodes(tx, [start]);
      return breadthFirst(tx, start, query.depth, query.limit, query.direction, [...query.types], undefined);
    });
  }

  async subgraph(query: SubgraphQuery): Promise<Elements> {
    const labels = query.labels && query.labels.length > 0 ? [...query.labels] : null;
    const types = query.types && query.types.length > 0 ? [...query.types] : null;
    return this.read(async (tx) => {
      if (query.around !== undefined) {
        await requireNodes(tx, [query.around]);
        return breadthFirst(tx, query.around, query.depth, query.limit, 'both', types, labels ? new Set(labels) : undefined);
      }
      const result = await tx.run(NODES_BY_ID, { labels, limit: int(query.limit + 1) });
      const all = result.records.map((record) => nodeFromNeo4j(record.get('n')));
      const nodes = all.slice(0, query.limit);
      const links = await linksAmong(tx, nodes.map((n) => n.id), types);
      return { nodes, links, truncated: all.length > query.limit };
    });
  }

  async shortestPaths(query: PathQuery): Promise<PathResult> {
    if (query.maxHops > MAX_PATH_HOPS) {
      throw new Invalid(`maxHops must be at most ${MAX_PATH_HOPS}`, { parameter: 'maxHops' });
    }
    return this.read(async (tx) => {
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
    });
  }

  /** One statement (LINEAGE_RECORDS): the walk's steps unrolled in Cypher, so one round trip whatever the depth. */
  async lineageRecords(id: string, query: LineageQuery): Promise<LineageRecords> {
    if (!Number.isInteger(query.depth) || query.depth < 0 || query.depth > MAX_LINEAGE_DEPTH) {
      throw new Invalid(`depth must be a whole number from 0 to ${MAX_LINEAGE_DEPTH}`, { parameter: 'depth' });
    }
    const result = await this.read((tx) =>
      tx.run(LINEAGE_RECORDS[query.depth]!, {
        id,
        back: query.direction !== 'forward',
        forward: query.direction !== 'back',
        linksPerPage: int(query.linksPerPage),
        maxProgrammes: int(query.maxProgrammes),
        participantTypes: [...query.participantTypes],
      }),
    );
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

  async exportAll(): Promise<{ nodes: GraphNode[]; links: GraphLink[] }> {
    return this.read(async (tx) => {
      const nodes = await tx.run(EXPORT_NODES);
      const links = await tx.run(EXPORT_LINKS);
      return {
        nodes: nodes.records.map((record) => nodeFromNeo4j(record.get('n'))),
        links: links.records.map((record) => linkFromNeo4j(record.get('link'))),
      };
    });
  }

  // ------------------------------------------------------------------------------------------ writes

  async upsert(batch: WriteBatch, actor: Actor, options: Pick<ChangeOptions, 'onProgress'> = {}): Promise<WriteResult> {
    return upsertByChanges(this, batch, actor, options);
  }

  /**
   * A large write of new records into the empty database is a bulk load (neo4j.bulk-load.ts: search indexes
   * rebuilt after, transactions of measured size, same audit entry). Otherwise
   * one write transaction: the write lock first (so writes of every app process on this database are applied one
   * after another and checks see each other), then the plan from what the transaction reads, the writes, and the
   * audit entry. All or nothing; the function only computes from what it reads, so the driver may run it twice.
   */
  async applyChanges(changes: readonly GraphChange[], options: ChangeOptions): Promise<ChangeResult> {
    const sizes = this.config.bulkLoad ?? BULK_LOAD_DEFAULTS;
    if (bulkEligible(changes, sizes)) {
      const loaded = await this.unitOfWork('WRITE', (session) => bulkLoad(session, changes, options, sizes));
      if (loaded) return loaded;
    }
    return this.write(async (tx) => {
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
      const entry: AuditEntry = {
        id: randomUUID(),
        seq,
        at,
        by: options.actor.name,
        action: options.action,
        ...(options.revertOf ? { revert_of: options.revertOf } : {}),
        changes: plan.changes,
      };
      await tx.run(CREATE_AUDIT_ENTRY, { props: auditToProps(entry) });
      return { entry, ...counts };
    });
  }

  async getStory(id: string): Promise<Story | undefined> {
    const result = await this.read((tx) => tx.run(GET_STORIES, { ids: [id] }));
    const record = result.records[0];
    return record ? storyFromJson(record.get('json')) : undefined;
  }

  async listStories(): Promise<Story[]> {
    const result = await this.read((tx) => tx.run(LIST_STORIES));
    return result.records.map((record) => storyFromJson(record.get('json')));
  }

  async listAudit(query: AuditQuery): Promise<AuditEntry[]> {
    const result = await this.read((tx) =>
      tx.run(LIST_AUDIT, {
        editor: query.editor ?? null,
        since: query.since ?? null,
        before: query.before === undefined ? null : int(query.before),
        keys: query.entity ? auditKeysOf(query.entity) : null,
        limit: int(query.limit),
      }),
    );
    return result.records.map((record) => auditFromNeo4j(record.get('e')));
  }

  async getAudit(id: string): Promise<AuditEntry | undefined> {
    const result = await this.read((tx) => tx.run(GET_AUDIT, { id }));
    const record = result.records[0];
    return record ? auditFromNeo4j(record.get('e')) : undefined;
  }

  // ------------------------------------------------------------------------------------------ Cypher console

  /** A signed-in editor's read-only query, in one session: the gate and the read are in neo4j.console.ts. */
  async cypher(query: string, params: Record<string, unknown>, options: CypherOptions): Promise<CypherResult> {
    try {
      return await this.unitOfWork('READ', (session) => consoleQuery(session, query, params, options, this.config.database), {
        fetchSize: consoleFetchSize(options),
      });
    } catch (error) {
      throw consoleError(error, options.timeoutMs);
    }
  }


  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.driver.close();
  }

  // ------------------------------------------------------------------------------------------ units of work

  private read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const timeout = this.config.readTimeoutMs;
    return this.unitOfWork('READ', (session) =>
      session.executeRead(work, timeout === undefined ? undefined : { timeout }).catch((error: unknown) => {
        if (errorCode(error)?.startsWith('Neo.ClientError.Transaction.TransactionTimedOut')) {
          throw new DeadlineExceeded(`this read ran longer than ${timeout! / 1000} s (HEAVY_READ_TIMEOUT_MS) and Neo4j stopped it`, { timeoutMs: timeout });
        }
        throw error;
      }),
    );
  }

  private write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return this.unitOfWork('WRITE', (session) => session.executeWrite(work));
  }

  /** One session for one unit of work, closed in `finally`; driver errors translated by code. */
  private async unitOfWork<T>(
    mode: 'READ' | 'WRITE',
    work: (session: Session) => Promise<T>,
    extra: { fetchSize?: number } = {},
  ): Promise<T> {
    if (this.closed) throw new Unavailable('the store is closed');
    const causal = causalContext();
    let session: Session | undefined;
    try {
      session = this.driver.session({
        ...extra,
        database: this.config.database,
        defaultAccessMode: mode,
        // This process's own writes (a process reads what it wrote, on whichever cluster member) and the writes the
        // client says it has seen (the Neo4j-Bookmark request header): Neo4j waits until they are applied.
        bookmarkManager: this.bookmarkManager,
        ...(causal && causal.after.length > 0 ? { bookmarks: [...causal.after] } : {}),
      });
      const result = await work(session);
      // Back to the client in the Neo4j-Bookmark response header; the last write of a request covers the earlier ones.
      if (mode === 'WRITE' && causal) causal.written.splice(0, causal.written.length, ...session.lastBookmarks());
      return result;
    } catch (error) {
      throw translateError(error, this.config.uri, this.config.database);
    } finally {
      await session?.close().catch(() => undefined);
    }
  }
}

// -------------------------------------------------------------------------------------------- inside transactions

async function fetchNodes(tx: ManagedTransaction, ids: readonly string[]): Promise<GraphNode[]> {
  const out: GraphNode[] = [];
  for (const part of chunks(ids, READ_CHUNK)) {
    const result = await tx.run(GET_NODES, { ids: part });
    for (const record of result.records) out.push(nodeFromNeo4j(record.get('n')));
  }
  return out;
}

async function fetchLabels(tx: ManagedTransaction, ids: readonly string[]): Promise<Map<string, Label>> {
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

async function fetchLinks(tx: ManagedTransaction, ids: readonly string[]): Promise<GraphLink[]> {
  const out: GraphLink[] = [];
  for (const part of chunks(ids, READ_CHUNK)) {
    const result = await tx.run(GET_LINKS, { ids: part });
    for (const record of result.records) out.push(linkFromNeo4j(record.get('link')));
  }
  return out;
}

/** NotFound for the first of `ids` (in order) that does not exist. */
async function requireNodes(tx: ManagedTransaction, ids: readonly string[]): Promise<void> {
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

/** What the change planner reads, inside the write transaction (after the write lock). */
function stateReader(tx: ManagedTransaction): StateReader {
  return {
    nodes: (ids) => fetchNodes(tx, ids),
    labels: (ids) => fetchLabels(tx, ids),
    links: (ids) => fetchLinks(tx, ids),
    linksTouching: async (ids) => {
      const out: GraphLink[] = [];
      for (const part of chunks(ids, READ_CHUNK)) {
        const result = await tx.run(LINKS_TOUCHING, { ids: part });
        for (const record of result.records) out.push(linkFromNeo4j(record.get('link')));
      }
      return out;
    },
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

// -------------------------------------------------------------------------------------------- small helpers

/** A story as stored: one JSON string (a story's steps are a list of objects, which Neo4j properties cannot hold). */
function storyFromJson(json: unknown): Story {
  try {
    return JSON.parse(json as string) as Story;
  } catch (error) {
    throw new CorruptData(`a Neo4j story cannot be read back: ${(error as Error).message}`);
  }
}

function notFound(id: string): NotFound {
  return new NotFound(`no node with id "${id}"`, { id });
}

async function expectCount(pending: Promise<{ records: { get(key: string): unknown }[] }>, key: string, expected: number): Promise<void> {
  const result = await pending;
  const count = toPlain(result.records[0]?.get(key) ?? 0) as number;
  if (count !== expected) {
    // A node or link went away between our checks and our write (another process): refuse, roll back.
    throw new Conflict(`the graph changed during the write (${count} of ${expected} records ${key}); try again`);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
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

/** A search row (what ranking reads of a node: SEARCH_BY_CELLS and the others) with its stored search key. */
function keyed(record: Neo4jRecord): { node: GraphNode; key: string } {
  const node = { ...(toPlain(record.get('n')) as Record<string, unknown>), label: labelOf(record.get('labels') as string[]) } as GraphNode & { search: string };
  return { node, key: node.search };
}

/**
 * Every node whose key holds every term (at most MAX_SEARCH_CANDIDATES), from the TEXT index; the full-text index
 * adds word-prefix matches (which rank well) only when that many cut the TEXT index's answer short.
 */
async function searchCandidates(tx: ManagedTransaction, parsed: ParsedQuery, labels: string[] | null): Promise<{ node: GraphNode; key: string }[]> {
  const longest = [...parsed.terms].sort((a, b) => b.length - a.length)[0]!;
  const found = new Map<string, { node: GraphNode; key: string }>();
  const text = await tx.run(SEARCH_CANDIDATES_TEXT, { term: longest, terms: parsed.terms, labels, max: int(MAX_SEARCH_CANDIDATES) });
  for (const record of text.records) {
    const row = keyed(record);
    found.set(row.node.id, row);
  }
  if (text.records.length < MAX_SEARCH_CANDIDATES) return [...found.values()];
  const lucene = parsed.terms.map((term) => `${escapeLucene(term)}*`).join(' AND ');
  const fulltext = await tx.run(SEARCH_CANDIDATES_FULLTEXT, { query: lucene, labels, max: int(MAX_SEARCH_CANDIDATES) });
  for (const record of fulltext.records) {
    const row = keyed(record);
    if (!found.has(row.node.id)) found.set(row.node.id, row);
  }
  return [...found.values()];
}

/** Lucene query syntax: every special character escaped, so user text is only ever terms. */
function escapeLucene(term: string): string {
  return term.replace(/[+\-!(){}[\]^"~*?:\\/&|]/g, '\\$&');
}
