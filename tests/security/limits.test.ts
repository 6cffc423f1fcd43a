/**
 * Limits that keep one client from exhausting the server: the request body size (413), the import size (413,
 * and nothing read before the sender is known to be an editor), sign-in and write rate limits (429 with
 * Retry-After, per client address, not reset by a forged X-Forwarded-For), and bodies nested deep enough to
 * overflow a recursive walk (400, not 500).
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alice, expectError, seededApp, TEST_EDITORS, type AppFixture } from '../support/app-fixture.ts';

const topic = (n: string) => ({ label: 'Topic', name_en: `Limit probe ${n}`, name_km: `ការសាកល្បង ${n}` });

describe('body size', () => {
  let fx: AppFixture;
  beforeAll(async () => {
    fx = await seededApp(undefined, { importMaxBytes: 64 * 1024 });
  });
  afterAll(async () => fx?.dispose());

  it('413s a JSON body over REQUEST_BODY_LIMIT (1 MB here), signed in or not, and writes nothing', async () => {
    const before = JSON.stringify(await fx.store.exportAll());
    const huge = { ...topic('huge'), summary_en: 'x'.repeat(1024 * 1024) };
    expectError(await request(fx.app).post('/api/nodes').set(alice).send(huge), 413, 'body_too_large');
    expectError(await request(fx.app).post('/api/nodes').send(huge), 413, 'body_too_large');
    expectError(await request(fx.app).post('/api/cypher').send({ query: `RETURN '${'x'.repeat(1024 * 1024)}'` }), 413, 'body_too_large');
    expectError(await request(fx.app).post('/api/session').send({ token: 'x'.repeat(2 * 1024 * 1024) }), 413, 'body_too_large');
    expect(JSON.stringify(await fx.store.exportAll())).toBe(before);
  });

  it('413s an import over IMPORT_MAX_BYTES, and 401s one from a stranger before reading it', async () => {
    const file = Buffer.alloc(65 * 1024, 'a');
    const over = await request(fx.app).post('/api/import?filename=big.csv').set(alice).set('Content-Type', 'text/csv').send(file);
    expectError(over, 413, 'body_too_large');
    const stranger = await request(fx.app).post('/api/import?filename=big.csv').set('Content-Type', 'text/csv').send(file);
    expectError(stranger, 401, 'unauthenticated');
  });

  it('400s (not 500s) values nested thousands deep in every write body', async () => {
    const before = JSON.stringify(await fx.store.exportAll());
    for (const depth of [50_000, 200_000]) {
      const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const bodies: [string, string, string][] = [
        ['patch', '/api/nodes/dar', `{"summary_en":${deep}}`],
        ['patch', '/api/links/dar-2-succeeds-dar-1', `{"role":${deep}}`],
        ['patch', '/api/nodes/dar', `{"sources":${deep}}`],
        ['post', '/api/nodes', `{"label":"Topic","name_en":"Deep","name_km":"ជ្រៅ","sources":${deep}}`],
        ['post', '/api/links', `{"type":"ABOUT","from":"dar","to":"service-delivery","sources":${deep}}`],
        ['post', '/api/cypher', `{"query":"RETURN $p","params":{"p":${deep}}}`],
        ['post', '/api/session', `{"token":${deep}}`],
      ];
      for (const [method, p, body] of bodies) {
        const res = await request(fx.app)[method as 'post'](p).set(alice).set('Content-Type', 'application/json').send(body);
        expect(res.status, `${method.toUpperCase()} ${p} ${depth} deep: ${JSON.stringify(res.body).slice(0, 200)}`).toBe(400);
      }
    }
    expect(JSON.stringify(await fx.store.exportAll())).toBe(before);
  });
});

describe('rate limits', () => {
  it('429s sign-in attempts over SIGN_IN_RATE_LIMIT, refused Bearer tokens too, with Retry-After', async () => {
    const fx = await seededApp(undefined, { auth: { signInsPerMinute: 3 } });
    try {
      for (let i = 0; i < 3; i++) expectError(await request(fx.app).post('/api/session').send({ token: `guess-${i}-0123456789abcdef` }), 401, 'unauthenticated');
      const limited = await request(fx.app).post('/api/session').send({ token: TEST_EDITORS.alice });
      expectError(limited, 429, 'rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // The right token does not get through either while the address is limited, nor does the Bearer header.
      expectError(await request(fx.app).get('/api/stats').set('Authorization', 'Bearer guess-9-0123456789abcdef'), 429, 'rate_limited');
    } finally {
      await fx.dispose();
    }
  });

  it('429s writes over WRITE_RATE_LIMIT per address; a forged X-Forwarded-For does not reset it (no trusted proxy)', async () => {
    const fx = await seededApp(undefined, { auth: { writesPerMinute: 2 } });
    try {
      for (let i = 0; i < 2; i++) expect((await request(fx.app).post('/api/nodes').set(alice).send(topic(`w${i}`))).status).toBe(201);
      const over = await request(fx.app).post('/api/nodes').set(alice).send(topic('w2'));
      expectError(over, 429, 'rate_limited');
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      for (const forged of ['203.0.113.7', '198.51.100.1, 10.0.0.1']) {
        expectError(await request(fx.app).post('/api/nodes').set(alice).set('X-Forwarded-For', forged).send(topic(`f-${forged}`)), 429, 'rate_limited');
      }
      // Failed writes count too: a flood of bad bodies is limited like good ones.
      expectError(await request(fx.app).post('/api/nodes').set(alice).send({}), 429, 'rate_limited');
      expect((await request(fx.app).get('/api/nodes/dar')).status).toBe(200); // reads are not limited
    } finally {
      await fx.dispose();
    }
  });
});
