/**
 * The Reconciliation Service API 0.2 (OpenRefine) over HTTP, every answer checked against the specification's own
 * JSON schemas (tests/fixtures/reconciliation, copied unchanged from reconciliation-api/specs with its note).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv, { type ValidateFunction } from 'ajv';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_EDITORS, seededApp, type AppFixture } from '../support/app-fixture.ts';

const SPEC = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'reconciliation', '0.2');

/**
 * The specification's schemas in one ajv. Two adjustments, as the specs repository's own checker needs them too:
 * the generic "$schema" URI is dropped (ajv knows draft-07 by its own URI), and the manifest's reference to the
 * Swagger 2 schema (for `authentication`, which we do not use) is replaced by "any object".
 */
function specValidators(): (name: string) => ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const file of fs.readdirSync(path.join(SPEC, 'schemas'))) {
    if (file === 'openapi.json') continue;
    const schema = JSON.parse(fs.readFileSync(path.join(SPEC, 'schemas', file), 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    if (file === 'manifest.json') (schema.properties as Record<string, unknown>).authentication = { type: 'object' };
    ajv.addSchema(schema, file);
  }
  return (name) => ajv.getSchema(name)!;
}

function examples(kind: string, validity: 'valid' | 'invalid'): unknown[] {
  const dir = path.join(SPEC, 'examples', kind, validity);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown);
}

type Open = Parameters<typeof seededApp>[0];

