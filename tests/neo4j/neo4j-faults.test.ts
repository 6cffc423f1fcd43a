/**
 * The Neo4j store when things go wrong, and the real server on Neo4j, against its own REAL Neo4j (auth on):
 * Neo4j stopping under a running app (503 store_unavailable, then 200 again without restarting the app), an
 * unreachable URI and a wrong password at start (exit non-zero with one line naming the URI and the cause), and
 * `NEO4J_URI=… npm start` on an empty database (it seeds; the same stats as the embedded store).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { seedStore } from '../../server/seed/seed.service.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { Neo4jStore } from '../../server/store/neo4j/neo4j.store.ts';
import type { RunningNeo4j } from '../neo4j-server/neo4j-server.ts';
import { TEST_EDITOR_TOKENS } from '../support/app-fixture.ts';
import { SEED_DIR } from '../support/seed-fixture.ts';
import { spawnServer, startServer, type ServerProcess } from '../support/server-process.ts';
import { tempDir } from '../support/temp-dir.ts';
import { adminDriver, clearDatabase, neo4jRequirement, skipNeo4j, startTestNeo4j, storeConfig } from './neo4j-fixture.ts';

const PASSWORD = 'fault-test-password';

neo4jRequirement('Neo4j faults');

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (last error: ${String(last)})` : ''}`);
}

/** Runs the real server until it exits; fails if it is still running after `timeoutMs`. */
async function runUntilExit(env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const { child, output, exited } = spawnServer(env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const code = await exited;
    return { code, output: output(), ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

describe.skipIf(skipNeo4j)('the Neo4j store when things go wrong (real Neo4j, auth on)', () => {
  let neo4jServer: RunningNeo4j;
  let dataDir: string;
  let driver: Driver;

  beforeAll(async () => {
    dataDir = tempDir('dar-kg-neo4j-faults-'); // ours, so that stop() keeps it for the second start
    neo4jServer = await startTestNeo4j({ password: PASSWORD, dataDir });
    driver = adminDriver(neo4jServer);
    console.log(`Neo4j faults: running on Neo4j ${neo4jServer.version} at ${neo4jServer.uri}`);
  });
  afterAll(async () => {
    await driver?.close();
    await neo4jServer?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('the server exits non-zero within ~15 s, naming the URI, when Neo4j cannot be reached', async () => {
    const uri = `bolt://127.0.0.1:${await closedPort()}`;
    const run = await runUntilExit({ NEO4J_URI: uri, NEO4J_CONNECT_TIMEOUT_MS: '3000' }, 30_000);
    expect(run.code, run.output).not.toBe(0);
    expect(run.code, run.output).not.toBeNull();
    expect(run.ms).toBeLessThan(15_000);
    const errors = run.output.split('\n').filter((line) => line.startsWith('error: '));
    expect(errors, run.output).toEqual([`error: cannot connect to Neo4j at ${uri} after 3 s: connection refused`]);
  });

  it('NEO4J_URI=… npm start on an empty database seeds it: the same stats as the embedded store, Khmer search works', async () => {
    await clearDatabase(driver);
    const dir = tempDir('dar-kg-neo4j-stats-');
    let app: ServerProcess | undefined;
    const embedded = await EmbeddedStore.open({ dataDir: path.join(dir, 'embedded') });
    try {
      await seedStore(embedded, SEED_DIR);
      // Seeding Neo4j at start takes a while on a busy machine (a clean-clone run with helpers beside it passed 60 s).
      app = await startServer({ NEO4J_URI: neo4jServer.uri, NEO4J_PASSWORD: PASSWORD, DATA_DIR: path.join(dir, 'unused') }, 240_000);
      expect(app.output()).toMatch(/seeded an empty neo4j store/);
      expect(app.output()).toMatch(/store: neo4j/);
      const stats = await (await fetch(`${app.url}/api/stats`)).json();
      expect(stats).toEqual(await embedded.stats());
      const search = (await (await fetch(`${app.url}/api/search?q=${encodeURIComponent('មុខងារសាធារណៈ')}`)).json()) as { results: { id: string }[] };
      expect(search.results[0]).toMatchObject({ id: 'mcs', label: 'Organisation' });
      const health = await (await fetch(`${app.url}/api/health`)).json();
      expect(health).toEqual({ ok: true, kind: 'neo4j', version: neo4jServer.version });
    } finally {
      // Only a server that started is stopped here (a start that failed is the test's error, not hidden by this).
      if (app) expect(await app.kill()).toBe(0);
      await embedded.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // A second start finds the data there and does not seed again.
    const again = await startServer({ NEO4J_URI: neo4jServer.uri, NEO4J_PASSWORD: PASSWORD, EDITOR_TOKENS: TEST_EDITOR_TOKENS });
    try {
      expect(again.output()).not.toMatch(/seeded/);
    } finally {
      await again.kill();
    }
  }, 420_000); // a server start and a seed on a busy machine: a hang guard, not a speed claim

  it('answers 503 store_unavailable while Neo4j is down and 200 again once it is back, without an app restart', async () => {
    await clearDatabase(driver);
    const store = await Neo4jStore.connect(storeConfig(neo4jServer));
    const logs: string[] = [];
    const app = createApp({ store, config: { requestBodyLimit: '1mb' }, log: (line) => logs.push(line) });
    try {
      await seedStore(store, SEED_DIR);
      expect((await request(app).get('/api/stats')).status).toBe(200);

      const port = neo4jServer.port;
      const t0 = Date.now();
      const mark = (what: string) => console.log(`faults: ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      await neo4jServer.stop(); // keeps the data dir (ours)
      mark('Neo4j stopped');

      for (const url of ['/api/stats', '/api/search?q=dar']) {
        const started = Date.now();
        const res = await request(app).get(url);
        expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(503);
        expect(res.body.error.code).toBe('store_unavailable');
        expect(res.body.error.message).toContain(`Neo4j at bolt://127.0.0.1:${port} is unavailable`);
        expect(Date.now() - started).toBeLessThan(8_000);
        mark(`${url} 503`);
      }
      const health = await request(app).get('/api/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ ok: false, kind: 'neo4j' });
      expect(health.body.message).toMatch(/unavailable/);
      expect(logs.filter((l) => l.startsWith('error '))).toEqual([]); // 503s, not 500s
      mark('503s answered');

      // Back on the same port and data: the same app answers again.
      neo4jServer = await startTestNeo4j({ password: PASSWORD, dataDir, port });
      mark('Neo4j started again');
      const back = await waitFor('GET /api/stats 200 after Neo4j came back', 60_000, async () => {
        const res = await request(app).get('/api/stats');
        return res.status === 200 ? res : undefined;
      });
      mark('200 again');
      expect(back.body.nodes.Programme).toBeGreaterThan(0);
      expect((await request(app).get('/api/health')).body).toMatchObject({ ok: true, kind: 'neo4j' });
      const search = await request(app).get('/api/search').query({ q: 'មុខងារសាធារណៈ' });
      expect(search.status).toBe(200);
      expect(search.body.results[0].id).toBe('mcs');

      // A restart the app does not see (its pooled connections go stale): still answers after it.
      await neo4jServer.restart();
      mark('Neo4j restarted');
      await waitFor('GET /api/stats 200 after restart()', 60_000, async () => {
        const res = await request(app).get('/api/stats');
        return res.status === 200 ? res : undefined;
      });
      mark('200 after restart');
    } finally {
      await store.close();
    }
  }, 240_000);

  // Last: after failed logins Neo4j refuses every login to this user for a few seconds (auth rate limit).
  it('the server exits non-zero naming the cause when Neo4j refuses the password', async () => {
    const run = await runUntilExit(
      { NEO4J_URI: neo4jServer.uri, NEO4J_PASSWORD: 'not-the-password', NEO4J_CONNECT_TIMEOUT_MS: '3000' },
      30_000,
    );
    expect(run.code, run.output).not.toBe(0);
    expect(run.ms).toBeLessThan(15_000);
    const errors = run.output.split('\n').filter((line) => line.startsWith('error: '));
    expect(errors, run.output).toHaveLength(1);
    expect(errors[0]).toContain(`cannot connect to Neo4j at ${neo4jServer.uri}`);
    expect(errors[0]).toMatch(/credentials were refused/);
    expect(errors[0]).not.toContain('not-the-password');
  });
});
