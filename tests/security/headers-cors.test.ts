/**
 * Security headers on every kind of answer (API data, API errors, the explorer's page, the API docs), and CORS
 * closed: no other site may read the API from a browser or send it a preflighted request, and a signed-in
 * browser write from another site is refused (the cookie is SameSite=Strict, and the Origin is checked too).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { EditorDirectory } from '../../server/auth/editors.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { TEST_EDITORS, TEST_EDITOR_TOKENS } from '../support/app-fixture.ts';
import { loadSeed } from '../support/seed-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';

const EVIL = 'https://evil.example';

let dir: string;
let store: EmbeddedStore;
let app: Express;

beforeAll(async () => {
  dir = tempDir('dar-kg-headers-');
  fs.mkdirSync(path.join(dir, 'web'));
  fs.writeFileSync(path.join(dir, 'web', 'index.html'), '<!doctype html><title>explorer</title><script type="module" src="/app.js"></script>');
  store = await EmbeddedStore.open({ dataDir: path.join(dir, 'data') });
  await store.upsert(await loadSeed(), { name: 'seed' });
  app = createApp({
    store,
    config: { requestBodyLimit: '1mb' },
    editors: EditorDirectory.fromEnv(TEST_EDITOR_TOKENS),
    webDir: path.join(dir, 'web'),
    log: () => undefined,
  });
});

afterAll(async () => {
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The directives of a Content-Security-Policy header, by name. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

describe('security headers', () => {
  const answers: [string, () => request.Test][] = [
    ['API data', () => request(app).get('/api/nodes/dar')],
    ['an API error (404)', () => request(app).get('/api/nodes/no-such-node')],
    ['an API error (400, bad JSON)', () => request(app).post('/api/nodes').set('Authorization', `Bearer ${TEST_EDITORS.alice}`).set('Content-Type', 'application/json').send('{')],
    ['an unknown API route', () => request(app).get('/api/nope')],
    ['the explorer page', () => request(app).get('/')],
    ['a deep link into the explorer', () => request(app).get('/node/dar')],
    ['the API docs page', () => request(app).get('/api/docs')],
    ['the OpenAPI document', () => request(app).get('/api/openapi.json')],
  ];

  it.each(answers)('on %s: a strict CSP (no unsafe-eval, no inline scripts, no framing), nosniff, no referrer', async (_what, send) => {
    const res = await send();
    const csp = res.headers['content-security-policy'];
    expect(csp, 'Content-Security-Policy').toBeDefined();
    expect(csp).not.toMatch(/unsafe-eval/);
    const d = directives(csp!);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]); // no 'unsafe-inline', no other hosts
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'self'"]);
    expect(d.get('form-action')).toEqual(["'self'"]);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it.each(answers)('on %s: Permissions-Policy denies the powerful features, Cross-Origin-Resource-Policy same-origin', async (_what, send) => {
    const res = await send();
    const policy = String(res.headers['permissions-policy']);
    for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'browsing-topics']) expect(policy).toContain(`${feature}=()`);
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
  });

  it('sends HSTS only over https: directly, or through a trusted proxy (never on a client\'s say-so)', async () => {
    const behindProxy = createApp({ store, config: { requestBodyLimit: '1mb', trustProxy: 1 }, log: () => undefined });
    for (const p of ['/api/health', '/', '/api/nope']) {
      const viaProxy = await request(behindProxy).get(p).set('X-Forwarded-Proto', 'https');
      expect(viaProxy.headers['strict-transport-security'], p).toBe('max-age=31536000');
      expect((await request(behindProxy).get(p)).headers['strict-transport-security'], `${p} over http`).toBeUndefined();
      // Without a trusted proxy the header is the client's claim: plain http, no HSTS.
      expect((await request(app).get(p).set('X-Forwarded-Proto', 'https')).headers['strict-transport-security'], p).toBeUndefined();
    }
  });

  it('keeps signed-in reads and the audit trail out of caches (Cache-Control: no-store)', async () => {
    const bearer = { Authorization: `Bearer ${TEST_EDITORS.alice}` };
    const signIn = await request(app).post('/api/session').send({ token: TEST_EDITORS.bob });
    const cookie = { Cookie: String(signIn.headers['set-cookie']).split(';')[0]! };
    for (const p of ['/api/audit', '/api/audit?limit=1', '/api/nodes/dar', '/api/search?q=dar', '/api/stats']) {
      for (const who of [bearer, cookie]) {
        const res = await request(app).get(p).set(who);
        expect(res.status, p).toBe(200);
        expect(res.headers['cache-control'], `${p} ${Object.keys(who)[0]}`).toBe('no-store');
      }
    }
    const entry = (await request(app).get('/api/audit?limit=1').set(bearer)).body.entries[0];
    expect((await request(app).get(`/api/audit/${entry.id}`).set(bearer)).headers['cache-control']).toBe('no-store');
    // Refused audit reads are not cached either.
    expect((await request(app).get('/api/audit')).headers['cache-control']).toBe('no-store');
  });

  it('serves API answers as JSON with a charset, never as HTML', async () => {
    for (const [, send] of answers.filter(([what]) => what.startsWith('API') || what.startsWith('an'))) {
      const res = await send();
      expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
    }
  });

  it('keeps session answers out of caches', async () => {
    const res = await request(app).post('/api/session').send({ token: TEST_EDITORS.alice });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api/);
  });
});

describe('CORS: closed by default', () => {
  const noCorsHeaders = (res: request.Response) => {
    for (const name of Object.keys(res.headers)) expect(name, `${name} in a cross-origin answer`).not.toMatch(/^access-control-/);
  };

  it('opens only the reconciliation service (read-only, for OpenRefine) to other origins, without credentials', async () => {
    for (const p of ['/api/reconcile', '/api/reconcile/suggest/entity?prefix=dar', '/api/reconcile/suggest/type?prefix=p']) {
      const res = await request(app).get(p).set('Origin', EVIL);
      expect(res.status, p).toBe(200);
      expect(res.headers['access-control-allow-origin'], p).toBe('*');
      expect(res.headers['access-control-allow-credentials'], p).toBeUndefined();
      expect(res.headers['set-cookie'], p).toBeUndefined();
    }
  });

  it('gives no Access-Control-Allow-Origin to a cross-origin read, so no other site can read the answer', async () => {
    for (const p of ['/api/nodes/dar', '/api/search?q=dar', '/api/export?format=json', '/api/session', '/api/health']) {
      const res = await request(app).get(p).set('Origin', EVIL);
      expect(res.status, p).toBe(200);
      noCorsHeaders(res);
    }
  });

  it('refuses preflights: no method, header or origin is allowed', async () => {
    for (const [p, method] of [
      ['/api/nodes', 'POST'],
      ['/api/nodes/dar', 'PATCH'],
      ['/api/nodes/dar', 'DELETE'],
      ['/api/session', 'POST'],
      ['/api/cypher', 'POST'],
      ['/api/import', 'POST'],
    ] as const) {
      const res = await request(app)
        .options(p)
        .set('Origin', EVIL)
        .set('Access-Control-Request-Method', method)
        .set('Access-Control-Request-Headers', 'authorization, content-type');
      expect(res.status, `${method} ${p}`).toBeGreaterThanOrEqual(400);
      noCorsHeaders(res);
    }
  });

  it('refuses a signed-in browser write from another site, or with no Origin at all, and writes nothing', async () => {
    const before = JSON.stringify(await store.exportAll());
    const signIn = await request(app).post('/api/session').send({ token: TEST_EDITORS.alice });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    const body = { label: 'Topic', name_en: 'Cross-site write', name_km: 'សរសេរឆ្លងគេហទំព័រ' };
    for (const origin of [EVIL, 'null', 'http://127.0.0.1.evil.example', undefined]) {
      const req = request(app).post('/api/nodes').set('Cookie', cookie);
      if (origin !== undefined) req.set('Origin', origin);
      const res = await req.send(body);
      expect(res.status, `Origin ${origin}`).toBe(403);
      noCorsHeaders(res);
    }
    // A "simple" cross-site form post (no preflight) is not JSON, so it is not even read as a write.
    const form = await request(app).post('/api/nodes').set('Cookie', cookie).set('Origin', EVIL).set('Content-Type', 'text/plain').send(JSON.stringify(body));
    expect(form.status).toBe(403);
    expect(JSON.stringify(await store.exportAll())).toBe(before);
    // From the explorer's own origin the same cookie may write.
    const own = await request(app).post('/api/nodes').set('Cookie', cookie).set('Host', 'dar.example.org').set('Origin', 'https://dar.example.org').send(body);
    expect(own.status, JSON.stringify(own.body)).toBe(201);
  });
});
