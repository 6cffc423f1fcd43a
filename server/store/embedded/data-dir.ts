/**
 * The files of the embedded store under DATA_DIR:
 *   lock                 — the pid of the one process that owns the folder
 *   graph.snapshot.json  — the whole graph as of journal entry `seq` (written temp → fsync → rename)
 *   graph.journal        — entries after the snapshot, one per line: "<crc32 hex>\t<json>\n", fsync'd before a
 *                          write is acknowledged (the lines of writes that queued up meanwhile share one fdatasync:
 *                          group commit). An entry is the audit entry of one write (who, when, what, and every
 *                          record before and after), so data and audit are one atomic append; the records to apply
 *                          are the `after` of its changes.
 *   audit.ndjson         — the journal lines of compacted entries, appended (and fsync'd) by each compaction
 *                          before the snapshot is renamed: the audit trail, never loaded into memory
 *   schema.json          — {"format": "dar-kg-schema", "version": N}: the version of the model the folder holds
 *                          (SCHEMA_VERSION; absent in folders written before versions were recorded, i.e. version 1)
 * A torn last journal (or audit) line (never acknowledged) is dropped on load; any other damage is refused with a
 * message naming the file. The folder is 0700 and every file 0600 (the journal and the archive hold the audit:
 * who changed what), made so and, for a DATA_DIR from before, set so when the store opens it (secureDataDir).
 * Over 400 lines as one job: the folder's file formats, read and written in one place.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { CorruptData, Unavailable } from '../../domain/errors.ts';
import type { GraphLink, GraphNode } from '../../schema/graph.schema.ts';
import type { Story } from '../../schema/story.schema.ts';
import type { AuditEntry } from '../graph-store.ts';
import { writeOrder } from '../change-plan.ts';
import { decodeSnapshot, encodeSnapshotChunks, type SnapshotData } from './snapshot-codec.ts';

export type JournalOp =
  | { op: 'putNode'; node: GraphNode }
  | { op: 'putLink'; link: GraphLink }
  | { op: 'deleteNode'; id: string }
  | { op: 'deleteLink'; id: string }
  | { op: 'putStory'; story: Story }
  | { op: 'deleteStory'; id: string };

/**
 * A journal line: an audit entry (`seq` first, then `id`: the archive finds both without parsing the line), or, in
 * journals written before the audit existed, `ops` without an audit.
 */
export type JournalEntry = AuditEntry | { seq: number; at: string; by: string; ops: JournalOp[] };

export function isAuditEntry(entry: JournalEntry): entry is AuditEntry {
  return Array.isArray((entry as AuditEntry).changes);
}

/** The operations that apply an entry to the in-memory graph, in an order where each one is valid. */
export function opsOf(entry: JournalEntry): JournalOp[] {
  if (!isAuditEntry(entry)) return entry.ops;
  const order = writeOrder(entry.changes);
  return [
    ...order.deleteLinks.map((link): JournalOp => ({ op: 'deleteLink', id: link.id })),
    ...order.putNodes.map((node): JournalOp => ({ op: 'putNode', node })),
    ...order.putLinks.map(({ link }): JournalOp => ({ op: 'putLink', link })),
    ...order.deleteNodes.map((node): JournalOp => ({ op: 'deleteNode', id: node.id })),
    ...order.putStories.map((story): JournalOp => ({ op: 'putStory', story })),
    ...order.deleteStories.map((id): JournalOp => ({ op: 'deleteStory', id })),
  ];
}

export type Snapshot = SnapshotData;

export const SNAPSHOT_FILE = 'graph.snapshot.json';
export const JOURNAL_FILE = 'graph.journal';
export const LOCK_FILE = 'lock';
export const AUDIT_FILE = 'audit.ndjson';
export const SCHEMA_FILE = 'schema.json';
/** Files of DATA_DIR: owner only. */
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;
/** What else lives in DATA_DIR (editors, sessions, the first admin's token): tightened at open too. */
const OTHER_FILES = ['users.json', 'session.secret', 'sessions.json', 'first-admin-token.txt'];

/**
 * Makes DATA_DIR (0700) or, when it exists, sets it and the files of ours in it to owner-only (0700/0600). A mode
 * that cannot be set (another owner, a file system without modes) is logged, not fatal.
 */