export function describeReconciliation(storeName: string, open?: Open): void {
  describe(`the reconciliation service (W3C 0.2, OpenRefine) on ${storeName}`, () => {
    let fx: AppFixture;
    const schema = specValidators();
    const valid = (name: string, body: unknown) => {
      const check = schema(name);
      expect(check(body), `${name}: ${JSON.stringify(check.errors)}`).toBe(true);
    };
    beforeAll(async () => {
      fx = await seededApp(open);
    });
    afterAll(async () => fx?.dispose());

    const reconcileForm = (queries: unknown) =>
      request(fx.app).post('/api/reconcile').type('form').send({ queries: JSON.stringify(queries) });

    it("checks with the specification's schemas as its examples say (valid ones pass, invalid ones fail)", () => {
      for (const [kind, name] of [
        ['manifest', 'manifest.json'],
        ['reconciliation-query-batch', 'reconciliation-query-batch.json'],
        ['reconciliation-result-batch', 'reconciliation-result-batch.json'],
        ['data-extension-response', 'data-extension-response.json'],
      ] as const) {
        const good = examples(kind, 'valid');
        const bad = examples(kind, 'invalid');
        expect(good.length + bad.length, kind).toBeGreaterThan(0);
        for (const e of good) expect(schema(name)(e), `${kind} valid example`).toBe(true);
        for (const e of bad) expect(schema(name)(e), `${kind} invalid example`).toBe(false);
      }
    });

    it('serves a manifest that names the views, suggest, preview and data extension, open to other origins (CORS)', async () => {
      const res = await request(fx.app).get('/api/reconcile').set('Host', 'dar.example:8080');
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      valid('manifest.json', res.body);
      expect(res.body.versions).toContain('0.2');
      expect(res.body.view.url).toBe('http://dar.example:8080/?f={{id}}');
      expect(res.body.preview.url).toBe('http://dar.example:8080/api/reconcile/preview?id={{id}}');
      expect(res.body.defaultTypes.map((t: { id: string }) => t.id)).toEqual(['Programme', 'Organisation', 'AdminArea', 'Document', 'Topic', 'Law', 'Event']);
      expect(res.body.suggest.entity).toEqual({ service_url: 'http://dar.example:8080/api/reconcile', service_path: '/suggest/entity' });
    });

    it('reconciles English and Khmer names sent as a form, as OpenRefine does: the right id first, matched when unambiguous', async () => {
      const res = await reconcileForm({
        q0: { query: 'Ministry of Civil Service' },
        q1: { query: 'ក្រសួងមុខងារសាធារណៈ', type: 'Organisation' },
        q2: { query: 'GIZ', type: ['Organisation'], limit: 3 },
        q3: { query: 'no such body anywhere qqq' },
      });
      expect(res.status).toBe(200);
      valid('reconciliation-result-batch.json', res.body);
      expect(res.body.q0.result[0]).toMatchObject({ id: 'mcs', name: 'Ministry of Civil Service', score: 100, match: true, type: [{ id: 'Organisation' }] });
      // A Khmer query gets the Khmer name, and the English one in the description.
      expect(res.body.q1.result[0]).toMatchObject({ id: 'mcs', name: 'ក្រសួងមុខងារសាធារណៈ', match: true });
      expect(res.body.q1.result[0].description).toContain('Ministry of Civil Service');
      expect(res.body.q2.result[0].id).toBe('giz');
      expect(res.body.q2.result.length).toBeLessThanOrEqual(3);
      expect(res.body.q2.result.every((c: { type: { id: string }[] }) => c.type[0]!.id === 'Organisation')).toBe(true);
      expect(res.body.q3.result).toEqual([]);
    });

    it('never matches namesakes automatically; a property (level, code) tells them apart', async () => {
      const res = await reconcileForm({
        plain: { query: 'Bavel', type: 'AdminArea' },
        district: { query: 'Bavel', type: 'AdminArea', properties: [{ pid: 'level', v: 'district' }] },
        byCode: { type: 'AdminArea', properties: [{ pid: 'code', v: '020401' }] },
      });
      expect(res.status).toBe(200);
      valid('reconciliation-result-batch.json', res.body);
      const plain = res.body.plain.result as { id: string; match: boolean; description: string }[];
      expect(plain.map((c) => c.id).slice(0, 2).sort()).toEqual(['kh-0204', 'kh-020401']);
      expect(plain.some((c) => c.match)).toBe(false);
      expect(plain.find((c) => c.id === 'kh-020401')!.description).toContain('Battambang');
      expect(res.body.district.result[0]).toMatchObject({ id: 'kh-0204', match: true, score: 100 });
      expect(res.body.district.result[0].features).toEqual([{ id: 'name', value: 100 }, { id: 'level', value: true }]);
      expect(res.body.byCode.result[0]).toMatchObject({ id: 'kh-020401', match: true });
    });

    it('answers the same batch by GET, and by POST as JSON', async () => {
      const queries = { a: { query: 'Ministry of Civil Service' }, b: { query: 'Bavel', type: 'AdminArea' } };
      const form = await reconcileForm(queries);
      const get = await request(fx.app).get('/api/reconcile').query({ queries: JSON.stringify(queries) });
      const json = await request(fx.app).post('/api/reconcile').send({ queries });
      expect(get.status).toBe(200);
      expect(json.status).toBe(200);
      expect(get.body).toEqual(form.body);
      expect(json.body).toEqual(form.body);
    });

    it('refuses what is not a valid batch with a 400 naming where, and changes nothing', async () => {
      const before = await fx.store.stats();
      const notJson = await request(fx.app).post('/api/reconcile').type('form').send({ queries: '{"q0": {"query": ' });
      expect(notJson.status).toBe(400);
      expect(notJson.body.error).toMatchObject({ code: 'invalid_parameter', details: { parameter: 'queries' } });
      for (const bad of examples('reconciliation-query-batch', 'invalid')) {
        const res = await reconcileForm(bad);
        expect(res.status, JSON.stringify(bad)).toBe(400);
        expect(res.body.error.code).toBe('invalid_parameter');
      }
      const unknownType = await reconcileForm({ q0: { query: 'GIZ', type: 'Person' } });
      expect(unknownType.status).toBe(400);
      expect(unknownType.body.error.message).toContain('"queries.q0.type"');
      const linkProperty = await reconcileForm({ q0: { query: 'GIZ', properties: [{ pid: 'FUNDED_BY', v: 'bmz' }] } });
      expect(linkProperty.status).toBe(400);
      const tooMany = await reconcileForm(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`q${i}`, { query: 'dar' }])));
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.message).toContain('at most 50');
      expect(await fx.store.stats()).toEqual(before);
    });

    it('suggests entities by prefix in English and Khmer, paged, and types and properties', async () => {
      const en = await request(fx.app).get('/api/reconcile/suggest/entity').query({ prefix: 'Ministry of Civ' });
      expect(en.status).toBe(200);
      expect(en.headers['access-control-allow-origin']).toBe('*');
      valid('suggest-entities-response.json', en.body);
      expect(en.body.result[0]).toMatchObject({ id: 'mcs', name: 'Ministry of Civil Service', notable: [{ id: 'Organisation' }] });
      const km = await request(fx.app).get('/api/reconcile/suggest/entity').query({ prefix: 'បាណន់' });
      valid('suggest-entities-response.json', km.body);
      expect(km.body.result[0]).toMatchObject({ id: 'kh-0201', name: 'បាណន់' });
      const first = await request(fx.app).get('/api/reconcile/suggest/entity').query({ prefix: 'Ba', type: 'AdminArea' });
      const second = await request(fx.app).get('/api/reconcile/suggest/entity').query({ prefix: 'Ba', type: 'AdminArea', cursor: 10 });
      expect(first.body.result).toHaveLength(10);
      const firstIds = new Set(first.body.result.map((r: { id: string }) => r.id));
      expect(second.body.result.length).toBeGreaterThan(0);
      expect(second.body.result.some((r: { id: string }) => firstIds.has(r.id))).toBe(false);
      const types = await request(fx.app).get('/api/reconcile/suggest/type').query({ prefix: 'org' });
      valid('suggest-types-response.json', types.body);
      expect(types.body.result.map((t: { id: string }) => t.id)).toEqual(['Organisation']);
      const props = await request(fx.app).get('/api/reconcile/suggest/property').query({ prefix: 'khmer' });
      valid('suggest-properties-response.json', props.body);
      expect(props.body.result.map((p: { id: string }) => p.id)).toEqual(['name_km', 'acronym_km']);
      expect((await request(fx.app).get('/api/reconcile/suggest/entity').query({ prefix: 'x', type: 'Person' })).status).toBe(400);
    });

    it('previews a node as a small HTML page that OpenRefine may frame, escaped, with no script', async () => {
      const res = await request(fx.app).get('/api/reconcile/preview').query({ id: 'mcs' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('Ministry of Civil Service');
      expect(res.text).toContain('ក្រសួងមុខងារសាធារណៈ');
      expect(res.text).not.toContain('<script');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['content-security-policy']).toContain('frame-ancestors *');
      expect(res.headers['x-frame-options']).toBeUndefined();
      expect((await request(fx.app).get('/api/reconcile/preview').query({ id: 'no-such-node' })).status).toBe(404);
      // Everything else keeps the strict policy.
      expect((await request(fx.app).get('/api/reconcile')).headers['content-security-policy']).toContain("frame-ancestors 'none'");
    });

    it('escapes a hostile name in the preview', async () => {
      const hostile = '<img src=x onerror=alert(1)> & "quotes"';
      const created = await request(fx.app)
        .post('/api/nodes')
        .set('Authorization', `Bearer ${TEST_EDITORS.alice}`)
        .send({ id: 'hostile-topic', label: 'Topic', name_en: hostile, name_km: 'ប្រធានបទ', sources: ['https://example.org/a'] });
      expect(created.status).toBe(201);
      const res = await request(fx.app).get('/api/reconcile/preview').query({ id: 'hostile-topic' });
      expect(res.text).not.toContain('<img');
      expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
    });

    it('proposes properties and extends reconciled ids with values and linked nodes (data extension)', async () => {
      const proposed = await request(fx.app).get('/api/reconcile/properties').query({ type: 'Programme', limit: 5 });
      expect(proposed.status).toBe(200);
      valid('data-extension-property-proposal.json', proposed.body);
      expect(proposed.body.properties).toHaveLength(5);
      const extend = { ids: ['dar-2', 'mcs', 'no-such-node'], properties: [{ id: 'name_km' }, { id: 'start' }, { id: 'FUNDED_BY' }] };
      const res = await request(fx.app).post('/api/reconcile').type('form').send({ extend: JSON.stringify(extend) });
      expect(res.status).toBe(200);
      valid('data-extension-response.json', res.body);
      expect(res.body.meta.map((m: { id: string }) => m.id)).toEqual(['name_km', 'start', 'FUNDED_BY']);
      expect(res.body.rows['dar-2'].start).toEqual([{ str: '2019-05' }]);
      expect(res.body.rows['dar-2'].FUNDED_BY.map((c: { id: string }) => c.id)).toContain('bmz');
      expect(res.body.rows.mcs.FUNDED_BY).toEqual([]);
      expect(res.body.rows.mcs.name_km).toEqual([{ str: 'ក្រសួងមុខងារសាធារណៈ' }]);
      expect(res.body.rows['no-such-node']).toEqual({ name_km: [], start: [], FUNDED_BY: [] });
      const bad = await request(fx.app).post('/api/reconcile').type('form').send({ extend: JSON.stringify({ ids: ['dar'], properties: [{ id: 'password' }] }) });
      expect(bad.status).toBe(400);
    });

    it("turns a reconciled partner list into a links CSV that the import takes (OpenRefine's round trip)", async () => {
      // A spreadsheet of partners as staff keep it: names as written, in either language.
      const partners = ['Ministry of Civil Service', 'ក្រសួងមហាផ្ទៃ'];
      const res = await reconcileForm(Object.fromEntries(partners.map((name, i) => [`r${i}`, { query: name, type: 'Organisation' }])));
      const ids = partners.map((_, i) => (res.body[`r${i}`].result as { id: string; match: boolean }[]).find((c) => c.match)!.id);
      expect(ids).toEqual(['mcs', 'moi']);
      const csv = ['id,type,from,to,role,start,end,amount,currency,note_en,note_km,draft,sources', ...ids.map((id) => `isd-2-partners-${id},PARTNERS_WITH,isd-2,${id},,,,,,,,,https://example.org/partner-list`)].join('\n');
      const dry = await request(fx.app).post('/api/import?filename=links.csv').set('Authorization', `Bearer ${TEST_EDITORS.alice}`).set('Content-Type', 'text/csv').send(csv);
      expect(dry.status).toBe(200);
      expect(dry.body.plan.counts.created).toBe(2);
    });
  });
}
