/**
 * Online backup and offline restore of the embedded store's DATA_DIR (`npm run backup -- <dir>`,
 * `npm run restore -- <dir>`).
 *
 * Backup runs beside the server, which keeps DATA_DIR's lock and keeps taking writes: it needs no cooperation from
 * it, only read access to the folder. It copies a consistent state, the one right after some journal entry N:
 *   1. the snapshot (written whole and renamed into place, so any read of it is one whole snapshot) at entry S;
 *   2. the journal's whole lines (each has its CRC; a line being appended fails it and ends the copy) that follow S
 *      without a gap, S+1 … N. Each line is one whole write (all its changes, with its audit entry), so a write is
 *      in the copy entirely or not at all. A compaction between 1 and 2 (snapshot renamed, journal emptied and
 *      refilled) is noticed by the snapshot's path no longer naming the file read (held open meanwhile, so its inode
 *      is not reused) and, had it been missed, would show as a gap (the journal starts after S+1): the copy is taken
 *      again. (An emptied journal alone shows no gap: the entries between S and the new snapshot would be lost.);
 *   3. the audit archive's whole lines up to N (compaction appends to it before it renames the snapshot, so it
 *      holds every compacted entry up to S), and the editors' and sessions' files as they are.
 * The copy is then opened as a store (every check of a start: checksums, entry order, schema version), its counts
 * printed and compacted into one snapshot (with the journal's entries archived), and backup.json records what it
 * holds. A write whose append fails after its line reached the page cache (a disk failure at that very moment) may
 * be in a backup although its writer was told it failed; every acknowledged write before the backup began is in it.
 *
 * Restore needs the server stopped: it takes DATA_DIR's lock (refused, naming the process, while a server holds
 * it), moves the store's present files into DATA_DIR/replaced-by-restore-<time>/, copies the backup's in (each
 * written to a temporary file, fsync'd and renamed) and opens the result to check that it holds what backup.json
 * says.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { CorruptData, Invalid, Unavailable } from '../../domain/errors.ts';
import type { GraphStats } from '../graph-store.ts';
import { AUDIT_LINE } from './audit-archive.ts';
import {
  AUDIT_FILE,
  DIR_MODE,
  FILE_MODE,
  JOURNAL_FILE,
  SCHEMA_FILE,
  SNAPSHOT_FILE,
  acquireLock,
  fsyncDir,
  lineIsWhole,
} from './data-dir.ts';
import { EmbeddedStore } from './embedded.store.ts';
import { decodeSnapshot } from './snapshot-codec.ts';

export const BACKUP_MANIFEST = 'backup.json';
export const BACKUP_FORMAT = 'dar-kg-backup';
/** Files copied as they are: the editors (token hashes), the sessions' secret and counters. */
const AUTH_FILES = ['users.json', 'session.secret', 'sessions.json'];
/** The files a backup holds, and a restore replaces. */
const BACKUP_FILES = [SNAPSHOT_FILE, JOURNAL_FILE, AUDIT_FILE, SCHEMA_FILE, ...AUTH_FILES];
/** Moved aside by a restore too: the first admin's token belongs with the users.json it replaces. */
const REPLACED_FILES = [...BACKUP_FILES, 'first-admin-token.txt'];
/** A compaction can run between reading the snapshot and the journal; each retry is after one. */
const MAX_ATTEMPTS = 50;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: 1;
  created_at: string;
  /** The journal entry (write) the backup is the state after. */
  seq: number;
  schema_version: number;
  source: string;
  nodes: number;
  links: number;
  stats: GraphStats;
}

export interface ConsistentCopy {
  seq: number;
  snapshotSeq: number;
  journalEntries: number;
  auditLines: number;
  attempts: number;
}

type Log = (line: string) => void;

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await fsp.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The leading whole lines of a journal or archive (each ends with a newline and passes its checksum). */
function wholeLines(buffer: Buffer | undefined): string[] {
  const lines: string[] = [];
  if (!buffer) return lines;
  for (let offset = 0; offset < buffer.length; ) {
    const newline = buffer.indexOf(0x0a, offset);
    if (newline === -1) break;
    const line = buffer.toString('utf8', offset, newline);
    if (!lineIsWhole(line)) break;
    lines.push(line);
    offset = newline + 1;
  }
  return lines;
}