export async function secureDataDir(dir: string, log?: (line: string) => void): Promise<void> {
  await fsp.mkdir(dir, { recursive: true, mode: DIR_MODE });
  const names = [SNAPSHOT_FILE, JOURNAL_FILE, LOCK_FILE, AUDIT_FILE, SCHEMA_FILE, ...OTHER_FILES];
  for (const [file, mode] of [[dir, DIR_MODE] as const, ...names.map((name) => [path.join(dir, name), FILE_MODE] as const)]) {
    try {
      const stat = await fsp.stat(file);
      if ((stat.mode & 0o777) !== mode) await fsp.chmod(file, mode);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') log?.(`DATA_DIR: could not make ${file} owner-only (${mode.toString(8)}): ${code ?? (error as Error).message}`);
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The id of the live process (not this one) that holds the folder's lock; undefined when none does. */
export function lockHolder(dir: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim(), 10);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined; // no lock (or no folder)
    throw error;
  }
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : undefined;
}

/**
 * The lock files this process holds (resolved paths). A lock file naming this process's pid is either one of
 * these (a store of this process has the folder open: refused) or left by an earlier process that had the same
 * pid (a container's process is often pid 1 every time: taken over).
 */
const heldHere = new Set<string>();

/** The pid a lock file names (undefined when it is gone or names none). */
function readLockPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the folder's lock or throws Unavailable naming the process that holds it (this one included). */
export function acquireLock(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  const held = path.resolve(file);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', FILE_MODE);
      fs.writeSync(fd, `${process.pid}\n`);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      heldHere.add(held);
      return () => {
        heldHere.delete(held);
        try {
          if (readLockPid(file) === process.pid) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = lockHolder(dir);
      if (pid !== undefined) {
        throw new Unavailable(
          `DATA_DIR ${dir} is in use by process ${pid} (lock file ${file}); stop that process or set another DATA_DIR`,
        );
      }
      if (heldHere.has(held) && readLockPid(file) === process.pid) {
        throw new Unavailable(`DATA_DIR ${dir} is in use by process ${process.pid} (this one): a store is open on it; close it first`);
      }
      // Left by a process that died (e.g. SIGKILL): take it over.
      fs.rmSync(file, { force: true });
    }
  }
  throw new Unavailable(`could not take the lock ${file}`);
}

export function encodeEntry(entry: JournalEntry): string {
  const json = JSON.stringify(entry);
  return `${crc32(json).toString(16).padStart(8, '0')}\t${json}\n`;
}

/**
 * An audit entry as a journal line, `seq` and `id` first. `batchStart` is the seq of the first entry of the group
 * commit this line is appended with: a line that is not the first of its batch says so (`"batch": <first seq>`), so
 * that the loader can tell the unsynced last batch of a power cut from damage to synced data (see readJournal).
 */
export function encodeAuditEntry(entry: AuditEntry, batchStart = entry.seq): string {
  const { seq, id, at, by, action, revert_of, changes } = entry;
  const batch = batchStart < seq ? { batch: batchStart } : {};
  // After `seq` and `id`, which AUDIT_LINE reads without parsing the JSON.
  return encodeEntry({ seq, id, ...batch, at, by, action, ...(revert_of ? { revert_of } : {}), changes } as AuditEntry);
}

/** True when the line is whole: its checksum matches its JSON (which is not parsed). */
export function lineIsWhole(line: string): boolean {
  return line.indexOf('\t') === 8 && crc32(line.slice(9)).toString(16).padStart(8, '0') === line.slice(0, 8);
}

export function decodeLine(line: string): JournalEntry | undefined {
  return decodeBatchedLine(line)?.entry;
}

/** A journal line's entry, and the seq of the first entry of its batch (its own seq for the first or only one). */
function decodeBatchedLine(line: string): { entry: JournalEntry; batchStart: number } | undefined {
  if (!lineIsWhole(line)) return undefined;
  try {
    const parsed = JSON.parse(line.slice(9)) as JournalEntry & { batch?: unknown };
    const ok = Number.isInteger(parsed.seq) && (isAuditEntry(parsed) || Array.isArray((parsed as { ops?: unknown }).ops));
    if (!ok) return undefined;
    const { batch, ...entry } = parsed;
    const batchStart = Number.isInteger(batch) && (batch as number) < parsed.seq ? (batch as number) : parsed.seq;
    return { entry: entry as JournalEntry, batchStart };
  } catch {
    return undefined;
  }
}

/**
 * True when everything from `offset` on is the rest of one unfinished group commit that began at or before entry
 * `damagedSeq`: whole lines that all say their batch started at or before it (damaged lines among them are torn
 * pages). Batches are appended one after another, each only once the one before is durable, so a line of a later
 * batch (one that says it starts after `damagedSeq`, or says nothing: the first of its batch) proves that the damaged
 * batch had been synced — that is damage to acknowledged data, and is refused.
 */
function isUnfinishedLastBatch(buffer: Buffer, offset: number, damagedSeq: number): boolean {
  let wholeAfter = 0;
  for (let at = buffer.indexOf(0x0a, offset) + 1; at > 0 && at < buffer.length; ) {
    const newline = buffer.indexOf(0x0a, at);
    const end = newline === -1 ? buffer.length : newline;
    const line = decodeBatchedLine(buffer.toString('utf8', at, end));
    if (line) {
      if (line.entry.seq <= damagedSeq || line.batchStart > damagedSeq || line.batchStart === line.entry.seq) return false;
      wholeAfter++;
    }
    if (newline === -1) break;
    at = newline + 1;
  }
  return wholeAfter > 0;
}

export interface LoadedData {
  snapshot: Snapshot | undefined;
  entries: JournalEntry[];
  /** Bytes of the journal that hold whole, valid entries; anything after is a torn tail to cut off. */
  journalValidBytes: number;
  journalTornBytes: number;
  /** The torn tail is the rest of an unfinished group commit (a power cut), not just a torn last line. */
  unfinishedBatch?: boolean;
}

export async function readSnapshot(dir: string): Promise<Snapshot | undefined> {
  const file = path.join(dir, SNAPSHOT_FILE);
  let text: Buffer;
  try {
    text = await fsp.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined; // no lock (or no folder)
    throw error;
  }
  try {
    const data = decodeSnapshot(text);
    return data;
  } catch (error) {
    throw new CorruptData(
      `${file} is damaged or not a DAR Knowledge Graph snapshot (${(error as Error).message}); it was not changed. Restore it from a backup or move it away to start empty.`,
      { file },
    );
  }
}

export async function readJournal(
  dir: string,
  afterSeq: number,
): Promise<Omit<LoadedData, 'snapshot'>> {
  const file = path.join(dir, JOURNAL_FILE);
  let buffer: Buffer;
  try {
    buffer = await fsp.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { entries: [], journalValidBytes: 0, journalTornBytes: 0 };
    }
    throw error;
  }
  const entries: JournalEntry[] = [];
  let offset = 0;
  let lineNo = 0;
  let expectSeq: number | undefined;
  while (offset < buffer.length) {
    const newline = buffer.indexOf(0x0a, offset);
    const end = newline === -1 ? buffer.length : newline;
    lineNo++;
    const entry = newline === -1 ? undefined : decodeLine(buffer.toString('utf8', offset, end));
    const isLast = newline === -1 || newline === buffer.length - 1;
    if (!entry) {
      if (isLast) {
        // A torn last entry: its write never completed, so it was never acknowledged.
        return { entries, journalValidBytes: offset, journalTornBytes: buffer.length - offset };
      }
      if (isUnfinishedLastBatch(buffer, offset, expectSeq ?? afterSeq + 1)) {
        // A power cut during the last group commit: the file system kept some of its pages and not others. Its fsync
        // never completed, so none of its writes was acknowledged: dropped from the damaged line on, like a torn tail.
        return { entries, journalValidBytes: offset, journalTornBytes: buffer.length - offset, unfinishedBatch: true };
      }
      throw new CorruptData(
        `${file} is damaged at line ${lineNo} (bad checksum or JSON) with entries after it; it was not changed. Restore DATA_DIR from a backup.`,
        { file, line: lineNo },
      );
    }
    if (expectSeq !== undefined && entry.seq !== expectSeq) {
      throw new CorruptData(
        `${file} line ${lineNo}: entry ${entry.seq} follows ${expectSeq - 1}; entries are missing. It was not changed.`,
        { file, line: lineNo },
      );
    }
    expectSeq = entry.seq + 1;
    if (entry.seq > afterSeq) entries.push(entry);
    offset = newline + 1;
  }
  if (entries.length > 0 && entries[0]!.seq !== afterSeq + 1) {
    throw new CorruptData(
      `${file} starts at entry ${entries[0]!.seq} but the snapshot ends at ${afterSeq}; entries are missing.`,
      { file },
    );
  }
  return { entries, journalValidBytes: offset, journalTornBytes: 0 };
}

