/**
 * Online backup and offline restore of the embedded store (server/store/embedded/backup.ts), on the real server:
 * backups taken while concurrent writers create, change and cascade-delete records (and the journal is compacted
 * every few writes, so compactions land inside backups) are each exactly the state after one write N — the live
 * audit trail replayed up to N gives the backup's graph, record for record (no half write), every write acknowledged
 * before the backup began is in it, and its own audit trail is the live one's first N entries (the rest came after).
 * Then: restore refuses while the server holds DATA_DIR, and with it stopped puts a backup back, which a server
 * started on it serves with the same stats.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupDataDir, readManifest, restoreDataDir } from '../../server/store/embedded/backup.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import type { AuditEntry } from '../../server/store/graph-store.ts';
import { ROOT } from '../support/seed-fixture.ts';
import { startServer, type ServerProcess } from '../support/server-process.ts';
import { tempDir } from '../support/temp-dir.ts';
import { writerTokens } from '../support/write-crash.ts';

const WRITERS = 6;
const BACKUPS = 4;
const ADMIN = 'admin-token-0123456789abcdef0123';

type Rec = { id: string; version?: number; [key: string]: unknown };

const dirs: string[] = [];
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const server of servers) await server.kill('SIGKILL');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
function newDir(prefix: string): string {
  const dir = tempDir(prefix);
  dirs.push(dir);
  return dir;
}

/** Every audit entry of a store folder, oldest first (the store opened in this process: the server is stopped). */
async function auditOf(dataDir: string): Promise<{ entries: AuditEntry[]; nodes: Map<string, Rec>; links: Map<string, Rec> }> {
  const store = await EmbeddedStore.open({ dataDir, compactEntries: Number.MAX_SAFE_INTEGER });
  try {
    const entries = (await store.listAudit({ limit: Number.MAX_SAFE_INTEGER })).reverse();
    const data = await store.exportAll();
    return {
      entries,
      nodes: new Map(data.nodes.map((n) => [n.id, n as unknown as Rec])),
      links: new Map(data.links.map((l) => [l.id, l as unknown as Rec])),
    };
  } finally {
    await store.close();
  }
}

