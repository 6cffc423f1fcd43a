/**
 * The embedded store's audit reading: the trail is on disk only, in the journal (entries not yet compacted) and in
 * DATA_DIR/audit.ndjson (audit-archive.ts), never in memory. Entries are read newest first, the journal's then the
 * archive's, and reading stops as soon as a query has what it needs.
 */
import { Unavailable } from '../../domain/errors.ts';
import type { AuditEntry, AuditQuery } from '../graph-store.ts';
import { auditMatches } from '../audit-query.ts';
import { AUDIT_LINE, type AuditArchive } from './audit-archive.ts';
import { decodeLine, isAuditEntry, readJournalLines } from './data-dir.ts';

export class AuditReads {
  /** Incremented whenever the journal is emptied, so that a reader of the journal file can tell it changed. */
  private journalGeneration = 0;

  constructor(
    private readonly dataDir: string,
    /** The journal's acknowledged size in bytes (JournalWriter.bytes). */
    private readonly journalBytes: () => number,
    private readonly archive: AuditArchive,
    private readonly isClosed: () => boolean,
  ) {}

  /** Called by compaction once the journal is emptied (its entries are in the archive now). */
  journalReset(): void {
    this.journalGeneration++;
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    if (query.limit <= 0) return out;
    for await (const entry of this.newestFirst()) {
      if (query.before !== undefined && entry.seq >= query.before) continue;
      // Entries come in commit order, and `at` grows with it: nothing older can match.
      if (query.since !== undefined && entry.at < query.since) break;
      if (!auditMatches(entry, query)) continue;
      out.push(entry);
      if (out.length >= query.limit) break;
    }
    return out;
  }

  async get(id: string): Promise<AuditEntry | undefined> {
    for await (const entry of this.newestFirst(id)) if (entry.id === id) return entry;
    return undefined;
  }

  /**
   * Every audit entry, newest first: the journal's (not yet compacted), then the archive's. The journal's
   * acknowledged size and the archive's size are taken together; if the journal is emptied by a compaction while
   * it is read, it is read again. With `idHint`, lines of other ids are skipped unparsed.
   */
  private async *newestFirst(idHint?: string): AsyncGenerator<AuditEntry> {
    if (this.isClosed()) throw new Unavailable('the store is closed');
    let journal: AuditEntry[];
    let archiveBytes: number;
    for (;;) {
      await this.archive.ready();
      const generation = this.journalGeneration;
      const journalBytes = this.journalBytes();
      archiveBytes = this.archive.bytes;
      const lines = await readJournalLines(this.dataDir, journalBytes);
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
}
