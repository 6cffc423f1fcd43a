/** The embedded store on disk: reopen, torn tails, damage refused, lock, compaction. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptData, Unavailable } from '../../server/domain/errors.ts';
import type { GraphNode } from '../../server/schema/graph.schema.ts';
import { JOURNAL_FILE, LOCK_FILE, SNAPSHOT_FILE } from '../../server/store/embedded/data-dir.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { tempDir } from '../support/temp-dir.ts';

const actor = { name: 'test' };
const topic = (i: number): GraphNode => ({
  id: `topic-${i}`,
  label: 'Topic',
  name_en: `Topic ${i}`,
  name_km: `ប្រធានបទ ${i}`,
  sources: [],
});

const open: EmbeddedStore[] = [];
async function openStore(dir: string, extra: Partial<Parameters<typeof EmbeddedStore.open>[0]> = {}) {
  const store = await EmbeddedStore.open({ dataDir: dir, ...extra });
  open.push(store);
  return store;
}
afterEach(async () => {
  for (const store of open.splice(0)) await store.close().catch(() => undefined);
});

/** Simulates a crash: the process dies without close(), so no compaction and the lock stays. */
function crash(dir: string) {
  fs.writeFileSync(path.join(dir, LOCK_FILE), '999999999\n');
}

describe('the embedded store on disk', () => {
  it('keeps acknowledged writes across a crash (journal only, no snapshot)', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    for (let i = 0; i < 5; i++) await store.upsert({ nodes: [topic(i)] }, actor);
    open.pop(); // no close: crash
    crash(dir);
    expect(fs.existsSync(path.join(dir, SNAPSHOT_FILE))).toBe(false);
    const again = await openStore(dir);
    expect(await again.countNodes()).toBe(5);
    expect((await again.getNode('topic-3'))?.name_km).toBe('ប្រធានបទ 3');
  });

  it('a write costs one journal line, not a rewrite of the graph', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await store.upsert({ nodes: Array.from({ length: 200 }, (_, i) => topic(i)) }, actor);
    const size = fs.statSync(path.join(dir, JOURNAL_FILE)).size;
    await store.upsert({ nodes: [{ ...topic(1), name_en: 'changed' }] }, actor);
    const grown = fs.statSync(path.join(dir, JOURNAL_FILE)).size - size;
    expect(grown).toBeGreaterThan(0);
    expect(grown).toBeLessThan(1000);
  });

  it('drops a torn last journal entry and keeps the rest', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await store.upsert({ nodes: [topic(1)] }, actor);
    await store.upsert({ nodes: [topic(2)] }, actor);
    open.pop();
    crash(dir);
    fs.appendFileSync(path.join(dir, JOURNAL_FILE), '1234abcd\t{"seq":3,"at":"x","by":"y","ops":[{"op":"putNo');
    const lines: string[] = [];
    const again = await openStore(dir, { log: (l) => lines.push(l) });
    expect(await again.countNodes()).toBe(2);
    expect(lines.join('\n')).toMatch(/torn/);
    // The next write starts on a clean line and survives another reopen.
    await again.upsert({ nodes: [topic(3)] }, actor);
    open.pop();
    crash(dir);
    expect(await (await openStore(dir)).countNodes()).toBe(3);
  });

  it('refuses a journal damaged in the middle, naming the file, and leaves it as it was', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    for (let i = 0; i < 3; i++) await store.upsert({ nodes: [topic(i)] }, actor);
    open.pop();
    crash(dir);
    const file = path.join(dir, JOURNAL_FILE);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('Topic 1', 'Topic X');
    fs.writeFileSync(file, lines.join('\n'));
    const before = fs.readFileSync(file);
    const error = await EmbeddedStore.open({ dataDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptData);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/line 2/);
    expect(fs.readFileSync(file)).toEqual(before);
  });

  it('refuses a damaged snapshot, naming it, and never replaces it', async () => {
    const dir = tempDir();
    const file = path.join(dir, SNAPSHOT_FILE);
    fs.writeFileSync(file, '{"format":"dar-kg-snapshot","seq":1,"nodes":[');
    const error = await EmbeddedStore.open({ dataDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptData);
    expect((error as Error).message).toContain(file);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"format":"dar-kg-snapshot","seq":1,"nodes":[');
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('lets one process own a DATA_DIR: a live lock is refused with its pid', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, LOCK_FILE), `${process.ppid}\n`);
    const error = await EmbeddedStore.open({ dataDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Unavailable);
    expect((error as Error).message).toContain(`in use by process ${process.ppid}`);
  });

  it('refuses a second store on a DATA_DIR that a store of this very process has open, and opens it once that one is closed', async () => {
    const dir = tempDir();
    const first = await openStore(dir);
    await first.upsert({ nodes: [topic(1)] }, actor);
    const error = await EmbeddedStore.open({ dataDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Unavailable);
    expect((error as Error).message).toContain(`in use by process ${process.pid} (this one)`);
    // The first store keeps its lock and goes on writing.
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    await first.upsert({ nodes: [topic(2)] }, actor);
    await first.close();
    open.pop();
    const again = await openStore(dir);
    expect((await again.exportAll()).nodes.map((n) => n.id).sort()).toEqual(['topic-1', 'topic-2']);
  });

  it('takes over the lock of a dead process', async () => {
    const dir = tempDir();
    crash(dir);
    const store = await openStore(dir);
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    await store.close();
    open.pop();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('compacts the journal into a snapshot and loads from both', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { compactEntries: 3 });
    for (let i = 0; i < 7; i++) await store.upsert({ nodes: [topic(i)] }, actor);
    const header = JSON.parse(fs.readFileSync(path.join(dir, SNAPSHOT_FILE), 'utf8').split('\n')[0]!);
    expect(header.seq).toBe(6);
    expect(header.nodes).toBe(6);
    expect(fs.readFileSync(path.join(dir, JOURNAL_FILE), 'utf8').trim().split('\n')).toHaveLength(1);
    open.pop();
    crash(dir);
    const again = await openStore(dir);
    expect(await again.countNodes()).toBe(7);
  });

  it('skips journal entries already in the snapshot (crash between rename and journal reset)', async () => {
    const dir = tempDir();
    const file = path.join(dir, JOURNAL_FILE);
    const store = await openStore(dir);
    for (let i = 0; i < 3; i++) await store.upsert({ nodes: [topic(i)] }, actor);
    const entries1to3 = fs.readFileSync(file, 'utf8');
    await store.compactNow(); // snapshot at seq 3, journal emptied
    await store.upsert({ nodes: [topic(9)] }, actor); // entry 4
    const entry4 = fs.readFileSync(file, 'utf8');
    open.pop();
    crash(dir);
    // As if the journal reset had not reached the disk: entries 1..3 are still there before entry 4.
    fs.writeFileSync(file, entries1to3 + entry4);
    const again = await openStore(dir);
    expect(await again.countNodes()).toBe(4);
    expect((await again.getNode('topic-9'))?.name_en).toBe('Topic 9');
  });
});

describe('search after a reopen', () => {
  it('searches the loaded graph once the background index is built, and sees writes made meanwhile', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await store.upsert({ nodes: Array.from({ length: 300 }, (_, i) => topic(i)) }, actor);
    await store.close();
    open.pop();
    const again = await openStore(dir);
    // A write before the index is ready: changes a loaded node and adds a new one.
    await again.upsert({ nodes: [{ ...topic(7), name_en: 'Renamed seventh' }, { ...topic(999), name_en: 'Brand new' }] }, actor);
    expect((await again.search({ q: 'renamed', limit: 5 })).map((h) => h.id)).toEqual(['topic-7']);
    expect((await again.search({ q: 'brand new', limit: 5 })).map((h) => h.id)).toEqual(['topic-999']);
    expect((await again.search({ q: 'topic 123', limit: 5 }))[0]?.id).toBe('topic-123');
    expect((await again.search({ q: 'topic 7', limit: 50 })).map((h) => h.id)).not.toContain('topic-7');
  });
});
