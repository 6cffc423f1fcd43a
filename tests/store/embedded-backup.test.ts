/**
 * The backup and restore of the embedded store's DATA_DIR (server/store/embedded/backup.ts), in process: what a copy
 * takes from a running store's files (a line being appended left out, a compaction in between noticed), and what
 * backup and restore refuse. The concurrent-writer test on the real server is tests/durability/online-backup.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Invalid, Unavailable } from '../../server/domain/errors.ts';
import type { GraphNode } from '../../server/schema/graph.schema.ts';
import { BACKUP_MANIFEST, backupDataDir, copyConsistent, readManifest, restoreDataDir } from '../../server/store/embedded/backup.ts';
import { JOURNAL_FILE, LOCK_FILE, SNAPSHOT_FILE } from '../../server/store/embedded/data-dir.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { tempDir } from '../support/temp-dir.ts';

const actor = { name: 'test' };
const topic = (i: number, name = `Topic ${i}`): GraphNode => ({ id: `topic-${i}`, label: 'Topic', name_en: name, name_km: `ប្រធានបទ ${i}`, sources: [] });

const open: EmbeddedStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close().catch(() => undefined);
});

/** A DATA_DIR with `compacted` writes in its snapshot and `journal` more in its journal, left open (running). */
async function running(compacted: number, journal: number): Promise<{ dir: string; store: EmbeddedStore }> {
  const dir = tempDir('dar-kg-backup-unit-');
  const store = await EmbeddedStore.open({ dataDir: dir, compactEntries: Number.MAX_SAFE_INTEGER });
  open.push(store);
  for (let i = 0; i < compacted; i++) await store.upsert({ nodes: [topic(i)] }, actor);
  await store.compactNow();
  for (let i = compacted; i < compacted + journal; i++) await store.upsert({ nodes: [topic(i)] }, actor);
  return { dir, store };
}

async function namesIn(dir: string): Promise<string[]> {
  const store = await EmbeddedStore.open({ dataDir: dir });
  try {
    return (await store.exportAll()).nodes.map((n) => n.id).sort();
  } finally {
    await store.close();
  }
}

describe('backup of a running embedded store', () => {
  it('copies the snapshot and the journal after it, and loads and compacts the copy', async () => {
    const { dir, store } = await running(3, 2);
    const target = path.join(tempDir('dar-kg-backup-to-'), 'b');
    const result = await backupDataDir(dir, target);
    expect(result).toMatchObject({ seq: 5, nodes: 5, links: 0, copy: { snapshotSeq: 3, journalEntries: 2, auditLines: 3, attempts: 1 } });
    expect(await readManifest(target)).toMatchObject({ format: 'dar-kg-backup', seq: 5, nodes: 5 });
    expect(fs.statSync(target).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(target, SNAPSHOT_FILE)).mode & 0o777).toBe(0o600);
    // The source is untouched and still running; the copy was compacted into one snapshot.
    expect(fs.statSync(path.join(target, JOURNAL_FILE)).size).toBe(0);
    await store.upsert({ nodes: [topic(9)] }, actor);
    expect(await namesIn(target)).toEqual(['topic-0', 'topic-1', 'topic-2', 'topic-3', 'topic-4']);
  });

  it('leaves out a journal line that is still being appended (no newline or a bad checksum yet)', async () => {
    const { dir } = await running(0, 3);
    const journal = path.join(dir, JOURNAL_FILE);
    const whole = fs.readFileSync(journal, 'utf8');
    const last = whole.slice(whole.lastIndexOf('\n', whole.length - 2) + 1);
    for (const partial of [last.slice(0, 40), `${last.slice(0, 40)}\n`]) {
      const copy = tempDir('dar-kg-backup-torn-');
      fs.writeFileSync(journal, whole.slice(0, whole.length - last.length) + partial);
      expect(await copyConsistent(dir, copy)).toMatchObject({ seq: 2, journalEntries: 2 });
    }
    fs.writeFileSync(journal, whole);
  });

  it('notices a compaction between reading the snapshot and the journal (a gap) and copies again', async () => {
    const { dir, store } = await running(2, 0);
    // The journal as a compaction leaves it: entries after a newer snapshot than the one on disk.
    const older = fs.readFileSync(path.join(dir, SNAPSHOT_FILE));
    for (let i = 2; i < 4; i++) await store.upsert({ nodes: [topic(i)] }, actor);
    await store.compactNow();
    await store.upsert({ nodes: [topic(4)] }, actor);
    fs.writeFileSync(path.join(dir, SNAPSHOT_FILE), older); // snapshot at 2, journal at 5: entries 3 and 4 missing
    await expect(copyConsistent(dir, tempDir('dar-kg-backup-gap-'))).rejects.toThrow(Unavailable);
  });

  it('notices a compaction that empties the journal between reading the snapshot and the journal, and copies again', async () => {
    // Entries 3 and 4 are acknowledged (in the journal) before the backup begins; a compaction lands after the copy
    // read the snapshot at 2, moving them into a new snapshot and emptying the journal. The copy must still hold them.
    const { dir, store } = await running(2, 2);
    let compactions = 0;
    const copy = await copyConsistent(dir, tempDir('dar-kg-backup-emptied-'), {
      afterSnapshotRead: async () => {
        if (compactions++ === 0) await store.compactNow();
      },
    });
    expect(copy).toMatchObject({ seq: 4, snapshotSeq: 4, journalEntries: 0, attempts: 2 });
  });

  it('refuses a folder that is not empty, or inside DATA_DIR, writing nothing', async () => {
    const { dir } = await running(1, 0);
    const full = tempDir('dar-kg-backup-full-');
    fs.writeFileSync(path.join(full, 'keep.txt'), 'mine');
    await expect(backupDataDir(dir, full)).rejects.toThrow(/is not empty/);
    expect(fs.readdirSync(full)).toEqual(['keep.txt']);
    await expect(backupDataDir(dir, path.join(dir, 'backups'))).rejects.toThrow(Invalid);
    expect(fs.existsSync(path.join(dir, 'backups'))).toBe(false);
  });
});

