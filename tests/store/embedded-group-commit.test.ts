/**
 * Group commit in the embedded store: writes that queue up while a journal fsync is in flight share the next one,
 * and each is answered only after the fsync that covers its line. The journal's fdatasync goes through a gate the
 * test holds and releases (the `syncJournal` option), so nothing here depends on timing: a write that is not
 * answered is not answered because its sync has not been let through.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Conflict, PreconditionFailed, Unavailable } from '../../server/domain/errors.ts';
import type { GraphLink, GraphNode } from '../../server/schema/graph.schema.ts';
import type { ChangeOptions, ChangeResult, GraphChange } from '../../server/store/graph-store.ts';
import { JOURNAL_FILE, LOCK_FILE, SNAPSHOT_FILE, type JournalSync } from '../../server/store/embedded/data-dir.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { tempDir } from '../support/temp-dir.ts';

const by = (action: ChangeOptions['action']): ChangeOptions => ({ actor: { name: 'test' }, action });
const topic = (i: number, extra: { name_en?: string; summary_en?: string } = {}): GraphNode => ({
  id: `topic-${i}`,
  label: 'Topic',
  name_en: `Topic ${i}`,
  name_km: `ប្រធានបទ ${i}`,
  sources: [],
  ...extra,
});
const programme: GraphNode = { id: 'prog', label: 'Programme', name_en: 'A programme', name_km: 'កម្មវិធី', sources: [] };
const about = (to: string): GraphLink => ({ id: `about-${to}`, type: 'ABOUT', from: 'prog', to, sources: ['https://example.org/s'] });
const createNode = (node: GraphNode): GraphChange[] => [{ kind: 'putNode', node, create: true, checkName: true }];

/** One fdatasync asked for by the journal: how many lines the journal had then, and the test's hold on it. */
interface HeldSync {
  /** Whole lines in the journal file when the sync was asked for (its batch is written, not yet durable). */
  lines: number;
  release(): void;
  fail(error: Error): void;
}

/**
 * The journal's fdatasync, held until the test releases it (or makes it fail). `passThrough()` lets every sync,
 * held or to come, through at once (for set-up, and so that afterEach can close the store).
 */
class SyncGate {
  readonly calls: HeldSync[] = [];
  private open = false;
  private waiting: (() => void)[] = [];
  constructor(readonly dir: string) {}

  readonly sync: JournalSync = (datasync) =>
    new Promise<void>((resolve, reject) => {
      const held: HeldSync = {
        lines: journalLines(this.dir).length,
        release: () => datasync().then(resolve, reject),
        fail: (error) => reject(error),
      };
      this.calls.push(held);
      for (const wake of this.waiting.splice(0)) wake();
      if (this.open) held.release();
    });

  /** The n-th sync (counted from 1), once it has been asked for. */
  async call(n: number): Promise<HeldSync> {
    while (this.calls.length < n) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.calls[n - 1]!;
  }

  passThrough(): void {
    this.open = true;
    for (const held of this.calls) held.release();
  }

  hold(): void {
    this.open = false;
  }
}

function journalLines(dir: string): { seq: number }[] {
  const file = path.join(dir, JOURNAL_FILE);
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => JSON.parse(line.slice(9)) as { seq: number });
}

/** A promise and whether it has settled yet. */
function watch<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { promise, settled: () => settled };
}

/** An fdatasync failing as the kernel reports it. */
const eio = () => Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });

/** One turn of the event loop: every callback already due (checks of queued writes, file I/O done) has run. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const open: { store: EmbeddedStore; gate: SyncGate }[] = [];
async function openStore(extra: Partial<Parameters<typeof EmbeddedStore.open>[0]> = {}, dir = tempDir()) {
  const gate = new SyncGate(dir);
  const store = await EmbeddedStore.open({ dataDir: dir, syncJournal: gate.sync, ...extra });
  await store.whenSearchReady();
  open.push({ store, gate });
  return { store, gate, dir };
}
afterEach(async () => {
  for (const { store, gate } of open.splice(0)) {
    gate.passThrough();
    await store.close().catch(() => undefined);
  }
});

/** The process dies: no close(), no compaction, the lock stays behind. */
function crash(dir: string) {
  open.splice(open.findIndex((o) => o.gate.dir === dir), 1);
  fs.writeFileSync(path.join(dir, LOCK_FILE), '999999999\n');
}

