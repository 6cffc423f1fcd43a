/**
 * What an Express service is expected to do around the API (issue 16): answers compressed with gzip or brotli (API
 * answers and the explorer's files; exports still whole), one structured access-log line per request with its
 * request id (sent as X-Request-Id and in every error body) and no token or cookie in it, rate limits that count an
 * IPv6 client per /56 with the standard RateLimit headers, and a CSP a route can override cleanly.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import express, { type Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { EditorDirectory } from '../../server/auth/editors.ts';
import { createLogger } from '../../server/http/logger.ts';
import { CSP_DIRECTIVES, contentSecurityPolicy, securityHeaders } from '../../server/http/security.middleware.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { seededApp, TEST_EDITORS, TEST_EDITOR_TOKENS } from '../support/app-fixture.ts';
import { loadSeed } from '../support/seed-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';

let dir: string;
let store: EmbeddedStore;
let app: Express;
let server: http.Server;
let base: string;
const lines: string[] = [];
/** A JavaScript chunk of the explorer as the build writes them (text that compresses like real code). */
const CHUNK = Array.from({ length: 3000 }, (_, i) => `export function f${i}(a,b){return a*${i}+b.length-${i % 7};}\n`).join('');

beforeAll(async () => {
  dir = tempDir('dar-kg-http-');
  fs.mkdirSync(path.join(dir, 'web', 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'web', 'index.html'), '<!doctype html><title>explorer</title><script type="module" src="/assets/index.js"></script>');
  fs.writeFileSync(path.join(dir, 'web', 'assets', 'index.js'), CHUNK);
  // index.js has the copies the build writes (web/vite.config.ts); lazy.js has none, so it is compressed on the fly.
  fs.writeFileSync(path.join(dir, 'web', 'assets', 'index.js.br'), zlib.brotliCompressSync(CHUNK, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
  fs.writeFileSync(path.join(dir, 'web', 'assets', 'index.js.gz'), zlib.gzipSync(CHUNK, { level: 9 }));
  fs.writeFileSync(path.join(dir, 'web', 'assets', 'lazy.js'), CHUNK);
  store = await EmbeddedStore.open({ dataDir: path.join(dir, 'data') });
  await store.upsert(await loadSeed(), { name: 'seed' });
  app = createApp({
    store,
    config: { requestBodyLimit: '1mb' },
    editors: EditorDirectory.fromEnv(TEST_EDITOR_TOKENS),
    webDir: path.join(dir, 'web'),
    logger: createLogger({ destination: { write: (line: string) => void lines.push(line) } }),
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The answer's bytes as sent (no decoding, unlike fetch and supertest). */
function raw(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${url}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

function decode(encoding: string | undefined, body: Buffer): Buffer {
  if (encoding === 'br') return zlib.brotliDecompressSync(body);
  if (encoding === 'gzip') return zlib.gunzipSync(body);
  return body;
}

describe('compression', () => {
  const SUBGRAPH = '/api/subgraph?labels=Programme,Organisation&types=FUNDED_BY,IMPLEMENTED_BY,PARTNERS_WITH';

  it.each([
    ['br', 'gzip, deflate, br'],
    ['gzip', 'gzip, deflate'],
  ])('sends %s to a client that accepts it: API answers and the explorer\'s chunks, the same bytes once decoded', async (encoding, accept) => {
    const plain = await raw(SUBGRAPH);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const packed = await raw(SUBGRAPH, { 'Accept-Encoding': accept });
    expect(packed.headers['content-encoding']).toBe(encoding);
    expect(String(packed.headers.vary)).toMatch(/Accept-Encoding/i);
    expect(decode(encoding, packed.body).toString()).toBe(plain.body.toString());
    expect(packed.body.length).toBeLessThan(plain.body.length / 3);

    for (const name of ['index.js', 'lazy.js']) {
      const chunk = await raw(`/assets/${name}`, { 'Accept-Encoding': accept });
      expect(chunk.status).toBe(200);
      expect(chunk.headers['content-encoding'], name).toBe(encoding);
      expect(chunk.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(String(chunk.headers.vary)).toMatch(/Accept-Encoding/i);
      expect(decode(encoding, chunk.body).toString()).toBe(CHUNK);
      expect(chunk.body.length).toBeLessThan(CHUNK.length / 5);
      // Security headers and caching stay on compressed answers.
      expect(chunk.headers['content-security-policy']).toBeDefined();
      expect(chunk.headers['cache-control']).toBe('public, max-age=3600');
    }
    // The copy the build made is sent as it is (not compressed again).
    const built = await raw('/assets/index.js', { 'Accept-Encoding': accept });
    expect(built.body.equals(fs.readFileSync(path.join(dir, 'web', 'assets', `index.js.${encoding === 'br' ? 'br' : 'gz'}`)))).toBe(true);
  });

  it('sends exports whole: JSON compressed and decoded to the same file, the zip of CSVs as it is', async () => {
    const plain = await raw('/api/export?format=json');
    const packed = await raw('/api/export?format=json', { 'Accept-Encoding': 'br' });
    expect(packed.status).toBe(200);
    expect(packed.headers['content-disposition']).toMatch(/attachment/);
    expect(JSON.parse(decode(packed.headers['content-encoding'], packed.body).toString())).toEqual(JSON.parse(plain.body.toString()));
    const zip = await raw('/api/export?format=csv', { 'Accept-Encoding': 'br, gzip' });
    expect(zip.status).toBe(200);
    expect(zip.headers['content-encoding']).toBeUndefined(); // a zip is compressed already
    expect(zip.body.subarray(0, 2).toString()).toBe('PK');
  });

  it('sends the plain file to a client that accepts no compression, and refuses paths outside the build', async () => {
    const plain = await raw('/assets/index.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(CHUNK);
    const refused = await raw('/assets/index.js', { 'Accept-Encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    for (const sneaky of ['/assets/%2e%2e/%2e%2e/data/graph.journal', '/assets/..%2f..%2fpackage.json']) {
      const res = await raw(sneaky, { 'Accept-Encoding': 'br' });
      expect(res.headers['content-encoding'], sneaky).toBeUndefined();
      expect(res.body.toString()).not.toMatch(/"dependencies"/);
    }
  });

  it('leaves small answers uncompressed (under 1 kB the headers cost more than they save)', async () => {
    const health = await raw('/api/health', { 'Accept-Encoding': 'br, gzip' });
    expect(health.status).toBe(200);
    expect(health.headers['content-encoding']).toBeUndefined();
  });
});

describe('access log and request ids', () => {
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it('writes one JSON line per request: time, level, method, path (no query), status, duration, request id', async () => {
    const res = await request(app).get('/api/search?q=secret-search-words').set('User-Agent', 'probe');
    expect(res.status).toBe(200);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const mine = entries().filter((e) => e.reqId === id);
    expect(mine).toHaveLength(1);
    const entry = mine[0]!;
    expect(entry).toMatchObject({ level: 'info', method: 'GET', path: '/api/search', status: 200, msg: 'request' });
    expect(typeof entry.duration).toBe('number');
    expect(new Date(String(entry.time)).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(entry)).not.toContain('secret-search-words');
  });

  it('gives every request its own id, and every error body the id of its request', async () => {
    const a = await request(app).get('/api/nodes/no-such-node');
    const b = await request(app).get('/api/nope');
    const c = await request(app).post('/api/nodes').set('Authorization', `Bearer ${TEST_EDITORS.alice}`).set('Content-Type', 'application/json').send('{');
    for (const [res, status] of [[a, 404], [b, 404], [c, 400]] as const) {
      expect(res.status).toBe(status);
      expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
      expect(entries().find((e) => e.reqId === res.headers['x-request-id'])).toMatchObject({ level: 'warn', status });
    }
    expect(new Set([a, b, c].map((r) => r.headers['x-request-id'])).size).toBe(3);
    expect((await request(app).get('/')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never logs a token, a cookie or an Authorization header (good or refused)', async () => {
    const signIn = await request(app).post('/api/session').send({ token: TEST_EDITORS.bob });
    expect(signIn.status).toBe(200);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    await request(app).get('/api/session').set('Cookie', cookie);
    await request(app).get('/api/stats').set('Authorization', `Bearer ${TEST_EDITORS.alice}`);
    await request(app).get('/api/stats').set('Authorization', 'Bearer wrong-token-0123456789abcdef');
    await request(app).get('/api/stats?token=query-token-0123456789').set('Cookie', 'dar_session=forged-cookie-value');
    const text = lines.join('');
    for (const secret of [TEST_EDITORS.bob, TEST_EDITORS.alice, cookie.split('=')[1]!, 'wrong-token', 'query-token', 'forged-cookie-value', 'Bearer', 'authorization', 'cookie']) {
      expect(text.toLowerCase(), secret).not.toContain(secret.toLowerCase());
    }
  });

  it('logs each line as one JSON object, even for a path with control characters', async () => {
    await raw('/api/nodes/%0a%7B%22level%22:%22fatal%22%7D');
    for (const line of lines) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toMatch(/[\r\n]/);
      expect(() => JSON.parse(line)).not.toThrow();
    }
    expect(entries().some((e) => e.level === 'fatal')).toBe(false);
  });
});

describe('rate limits (express-rate-limit)', () => {
  it('counts IPv6 clients per /56: two addresses of one /56 share the sign-in limit, another /56 does not', async () => {
    const fx = await seededApp(undefined, { auth: { signInsPerMinute: 2 }, trustProxy: 1 });
    try {
      const signIn = (address: string) => request(fx.app).post('/api/session').set('X-Forwarded-For', address).send({ token: 'guess-0123456789abcdef' });
      expect((await signIn('2001:db8:1:100::1')).status).toBe(401);
      expect((await signIn('2001:db8:1:1ff:ffff::2')).status).toBe(401);
      const over = await signIn('2001:db8:1:1a0::3'); // a third address, same /56
      expect(over.status).toBe(429);
      expect(over.body.error.code).toBe('rate_limited');
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      expect(over.body.error.requestId).toBe(over.headers['x-request-id']);
      expect((await signIn('2001:db8:1:200::1')).status).toBe(401); // the next /56
      // IPv4 addresses count one by one, IPv4-mapped IPv6 as its IPv4 address.
      expect((await signIn('203.0.113.7')).status).toBe(401);
      expect((await signIn('203.0.113.8')).status).toBe(401);
      expect((await signIn('::ffff:203.0.113.7')).status).toBe(401);
      expect((await signIn('203.0.113.7')).status).toBe(429);
    } finally {
      await fx.dispose();
    }
  });

  it('sends the standard RateLimit-Policy and RateLimit headers (IETF draft 8), not the X-RateLimit ones', async () => {
    const fx = await seededApp(undefined, { auth: { writesPerMinute: 5 } });
    try {
      const res = await request(fx.app).post('/api/nodes').set('Authorization', `Bearer ${TEST_EDITORS.alice}`).send({ label: 'Topic', name_en: 'Header probe', name_km: 'ការសាកល្បង' });
      expect(res.status).toBe(201);
      expect(res.headers['ratelimit-policy']).toMatch(/^"writes"; q=5; w=60/);
      expect(res.headers['ratelimit']).toMatch(/^"writes"; r=4; t=\d+/);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
      const read = await request(fx.app).get('/api/nodes/dar');
      expect(read.headers['ratelimit-policy']).toMatch(/^"reads"; q=\d+; w=60/);
      expect((await request(fx.app).get('/api/health')).headers['ratelimit']).toBeUndefined();
    } finally {
      await fx.dispose();
    }
  });
});

describe('CSP per route', () => {
  it('lets one route replace directives while every other answer keeps the policy', async () => {
    const probe = express();
    probe.use(securityHeaders());
    probe.get('/docs', contentSecurityPolicy({ 'script-src': ["'self'", "'sha256-abc='"] }), (_req, res) => void res.send('docs'));
    probe.get('/other', (_req, res) => void res.send('other'));
    const docs = String((await request(probe).get('/docs')).headers['content-security-policy']);
    const other = String((await request(probe).get('/other')).headers['content-security-policy']);
    expect(docs).toContain("script-src 'self' 'sha256-abc='");
    expect(docs).toContain("frame-ancestors 'none'");
    expect(other).toContain("script-src 'self';");
    expect(other.split(';').length).toBe(Object.keys(CSP_DIRECTIVES).length);
  });
});