describe('restore of a backup', () => {
  it('refuses while a store holds DATA_DIR, and a folder that is not a backup, changing nothing', async () => {
    const { dir: source, store } = await running(2, 0);
    const backup = path.join(tempDir('dar-kg-restore-from-'), 'b');
    await backupDataDir(source, backup);
    const before = fs.readdirSync(source).sort();
    // Held by this process …
    await expect(restoreDataDir(backup, source)).rejects.toThrow(/cannot restore while the server runs: .*in use by process/);
    await store.close();
    open.pop();
    // … or by another one that is alive (as a server's lock).
    fs.writeFileSync(path.join(source, LOCK_FILE), `${process.ppid}\n`);
    await expect(restoreDataDir(backup, source)).rejects.toThrow(`in use by process ${process.ppid}`);
    expect(fs.readdirSync(source).sort()).toEqual(before);
    fs.rmSync(path.join(source, LOCK_FILE));
    const target = tempDir('dar-kg-restore-none-');
    await expect(restoreDataDir(tempDir('dar-kg-not-a-backup-'), target)).rejects.toThrow(/is not a backup made by `npm run backup`/);
    expect(fs.readdirSync(target)).toEqual([]);
  });

  it('moves the present files aside and puts the backup in their place', async () => {
    const { dir: source, store } = await running(2, 1);
    const backup = path.join(tempDir('dar-kg-restore-from-'), 'b');
    await backupDataDir(source, backup);
    await store.upsert({ nodes: [topic(0, 'Renamed after the backup'), topic(7)] }, actor);
    await store.close();
    open.pop();
    // A lock naming this pid that no store of this process holds: left by an earlier process that had the same pid
    // (a container's pid 1), taken over (it was refused as "this one" before).
    fs.writeFileSync(path.join(source, LOCK_FILE), `${process.pid}\n`);
    const result = await restoreDataDir(backup, source);
    expect(result).toMatchObject({ seq: 3, nodes: 3, links: 0 });
    expect(result.replaced).toMatch(/replaced-by-restore-/);
    expect(fs.readdirSync(result.replaced!)).toContain(SNAPSHOT_FILE);
    expect(fs.existsSync(path.join(source, BACKUP_MANIFEST))).toBe(false);
    const reopened = await EmbeddedStore.open({ dataDir: source });
    open.push(reopened);
    expect((await reopened.getNode('topic-0'))?.name_en).toBe('Topic 0');
    expect(await reopened.getNode('topic-7')).toBeUndefined();
    expect((await reopened.listAudit({ limit: 100 })).map((e) => e.seq)).toEqual([3, 2, 1]);
  });
});