describe('group commit in the embedded store', () => {
  it('lets writes that queue up during an fsync share the next one: fewer fdatasyncs than writes', async () => {
    const { store, gate, dir } = await openStore();
    const N = 20;
    const writes = Array.from({ length: N }, (_, i) => watch(store.applyChanges(createNode(topic(i)), by('create_node'))));
    // The first write's sync is held; the other 19 are checked and queued meanwhile.
    const first = await gate.call(1);
    await turn();
    expect(writes.filter((w) => w.settled())).toHaveLength(0);
    first.release();
    const second = await gate.call(2);
    second.release();
    await Promise.all(writes.map((w) => w.promise));
    // Two fsyncs for twenty writes: the first alone, then the nineteen that queued behind it, in one batch.
    expect(gate.calls).toHaveLength(2);
    expect(gate.calls.map((c) => c.lines)).toEqual([1, N]);
    expect(gate.calls.length).toBeLessThan(N);
    // In order, seq without gaps, and every one in memory.
    expect(journalLines(dir).map((e) => e.seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(await store.countNodes()).toBe(N);
  });

  it('answers no write before the fsync that covers its line, and shows reads only durable writes', async () => {
    const { store, gate } = await openStore();
    const first = watch(store.applyChanges(createNode(topic(0)), by('create_node')));
    const held1 = await gate.call(1);
    const rest = [1, 2, 3].map((i) => watch(store.applyChanges(createNode(topic(i)), by('create_node'))));
    await turn();
    // Written to the journal (the batch is whole on the page cache) but not fsync'd: nobody is answered, and a read
    // does not see it.
    expect(first.settled()).toBe(false);
    expect(await store.getNode('topic-0')).toBeUndefined();
    held1.release();
    await first.promise;
    expect(await store.getNode('topic-0')).toBeDefined();
    // The second batch is written and its sync is asked for, but held.
    const held2 = await gate.call(2);
    expect(held2.lines).toBe(4);
    await turn();
    await turn();
    expect(rest.filter((w) => w.settled())).toHaveLength(0);
    expect(await store.getNode('topic-2')).toBeUndefined();
    expect(await store.listAudit({ limit: 10 })).toHaveLength(1);
    held2.release();
    const results = await Promise.all(rest.map((w) => w.promise));
    expect(results.map((r) => r.entry!.seq)).toEqual([2, 3, 4]);
    expect(await store.getNode('topic-2')).toBeDefined();
    expect((await store.listAudit({ limit: 10 })).map((e) => e.seq)).toEqual([4, 3, 2, 1]);
  });

  it('checks each write against the writes queued before it, and a refusal in a batch fails only that write', async () => {
    const { store, gate, dir } = await openStore();
    gate.passThrough();
    await store.applyChanges(createNode(programme), by('create_node'));
    gate.hold();
    const blocker = watch(store.applyChanges(createNode(topic(0)), by('create_node')));
    const held = await gate.call(2);
    // Queued behind the held sync, each checked against the ones before it:
    const batch: { name: string; w: ReturnType<typeof watch<ChangeResult>> }[] = [
      { name: 'create topic-1', w: watch(store.applyChanges(createNode(topic(1)), by('create_node'))) },
      // a link to topic-1, which exists only as a queued write
      { name: 'link to topic-1', w: watch(store.applyChanges([{ kind: 'putLink', link: about('topic-1'), create: true }], by('create_link'))) },
      // the same id again: taken by the queued create (id_taken)
      { name: 'topic-1 again', w: watch(store.applyChanges(createNode(topic(1, { name_en: 'Other' })), by('create_node'))) },
      // another id with topic-1's English name: taken (duplicate_name)
      { name: 'same name', w: watch(store.applyChanges(createNode(topic(2, { name_en: 'Topic 1' })), by('create_node'))) },
      // an update of topic-1 at version 1 (the queued create's), then a stale one at version 1 again (412)
      { name: 'update v1', w: watch(store.applyChanges([{ kind: 'putNode', node: topic(1, { summary_en: 'one' }), expectedVersion: 1 }], by('update_node'))) },
      { name: 'stale update', w: watch(store.applyChanges([{ kind: 'putNode', node: topic(1, { summary_en: 'two' }), expectedVersion: 1 }], by('update_node'))) },
      { name: 'create topic-3', w: watch(store.applyChanges(createNode(topic(3)), by('create_node'))) },
    ];
    await turn();
    expect(batch.filter(({ w }) => w.settled())).toHaveLength(0);
    held.release();
    (await gate.call(3)).release();
    const outcomes = await Promise.all(batch.map(({ w }) => w.promise.then((r) => r, (e: unknown) => e)));
    await blocker.promise;
    const refused = Object.fromEntries(batch.map(({ name }, i) => [name, outcomes[i]]).filter(([, o]) => o instanceof Error));
    expect(Object.keys(refused)).toEqual(['topic-1 again', 'same name', 'stale update']);
    expect(refused['topic-1 again']).toBeInstanceOf(Conflict);
    expect((refused['topic-1 again'] as Conflict).code).toBe('id_taken');
    expect((refused['same name'] as Conflict).code).toBe('duplicate_name');
    expect(refused['stale update']).toBeInstanceOf(PreconditionFailed);
    // The others were acknowledged, in one fsync, with consecutive seqs: the refusals took none.
    expect(gate.calls).toHaveLength(3);
    expect(gate.calls[2]!.lines).toBe(6);
    expect(journalLines(dir).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((outcomes[4] as ChangeResult).entry!.changes[0]!.after).toMatchObject({ version: 2, summary_en: 'one' });
    // And they are durable: after a crash they are all there, and nothing of the refused ones.
    crash(dir);
    const again = await EmbeddedStore.open({ dataDir: dir });
    open.push({ store: again, gate: new SyncGate(dir) });
    expect((await again.getNode('topic-1'))).toMatchObject({ name_en: 'Topic 1', summary_en: 'one', version: 2 });
    expect(await again.getLink('about-topic-1')).toBeDefined();
    expect(await again.getNode('topic-2')).toBeUndefined();
    expect(await again.getNode('topic-3')).toBeDefined();
  });

  it('fails every write of a batch whose fsync fails, keeps memory as the journal, and goes on', async () => {
    const { store, gate, dir } = await openStore();
    const ok = watch(store.applyChanges(createNode(topic(0)), by('create_node')));
    const held = await gate.call(1);
    const doomed = [1, 2].map((i) => watch(store.applyChanges(createNode(topic(i)), by('create_node'))));
    // Checked against topic-1 (queued, then lost): changes nothing, so it is answered with its batch's outcome.
    const unchanged = watch(store.applyChanges([{ kind: 'putNode', node: topic(1) }], by('upsert')));
    // Refused against topic-2 (queued, then lost): the refusal rested on a write that failed, so it fails too.
    const refusal = watch(store.applyChanges(createNode(topic(2)), by('create_node')));
    held.release();
    await ok.promise;
    (await gate.call(2)).fail(eio());
    (await gate.call(3)).release(); // cutting the failed batch off the journal again
    for (const w of [...doomed, unchanged, refusal]) {
      const error = await w.promise.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(Unavailable);
      expect((error as Error).message).toBe('the journal append failed (EIO); nothing of this write was kept');
    }
    // Memory and journal hold the first write only.
    expect(journalLines(dir).map((e) => e.seq)).toEqual([1]);
    expect(await store.countNodes()).toBe(1);
    expect(await store.getNode('topic-1')).toBeUndefined();
    // The store goes on: the next write is seq 2, the failed writes can be made again.
    gate.passThrough();
    expect((await store.applyChanges(createNode(topic(1)), by('create_node'))).entry!.seq).toBe(2);
    expect((await store.health()).ok).toBe(true);
    crash(dir);
    const again = await EmbeddedStore.open({ dataDir: dir });
    open.push({ store: again, gate: new SyncGate(dir) });
    expect((await again.exportAll()).nodes.map((n) => n.id).sort()).toEqual(['topic-0', 'topic-1']);
  });

  it('stops taking writes when a failed append cannot be cut off the journal again', async () => {
    const log: string[] = [];
    const { store, gate, dir } = await openStore({ log: (line) => log.push(line) });
    const failing = watch(store.applyChanges(createNode(topic(0)), by('create_node')));
    (await gate.call(1)).fail(eio());
    (await gate.call(2)).fail(eio());
    const error = await failing.promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Unavailable);
    expect((error as Error).message).toMatch(/EIO.*may or may not be there/);
    const health = await store.health();
    expect(health).toMatchObject({ ok: false, message: expect.stringMatching(/could not be cut off again \(EIO\)/) });
    await expect(store.applyChanges(createNode(topic(1)), by('create_node'))).rejects.toThrow(/stopped accepting writes/);
    expect(gate.calls).toHaveLength(2);
    // What clients see names no file; the log has the whole story.
    for (const answer of [(error as Error).message, JSON.stringify(health)]) expect(answer).not.toContain(dir);
    expect(log.join('\n')).toContain(path.join(dir, JOURNAL_FILE));
  });

  it('compacts between batches while writes keep queuing, and loads it all back', async () => {
    const { store, gate, dir } = await openStore({ compactEntries: 4 });
    gate.passThrough();
    const N = 30;
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        Array.from({ length: N / 3 }, (_, i) => store.applyChanges(createNode(topic(round * 10 + i)), by('create_node'))),
      );
    }
    expect(gate.calls.length).toBeLessThan(N);
    expect(fs.existsSync(path.join(dir, SNAPSHOT_FILE))).toBe(true);
    expect((await store.listAudit({ limit: 100 })).map((e) => e.seq)).toEqual(Array.from({ length: N }, (_, i) => N - i));
    crash(dir);
    const again = await EmbeddedStore.open({ dataDir: dir });
    open.push({ store: again, gate: new SyncGate(dir) });
    expect(await again.countNodes()).toBe(N);
    expect((await again.listAudit({ limit: 100 })).map((e) => e.seq)).toEqual(Array.from({ length: N }, (_, i) => N - i));
  });
});

