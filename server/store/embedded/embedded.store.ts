/**
 * The zero-setup store: the graph in memory (an adjacency graph), every write appended to an fsync'd journal
 * under DATA_DIR before it is acknowledged, and the journal compacted into a snapshot now and then. A journal
 * entry is the write's audit entry, so data and audit are one atomic append; the audit trail is kept on disk only
 * (the journal, then DATA_DIR/audit.ndjson after compaction), never in memory and never read at start.
 *
 * Writes go through the group commit (group-commit.ts): checked one at a time, appended in batches that share one
 * fsync, and taken into the graph only once durable. The audit trail is read by audit-reads.ts; the graph's reads
 * are graph-reads.ts.
 * Over 400 lines as one job: the GraphStore a data directory serves (load and upgrade, reads, search, stories,
 * compaction), each part delegated to its module; what is left is the wiring between them.
 */
import path from 'node:path';
import { DEFAULT_JOURNAL_COMPACT_ENTRIES } from '../../config.ts';
import { NotFound } from '../../domain/errors.ts';
import { SCHEMA_VERSION, type GraphLink, type GraphNode } from '../../schema/graph.schema.ts';
import { searchKey } from '../../search/search.ranking.ts';
import type {
  Actor,
  AuditEntry,
  AuditQuery,
  ChangeOptions,
  ChangeResult,
  GraphChange,
  Elements,
  PathQuery,
  PathResult,
  SubgraphQuery,
  TraverseQuery,
  GraphStats,
  GraphStore,
  HealthReport,
  LinkCounts,
  NeighbourPage,
  NodeDetails,
  NeighbourQuery,
  SearchHit,
  SearchQuery,
  WriteBatch,
  WriteResult,
} from '../graph-store.ts';
import type { Story } from '../../schema/story.schema.ts';
import type { StateReader } from '../change-plan.ts';
import { upsertByChanges } from '../upsert.ts';
import { FIRST_SCHEMA_VERSION, rewritesRecords, upgradeLink, upgradeNode, upgradesFrom } from '../schema-upgrades.ts';
import { AUDIT_LINE, AuditArchive } from './audit-archive.ts';
import { AuditReads } from './audit-reads.ts';
import { GroupCommit } from './group-commit.ts';
import { GraphReads } from './graph-reads.ts';
import {
  JournalWriter,
  acquireLock,
  lineIsWhole,
  opsOf,
  readJournal,
  readJournalLines,
  readSchemaVersion,
  readSnapshot,
  secureDataDir,
  writeSchemaVersion,
  writeSnapshot,
  SCHEMA_FILE,
  type JournalOp,
  type JournalSync,
} from './data-dir.ts';
import { AdjacencyGraph } from './adjacency-graph.ts';
import { NameKeyIndex } from './name-key-index.ts';
import { TrigramIndex } from './trigram-index.ts';

export interface EmbeddedStoreOptions {
  dataDir: string;
  /** Compact the journal into a snapshot after this many entries (default DEFAULT_JOURNAL_COMPACT_ENTRIES) … */
  compactEntries?: number;
  /** … or this many bytes (default 64 MB). */
  compactBytes?: number;
  log?: (line: string) => void;
  /** Wraps each fdatasync of a journal append (see JournalSync): for tests, which count, hold or fail them. */
  syncJournal?: JournalSync;
}

export class EmbeddedStore implements GraphStore {
  readonly kind = 'embedded' as const;
  private readonly graph = new AdjacencyGraph();
  /** The graph's reads (shared with the versions read from the audit trail, server/store/version-view.ts). */
  private readonly reads = new GraphReads(this.graph, (id) => new NotFound(`no node with id "${id}"`, { id }));
  private readonly index = new TrigramIndex();
  /** Name keys for the duplicate check, built with the search index. */
  private readonly names = new NameKeyIndex();
  /** While false (during load), node writes do not touch the search index; buildIndex() fills it afterwards. */
  private indexing = false;
  /** Resolves when the search index holds every node; searches wait for it. */
  private indexReady: Promise<void> = Promise.resolve();
  /** Stories (beside the graph, not in it), by id: durable ones only. */
  private readonly stories = new Map<string, Story>();
  private entriesSinceSnapshot = 0;
  private readonly commit: GroupCommit;
  private readonly audit: AuditReads;
  private readonly archive: AuditArchive;
  /** The schema version the data directory holds (recorded in schema.json). */
  private schema = SCHEMA_VERSION;

