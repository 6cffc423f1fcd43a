/**
 * The production store: a Neo4j 5 database through neo4j-driver. One driver per process, a session per unit of
 * work (closed in `finally`), managed transactions whose functions only compute from what they read (so the
 * driver may run them twice), `database` on every session. This class opens the sessions and transactions; what
 * runs inside them is in modules of their own: the graph reads in neo4j.graph-reads.ts, search in neo4j.search.ts,
 * writes (the change planner's plan and the audit entry) in neo4j.writes.ts, the read-only Cypher console in
 * neo4j.console.ts. Every Cypher statement is in neo4j.cypher.ts; driver values are converted in neo4j.values.ts
 * and driver errors translated by code in neo4j.errors.ts; connecting (and migrating) is neo4j.connection.ts.
 *
 * The app keeps no state of its own here (no caches), so several app processes can share one database; when
 * Neo4j goes away, calls fail with `Unavailable` and work again once it is back (the driver reconnects).
 */
import neo4j, { type Driver, type ManagedTransaction, type Node, type Session } from 'neo4j-driver';
import { DeadlineExceeded, Invalid, Unavailable } from '../../domain/errors.ts';
import type { Story } from '../../schema/story.schema.ts';
import type { GraphLink, GraphNode } from '../../schema/graph.schema.ts';
import { parseQuery } from '../../search/search.ranking.ts';
import type {
  Actor,
  AuditEntry,
  AuditQuery,
  ChangeOptions,
  ChangeResult,
  CypherOptions,
  CypherResult,
  Elements,
  GraphChange,
  GraphStats,
  GraphStore,
  HealthReport,
  LineageQuery,
  LineageRecords,
  LinkCounts,
  NeighbourPage,
  NodeDetails,
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
import { upsertByChanges } from '../upsert.ts';
import { connectDriver, versionOf, type Neo4jStoreConfig } from './neo4j.connection.ts';
import { consoleError, consoleFetchSize, consoleQuery } from './neo4j.console.ts';
import { COUNT_NODES, GET_AUDIT, GET_STORIES, GRAPH_VERSION, LIST_AUDIT, LIST_STORIES, MAX_LINEAGE_DEPTH, MAX_PATH_HOPS, PING } from './neo4j.cypher.ts';
import { errorCode, translateError } from './neo4j.errors.ts';
import {
  fetchLinks,
  fetchNodes,
  readAll,
  readLineageRecords,
  readLinkCounts,
  readNeighbours,
  readShortestPaths,
  readNodeDetails,
  readStats,
  readSubgraph,
  readTraverse,
} from './neo4j.graph-reads.ts';
import { readSchemaVersion } from './neo4j.migrations.ts';
import { searchIn } from './neo4j.search.ts';
import { int, storyFromJson, toPlain } from './neo4j.values.ts';
import { applyChangesIn, readAuditEntries, readAuditEntry } from './neo4j.writes.ts';
import { BULK_LOAD_DEFAULTS, bulkEligible, bulkLoad } from './neo4j.bulk-load.ts';

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
    return (await this.getLinks([id]))[0];
  }

  async getLinks(ids: readonly string[]): Promise<GraphLink[]> {
    if (ids.length === 0) return [];
    return this.read((tx) => fetchLinks(tx, [...new Set(ids)]));
  }

  async linkCounts(id: string): Promise<LinkCounts> {
    return this.read((tx) => readLinkCounts(tx, id));
  }

  async nodeDetails(id: string): Promise<NodeDetails | undefined> {
    return this.read((tx) => readNodeDetails(tx, id));
  }

  async neighbours(id: string, query: NeighbourQuery): Promise<NeighbourPage> {
    return this.read((tx) => readNeighbours(tx, id, query));
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    const parsed = parseQuery(query.q);
    if (parsed.terms.length === 0) return [];
    return this.read((tx) => searchIn(tx, parsed, query));
  }

  async stats(): Promise<GraphStats> {
    return this.read((tx) => readStats(tx));
  }

  async traverse(start: string, query: TraverseQuery): Promise<Elements> {
    return this.read((tx) => readTraverse(tx, start, query));
  }

  async subgraph(query: SubgraphQuery): Promise<Elements> {
    return this.read((tx) => readSubgraph(tx, query));
  }

  async shortestPaths(query: PathQuery): Promise<PathResult> {
    if (query.maxHops > MAX_PATH_HOPS) {
      throw new Invalid(`maxHops must be at most ${MAX_PATH_HOPS}`, { parameter: 'maxHops' });
    }
    return this.read((tx) => readShortestPaths(tx, query));
  }

  async lineageRecords(id: string, query: LineageQuery): Promise<LineageRecords> {
    if (!Number.isInteger(query.depth) || query.depth < 0 || query.depth > MAX_LINEAGE_DEPTH) {
      throw new Invalid(`depth must be a whole number from 0 to ${MAX_LINEAGE_DEPTH}`, { parameter: 'depth' });
    }
    return this.read((tx) => readLineageRecords(tx, id, query));
  }

  async exportAll(): Promise<{ nodes: GraphNode[]; links: GraphLink[] }> {
    return this.read((tx) => readAll(tx));
  }

  // ------------------------------------------------------------------------------------------ writes

  async upsert(batch: WriteBatch, actor: Actor, options: Pick<ChangeOptions, 'onProgress'> = {}): Promise<WriteResult> {
    return upsertByChanges(this, batch, actor, options);
  }

  /** All or nothing: one write transaction (the write lock, the plan, the writes and the audit entry: neo4j.writes.ts) or a bulk load. */
  async applyChanges(changes: readonly GraphChange[], options: ChangeOptions): Promise<ChangeResult> {
    // A large write of new records into the empty database is a bulk load (neo4j.bulk-load.ts: search indexes
    // rebuilt after, transactions of measured size, the same audit entry); otherwise one write transaction.
    const sizes = this.config.bulkLoad ?? BULK_LOAD_DEFAULTS;
    if (bulkEligible(changes, sizes)) {
      const loaded = await this.unitOfWork('WRITE', (session) => bulkLoad(session, changes, options, sizes));
      if (loaded) return loaded;
    }
    return this.write((tx) => applyChangesIn(tx, changes, options));
  }

  // ------------------------------------------------------------------------------------------ stories and audit

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
    // The entries and their parts (a bulk load's: neo4j.writes.ts) are read in one transaction, the parts of every
    // entry of the page in one statement.
    return this.read(async (tx) => {
      const result = await tx.run(LIST_AUDIT, {
        editor: query.editor ?? null,
        since: query.since ?? null,
        before: query.before === undefined ? null : int(query.before),
        keys: query.entity ? auditKeysOf(query.entity) : null,
        limit: int(query.limit),
      });
      return readAuditEntries(tx, result.records.map((record) => record.get('e') as Node));
    });
  }

  async getAudit(id: string): Promise<AuditEntry | undefined> {
    return this.read(async (tx) => {
      const record = (await tx.run(GET_AUDIT, { id })).records[0];
      return record ? readAuditEntry(tx, record.get('e')) : undefined;
    });
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