describe('a power cut during a group commit', () => {
  /** Writes topic 0 alone, then topics 1–3 as one batch whose fsync is held; returns the journal as it is then. */
  async function unsyncedBatch(): Promise<{ journal: string[]; release: () => Promise<void> }> {
    const { store, gate, dir } = await openStore();
    const first = store.applyChanges(createNode(topic(0)), by('create_node'));
    const held1 = await gate.call(1);
    const writes = [1, 2, 3].map((i) => store.applyChanges(createNode(topic(i)), by('create_node')));
    await turn();
    held1.release();
    await first;
    const sync = await gate.call(2);
    expect(sync.lines).toBe(4);
    const journal = fs.readFileSync(path.join(dir, JOURNAL_FILE), 'utf8').split('\n');
    return {
      journal,
      release: async () => {
        sync.release();
        await Promise.all(writes);
      },
    };
  }

  /** The journal as a power cut may leave it: some pages of the last batch kept, one line of it not. */
  function afterPowerCut(journal: string[], damagedLine: number): string {
    const lines = [...journal];
    lines[damagedLine] = lines[damagedLine]!.replace('Topic', 'T\u0000pic');
    return lines.join('\n');
  }

  it('marks each line after the first of a batch with the batch start, which the audit trail does not show', async () => {
    const { journal, release } = await unsyncedBatch();
    const seqs = journal.filter(Boolean).map((line) => JSON.parse(line.slice(9)) as { seq: number; batch?: number });
    expect(seqs.map((e) => [e.seq, e.batch])).toEqual([[1, undefined], [2, undefined], [3, 2], [4, 2]]);
    await release();
    const { store } = open.at(-1)!;
    const audit = await store.listAudit({ limit: 10 });
    expect(audit.map((e) => e.seq)).toEqual([4, 3, 2, 1]);
    for (const entry of audit) expect(entry).not.toHaveProperty('batch');
  });

  it('drops the damaged rest of an unfinished last batch on load (none of it was acknowledged)', async () => {
    const { journal, release } = await unsyncedBatch();
    await release(); // the original store goes on; its journal as it was before the fsync is loaded elsewhere
    const copy = tempDir();
    fs.writeFileSync(path.join(copy, JOURNAL_FILE), afterPowerCut(journal, 2)); // seq 3 damaged, seq 4 whole after it
    const lines: string[] = [];
    const { store, gate } = await openStore({ log: (line) => lines.push(line) }, copy);
    gate.passThrough();
    expect((await store.exportAll()).nodes.map((n) => n.id).sort()).toEqual(['topic-0', 'topic-1']);
    expect(lines.join('\n')).toMatch(/unfinished last group commit/);
    // The next write follows on at seq 3, and survives a reopen.
    const next = await store.applyChanges(createNode(topic(9)), by('create_node'));
    expect(next.entry!.seq).toBe(3);
  });

  it('still refuses damage in a batch that a later batch follows (that batch had been synced)', async () => {
    const { journal, release } = await unsyncedBatch();
    await release();
    const { store, gate } = open.at(-1)!;
    const dir = gate.dir;
    gate.passThrough();
    await store.applyChanges(createNode(topic(5)), by('create_node')); // a batch of its own, after the synced one
    const full = fs.readFileSync(path.join(dir, JOURNAL_FILE), 'utf8').split('\n');
    expect(full.slice(0, journal.length - 1)).toEqual(journal.slice(0, -1));
    const copy = tempDir();
    fs.writeFileSync(path.join(copy, JOURNAL_FILE), afterPowerCut(full, 2));
    const before = fs.readFileSync(path.join(copy, JOURNAL_FILE));
    const error = await EmbeddedStore.open({ dataDir: copy }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/damaged at line 3/);
    expect(fs.readFileSync(path.join(copy, JOURNAL_FILE))).toEqual(before);
  });
});