  private constructor(
    private readonly options: Required<Omit<EmbeddedStoreOptions, 'log' | 'syncJournal'>> &
      Pick<EmbeddedStoreOptions, 'log' | 'syncJournal'>,
    private readonly journal: JournalWriter,
    private readonly releaseLock: () => void,
  ) {
    this.archive = new AuditArchive(options.dataDir, options.log);
    this.audit = new AuditReads(options.dataDir, () => journal.bytes, this.archive, () => this.commit.closed);
    this.commit = new GroupCommit({
      append: (lines) => journal.append(lines),
      apply: (entry) => {
        for (const op of opsOf(entry)) this.applyOp(op);
      },
      afterBatch: async (entries) => {
        this.entriesSinceSnapshot += entries;
        if (this.entriesSinceSnapshot >= options.compactEntries || journal.bytes >= options.compactBytes) {
          await this.compact().catch((error: Error) => {
            // The journal still holds everything; compaction is retried after the next batch.
            options.log?.(`embedded store: compaction failed, will retry: ${error.message}`);
          });
        }
      },
      log: options.log,
    });
  }

  /**
   * Opens (or creates) the store in `dataDir`: takes the lock, loads snapshot + journal, and upgrades a folder
   * written by an older version of the model (see schema-upgrades.ts), recording the version it now holds.
   */
  static async open(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
    await secureDataDir(options.dataDir, options.log);
    const release = acquireLock(options.dataDir);
    try {
      const recorded = await readSchemaVersion(options.dataDir);
      const snapshot = await readSnapshot(options.dataDir);
      const journal = await readJournal(options.dataDir, snapshot?.seq ?? 0);
      const hasData = snapshot !== undefined || journal.journalValidBytes > 0 || journal.journalTornBytes > 0;
      const stored = recorded ?? (hasData ? FIRST_SCHEMA_VERSION : SCHEMA_VERSION);
      const steps = upgradesFrom(stored, path.join(options.dataDir, SCHEMA_FILE));
      const upgrade = (op: JournalOp): JournalOp =>
        steps.length === 0
          ? op
          : op.op === 'putNode'
            ? { op: 'putNode', node: upgradeNode(op.node, steps) }
            : op.op === 'putLink'
              ? { op: 'putLink', link: upgradeLink(op.link, steps) }
              : op;
      if (journal.journalTornBytes > 0) {
        options.log?.(
          journal.unfinishedBatch
            ? `embedded store: dropped the damaged rest of an unfinished last group commit (${journal.journalTornBytes} bytes, never acknowledged: a power cut?)`
            : `embedded store: dropped a torn last journal entry (${journal.journalTornBytes} bytes, never acknowledged)`,
        );
      }
      const writer = await JournalWriter.open(options.dataDir, journal.journalValidBytes, options.syncJournal);
      const store = new EmbeddedStore(
        { compactEntries: DEFAULT_JOURNAL_COMPACT_ENTRIES, compactBytes: 64 * 1024 * 1024, ...options },
        writer,
        release,
      );
      for (const node of snapshot?.nodes ?? []) store.applyOp(upgrade({ op: 'putNode', node }));
      for (const link of snapshot?.links ?? []) store.applyOp(upgrade({ op: 'putLink', link }));
      for (const story of snapshot?.stories ?? []) store.applyOp({ op: 'putStory', story });
      let seq = snapshot?.seq ?? 0;
      for (const entry of journal.entries) {
        for (const op of opsOf(entry)) store.applyOp(upgrade(op));
        seq = entry.seq;
      }
      store.commit.startAt(seq);
      store.entriesSinceSnapshot = journal.entries.length;
      store.schema = SCHEMA_VERSION;
      if (recorded !== SCHEMA_VERSION) {
        // Records rewritten by an upgrade are made durable in their new form before the new version is recorded.
        if (rewritesRecords(steps)) await store.compact();
        await writeSchemaVersion(options.dataDir, SCHEMA_VERSION);
        if (hasData) {
          options.log?.(`embedded store: upgraded ${options.dataDir} from schema version ${stored} to ${SCHEMA_VERSION}`);
        }
      }
      // The store serves reads and writes at once; search waits until the index is built in the background.
      store.indexReady = store.buildIndex();
      return store;
    } catch (error) {
      release();
      throw error;
    }
  }

