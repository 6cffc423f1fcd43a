/**
 * The route table of the real app, read from Express itself (app.router.stack, sub-routers included): every route
 * under /api that changes state (POST, PUT, PATCH, DELETE) must have `requireRole` in its handler chain, so that no
 * write can be added without the auth check. One is open by design:
 *   - POST /api/session: signing in (it checks the token itself, rate-limited as sign-in attempts).
 *   - POST /api/reconcile: the Reconciliation API's reads, which OpenRefine sends as a form POST; rate-limited as
 *     reads, and for signed-in editors only with READS_REQUIRE_SIGN_IN (tested below).
 * POST /api/cypher only reads, but it is for signed-in editors too: a query can read the audit trail and the write
 * lock, which GET /api/audit keeps for editors (issue 19).
 */
import fs from 'node:fs';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { DEFAULT_AUTH } from '../../server/config.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { tempDir } from '../support/temp-dir.ts';

const OPEN_BY_DESIGN = new Set(['POST /api/session', 'POST /api/reconcile']);
const STATE_CHANGING = ['post', 'put', 'patch', 'delete'];

interface Layer {
  name: string;
  rawPath?: string;
  handle: { name?: string; stack?: Layer[] };
  route?: { path: string; methods: Record<string, boolean>; stack: { name: string; handle: { name?: string } }[] };
}

interface RouteRow {
  method: string;
  path: string;
  chain: string[];
}

/** Every route of the app with its full path and the names of the handlers in its chain. */
function routeTable(app: Express): RouteRow[] {
  const rows: RouteRow[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const chain = layer.route.stack.map((s) => s.name || s.handle.name || '<anonymous>');
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on) rows.push({ method: method.toUpperCase(), path: `${prefix}${layer.route.path}`, chain });
        }
      } else if (layer.handle.stack) {
        const mount = layer.rawPath && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, `${prefix}${mount}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return rows;
}

describe('the route table', () => {
  let dir: string;
  let store: EmbeddedStore;
  let open: Express;
  let closed: Express;
  beforeAll(async () => {
    dir = tempDir('dar-kg-routes-');
    store = await EmbeddedStore.open({ dataDir: dir });
    open = createApp({ store, config: { requestBodyLimit: '1mb' } });
    closed = createApp({ store, config: { requestBodyLimit: '1mb', auth: { ...DEFAULT_AUTH, readsRequireSignIn: true } } });
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is read from Express: the API routes are all there', () => {
    const keys = routeTable(open).map((r) => `${r.method} ${r.path}`);
    for (const expected of ['GET /api/nodes/:id', 'POST /api/nodes', 'PATCH /api/nodes/:id', 'DELETE /api/nodes/:id', 'POST /api/links', 'PATCH /api/links/:id', 'DELETE /api/links/:id', 'GET /api/links/:id', 'GET /api/audit', 'POST /api/audit/:id/revert', 'POST /api/session', 'DELETE /api/session', 'POST /api/cypher']) {
      expect(keys).toContain(expected);
    }
  });

  it('puts requireRole on every state-changing /api route but sign-in, the read-only Cypher console included', () => {
    const writes = routeTable(open).filter((r) => r.path.startsWith('/api/') && STATE_CHANGING.includes(r.method.toLowerCase()));
    expect(writes.length).toBeGreaterThanOrEqual(10);
    const unguarded = writes.filter((r) => !r.chain.includes('requireRole')).map((r) => `${r.method} ${r.path}`);
    expect(unguarded.sort()).toEqual([...OPEN_BY_DESIGN].sort());
    // Guards run before the handler (the handler is last), writes are rate-limited before the role check.
    const reconcile = writes.find((r) => r.path === '/api/reconcile')!;
    expect(reconcile.chain[0]).toBe('rateLimit');
    for (const row of writes.filter((r) => r.chain.includes('requireRole'))) {
      expect(row.chain.indexOf('requireRole'), `${row.method} ${row.path}`).toBeLessThan(row.chain.length - 1);
      expect(row.chain.indexOf('rateLimit'), `${row.method} ${row.path}`).toBe(0);
    }
    const signIn = routeTable(open).find((r) => r.method === 'POST' && r.path === '/api/session')!;
    expect(signIn.chain).toContain('rateLimit');
  });

  it('with READS_REQUIRE_SIGN_IN, guards every read but health, session and the docs', () => {
    const reads = routeTable(closed).filter((r) => r.path.startsWith('/api/') && (r.method === 'GET' || r.path === '/api/cypher' || r.path === '/api/reconcile'));
    expect(reads.some((r) => r.method === 'POST' && r.path === '/api/reconcile')).toBe(true);
    const open = reads.filter((r) => !r.chain.includes('requireSignIn') && !r.chain.includes('requireRole')).map((r) => `${r.method} ${r.path}`);
    expect(open.sort()).toEqual(['GET /api/docs', 'GET /api/docs/assets/:file', 'GET /api/docs/docs-init.js', 'GET /api/health', 'GET /api/openapi.json', 'GET /api/session']);
  });
});
