/**
 * The embedded store's group commit and write queue. Writes are checked one at a time, in arrival order, and each
 * becomes its journal line at once; the lines that queue up while an fsync is in flight are appended together and
 * share the next one. A write is checked against the graph as the writes queued before it leave it (their records
 * wait here, in `pending…`), but the graph itself, which every read sees, only takes a batch once its fsync has
 * completed: reads see only durable data, and a failed fsync has nothing in memory to undo.
 */
import { randomUUID } from 'node:crypto';
import { Unavailable } from '../../domain/errors.ts';
import type { GraphLink, GraphNode } from '../../schema/graph.schema.ts';
import type { Story } from '../../schema/story.schema.ts';
import type { AuditEntry, ChangeOptions, ChangeResult, GraphChange } from '../graph-store.ts';
import { planChanges, type StateReader } from '../change-plan.ts';
import { JournalTailUnknown, encodeAuditEntry, ioErrorCode } from './data-dir.ts';

/** What the group commit needs of its store. */
export interface GroupCommitHost {
  /** Appends one batch's journal lines with one fdatasync (JournalWriter.append). */
  append(lines: string[]): Promise<void>;
  /** Applies a durable entry to the graph in memory: checked against the state the entries before it leave, it cannot fail. */
  apply(entry: AuditEntry): void;
  /** Runs after each batch is durable and answered, with nothing in flight (the store compacts when due); must not throw. */
  afterBatch(entries: number): Promise<void>;
  log?: (line: string) => void;
}

/** A write checked and encoded, waiting for the fsync that covers its line. */
interface QueuedEntry {
  entry: AuditEntry;
  durable: () => void;
  failed: (error: Error) => void;
}

/** The newest version of a record written by a queued entry (null: deleted), and that entry's seq. */
export interface PendingRecord<T> {
  record: T | null;
  seq: number;
}

export class GroupCommit {
  /** The seq of the newest durable entry: the one the graph in memory is at. */
  seq = 0;
  /** The seq of the newest entry checked, durable or queued: the next write gets the one after. */
  private plannedSeq = 0;
  closed = false;
  /** Set when the store can take no more writes (health says why). */
  failure: Error | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Entries checked and waiting for the next journal append, oldest first. */
  private queued: QueuedEntry[] = [];
  /** The loop that appends queued entries batch by batch, while it runs. */
  private flushing: Promise<void> | undefined;
  /** Records of queued (and in-flight) entries: what the next write is checked against, before the graph. */
  readonly pendingNodes = new Map<string, PendingRecord<GraphNode>>();
  readonly pendingLinks = new Map<string, PendingRecord<GraphLink>>();
  readonly pendingStories = new Map<string, PendingRecord<Story>>();
  /**
   * Settles when every entry checked so far is durable; rejects when one of them failed. A write that changed
   * nothing, or was refused, was checked against those entries and is answered only when this settles.
   */
  private allPlannedDurable: Promise<void> = Promise.resolve();
  /** Incremented when a failed append drops the queued entries, voiding any check made against them. */
  private planEpoch = 0;

  constructor(private readonly host: GroupCommitHost) {}

  /** Starts the count at the seq the loaded data is at. */
  startAt(seq: number): void {
    this.seq = seq;
    this.plannedSeq = seq;
  }

  /**
   * Checked under the write queue against the graph as the writes before it leave it (`reader` shows the pending
   * records over the graph), then queued for the next journal append; answered once it is durable. A write that
   * changes nothing, or is refused, is answered once the writes it was checked against are durable: no answer rests
   * on a write that might still be lost.
   */
  async write(changes: readonly GraphChange[], options: ChangeOptions, reader: StateReader): Promise<ChangeResult> {
    let checkedAgainst: Promise<void> = Promise.resolve();
    try {
      const { result, durable } = await this.serialise(async () => {
        checkedAgainst = this.allPlannedDurable;
        const epoch = this.planEpoch;
        const at = new Date().toISOString();
        const plan = await planChanges(changes, { by: options.actor.name, at }, reader);
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

  /**
   * Writes (and close, compaction) run one at a time, in arrival order; the queue does not wait for a write's
   * fsync (see write).
   */
  serialise<T>(work: () => Promise<T>, evenAfterFailure = false): Promise<T> {
    const run = this.queue.then(() => {
      if (this.closed) throw new Unavailable('the store is closed');
      if (this.failure && !evenAfterFailure) throw new Unavailable(`the store stopped accepting writes: ${this.failure.message}`);
      return work();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves when no entry is queued or being appended (called under the write queue, so none is added). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

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
   * their writes are answered, and then (between batches, with nothing in flight) the host's afterBatch runs.
   */
  private async flush(): Promise<void> {
    let batch: QueuedEntry[] = [];
    try {
      while (this.queued.length > 0) {
        batch = this.queued.splice(0);
        try {
          // Lines after the first of a batch name its first seq: the loader's clue after a power cut (readJournal).
          const first = batch[0]!.entry.seq;
          await this.host.append(batch.map((queued) => encodeAuditEntry(queued.entry, first)));
        } catch (error) {
          this.dropQueued(batch, error as Error);
          continue;
        }
        // Durable now; apply in memory. Each entry was checked against the state the ones before it leave, so
        // applying cannot fail.
        for (const { entry } of batch) {
          this.host.apply(entry);
          for (const change of entry.changes) {
            const pending = change.entity === 'node' ? this.pendingNodes : change.entity === 'story' ? this.pendingStories : this.pendingLinks;
            if (pending.get(change.id)?.seq === entry.seq) pending.delete(change.id);
          }
          this.seq = entry.seq;
        }
        for (const queued of batch) queued.durable();
        await this.host.afterBatch(batch.length);
      }
    } catch (error) {
      // Only a bug gets here (applying a checked entry cannot fail): the graph may no longer match the journal.
      this.host.log?.(`embedded store: applying a durable batch in memory failed: ${(error as Error).stack ?? String(error)}`);
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
    this.host.log?.(`embedded store: ${dropped.length} queued write(s) failed: ${story}`);
    for (const queued of dropped) queued.failed(answer);
  }
}
