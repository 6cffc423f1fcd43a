/**
 * DATA_DIR/audit.ndjson: the audit trail of compacted journal entries, as the journal's own lines (checksum, tab,
 * JSON with `seq` and `id` first). Compaction appends the entries of the journal it is about to drop, fsync'd,
 * before the snapshot rename; nothing of it is held in memory or read at start. Reads go backwards from the end,
 * newest first, and stop as soon as they have what they need.
 *
 * A crash during an append leaves a torn tail (lines that are not whole): those entries are still in the journal
 * (the snapshot rename had not happened), so the tail is cut off before the next append. A crash after the append
 * but before the journal was reset leaves entries in both files: appends skip entries at or below the last
 * archived `seq`, and readers skip archived entries that the journal still holds.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { CorruptData } from '../../domain/errors.ts';
import type { AuditEntry } from '../graph-store.ts';
import { AUDIT_FILE, FILE_MODE, decodeLine, fsyncDir, isAuditEntry, lineIsWhole } from './data-dir.ts';

/** An archived (or journal) line of an audit entry: its seq and id, read without parsing the JSON. */
export const AUDIT_LINE = /^[0-9a-f]{8}\t\{"seq":(\d+),"id":"([^"]+)"/;

const CHUNK = 1024 * 1024;

interface ArchiveState {
  /** Bytes of whole lines; anything after them is a torn tail. */
  bytes: number;
  lastSeq: number;
}

export class AuditArchive {
  readonly file: string;
  private state: Promise<ArchiveState> | undefined;
  private current: ArchiveState | undefined;

  constructor(
    private readonly dir: string,
    private readonly log?: (line: string) => void,
  ) {
    this.file = path.join(dir, AUDIT_FILE);
  }

  /** Size of the whole lines and the last archived seq; found from the file's end on first use. */
  async ready(): Promise<ArchiveState> {
    this.state ??= this.scanTail().then((state) => (this.current = state));
    return this.state;
  }

  /** The size of the whole lines, as of now (after ready()). */
  get bytes(): number {
    return this.current?.bytes ?? 0;
  }

  /** Appends journal lines (whole, in seq order) of entries not yet archived; durable when it resolves. */
  async append(lines: readonly string[]): Promise<void> {
    const state = await this.ready();
    const fresh = lines.filter((line) => Number(AUDIT_LINE.exec(line)?.[1] ?? 0) > state.lastSeq);
    if (fresh.length === 0) return;
    const data = Buffer.from(fresh.map((line) => `${line}\n`).join(''), 'utf8');
    const created = state.bytes === 0;
    const handle = await fsp.open(this.file, created ? 'w' : 'r+', FILE_MODE);
    try {
      await handle.truncate(state.bytes); // a torn tail from a crash during an earlier append
      await handle.write(data, 0, data.length, state.bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (created) await fsyncDir(this.dir);
    this.current = { bytes: state.bytes + data.length, lastSeq: Number(AUDIT_LINE.exec(fresh.at(-1)!)![1]) };
    this.state = Promise.resolve(this.current);
  }

  /** Entries among the first `bytes` bytes, newest first. Damage is refused naming the file and offset. */
  async *newestFirst(bytes: number, idHint?: string): AsyncGenerator<AuditEntry> {
    const needle = idHint === undefined ? undefined : `"id":"${idHint}"`;
    for await (const { line, offset } of linesBackward(this.file, bytes)) {
      if (needle !== undefined && !line.slice(0, 120).includes(needle)) continue;
      const entry = decodeLine(line);
      if (!entry || !isAuditEntry(entry)) {
        throw new CorruptData(`${this.file} is damaged at byte ${offset} (bad checksum or JSON); it was not changed. Restore it from a backup.`, {
          file: this.file,
          offset,
        });
      }
      yield entry;
    }
  }

  private async scanTail(): Promise<ArchiveState> {
    let size: number;
    try {
      size = (await fsp.stat(this.file)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { bytes: 0, lastSeq: 0 };
      throw error;
    }
    // After the last newline, and whole-looking lines at the end whose checksum fails: a torn tail.
    let end = await endOfLastLine(this.file, size);
    let lastSeq = 0;
    for await (const { line, offset } of linesBackward(this.file, end)) {
      if (lineIsWhole(line)) {
        lastSeq = Number(AUDIT_LINE.exec(line)?.[1] ?? 0);
        break;
      }
      end = offset;
    }
    if (end < size) this.log?.(`embedded store: ${this.file} ends with a torn entry (${size - end} bytes, still in the journal); it will be cut off`);
    return { bytes: end, lastSeq };
  }
}

/** The offset just after the file's last newline among its first `size` bytes (0 when there is none). */
async function endOfLastLine(file: string, size: number): Promise<number> {
  const handle = await fsp.open(file, 'r');
  try {
    for (let pos = size; pos > 0; ) {
      const start = Math.max(0, pos - CHUNK);
      const chunk = Buffer.alloc(pos - start);
      await handle.read(chunk, 0, chunk.length, start);
      const newline = chunk.lastIndexOf(0x0a);
      if (newline !== -1) return start + newline + 1;
      pos = start;
    }
    return 0;
  } finally {
    await handle.close();
  }
}

/** The lines of a file's first `bytes` bytes (which end with a newline), last first, with their byte offsets. */
async function* linesBackward(file: string, bytes: number): AsyncGenerator<{ line: string; offset: number }> {
  if (bytes === 0) return;
  const handle = await fsp.open(file, 'r');
  try {
    let pos = bytes;
    /** The bytes at [pos, pos + tail.length) not yet given: the end of a line that starts before pos. */
    let tail = Buffer.alloc(0);
    while (pos > 0) {
      const start = Math.max(0, pos - CHUNK);
      const chunk = Buffer.alloc(pos - start);
      await handle.read(chunk, 0, chunk.length, start);
      const data = tail.length > 0 ? Buffer.concat([chunk, tail]) : chunk;
      pos = start;
      // Lines that surely start inside `data`: after its first newline, or all of it at the start of the file.
      let cut = 0;
      if (pos > 0) {
        const newline = data.indexOf(0x0a);
        if (newline === -1 || newline === data.length - 1) {
          tail = data;
          continue;
        }
        cut = newline + 1;
      }
      let end = data.length; // data[end - 1] is a newline
      while (end > cut) {
        const lineStart = Math.max((end >= 2 ? data.lastIndexOf(0x0a, end - 2) : -1) + 1, cut);
        yield { line: data.toString('utf8', lineStart, end - 1), offset: start + lineStart };
        end = lineStart;
      }
      tail = data.subarray(0, cut);
    }
  } finally {
    await handle.close();
  }
}