  // ------------------------------------------------------------------------------------------ reads

  async health(): Promise<HealthReport> {
    if (this.commit.failure) return { ok: false, kind: this.kind, message: this.commit.failure.message };
    if (this.commit.closed) return { ok: false, kind: this.kind, message: 'the store is closed' };
    return { ok: true, kind: this.kind };
  }

  /** The seq of the newest durable entry: the graph in memory changes exactly when it does. */
  async graphVersion(): Promise<number> {
    return this.commit.seq;
  }

  async schemaVersion(): Promise<number> {
    return this.schema;
  }

  async countNodes(): Promise<number> {
    return this.graph.order;
  }

  getNode(id: string): Promise<GraphNode | undefined> {
    return this.reads.getNode(id);
  }

  getNodes(ids: readonly string[]): Promise<GraphNode[]> {
    return this.reads.getNodes(ids);
  }

  getLink(id: string): Promise<GraphLink | undefined> {
    return this.reads.getLink(id);
  }

  getLinks(ids: readonly string[]): Promise<GraphLink[]> {
    return this.reads.getLinks(ids);
  }

  linkCounts(id: string): Promise<LinkCounts> {
    return this.reads.linkCounts(id);
  }

  nodeDetails(id: string): Promise<NodeDetails | undefined> {
    return this.reads.nodeDetails(id);
  }

  neighbours(id: string, query: NeighbourQuery): Promise<NeighbourPage> {
    return this.reads.neighbours(id, query);
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    await this.indexReady;
    return this.reads.searchWith(this.index, query);
  }

  stats(): Promise<GraphStats> {
    return this.reads.stats();
  }

  traverse(start: string, query: TraverseQuery): Promise<Elements> {
    return this.reads.traverse(start, query);
  }

  subgraph(query: SubgraphQuery): Promise<Elements> {
    return this.reads.subgraph(query);
  }

  shortestPaths(query: PathQuery): Promise<PathResult> {
    return this.reads.shortestPaths(query);
  }

  exportAll(): Promise<{ nodes: GraphNode[]; links: GraphLink[] }> {
    return this.reads.exportAll();
  }

  // ------------------------------------------------------------------------------------------ writes

  async upsert(batch: WriteBatch, actor: Actor, options: Pick<ChangeOptions, 'onProgress'> = {}): Promise<WriteResult> {
    return upsertByChanges(this, batch, actor, options);
  }

  /** Checked and made durable by the group commit (group-commit.ts), against the graph with queued writes over it. */
  applyChanges(changes: readonly GraphChange[], options: ChangeOptions): Promise<ChangeResult> {
    return this.commit.write(changes, options, this.reader);
  }

  async getStory(id: string): Promise<Story | undefined> {
    return this.stories.get(id);
  }

  async listStories(): Promise<Story[]> {
    return [...this.stories.values()].sort(byId);
  }

  listAudit(query: AuditQuery): Promise<AuditEntry[]> {
    return this.audit.list(query);
  }

  getAudit(id: string): Promise<AuditEntry | undefined> {
    return this.audit.get(id);
  }

  async close(): Promise<void> {
    if (this.commit.closed) return;
    // Also after a failure: the journal is closed and the lock released, only the compaction is skipped.
    await this.commit.serialise(async () => {
      await this.commit.drain();
      if (this.entriesSinceSnapshot > 0 && !this.commit.failure) await this.compact();
      this.commit.closed = true;
      await this.journal.close();
      this.releaseLock();
    }, true);
  }

  /** Writes a snapshot of everything and starts an empty journal. */
  async compactNow(): Promise<void> {
    await this.commit.serialise(async () => {
      await this.commit.drain();
      await this.compact();
    });
  }

  // ------------------------------------------------------------------------------------------ internals

