/**
 * A 500 tells the client nothing about the server: no stack trace, no file path, no message of the error (which
 * may hold a query, a path or a secret), only a request id, which is logged on one line with the whole story. Forced
 * here with a store whose methods throw, on reads and on writes, and with non-Error throws.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { EditorDirectory } from '../../server/auth/editors.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';
import { TEST_EDITORS, TEST_EDITOR_TOKENS } from '../support/app-fixture.ts';
import { loadSeed } from '../support/seed-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';

const SECRET = 'neo4j://admin:hunter2@db.internal:7687 /srv/dar/data/graph.journal';

let dir: string;
let real: EmbeddedStore;
let app: Express;
const logs: string[] = [];

/** The real store, but these methods throw what a broken driver or disk might. */
function failingStore(store: GraphStore): GraphStore {
  const throwing: Record<string, () => never> = {
    stats: () => {
      throw new Error(`connection refused: ${SECRET}`);
    },
    search: () => {
      throw new TypeError(`Cannot read properties of undefined (reading 'q') at ${SECRET}`);
    },
    getNode: () => {
      throw Object.assign(new Error(`EACCES: permission denied, open '${SECRET}'`), { code: 'EACCES', errno: -13, path: SECRET });
    },
    // GET /api/nodes/:id reads the node with its link counts in one call.
    nodeDetails: () => {
      throw Object.assign(new Error(`EACCES: permission denied, open '${SECRET}'`), { code: 'EACCES', errno: -13, path: SECRET });
    },
    applyChanges: () => {
      throw new RangeError(`Maximum call stack size exceeded in ${SECRET}`);
    },
    listAudit: () => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw `a string thrown: ${SECRET}`;
    },
    exportAll: () => {
      // A 5xx-shaped error from a library: its message must not leak either.
      throw Object.assign(new Error(`upstream failed: ${SECRET}`), { status: 502, expose: true });
    },
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (typeof property === 'string' && property in throwing) return throwing[property];
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

beforeAll(async () => {
  dir = tempDir('dar-kg-errors-');
  fs.mkdirSync(path.join(dir, 'web'));
  fs.writeFileSync(path.join(dir, 'web', 'index.html'), '<!doctype html><title>explorer</title>');
  real = await EmbeddedStore.open({ dataDir: path.join(dir, 'data') });
  await real.upsert(await loadSeed(), { name: 'seed' });
  app = createApp({
    store: failingStore(real),
    config: { requestBodyLimit: '1mb' },
    editors: EditorDirectory.fromEnv(TEST_EDITOR_TOKENS),
    webDir: path.join(dir, 'web'),
    log: (line) => logs.push(line),
  });
});

afterAll(async () => {
  await real?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const alice = { Authorization: `Bearer ${TEST_EDITORS.alice}` };

describe('500s', () => {
  it.each([
    ['GET /api/stats (Error)', () => request(app).get('/api/stats')],
    ['GET /api/search (TypeError)', () => request(app).get('/api/search?q=dar')],
    ['GET /api/nodes/dar (an fs error with a path)', () => request(app).get('/api/nodes/dar')],
    ['POST /api/nodes (RangeError in a write)', () => request(app).post('/api/nodes').set(alice).send({ label: 'Topic', name_en: 'Broken', name_km: 'ខូច' })],
    ['GET /api/audit (a thrown string)', () => request(app).get('/api/audit').set(alice)],
    ['GET /api/export (an error with status 502)', () => request(app).get('/api/export?format=json')],
  ])('%s: answers { code: internal } with a request id, and nothing else', async (_what, send) => {
    const res = await send();
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(res.body)).toEqual(['error']);
    expect(Object.keys(res.body.error).sort()).toEqual(['code', 'message', 'requestId']);
    expect(res.body.error.code).toBe('internal');
    const id = /^internal error \(request id ([0-9a-f-]{36})\)$/.exec(res.body.error.message)?.[1];
    expect(id, res.body.error.message).toBeDefined();
    // The same id as the answer's X-Request-Id and the access log's reqId.
    expect(res.body.error.requestId).toBe(id);
    expect(res.headers['x-request-id']).toBe(id);
    const text = res.text;
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('/srv/dar');
    expect(text).not.toMatch(/\bat [\w.<>]+ \(|\.ts:\d+|node_modules|Error:/);
    for (const header of Object.values(res.headers)) expect(String(header)).not.toContain('hunter2');
    // The log has the whole story, on one line, under the same id.
    const line = logs.find((l) => l.includes(id!));
    expect(line, `a log line for ${id}`).toBeDefined();
    expect(line).toContain('hunter2');
    expect(line).not.toMatch(/[\r\n]/);
  });
});
