/**
 * Concurrent writers against the real server (embedded store), SIGKILL at a random moment, restart, check: what
 * tests/durability/kill-during-writes.test.ts runs a few cycles of in `npm test`, and tests/crash/crash.ts runs a
 * hundred of (`npm run test:crash`). Plain node:assert, so it runs inside Vitest and outside it.
 *
 * Per cycle: start the server on the same DATA_DIR (the store must load), verify, let `writers` editors create nodes
 * and links (and change some) over HTTP at once, SIGKILL after a random delay. Verify means: every write that got
 * a 2xx is there as acknowledged (or one version on, when a change of it was in flight at the kill), no link lacks
 * an end, and the audit trail, replayed, gives exactly the graph (no record without its entry, no entry without
 * its data); writes in flight at the kill are wholly there or wholly absent, and once there, stay. The journal is
 * compacted every few writes so that kills also land in compactions (audit archive append, snapshot rename).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, type ServerProcess } from './server-process.ts';

export interface WriteCrashOptions {
  dataDir: string;
  cycles: number;
  writers: number;
  /** JOURNAL_COMPACT_ENTRIES of the server. */
  compactEvery: number;
  /** The kill comes this many ms after the writers start, uniformly at random. */
  killAfterMs: readonly [number, number];
  /** Seed of the kill delays (printed, so a run can be told apart). */
  seed: number;
  /** Replay the whole audit trail every this many cycles (and at the end); in between only its new entries. */
  fullAuditEvery?: number;
  /** Each cycle must acknowledge more writes than this (the writers did get going). */
  minAcknowledgedPerCycle?: number;
  log?: (line: string) => void;
}

export interface WriteCrashTotals {
  cycles: number;
  acknowledged: number;
  nodes: number;
  links: number;
  updates: number;
  inFlight: number;
  /** Acknowledged records checked after restarts (one record may be checked after several). */
  checked: number;
  /** Audit entries replayed. */
  auditEntries: number;
  /** Starts of the server on the killed DATA_DIR, each of which loaded the store. */
  restarts: number;
}

interface StoredRecord {
  id: string;
  version: number;
  [key: string]: unknown;
}
interface AuditEntry {
  id: string;
  seq: number;
  changes: { entity: 'node' | 'link'; id: string; before: StoredRecord | null; after: StoredRecord | null }[];
}

/** A tiny seeded generator. */
export function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

export function writerTokens(writers: number): { tokens: (readonly [string, string])[]; editorTokens: string } {
  const tokens = Array.from({ length: writers }, (_, i) => [`writer-${i + 1}`, `writer-token-${i + 1}-0123456789abcdef`] as const);
  return { tokens, editorTokens: tokens.map(([name, token]) => `${name}:${token}`).join(',') };
}

/** The audit trail replayed so far: records by "node:<id>" / "link:<id>", and the newest seq applied. */
interface Replay {
  records: Map<string, StoredRecord>;
  seqs: Set<number>;
  lastSeq: number;
}