  /**
   * Builds the search index after start: keys are computed in slices, yielding to the event loop between them,
   * then packed in one pass. Writes meanwhile index their nodes themselves; a node changed after its key was
   * computed gets its key again before packing.
   */
  private async buildIndex(): Promise<void> {
    const ids = this.graph.nodeIds();
    this.indexing = true;
    const pairs: [string, string][] = [];
    const seen: GraphNode[] = [];
    const slice = 5000;
    for (let i = 0; i < ids.length; i += slice) {
      for (const id of ids.slice(i, i + slice)) {
        const node = this.graph.getNode(id);
        if (!node) continue;
        pairs.push([id, searchKey(node)]);
        seen.push(node);
        this.names.set(node);
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    for (let i = 0; i < pairs.length; i++) {
      const current = this.graph.getNode(pairs[i]![0]);
      if (current !== seen[i]) pairs[i]![1] = current ? searchKey(current) : '';
    }
    this.index.build(pairs);
  }

  /** Resolves when search is ready (the index is built in the background after open). */
  whenSearchReady(): Promise<void> {
    return this.indexReady;
  }

  /** A node as the next write sees it: as a queued write leaves it, else as in the graph. */
  private plannedNode(id: string): GraphNode | undefined {
    const pending = this.commit.pendingNodes.get(id);
    return pending ? (pending.record ?? undefined) : this.graph.getNode(id);
  }

  private plannedLink(id: string): GraphLink | undefined {
    const pending = this.commit.pendingLinks.get(id);
    return pending ? (pending.record ?? undefined) : this.graph.getLink(id);
  }

  /**
   * What the change planner reads: the in-memory graph with the records of queued writes over it, and the search
   * index (which holds durable nodes only) for names.
   */
  private readonly reader: StateReader = {
    nodes: async (ids) => ids.flatMap((id) => this.plannedNode(id) ?? []),
    labels: async (ids) => new Map(ids.flatMap((id) => {
      const node = this.plannedNode(id);
      return node ? [[id, node.label] as const] : [];
    })),
    links: async (ids) => ids.flatMap((id) => this.plannedLink(id) ?? []),
    stories: async (ids) =>
      ids.flatMap((id) => {
        const pending = this.commit.pendingStories.get(id);
        return (pending ? pending.record : this.stories.get(id)) ?? [];
      }),
    linksTouching: async (ids) => {
      const wanted = new Set(ids);
      // The graph's links at these nodes and every queued link, each as the queue leaves it (it may have moved).
      const candidates = new Set<string>(this.commit.pendingLinks.keys());
      for (const id of ids) for (const link of [...this.graph.outLinks(id), ...this.graph.inLinks(id)]) candidates.add(link.id);
      return [...candidates].flatMap((id) => {
        const link = this.plannedLink(id);
        return link && (wanted.has(link.from) || wanted.has(link.to)) ? [link] : [];
      });
    },
    nameCandidates: async (label, key) => {
      await this.indexReady;
      // Every node of the label with a name of this key, and every queued node of the label (a superset: the
      // planner compares names exactly).
      const found = new Map<string, GraphNode>();
      for (const id of this.names.find(label, key)) {
        if (this.commit.pendingNodes.has(id)) continue; // as queued: below
        const node = this.graph.getNode(id);
        if (node && node.label === label) found.set(id, node);
      }
      for (const { record } of this.commit.pendingNodes.values()) if (record && record.label === label) found.set(record.id, record);
      return [...found.values()];
    },
  };

  /**
   * Archives the journal's audit entries (appended to audit.ndjson, fsync'd), then writes a snapshot of the graph
   * and empties the journal. A crash between the steps loses nothing: see audit-archive.ts.
   */
  private async compact(): Promise<void> {
    const lines = await readJournalLines(this.options.dataDir, this.journal.bytes);
    await this.archive.append(lines.filter((line) => AUDIT_LINE.test(line) && lineIsWhole(line)));
    const { nodes, links } = await this.exportAll();
    await writeSnapshot(this.options.dataDir, { seq: this.commit.seq, nodes, links, stories: [...this.stories.values()].sort(byId) });
    await this.journal.reset();
    this.audit.journalReset();
    this.entriesSinceSnapshot = 0;
  }

  private applyOp(op: JournalOp): void {
    switch (op.op) {
      case 'putNode':
        this.graph.putNode(op.node);
        if (this.indexing) {
          this.index.set(op.node.id, searchKey(op.node));
          this.names.set(op.node);
        }
        return;
      case 'putLink':
        this.graph.putLink(op.link);
        return;
      case 'deleteLink':
        this.graph.deleteLink(op.id);
        return;
      case 'deleteNode':
        this.graph.deleteNode(op.id);
        this.index.delete(op.id);
        this.names.delete(op.id);
        return;
      case 'putStory':
        this.stories.set(op.story.id, op.story);
        return;
      case 'deleteStory':
        this.stories.delete(op.id);
        return;
    }
  }
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
