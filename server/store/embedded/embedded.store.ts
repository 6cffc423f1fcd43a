/**
 * The zero-setup store: the graph in memory (an adjacency graph), every write appended to an fsync'd journal
 * under DATA_DIR before it is acknowledged, and the journal compacted into a snapshot now and then. A journal
 * entry is the write's audit entry, so data and audit are one atomic append; the audit trail is kept on disk only
 * (the journal, then DATA_DIR/audit.ndjson after compaction), never in memory and never read at start.
 *
 * Group commit: writes are checked one at a time, in arrival order, and each becomes its journal line at once; the
 * lines that queue up while an fsync is in flight are appended together and share the next one. A write is checked
 * against the graph as the writes queued before it leave it (their records wait in `pendingNodes` / `pendingLinks`),
 * but the graph itself, which every read sees, only takes a batch once its fsync has completed: reads see only
 * durable data, as before, and a failed fsync has nothing in memory to undo.
 */
import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_JOURNAL_COMPACT_ENTRIES } from '../../config.ts';
import { NotFound, Unavailable } from '../../domain/errors.ts';
import {
  LABELS,
  LINK_TYPES,
  SCHEMA_VERSION,
  type GraphLink,
  type GraphNode,
  type Label,
  type LinkType,
} from '../../schema/graph.schema.ts';
import { addParents, addTypos, parseQuery, rankKeyed, searchKey } from '../../search/search.ranking.ts';
import { hasKhmer } from '../../search/text-normalise.ts';
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
  NeighbourQuery,
  SearchHit,
  SearchQuery,
  WriteBatch,
  WriteResult,
} from '../graph-store.ts';
import type { Story } from '../../schema/story.schema.ts';
import { planChanges, type StateReader } from '../change-plan.ts';
import { upsertByChanges } from '../upsert.ts';
import { auditMatches } from '../audit-query.ts';
import { FIRST_SCHEMA_VERSION, rewritesRecords, upgradeLink, upgradeNode, upgradesFrom } from '../schema-upgrades.ts';
import { AUDIT_LINE, AuditArchive } from './audit-archive.ts';
import { GraphReads } from './graph-reads.ts';
import {
  JournalTailUnknown,
  JournalWriter,
  acquireLock,
  decodeLine,
  encodeAuditEntry,
  ioErrorCode,
  isAuditEntry,
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

/** A write checked and encoded, waiting for the fsync that covers its line. */
interface QueuedEntry {
  entry: AuditEntry;
  durable: () => void;
  failed: (error: Error) => void;
}

/** The newest version of a record written by a queued entry (null: deleted), and that entry's seq. */
interface PendingRecord<T> {
  record: T | null;
  seq: number;
}

/** How many search candidates are ranked at most; enough that the best are always among them. */
const MAX_SEARCH_CANDIDATES = 5000;

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
  /** The seq of the newest durable entry: the one the graph in memory is at. */
  private seq = 0;
  /** The seq of the newest entry checked, durable or queued: the next write gets the one after. */
  private plannedSeq = 0;
  private entriesSinceSnapshot = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** Entries checked and waiting for the next journal append, oldest first. */
  private queued: QueuedEntry[] = [];
  /** The loop that appends queued entries batch by batch, while it runs. */
  private flushing: Promise<void> | undefined;
  /** Records of queued (and in-flight) entries: what the next write is checked against, before the graph. */
  private readonly pendingNodes = new Map<string, PendingRecord<GraphNode>>();
  private readonly pendingLinks = new Map<string, PendingRecord<GraphLink>>();
  private readonly pendingStories = new Map<string, PendingRecord<Story>>();
  /** Stories (beside the graph, not in it), by id: durable ones only. */
  private readonly stories = new Map<string, Story>();
  /**
   * Settles when every entry checked so far is durable; rejects when one of them failed. A write that changed
   * nothing, or was refused, was checked against those entries and is answered only when this settles.
   */
  private allPlannedDurable: Promise<void> = Promise.resolve();
  /** Incremented when a failed append drops the queued entries, voiding any check made against them. */
  private planEpoch = 0;
  private closed = false;
  private failure: Error | undefined;
  /** Incremented whenever the journal is emptied, so that a reader of the journal file can tell it changed. */
  private journalGeneration = 0;
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
      store.seq = snapshot?.seq ?? 0;
      for (const entry of journal.entries) {
        for (const op of opsOf(entry)) store.applyOp(upgrade(op));
        store.seq = entry.seq;
      }
      store.plannedSeq = store.seq;
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
    if (this.failure) return { ok: false, kind: this.kind, message: this.failure.message };
    if (this.closed) return { ok: false, kind: this.kind, message: 'the store is closed' };
    return { ok: true, kind: this.kind };
  }

  /** The seq of the newest durable entry: the graph in memory changes exactly when it does. */
  async graphVersion(): Promise<number> {
    return this.seq;
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

  linkCounts(id: string): Promise<LinkCounts> {
    return this.reads.linkCounts(id);
  }

  neighbours(id: string, query: NeighbourQuery): Promise<NeighbourPage> {
    return this.reads.neighbours(id, query);
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    await this.indexReady;
    const parsed = parseQuery(query.q);
    if (parsed.terms.length === 0) return [];
    const labels = query.labels && query.labels.length > 0 ? new Set<Label>(query.labels) : undefined;
    const withLabels = (found: { id: string; key: string }[]) => {
      const candidates: { node: GraphNode; key: string }[] = [];
      for (const { id, key } of found) {
        const node = this.graph.getNode(id)!;
        if (!labels || labels.has(node.label)) candidates.push({ node, key });
      }
      return candidates;
    };
    const hits = rankKeyed(withLabels(this.index.candidates(parsed, MAX_SEARCH_CANDIDATES)), parsed, query.limit);
    const withTypos = await addTypos(hits, parsed, query.limit, async (terms) => withLabels(this.index.typoCandidates(terms, MAX_SEARCH_CANDIDATES)));
    return addParents(withTypos, async (ids) => {
      const out = new Map<string, { linkId: string; parent: GraphNode }[]>();
      for (const id of ids) {
        const parents: { linkId: string; parent: GraphNode }[] = [];
        for (const link of this.graph.outLinks(id)) {
          const parent = link.type === 'PART_OF' ? this.graph.getNode(link.to) : undefined;
          if (parent?.label === 'AdminArea') parents.push({ linkId: link.id, parent });
        }
        out.set(id, parents);
      }
      return out;
    });
  }

  async stats(): Promise<GraphStats> {
    const nodes = Object.fromEntries(LABELS.map((label) => [label, 0])) as Record<Label, number>;
    const links = Object.fromEntries(LINK_TYPES.map((type) => [type, 0])) as Record<LinkType, number>;
    const quality = { nodesMissingKhmer: 0, nodesMissingEnglish: 0, linksWithoutSource: 0, draftLinks: 0 };
    for (const node of this.graph.nodes()) {
      nodes[node.label]++;
      if (!node.name_km || !hasKhmer(node.name_km)) quality.nodesMissingKhmer++;
      if (!node.name_en?.trim()) quality.nodesMissingEnglish++;
    }
    for (const link of this.graph.links()) {
      links[link.type]++;
      if (!link.sources || link.sources.length === 0) quality.linksWithoutSource++;
      if (link.draft) quality.draftLinks++;
    }
    return { nodes, links, quality };
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

  /**
   * Checked under the write queue against the graph as the writes before it leave it, then queued for the next
   * journal append; answered once it is durable. A write that changes nothing, or is refused, is answered once the
   * writes it was checked against are durable: no answer rests on a write that might still be lost.
   */
  async applyChanges(changes: readonly GraphChange[], options: ChangeOptions): Promise<ChangeResult> {
    let checkedAgainst: Promise<void> = Promise.resolve();
    try {
      const { result, durable } = await this.serialise(async () => {
        checkedAgainst = this.allPlannedDurable;
        const epoch = this.planEpoch;
        const at = new Date().toISOString();
        const plan = await planChanges(changes, { by: options.actor.name, at }, this.reader);
        const counts = { created: plan.created, updated: plan.updated, deleted: plan.deleted, unchanged: plan.unchanged };
        if (plan.changes.length === 0) return { result: { entry: undefined, ...counts }, durable: checkedAgainst };
        if (epoch !== this.planEpoch) {
          // An append failed while this write was being checked: it may rest on records that are gone.
          throw new Unavailable('a write queued before this one could not be made durable; nothing of this one was kept');
        }
        const entry: AuditEntry = {
          seq: this.plannedSeq + 1,
          id: randomUUID(),
          at,
          by: options.actor.name,
          action: options.action,
          ...(options.revertOf ? { revert_of: options.revertOf } : {}),
          changes: plan.changes,
        };
        return { result: { entry, ...counts }, durable: this.enqueue(entry) };
      });
      // Its own entry durable means every entry before it is (batches go in order; a failure drops all later).
      await durable;
      const written = result.entry?.changes.length ?? 0;
      if (written > 0) options.onProgress?.(written, written);
      return result;
    } catch (error) {
      // A refusal was checked against the queued writes too; if one of those failed, that failure is the answer.
      await checkedAgainst;
      throw error;
    }
  }

  async getStory(id: string): Promise<Story | undefined> {
    return this.stories.get(id);
  }

  async listStories(): Promise<Story[]> {
    return [...this.stories.values()].sort(byId);
  }

  async listAudit(query: AuditQuery): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    if (query.limit <= 0) return out;
    for await (const entry of this.auditNewestFirst()) {
      if (query.before !== undefined && entry.seq >= query.before) continue;
      // Entries come in commit order, and `at` grows with it: nothing older can match.
      if (query.since !== undefined && entry.at < query.since) break;
      if (!auditMatches(entry, query)) continue;
      out.push(entry);
      if (out.length >= query.limit) break;
    }
    return out;
  }

  async getAudit(id: string): Promise<AuditEntry | undefined> {
    for await (const entry of this.auditNewestFirst(id)) if (entry.id === id) return entry;
    return undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Also after a failure: the journal is closed and the lock released, only the compaction is skipped.
    await this.serialise(async () => {
      await this.drain();
      if (this.entriesSinceSnapshot > 0 && !this.failure) await this.compact();
      this.closed = true;
      await this.journal.close();
      this.releaseLock();
    }, true);
  }

  /** Writes a snapshot of everything and starts an empty journal. */
  async compactNow(): Promise<void> {
    await this.serialise(async () => {
      await this.drain();
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

  private labelOf(id: string): Label | undefined {
    return this.graph.getNode(id)?.label;
  }

  /**
   * Writes are checked one at a time, in arrival order (the queue does not wait for their fsync: see
   * applyChanges).
   */
  private serialise<T>(work: () => Promise<T>, evenAfterFailure = false): Promise<T> {
    const run = this.queue.then(() => {
      if (this.closed) throw new Unavailable('the store is closed');
      if (this.failure && !evenAfterFailure) throw new Unavailable(`the store stopped accepting writes: ${this.failure.message}`);
      return work();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A node as the next write sees it: as a queued write leaves it, else as in the graph. */
  private plannedNode(id: string): GraphNode | undefined {
    const pending = this.pendingNodes.get(id);
    return pending ? (pending.record ?? undefined) : this.graph.getNode(id);
  }

  private plannedLink(id: string): GraphLink | undefined {
    const pending = this.pendingLinks.get(id);
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
        const pending = this.pendingStories.get(id);
        return (pending ? pending.record : this.stories.get(id)) ?? [];
      }),
    linksTouching: async (ids) => {
      const wanted = new Set(ids);
      // The graph's links at these nodes and every queued link, each as the queue leaves it (it may have moved).
      const candidates = new Set<string>(this.pendingLinks.keys());
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
        if (this.pendingNodes.has(id)) continue; // as queued: below
        const node = this.graph.getNode(id);
        if (node && node.label === label) found.set(id, node);
      }
      for (const { record } of this.pendingNodes.values()) if (record && record.label === label) found.set(record.id, record);
      return [...found.values()];
    },
  };

  /** Queues a checked entry for the next journal append; resolves once the fsync covering its line completed. */
  private enqueue(entry: AuditEntry): Promise<void> {
    for (const change of entry.changes) {
      if (change.entity === 'node') this.pendingNodes.set(change.id, { record: change.after as GraphNode | null, seq: entry.seq });
      else if (change.entity === 'story') this.pendingStories.set(change.id, { record: change.after as Story | null, seq: entry.seq });
      else this.pendingLinks.set(change.id, { record: change.after as GraphLink | null, seq: entry.seq });
    }
    this.plannedSeq = entry.seq;
    let durable!: () => void;
    let failed!: (error: Error) => void;
    const promise = new Promise<void>((resolve, reject) => {
      durable = resolve;
      failed = reject;
    });
    // Marked handled: the writer awaits it right away, but an append can fail before its await is reached.
    promise.catch(() => undefined);
    this.queued.push({ entry, durable, failed });
    this.allPlannedDurable = promise;
    this.flushing ??= this.flush();
    return promise;
  }

  /**
   * Appends the queued entries, batch by batch, until none is left: one write and one fdatasync per batch, and
   * whatever queues up meanwhile is the next batch. After a batch's fsync, its entries go into the graph in order,
   * their writes are answered, and then (between batches, with nothing in flight) the journal is compacted when
   * due.
   */
  private async flush(): Promise<void> {
    let batch: QueuedEntry[] = [];
    try {
      while (this.queued.length > 0) {
        batch = this.queued.splice(0);
        try {
          // Lines after the first of a batch name its first seq: the loader's clue after a power cut (readJournal).
          const first = batch[0]!.entry.seq;
          await this.journal.append(batch.map((queued) => encodeAuditEntry(queued.entry, first)));
        } catch (error) {
          this.dropQueued(batch, error as Error);
          continue;
        }
        // Durable now; apply in memory. Each entry was checked against the state the ones before it leave, so
        // applying cannot fail.
        for (const { entry } of batch) {
          for (const op of opsOf(entry)) this.applyOp(op);
          for (const change of entry.changes) {
            const pending = change.entity === 'node' ? this.pendingNodes : change.entity === 'story' ? this.pendingStories : this.pendingLinks;
            if (pending.get(change.id)?.seq === entry.seq) pending.delete(change.id);
          }
          this.seq = entry.seq;
        }
        this.entriesSinceSnapshot += batch.length;
        for (const queued of batch) queued.durable();
        if (
          this.entriesSinceSnapshot >= this.options.compactEntries ||
          this.journal.bytes >= this.options.compactBytes
        ) {
          await this.compact().catch((error: Error) => {
            // The journal still holds everything; compaction is retried after the next batch.
            this.options.log?.(`embedded store: compaction failed, will retry: ${error.message}`);
          });
        }
      }
    } catch (error) {
      // Only a bug gets here (applying a checked entry cannot fail): the graph may no longer match the journal.
      this.options.log?.(`embedded store: applying a durable batch in memory failed: ${(error as Error).stack ?? String(error)}`);
      this.failure = new Error('applying a durable batch in memory failed (see the server log)');
      this.dropQueued(batch, this.failure);
    } finally {
      this.flushing = undefined;
    }
  }

  /**
   * A failed append: its batch fails, and so does every entry queued after it (each was checked against the
   * records of the ones before, which are now not going to exist). Their records are forgotten, so the next write is
   * checked against the graph, which is exactly the durable journal. The journal was cut back to its durable end;
   * when even that failed (JournalTailUnknown), lines of the failed batch may still be on disk and come back on the
   * next load, so the store takes no more writes (health says why) until a restart loads what the disk holds.
   */
  private dropQueued(batch: QueuedEntry[], error: Error): void {
    const dropped = [...batch, ...this.queued.splice(0)];
    this.pendingNodes.clear();
    this.pendingLinks.clear();
    this.pendingStories.clear();
    this.plannedSeq = this.seq;
    this.allPlannedDurable = Promise.resolve();
    this.planEpoch++;
    if (error instanceof JournalTailUnknown) this.failure = error;
    // Answers name an I/O error's code only: its message may hold a path (the log has it all).
    const answer = this.failure
      ? new Unavailable(`the store stopped accepting writes (${this.failure.message}); this write may or may not be there after a restart`)
      : new Unavailable(`the journal append failed (${ioErrorCode(error)}); nothing of this write was kept`);
    const story = error instanceof JournalTailUnknown ? error.logLine : (error.stack ?? error.message);
    this.options.log?.(`embedded store: ${dropped.length} queued write(s) failed: ${story}`);
    for (const queued of dropped) queued.failed(answer);
  }

  /** Resolves when no entry is queued or being appended (called under the write queue, so none is added). */
  private async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /**
   * Archives the journal's audit entries (appended to audit.ndjson, fsync'd), then writes a snapshot of the graph
   * and empties the journal. A crash between the steps loses nothing: see audit-archive.ts.
   */
  private async compact(): Promise<void> {
    const lines = await readJournalLines(this.options.dataDir, this.journal.bytes);
    await this.archive.append(lines.filter((line) => AUDIT_LINE.test(line) && lineIsWhole(line)));
    const { nodes, links } = await this.exportAll();
    await writeSnapshot(this.options.dataDir, { seq: this.seq, nodes, links, stories: [...this.stories.values()].sort(byId) });
    await this.journal.reset();
    this.journalGeneration++;
    this.entriesSinceSnapshot = 0;
  }

  /**
   * Every audit entry, newest first: the journal's (not yet compacted), then the archive's. The journal's
   * acknowledged size and the archive's size are taken together; if the journal is emptied by a compaction while
   * it is read, it is read again. With `idHint`, lines of other ids are skipped unparsed.
   */
  private async *auditNewestFirst(idHint?: string): AsyncGenerator<AuditEntry> {
    if (this.closed) throw new Unavailable('the store is closed');
    let journal: AuditEntry[];
    let archiveBytes: number;
    for (;;) {
      await this.archive.ready();
      const generation = this.journalGeneration;
      const journalBytes = this.journal.bytes;
      archiveBytes = this.archive.bytes;
      const lines = await readJournalLines(this.options.dataDir, journalBytes);
      if (generation !== this.journalGeneration) continue;
      journal = [];
      for (const line of lines) {
        const match = AUDIT_LINE.exec(line);
        if (!match || (idHint !== undefined && match[2] !== idHint)) continue;
        const entry = decodeLine(line);
        if (entry && isAuditEntry(entry)) journal.push(entry);
      }
      break;
    }
    const inJournal = new Set<number>();
    for (const entry of journal.reverse()) {
      inJournal.add(entry.seq);
      yield entry;
    }
    for await (const entry of this.archive.newestFirst(archiveBytes, idHint)) {
      if (!inJournal.has(entry.seq)) yield entry;
    }
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