export async function runWriteCrashCycles(options: WriteCrashOptions): Promise<WriteCrashTotals> {
  const log = options.log ?? ((line: string) => console.log(line));
  const { tokens, editorTokens } = writerTokens(options.writers);
  const env = { DATA_DIR: options.dataDir, EDITOR_TOKENS: editorTokens, WRITE_RATE_LIMIT: '1000000', JOURNAL_COMPACT_ENTRIES: String(options.compactEvery) };
  const rand = random(options.seed);
  const started: ServerProcess[] = [];
  const start = async () => {
    const server = await startServer(env, 120_000);
    started.push(server);
    return server;
  };

  /** The last acknowledged state of every record a writer wrote. */
  const acked = new Map<string, StoredRecord>();
  /** Writes sent but not answered when the server died: their records may or may not be there. */
  const inFlight = new Set<string>();
  const replay: Replay = { records: new Map(), seqs: new Set(), lastSeq: 0 };
  const totals: WriteCrashTotals = { cycles: 0, acknowledged: 0, nodes: 0, links: 0, updates: 0, inFlight: 0, checked: 0, auditEntries: 0, restarts: 0 };
  const fullEvery = options.fullAuditEvery ?? 1;
  const verifyNow = async (url: string, full: boolean) => {
    const result = await verify(url, tokens[0]![1], acked, inFlight, replay, full);
    totals.checked += result.checked;
    totals.auditEntries += result.auditEntries;
  };

  try {
    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      const server = await start();
      if (cycle > 1) totals.restarts++;
      await verifyNow(server.url, cycle % fullEvery === 0);
      inFlight.clear();

      let stop = false;
      let acknowledged = 0;
      let failure: Error | undefined;
      const write = async (token: string, method: string, path: string, body: unknown, key: string, ifMatch?: number): Promise<StoredRecord | undefined> => {
        inFlight.add(key);
        let res: Response;
        try {
          res = await fetch(`${server.url}${path}`, {
            method,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(ifMatch ? { 'if-match': `"${ifMatch}"` } : {}) },
            body: JSON.stringify(body),
          });
        } catch {
          stop = true; // the server is gone: the outcome of this write is unknown
          return undefined;
        }
        const answer = (await res.json().catch(() => undefined)) as { node?: StoredRecord; link?: StoredRecord } | undefined;
        if (!res.ok || !answer) {
          stop = true;
          // A refusal is a bug of the test or the server; a 5xx or a cut-off answer is the kill.
          if (!res.ok && res.status < 500) failure ??= new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(answer)}`);
          return undefined;
        }
        inFlight.delete(key);
        const record = (answer.node ?? answer.link)!;
        acked.set(key, record);
        acknowledged++;
        return record;
      };

      const writer = async (w: number) => {
        const [, token] = tokens[w]!;
        for (let i = 0; !stop; i++) {
          const tag = `c${cycle}-w${w + 1}-${i}`;
          const programme = await write(token, 'POST', '/api/nodes', { id: `p-${tag}`, label: 'Programme', name_en: `Programme ${tag}`, name_km: `កម្មវិធី ${tag}` }, `node:p-${tag}`);
          if (!programme) return;
          totals.nodes++;
          const topic = await write(token, 'POST', '/api/nodes', { id: `t-${tag}`, label: 'Topic', name_en: `Topic ${tag}`, name_km: `ប្រធានបទ ${tag}` }, `node:t-${tag}`);
          if (!topic) return;
          totals.nodes++;
          const link = await write(token, 'POST', '/api/links', { id: `l-${tag}`, type: 'ABOUT', from: `p-${tag}`, to: `t-${tag}`, sources: [`https://example.org/${tag}`] }, `link:l-${tag}`);
          if (!link) return;
          totals.links++;
          if (i % 3 === 0) {
            const changed = await write(token, 'PATCH', `/api/nodes/p-${tag}`, { summary_en: `changed by writer ${w + 1}` }, `node:p-${tag}`, programme.version);
            if (!changed) return;
            totals.updates++;
          }
        }
      };

      const [min, max] = options.killAfterMs;
      const killAfter = min + Math.floor(rand() * (max - min));
      const writers = Array.from({ length: options.writers }, (_, w) => writer(w));
      // The random moment counts from when writes are being acknowledged: a fresh process on a loaded machine can
      // take a while to answer its first requests, and a kill before that tests nothing.
      const waitingSince = Date.now();
      const enough = options.minAcknowledgedPerCycle ?? 0;
      while (acknowledged <= enough && !stop && Date.now() - waitingSince < 30_000) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, killAfter));
      await server.kill('SIGKILL');
      stop = true;
      await Promise.all(writers);
      if (failure) throw failure;
      totals.cycles++;
      totals.acknowledged += acknowledged;
      totals.inFlight += inFlight.size;
      log(`cycle ${cycle}: SIGKILL after ${killAfter} ms, ${acknowledged} writes acknowledged, ${inFlight.size} in flight (seed ${options.seed})`);
      if (options.minAcknowledgedPerCycle !== undefined) {
        assert.ok(acknowledged > options.minAcknowledgedPerCycle, `cycle ${cycle}: only ${acknowledged} writes were acknowledged before the kill`);
      }
    }

    // The last restart, then a clean stop (compaction: the whole audit moves to audit.ndjson) and one more.
    const last = await start();
    totals.restarts++;
    await verifyNow(last.url, true);
    assert.equal(await last.kill('SIGTERM'), 0, 'a clean stop exits 0');
    assert.ok(fs.existsSync(`${options.dataDir}/audit.ndjson`), 'the audit archive exists after a clean stop');
    inFlight.clear();
    const after = await start();
    totals.restarts++;
    await verifyNow(after.url, true);
    await after.kill('SIGTERM');
    return totals;
  } finally {
    for (const s of started) await s.kill('SIGKILL');
  }
}

