/**
 * The embedded store's audit trail on disk: carried in the journal entry of each write (one atomic append),
 * archived to audit.ndjson by compaction before the snapshot rename, never part of the snapshot, and intact after
 * a crash at any step of a compaction (entries neither lost nor listed twice), a torn archive tail, or a journal
 * written before the audit existed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptData } from '../../server/domain/errors.ts';
import type { GraphNode } from '../../server/schema/graph.schema.ts';
import { AUDIT_FILE, JOURNAL_FILE, LOCK_FILE, SNAPSHOT_FILE, encodeEntry } from '../../server/store/embedded/data-dir.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { tempDir } from '../support/temp-dir.ts';

const actor = { name: 'test' };
const topic = (i: number, name = `Topic ${i}`): GraphNode => ({ id: `topic-${i}`, label: 'Topic', name_en: name, name_km: `ប្រធានបទ ${i}`, sources: [] });

const open: EmbeddedStore[] = [];
async function openStore(dir: string, extra: Partial<Parameters<typeof EmbeddedStore.open>[0]> = {}) {
  const store = await EmbeddedStore.open({ dataDir: dir, ...extra });
  open.push(store);
  return store;
}
afterEach(async () => {
  for (const store of open.splice(0)) await store.close().catch(() => undefined);
});

/** The process dies: no close(), no compaction, the lock stays behind. */
function crash(dir: string) {
  open.pop();
  fs.writeFileSync(path.join(dir, LOCK_FILE), '999999999\n');
}

const seqs = async (store: EmbeddedStore) => (await store.listAudit({ limit: 1000 })).map((e) => e.seq);