async function openOptional(file: string): Promise<fsp.FileHandle | undefined> {
  try {
    return await fsp.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Whether `file` still names the file open in `handle` (both missing counts as the same). */
async function sameFile(handle: fsp.FileHandle | undefined, file: string): Promise<boolean> {
  let now: fs.Stats | undefined;
  try {
    now = await fsp.stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (!handle || !now) return !handle && !now;
  const held = await handle.stat();
  return held.ino === now.ino && held.dev === now.dev;
}

/** Test seams: run between the copy's reads, to interleave a compaction where a real one could land. */
export interface CopyHooks {
  afterSnapshotRead?: () => Promise<void>;
}

function seqOf(line: string): number | undefined {
  // Audit lines start {"seq":N,"id":…; lines of journals from before the audit start {"seq":N too.
  const match = AUDIT_LINE.exec(line) ?? /^[0-9a-f]{8}\t\{"seq":(\d+)/.exec(line);
  return match ? Number(match[1]) : undefined;
}

async function writeDurably(file: string, data: Buffer | string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await fsp.open(temp, 'w', FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsp.rename(temp, file);
}

/**
 * Copies a consistent state of `dataDir` (the store may be running and writing) into `target`, an empty or new
 * folder: see the comment at the top.
 */
export async function copyConsistent(dataDir: string, target: string, hooks: CopyHooks = {}): Promise<ConsistentCopy> {
  const snapshotFile = path.join(dataDir, SNAPSHOT_FILE);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // The snapshot is read through a handle held open until the journal has been read: its inode cannot be reused
    // meanwhile, so the path still naming it afterwards means no compaction renamed a newer one into place.
    const snapshot = await openOptional(snapshotFile);
    let snapshotBytes: Buffer | undefined;
    let journalBytes: Buffer | undefined;
    let replaced: boolean;
    try {
      snapshotBytes = snapshot ? await snapshot.readFile() : undefined;
      await hooks.afterSnapshotRead?.();
      journalBytes = await readOptional(path.join(dataDir, JOURNAL_FILE));
      replaced = !(await sameFile(snapshot, snapshotFile));
    } finally {
      await snapshot?.close();
    }
    // A compaction renamed a newer snapshot into place and may have emptied the journal since: the journal read
    // may lack entries that are only in the newer snapshot (acknowledged before this backup began). Copy again.
    if (replaced) continue;
    let snapshotSeq = 0;
    if (snapshotBytes) {
      try {
        snapshotSeq = decodeSnapshot(snapshotBytes).seq;
      } catch (error) {
        throw new CorruptData(`${snapshotFile} is damaged (${(error as Error).message}); no backup was written`);
      }
    }
    const journal: string[] = [];
    let gap = false;
    for (const line of wholeLines(journalBytes)) {
      const seq = seqOf(line);
      if (seq === undefined) break;
      if (seq <= snapshotSeq) continue; // compacted into the snapshot, not yet cut from the journal
      if (seq !== snapshotSeq + journal.length + 1) {
        gap = true; // the journal was emptied and refilled since the snapshot was read
        break;
      }
      journal.push(line);
    }
    if (gap) continue;
    const seq = snapshotSeq + journal.length;
    const audit = wholeLines(await readOptional(path.join(dataDir, AUDIT_FILE))).filter((line) => (seqOf(line) ?? Infinity) <= seq);

    await fsp.mkdir(target, { recursive: true, mode: DIR_MODE });
    await fsp.chmod(target, DIR_MODE);
    if (snapshotBytes) await writeDurably(path.join(target, SNAPSHOT_FILE), snapshotBytes);
    if (journal.length > 0) await writeDurably(path.join(target, JOURNAL_FILE), journal.map((line) => `${line}\n`).join(''));
    if (audit.length > 0) await writeDurably(path.join(target, AUDIT_FILE), audit.map((line) => `${line}\n`).join(''));
    for (const name of [SCHEMA_FILE, ...AUTH_FILES]) {
      const bytes = await readOptional(path.join(dataDir, name));
      if (bytes) await writeDurably(path.join(target, name), bytes);
    }
    await fsyncDir(target);
    return { seq, snapshotSeq, journalEntries: journal.length, auditLines: audit.length, attempts: attempt };
  }
  throw new Unavailable(`the store compacted its journal during each of ${MAX_ATTEMPTS} attempts to copy it; try again`);
}

/** Opens a copied folder as a store (all of a start's checks), counts it, and compacts it into one snapshot. */
async function loadAndCount(dir: string, log?: Log): Promise<{ seq: number; schemaVersion: number; stats: GraphStats; nodes: number; links: number }> {
  const store = await EmbeddedStore.open({ dataDir: dir, compactEntries: Number.MAX_SAFE_INTEGER, compactBytes: Number.MAX_SAFE_INTEGER, log });
  try {
    await store.whenSearchReady();
    const stats = await store.stats();
    const sum = (counts: Record<string, number | undefined>) => Object.values(counts).reduce<number>((a, b) => a + (b ?? 0), 0);
    return { seq: await store.graphVersion(), schemaVersion: await store.schemaVersion(), stats, nodes: sum(stats.nodes), links: sum(stats.links) };
  } finally {
    await store.close();
  }
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await fsp.readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/** `npm run backup -- <dir>`: a consistent copy of DATA_DIR in `target` (new or empty), loaded to check it. */
export async function backupDataDir(dataDir: string, target: string, log?: Log): Promise<BackupManifest & { copy: ConsistentCopy }> {
  const source = path.resolve(dataDir);
  const dir = path.resolve(target);
  if (dir === source || dir.startsWith(`${source}${path.sep}`)) throw new Invalid(`the backup folder ${dir} must not be inside DATA_DIR ${source}`);
  if (!fs.existsSync(source)) throw new Invalid(`DATA_DIR ${source} does not exist: nothing to back up`);
  if (!(await isEmptyOrMissing(dir))) throw new Invalid(`the backup folder ${dir} is not empty; give a new or empty folder`);
  const copy = await copyConsistent(source, dir);
  const loaded = await loadAndCount(dir, log);
  if (loaded.seq !== copy.seq) throw new CorruptData(`the backup in ${dir} loaded at entry ${loaded.seq}, not ${copy.seq} as copied`);
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    version: 1,
    created_at: new Date().toISOString(),
    seq: copy.seq,
    schema_version: loaded.schemaVersion,
    source,
    nodes: loaded.nodes,
    links: loaded.links,
    stats: loaded.stats,
  };
  await writeDurably(path.join(dir, BACKUP_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  await fsyncDir(dir);
  return { ...manifest, copy };
}

export async function readManifest(dir: string): Promise<BackupManifest> {
  const file = path.join(dir, BACKUP_MANIFEST);
  let parsed: Partial<BackupManifest> | undefined;
  try {
    parsed = JSON.parse(await fsp.readFile(file, 'utf8')) as Partial<BackupManifest>;
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it is missing' : (error as Error).message;
    throw new Invalid(`${dir} is not a backup made by \`npm run backup\` (${file}: ${why})`);
  }
  if (parsed?.format !== BACKUP_FORMAT || parsed.version !== 1 || !Number.isInteger(parsed.seq)) {
    throw new Invalid(`${file} is not a DAR Knowledge Graph backup manifest`);
  }
  return parsed as BackupManifest;
}

/**
 * `npm run restore -- <dir>`: puts a backup back into DATA_DIR with the server stopped. The files it replaces are
 * kept in DATA_DIR/replaced-by-restore-<time>/ (returned as `replaced`).
 */
export async function restoreDataDir(
  backupDir: string,
  dataDir: string,
  log?: Log,
): Promise<{ manifest: BackupManifest; replaced?: string; nodes: number; links: number; seq: number }> {
  const from = path.resolve(backupDir);
  const dir = path.resolve(dataDir);
  const manifest = await readManifest(from);
  await fsp.mkdir(dir, { recursive: true, mode: DIR_MODE });
  let release: () => void;
  try {
    // Refused when a server (another process, or a store of this one) holds the folder.
    release = acquireLock(dir);
  } catch (error) {
    if (error instanceof Unavailable) {
      throw new Unavailable(`cannot restore while the server runs: ${error.message}. Stop the server first (a backup can be taken while it runs; a restore cannot).`);
    }
    throw error;
  }
  let replaced: string | undefined;
  try {
    const present = REPLACED_FILES.filter((name) => fs.existsSync(path.join(dir, name)));
    if (present.length > 0) {
      replaced = path.join(dir, `replaced-by-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      await fsp.mkdir(replaced, { mode: DIR_MODE });
      for (const name of present) await fsp.rename(path.join(dir, name), path.join(replaced, name));
      await fsyncDir(replaced);
    }
    for (const name of BACKUP_FILES) {
      const bytes = await readOptional(path.join(from, name));
      if (bytes) await writeDurably(path.join(dir, name), bytes);
    }
    await fsyncDir(dir);
  } finally {
    release();
  }
  const loaded = await loadAndCount(dir, log);
  if (loaded.seq !== manifest.seq || loaded.nodes !== manifest.nodes || loaded.links !== manifest.links) {
    throw new CorruptData(
      `the restored DATA_DIR ${dir} holds ${loaded.nodes} nodes and ${loaded.links} links at entry ${loaded.seq}, but the backup says ${manifest.nodes}, ${manifest.links} at ${manifest.seq}` +
        (replaced ? `; the files it replaced are in ${replaced}` : ''),
    );
  }
  return { manifest, ...(replaced ? { replaced } : {}), nodes: loaded.nodes, links: loaded.links, seq: loaded.seq };
}
