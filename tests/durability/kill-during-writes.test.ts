/**
 * Durability of the write API under concurrency, on the real server (embedded store): 20 writers create nodes and
 * links (and change some) over HTTP at once; the server is killed with SIGKILL at a random moment; after a restart
 * every write that got a 2xx is there as acknowledged, nothing is half-applied (no link without its nodes, no
 * record without its audit entry, no audit entry without its data: replaying the audit trail gives exactly the
 * graph), and writes in flight at the kill are either wholly there or wholly absent. Several cycles, with the
 * journal compacted every few writes so that kills also land in compactions (audit archive append, snapshot
 * rename). Prints how many writes were acknowledged and checked.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../support/server-process.ts';
import { tempDir } from '../support/temp-dir.ts';

const WRITERS = 20;
const CYCLES = 3;
const COMPACT_EVERY = 40;

const tokens = Array.from({ length: WRITERS }, (_, i) => [`writer-${i + 1}`, `writer-token-${i + 1}-0123456789abcdef`] as const);
const EDITOR_TOKENS = tokens.map(([name, token]) => `${name}:${token}`).join(',');

interface StoredRecord {
  id: string;
  version: number;
  [key: string]: unknown;
}
interface AuditEntry {
  id: string;
  seq: number;
  by: string;
  action: string;
  changes: { entity: 'node' | 'link'; id: string; before: StoredRecord | null; after: StoredRecord | null }[];
}

/** A tiny seeded generator, so a failing run can be told apart by its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const started: ServerProcess[] = [];
afterAll(async () => {
  for (const s of started) await s.kill('SIGKILL');
});

describe('the server under concurrent writes', () => {
  it(`keeps every acknowledged write and nothing half-applied across ${CYCLES} SIGKILLs during ${WRITERS} concurrent writers`, async () => {
    const dataDir = tempDir('dar-kg-kill-writes-');
    const seed = Date.now() % 1_000_000;
    const rand = random(seed);
    const env = { DATA_DIR: dataDir, EDITOR_TOKENS, WRITE_RATE_LIMIT: '1000000', JOURNAL_COMPACT_ENTRIES: String(COMPACT_EVERY) };

    /** The last acknowledged state of every record a writer wrote, by "node:<id>" / "link:<id>". */
    const acked = new Map<string, StoredRecord>();
    /** Writes sent but not answered when the server died: their records may or may not be there. */
    const inFlight = new Set<string>();
    const totals = { acknowledged: 0, nodes: 0, links: 0, updates: 0, inFlight: 0, checked: 0 };

    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const server = await startServer(env);
      started.push(server);
      totals.checked += await verify(server.url, acked, inFlight);
      inFlight.clear();

      let stop = false;
      let acknowledged = 0;
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
          if (res.status < 500) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(answer)}`);
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

      const killAfter = 300 + Math.floor(rand() * 1200);
      const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
      await new Promise((resolve) => setTimeout(resolve, killAfter));
      await server.kill('SIGKILL');
      stop = true;
      await Promise.all(writers);
      totals.acknowledged += acknowledged;
      totals.inFlight += inFlight.size;
      console.log(`kill-during-writes: cycle ${cycle}: SIGKILL after ${killAfter} ms, ${acknowledged} writes acknowledged, ${inFlight.size} in flight (seed ${seed})`);
      expect(acknowledged).toBeGreaterThan(WRITERS);
    }

    // The last restart, then a clean stop (compaction: the whole audit moves to audit.ndjson) and one more.
    const last = await startServer(env);
    started.push(last);
    totals.checked += await verify(last.url, acked, inFlight);
    expect(await last.kill('SIGTERM')).toBe(0);
    expect(fs.existsSync(`${dataDir}/audit.ndjson`)).toBe(true);
    const after = await startServer(env);
    started.push(after);
    totals.checked += await verify(after.url, acked, new Set());
    await after.kill('SIGTERM');

    console.log(
      `kill-during-writes: ${CYCLES} cycles, ${totals.acknowledged} writes acknowledged (${totals.nodes} nodes, ${totals.links} links, ${totals.updates} updates), ` +
        `${totals.inFlight} in flight at a kill, ${totals.checked} record checks after restarts, all acknowledged writes found`,
    );
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 240_000);
});

/**
 * Checks the restarted server against what was acknowledged: every acknowledged record at its acknowledged
 * version (or one later, when a change of it was in flight), every link's ends there, and the audit trail, replayed
 * from the start, equal to the graph. In-flight writes that landed become expected from then on. Returns how many
 * record checks it made.
 */
async function verify(url: string, acked: Map<string, StoredRecord>, inFlight: ReadonlySet<string>): Promise<number> {
  const exported = (await (await fetch(`${url}/api/export?format=json`)).json()) as { nodes: StoredRecord[]; links: (StoredRecord & { from: string; to: string })[] };
  const stored = new Map<string, StoredRecord>([
    ...exported.nodes.map((n) => [`node:${n.id}`, n] as const),
    ...exported.links.map((l) => [`link:${l.id}`, l] as const),
  ]);
  let checks = 0;
  for (const [key, record] of acked) {
    const now = stored.get(key);
    expect(now, `${key} was acknowledged but is missing`).toBeDefined();
    if (now!.version === record.version) expect(now, key).toEqual(record);
    else {
      // Only a change that was in flight at the kill may have moved it on, and by one.
      expect(inFlight.has(key), `${key} is at version ${now!.version}, acknowledged at ${record.version}`).toBe(true);
      expect(now!.version).toBe(record.version + 1);
    }
    checks++;
  }
  // No link without its nodes.
  const nodeIds = new Set(exported.nodes.map((n) => n.id));
  for (const link of exported.links) {
    expect(nodeIds.has(link.from) && nodeIds.has(link.to), `link ${link.id} has a missing end`).toBe(true);
  }
  // The audit trail matches the data: replayed, it gives the graph exactly, every record with its entry.
  const token = tokens[0]![1];
  const entries: AuditEntry[] = [];
  for (let before: number | undefined; ; ) {
    const query = new URLSearchParams({ limit: '1000', ...(before ? { before: String(before) } : {}) });
    const res = await fetch(`${url}/api/audit?${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const page = ((await res.json()) as { entries: (AuditEntry & { truncated?: boolean })[] }).entries;
    for (const entry of page) {
      entries.push(entry.truncated ? ((await (await fetch(`${url}/api/audit/${entry.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as AuditEntry) : entry);
    }
    if (page.length < 1000) break;
    before = page.at(-1)!.seq;
  }
  const replayed = new Map<string, StoredRecord>();
  const seqs = new Set<number>();
  for (const entry of entries.reverse()) {
    expect(seqs.has(entry.seq), `audit entry ${entry.seq} twice`).toBe(false);
    seqs.add(entry.seq);
    for (const change of entry.changes) {
      const key = `${change.entity}:${change.id}`;
      expect(replayed.get(key) ?? null, `${key}: the audit's "before" is not what the previous entry left`).toEqual(change.before);
      if (change.after) replayed.set(key, change.after);
      else replayed.delete(key);
    }
  }
  expect(replayed.size).toBe(stored.size);
  for (const [key, record] of stored) expect(replayed.get(key), key).toEqual(record);
  // A write in flight at the kill that did land is now as durable as any: later restarts must keep it.
  for (const key of inFlight) {
    const now = stored.get(key);
    if (now) acked.set(key, now);
  }
  return checks;
}