describe('the embedded audit trail on disk', () => {
  it('writes each change and its audit entry as one journal line', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await store.upsert({ nodes: [topic(1)] }, actor);
    await store.upsert({ nodes: [topic(1, 'Renamed')] }, actor);
    const lines = fs.readFileSync(path.join(dir, JOURNAL_FILE), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    const entry = JSON.parse(lines[1]!.slice(9));
    expect(Object.keys(entry).slice(0, 2)).toEqual(['seq', 'id']);
    expect(entry).toMatchObject({ seq: 2, by: 'test', action: 'upsert', changes: [{ entity: 'node', id: 'topic-1', before: { name_en: 'Topic 1' }, after: { name_en: 'Renamed', version: 2 } }] });
  });

  it('archives the audit at compaction, keeps it out of the snapshot, and lists journal and archive as one', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { compactEntries: 4 });
    for (let i = 0; i < 10; i++) await store.upsert({ nodes: [topic(i)] }, actor);
    expect(await seqs(store)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    const archived = fs.readFileSync(path.join(dir, AUDIT_FILE), 'utf8').trim().split('\n');
    expect(archived.map((line) => JSON.parse(line.slice(9)).seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(fs.readFileSync(path.join(dir, SNAPSHOT_FILE), 'utf8')).not.toMatch(/"changes"|"action"/);
    crash(dir);
    const again = await openStore(dir);
    expect(await seqs(again)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect((await again.getAudit((await again.listAudit({ limit: 10 }))[7]!.id))?.seq).toBe(3);
  });

  it('lists nothing twice and loses nothing after a crash between the archive append and the snapshot rename', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    for (let i = 0; i < 3; i++) await store.upsert({ nodes: [topic(i)] }, actor);
    // As if compaction had appended the journal to the archive, then died before the snapshot rename.
    fs.writeFileSync(path.join(dir, AUDIT_FILE), fs.readFileSync(path.join(dir, JOURNAL_FILE)));
    crash(dir);
    const again = await openStore(dir, { compactEntries: 2 });
    expect(await seqs(again)).toEqual([3, 2, 1]);
    await again.upsert({ nodes: [topic(3)] }, actor); // compacts: entries 1..3 are not archived again
    await again.upsert({ nodes: [topic(4)] }, actor);
    expect(await seqs(again)).toEqual([5, 4, 3, 2, 1]);
    const archived = fs.readFileSync(path.join(dir, AUDIT_FILE), 'utf8').trim().split('\n');
    expect(archived.map((line) => JSON.parse(line.slice(9)).seq)).toEqual([1, 2, 3, 4]);
    expect(await again.countNodes()).toBe(5);
  });

  it('lists nothing twice after a crash between the snapshot rename and the journal reset', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    for (let i = 0; i < 3; i++) await store.upsert({ nodes: [topic(i)] }, actor);
    const journal = fs.readFileSync(path.join(dir, JOURNAL_FILE));
    await store.compactNow();
    fs.writeFileSync(path.join(dir, JOURNAL_FILE), journal); // the reset never reached the disk
    crash(dir);
    const again = await openStore(dir);
    expect(await seqs(again)).toEqual([3, 2, 1]);
  });

  it('cuts off a torn archive tail (still in the journal) and keeps listing', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    for (let i = 0; i < 2; i++) await store.upsert({ nodes: [topic(i)] }, actor);
    await store.compactNow();
    await store.upsert({ nodes: [topic(2)] }, actor);
    const journal = fs.readFileSync(path.join(dir, JOURNAL_FILE), 'utf8');
    fs.appendFileSync(path.join(dir, AUDIT_FILE), journal.slice(0, 40)); // a torn append of entry 3
    crash(dir);
    const lines: string[] = [];
    const again = await openStore(dir, { log: (l) => lines.push(l) });
    expect(await seqs(again)).toEqual([3, 2, 1]);
    expect(lines.join('\n')).toMatch(/torn/);
    await again.compactNow();
    const archived = fs.readFileSync(path.join(dir, AUDIT_FILE), 'utf8');
    expect(archived.endsWith('\n')).toBe(true);
    expect(archived.trim().split('\n').map((line) => JSON.parse(line.slice(9)).seq)).toEqual([1, 2, 3]);
  });

  it('reads archived entries larger than its read chunk (1 MB), newest first', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    const batch = (b: number) => Array.from({ length: 6000 }, (_, i) => topic(b * 10_000 + i, `Topic ${b}-${i} ${'x'.repeat(40)}`));
    await store.upsert({ nodes: [topic(1)] }, actor);
    for (let b = 1; b <= 3; b++) await store.upsert({ nodes: batch(b) }, actor);
    await store.upsert({ nodes: [topic(2)] }, actor);
    await store.compactNow();
    expect(fs.statSync(path.join(dir, AUDIT_FILE)).size).toBeGreaterThan(3 * 1024 * 1024);
    const entries = await store.listAudit({ limit: 10 });
    expect(entries.map((e) => [e.seq, e.changes.length])).toEqual([[5, 1], [4, 6000], [3, 6000], [2, 6000], [1, 1]]);
    expect(entries[2]!.changes[5999]!.id).toBe('topic-25999');
    expect((await store.getAudit(entries[3]!.id))?.seq).toBe(2);
  });

  it('refuses an archive damaged in the middle, naming the file, and leaves it as it was', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    for (let i = 0; i < 3; i++) await store.upsert({ nodes: [topic(i)] }, actor);
    await store.compactNow();
    const file = path.join(dir, AUDIT_FILE);
    const damaged = fs.readFileSync(file, 'utf8').replace('Topic 1', 'Topic X');
    fs.writeFileSync(file, damaged);
    const error = await store.listAudit({ limit: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptData);
    expect((error as Error).message).toContain(file);
    expect(fs.readFileSync(file, 'utf8')).toBe(damaged);
  });

  it('reads a journal written before the audit existed (entries of operations), and audits what follows', async () => {
    const dir = tempDir();
    const legacy = [
      { seq: 1, at: '2026-01-01T00:00:00.000Z', by: 'seed', ops: [{ op: 'putNode', node: topic(1) }] },
      { seq: 2, at: '2026-01-01T00:00:01.000Z', by: 'seed', ops: [{ op: 'putNode', node: topic(2) }, { op: 'deleteNode', id: 'topic-1' }] },
    ];
    fs.writeFileSync(path.join(dir, JOURNAL_FILE), legacy.map((e) => encodeEntry(e as never)).join(''));
    const store = await openStore(dir, { compactEntries: 2 });
    expect((await store.exportAll()).nodes.map((n) => n.id)).toEqual(['topic-2']);
    expect(await store.listAudit({ limit: 10 })).toEqual([]);
    await store.upsert({ nodes: [topic(3)] }, actor);
    expect(await seqs(store)).toEqual([3]);
    await store.upsert({ nodes: [topic(4)] }, actor); // compacts
    expect(await seqs(store)).toEqual([4, 3]);
    expect((await store.getNode('topic-2'))?.version).toBeUndefined(); // written before versions: counts as 1
  });
});