/** The graph after the first `upTo` entries: each change's `after` (null: deleted). */
function replay(entries: readonly AuditEntry[], upTo: number): { nodes: Map<string, Rec>; links: Map<string, Rec> } {
  const nodes = new Map<string, Rec>();
  const links = new Map<string, Rec>();
  for (const entry of entries) {
    if (entry.seq > upTo) break;
    for (const change of entry.changes) {
      const map = change.entity === 'node' ? nodes : links;
      if (change.after) map.set(change.id, change.after as unknown as Rec);
      else map.delete(change.id);
    }
  }
  return { nodes, links };
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server', 'store', 'backup.cli.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ENV_FILE: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('online backup and restore of the embedded store', () => {
  const dataDir = newDir('dar-kg-backup-live-');
  const { tokens, editorTokens } = writerTokens(WRITERS);
  const env = {
    DATA_DIR: dataDir,
    EDITOR_TOKENS: `${editorTokens},admin:${ADMIN}:admin`,
    WRITE_RATE_LIMIT: '1000000',
    JOURNAL_COMPACT_ENTRIES: '7',
  };
  const backups: { dir: string; seq: number; attempts?: number; ackedBefore: Map<string, Rec>; deletedBefore: Set<string> }[] = [];
  let stats: unknown;

  it(`takes ${BACKUPS} consistent backups while ${WRITERS} writers create, change and cascade-delete`, async () => {
    const server = await startServer(env, 120_000);
    servers.push(server);
    const acked = new Map<string, Rec>();
    const deleted = new Set<string>();
    let stop = false;
    let failure: Error | undefined;
    let writes = 0;
    const write = async (token: string, method: string, url: string, body?: unknown): Promise<Record<string, unknown> | undefined> => {
      const res = await fetch(`${server.url}${url}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const answer = (await res.json()) as Record<string, unknown>;
      if (!res.ok) {
        failure ??= new Error(`${method} ${url} answered ${res.status}: ${JSON.stringify(answer)}`);
        stop = true;
        return undefined;
      }
      writes++;
      return answer;
    };
    const writer = async (w: number) => {
      const token = tokens[w]![1];
      for (let i = 0; !stop; i++) {
        const tag = `w${w}-${i}`;
        const p = await write(token, 'POST', '/api/nodes', { id: `p-${tag}`, label: 'Programme', name_en: `Programme ${tag}`, name_km: `កម្មវិធី ${tag}` });
        if (!p) return;
        acked.set(`node:p-${tag}`, p.node as Rec);
        const t = await write(token, 'POST', '/api/nodes', { id: `t-${tag}`, label: 'Topic', name_en: `Topic ${tag}`, name_km: `ប្រធានបទ ${tag}` });
        if (!t) return;
        acked.set(`node:t-${tag}`, t.node as Rec);
        const l = await write(token, 'POST', '/api/links', { id: `l-${tag}`, type: 'ABOUT', from: `p-${tag}`, to: `t-${tag}`, sources: [`https://example.org/${tag}`] });
        if (!l) return;
        acked.set(`link:l-${tag}`, l.link as Rec);
        if (i % 2 === 1) {
          const changed = await write(token, 'PATCH', `/api/nodes/p-${tag}`, { summary_en: `changed by writer ${w}` });
          if (!changed) return;
          acked.set(`node:p-${tag}`, changed.node as Rec);
        }
        if (i % 3 === 2) {
          // One write that deletes a node and its link: a backup holds both or neither.
          const gone = await write(ADMIN, 'DELETE', `/api/nodes/t-${tag}?cascade=true`);
          if (!gone) return;
          for (const key of [`node:t-${tag}`, `link:l-${tag}`]) {
            acked.delete(key);
            deleted.add(key);
          }
        }
      }
    };
    const running = Array.from({ length: WRITERS }, (_, w) => writer(w));
    try {
      while (writes < 30 && !stop) await new Promise((resolve) => setTimeout(resolve, 20));
      for (let b = 0; b < BACKUPS && !stop; b++) {
        const ackedBefore = new Map(acked);
        const deletedBefore = new Set(deleted);
        const dir = path.join(newDir('dar-kg-backup-'), 'copy');
        if (b === BACKUPS - 1) {
          // The last one through the command users run.
          const cli = await runCli(['backup', dir], { DATA_DIR: dataDir });
          expect(cli.code, cli.out).toBe(0);
          expect(cli.out).toMatch(/backed up .* as of write \d+ .*loaded and checked/s);
          expect(cli.out).toMatch(/\d+ nodes, \d+ links/);
          backups.push({ dir, seq: (await readManifest(dir)).seq, ackedBefore, deletedBefore });
        } else {
          const result = await backupDataDir(dataDir, dir);
          backups.push({ dir, seq: result.seq, attempts: result.copy.attempts, ackedBefore, deletedBefore });
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      stop = true;
      await Promise.all(running);
    }
    if (failure) throw failure;
    expect(backups).toHaveLength(BACKUPS);
    // Writes went on during the backups: each is at a later write than the one before.
    for (let b = 1; b < BACKUPS; b++) expect(backups[b]!.seq).toBeGreaterThan(backups[b - 1]!.seq);
    stats = await (await fetch(`${server.url}/api/stats`)).json();
    expect(await server.kill('SIGTERM')).toBe(0);
    console.log(`online-backup: ${writes} writes acknowledged; backups at writes ${backups.map((b) => `${b.seq}${b.attempts ? ` (${b.attempts} attempt(s))` : ''}`).join(', ')}`);
  }, 240_000);

  it('each backup is exactly the state after one write: the live audit replayed up to it, acknowledged writes in it', async () => {
    const live = await auditOf(dataDir);
    expect(live.entries.map((e) => e.seq)).toEqual(live.entries.map((_, i) => i + 1));
    for (const backup of backups) {
      const copy = await auditOf(backup.dir);
      // Its audit trail is the live one's first N entries: the writes after N are after it, none half in it.
      expect(copy.entries.map((e) => e.id)).toEqual(live.entries.slice(0, backup.seq).map((e) => e.id));
      const expected = replay(live.entries, backup.seq);
      expect(copy.nodes).toEqual(expected.nodes);
      expect(copy.links).toEqual(expected.links);
      for (const [key, record] of backup.ackedBefore) {
        const [kind, id] = key.split(/:(.*)/) as [string, string];
        const found = (kind === 'node' ? copy.nodes : copy.links).get(id);
        if (found) {
          expect(found.version).toBeGreaterThanOrEqual(record.version!);
          continue;
        }
        // Not in it: only when a cascade delete that ran while the backup was being taken is in it too.
        const deletedBy = live.entries.find((e) => e.changes.some((c) => `${c.entity}:${c.id}` === key && c.after === null));
        expect(deletedBy?.seq, `${key}, acknowledged before the backup, is in it or deleted by a write in it`).toBeLessThanOrEqual(backup.seq);
      }
      for (const key of backup.deletedBefore) {
        const [kind, id] = key.split(/:(.*)/) as [string, string];
        expect((kind === 'node' ? copy.nodes : copy.links).has(id), `${key}, deleted before the backup, is not in it`).toBe(false);
      }
    }
  }, 120_000);

  it('restore refuses while the server holds DATA_DIR, then puts a backup back that the server serves with the same stats', async () => {
    const last = backups.at(-1)!;
    const target = newDir('dar-kg-restore-');
    const server = await startServer({ ...env, DATA_DIR: target, SEED_ON_EMPTY: '0' }, 120_000);
    servers.push(server);
    const before = fs.readdirSync(target).sort();
    const refused = await runCli(['restore', last.dir], { DATA_DIR: target });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('cannot restore while the server runs');
    expect(refused.out).toContain(`process ${server.child.pid}`);
    expect(fs.readdirSync(target).sort()).toEqual(before);
    expect(await server.kill('SIGTERM')).toBe(0);

    const restored = await runCli(['restore', last.dir], { DATA_DIR: target });
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toMatch(/restored .* loaded and checked/s);
    expect(restored.out).toContain('the files it replaced are kept in');

    // The final backup, taken with the writers stopped, restored into the live folder's twin: same stats.
    const finalBackup = path.join(newDir('dar-kg-backup-final-'), 'copy');
    await backupDataDir(dataDir, finalBackup);
    const twin = newDir('dar-kg-restore-twin-');
    const result = await restoreDataDir(finalBackup, twin);
    expect(result.replaced).toBeUndefined();
    const again = await startServer({ ...env, DATA_DIR: twin, SEED_ON_EMPTY: '0' }, 120_000);
    servers.push(again);
    expect(await (await fetch(`${again.url}/api/stats`)).json()).toEqual(stats);
    // The restored store takes writes.
    const res = await fetch(`${again.url}/api/nodes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ id: 'after-restore', label: 'Topic', name_en: 'After restore', name_km: 'ក្រោយ' }),
    });
    expect(res.status).toBe(201);
    expect(await again.kill('SIGTERM')).toBe(0);
  }, 240_000);
});