/**
 * Checks the restarted server against what was acknowledged and against its own audit trail (replayed from the
 * start when `full`, else from where the last check stopped). In-flight writes that landed become expected from
 * then on. Returns how many records and audit entries it checked.
 */
async function verify(
  url: string,
  token: string,
  acked: Map<string, StoredRecord>,
  inFlight: ReadonlySet<string>,
  replay: Replay,
  full: boolean,
): Promise<{ checked: number; auditEntries: number }> {
  const res = await fetch(`${url}/api/export?format=json`);
  assert.equal(res.status, 200, 'export answers');
  const exported = (await res.json()) as { nodes: StoredRecord[]; links: (StoredRecord & { from: string; to: string })[] };
  const stored = new Map<string, StoredRecord>([
    ...exported.nodes.map((n) => [`node:${n.id}`, n] as const),
    ...exported.links.map((l) => [`link:${l.id}`, l] as const),
  ]);
  let checked = 0;
  for (const [key, record] of acked) {
    const now = stored.get(key);
    assert.ok(now, `${key} was acknowledged but is missing`);
    if (now.version === record.version) assert.deepEqual(now, record, key);
    else {
      // Only a change that was in flight at the kill may have moved it on, and by one.
      assert.ok(inFlight.has(key), `${key} is at version ${now.version}, acknowledged at ${record.version}`);
      assert.equal(now.version, record.version + 1, `${key}: one in-flight change at most`);
    }
    checked++;
  }
  // No link without its nodes.
  const nodeIds = new Set(exported.nodes.map((n) => n.id));
  for (const link of exported.links) assert.ok(nodeIds.has(link.from) && nodeIds.has(link.to), `link ${link.id} has a missing end`);

  // The audit trail matches the data: replayed, it gives the graph exactly, every record with its entry.
  if (full) {
    replay.records.clear();
    replay.seqs.clear();
    replay.lastSeq = 0;
  }
  const fresh: AuditEntry[] = [];
  const headers = { authorization: `Bearer ${token}` };
  pages: for (let before: number | undefined; ; ) {
    const query = new URLSearchParams({ limit: '1000', ...(before ? { before: String(before) } : {}) });
    const page = await fetch(`${url}/api/audit?${query}`, { headers });
    assert.equal(page.status, 200, 'the audit trail answers');
    const entries = ((await page.json()) as { entries: (AuditEntry & { truncated?: boolean })[] }).entries;
    for (const entry of entries) {
      if (entry.seq <= replay.lastSeq) break pages;
      fresh.push(entry.truncated ? ((await (await fetch(`${url}/api/audit/${entry.id}`, { headers })).json()) as AuditEntry) : entry);
    }
    if (entries.length < 1000) break;
    before = entries.at(-1)!.seq;
  }
  for (const entry of fresh.reverse()) {
    assert.ok(!replay.seqs.has(entry.seq), `audit entry ${entry.seq} twice`);
    assert.ok(entry.seq > replay.lastSeq, `audit entry ${entry.seq} out of order`);
    replay.seqs.add(entry.seq);
    replay.lastSeq = entry.seq;
    for (const change of entry.changes) {
      const key = `${change.entity}:${change.id}`;
      assert.deepEqual(replay.records.get(key) ?? null, change.before, `${key}: the audit's "before" is not what the previous entry left`);
      if (change.after) replay.records.set(key, change.after);
      else replay.records.delete(key);
    }
  }
  assert.equal(replay.records.size, stored.size, 'the audit trail replayed has as many records as the graph');
  for (const [key, record] of stored) assert.deepEqual(replay.records.get(key), record, `${key}: the graph differs from its audit trail`);
  // A write in flight at the kill that did land is now as durable as any: later restarts must keep it.
  for (const key of inFlight) {
    const now = stored.get(key);
    if (now) acked.set(key, now);
  }
  return { checked, auditEntries: fresh.length };
}