/**
 * The whole lines among the journal's first `bytes` bytes (which the store has acknowledged, so every line there is
 * whole): for reading the audit trail while the store runs, without holding its entries in memory.
 */
export async function readJournalLines(dir: string, bytes: number): Promise<string[]> {
  if (bytes === 0) return [];
  const handle = await fsp.open(path.join(dir, JOURNAL_FILE), 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    const text = buffer.toString('utf8', 0, bytesRead);
    const lines = text.split('\n');
    lines.pop(); // after the last newline: nothing, or a line being written
    return lines;
  } finally {
    await handle.close();
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes the snapshot durably: temp file, fsync, rename, fsync the folder. Written in pieces: see encodeSnapshotChunks. */
export async function writeSnapshot(dir: string, snapshot: Snapshot): Promise<void> {
  const file = path.join(dir, SNAPSHOT_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await fsp.open(temp, 'w', FILE_MODE);
  try {
    for (const chunk of encodeSnapshotChunks(snapshot)) await handle.writeFile(chunk);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsp.rename(temp, file);
  await fsyncDir(dir);
}

/** The schema version recorded in the folder, or undefined when none is (a new folder, or one written before versions). */
export async function readSchemaVersion(dir: string): Promise<number | undefined> {
  const file = path.join(dir, SCHEMA_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined; // no lock (or no folder)
    throw error;
  }
  let parsed: { format?: unknown; version?: unknown } | undefined;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  if (parsed?.format !== 'dar-kg-schema' || !Number.isInteger(parsed.version)) {
    throw new CorruptData(`${file} is damaged or not a DAR Knowledge Graph schema file; it was not changed.`, { file });
  }
  return parsed.version as number;
}

/** Records the schema version durably: temp file, fsync, rename, fsync the folder. */
export async function writeSchemaVersion(dir: string, version: number): Promise<void> {
  const file = path.join(dir, SCHEMA_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await fsp.open(temp, 'w', FILE_MODE);
  try {
    await handle.writeFile(`${JSON.stringify({ format: 'dar-kg-schema', version })}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsp.rename(temp, file);
  await fsyncDir(dir);
}

/**
 * How a journal append is made durable: `datasync` is the journal file's fdatasync, and the default just calls it.
 * Tests pass their own to count the syncs, hold them back, or make them fail.
 */
export type JournalSync = (datasync: () => Promise<void>) => Promise<void>;

/**
 * An append that failed and could not be undone (cutting the journal back, or making that durable, failed too):
 * the journal may hold lines past its acknowledged end that a reload would apply, so the store must take no more
 * writes.
 */
export class JournalTailUnknown extends Error {
  constructor(
    message: string,
    /** The whole story, file and error messages included: for the log, never for an API answer. */
    readonly logLine: string,
  ) {
    super(message);
  }
}

/** An I/O error as an API answer may name it: its code (EIO, ENOSPC …), never its message, which may hold a path. */
export function ioErrorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'an I/O error';
}

/**
 * The append side of the journal: the lines of one or more entries per call, written at once and fsync'd once
 * before the promise resolves. `bytes` only ever covers durable lines.
 */
export class JournalWriter {
  private constructor(
    private handle: fsp.FileHandle,
    private size: number,
    readonly file: string,
    private readonly sync: JournalSync,
  ) {}

  static async open(dir: string, validBytes: number, sync: JournalSync = (datasync) => datasync()): Promise<JournalWriter> {
    const file = path.join(dir, JOURNAL_FILE);
    const handle = await fsp.open(file, fs.existsSync(file) ? 'r+' : 'w+', FILE_MODE);
    // Cut off a torn tail so the next entry starts on a clean line.
    await handle.truncate(validBytes);
    await handle.sync();
    await fsyncDir(dir);
    return new JournalWriter(handle, validBytes, file, sync);
  }

  /** The journal's durable length: every line before it is whole and fsync'd. */
  get bytes(): number {
    return this.size;
  }

  /**
   * Appends lines made by encodeEntry / encodeAuditEntry, in order, with one write and one fdatasync. When either
   * fails, the journal is cut back to where it was (and that made durable), so that no line of a failed append can
   * come back on the next load; if even that fails, JournalTailUnknown.
   */
  async append(lines: readonly string[]): Promise<void> {
    const data = Buffer.from(lines.join(''), 'utf8');
    try {
      // Written synchronously: copying a batch into the page cache takes microseconds, less than the event-loop turn
      // an asynchronous write waits for under load (which every write of the next batch would wait for too); only
      // the fdatasync, which takes milliseconds, goes to the thread pool.
      for (let written = 0; written < data.length; ) {
        written += fs.writeSync(this.handle.fd, data, written, data.length - written, this.size + written);
      }
      await this.sync(() => this.handle.datasync());
    } catch (error) {
      try {
        await this.handle.truncate(this.size);
        await this.sync(() => this.handle.datasync());
      } catch (undo) {
        throw new JournalTailUnknown(
          `a journal append failed (${ioErrorCode(error)}) and could not be cut off again (${ioErrorCode(undo)})`,
          `${this.file}: an append failed (${(error as Error).message}) and could not be cut off again (${(undo as Error).message})`,
        );
      }
      throw error;
    }
    this.size += data.length;
  }

  /** After a snapshot that holds every entry: start the journal afresh. */
  async reset(): Promise<void> {
    await this.handle.truncate(0);
    await this.handle.sync();
    this.size = 0;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
