/** POST /api/import over HTTP: editors only, dry run by default, apply all or nothing, one revertable audit entry. */
import fs from 'node:fs';
import path from 'node:path';
import request from '../support/checked-request.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seededApp, TEST_EDITORS, type AppFixture } from '../support/app-fixture.ts';
import { loadSeed, ROOT } from '../support/seed-fixture.ts';

const BMZ = fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', 'iati', 'BD-IATI_donor-data_germany_bmz-20160121.xml'));

describe('POST /api/import', () => {
  let fx: AppFixture;
  /** Programmes in the seed: what the store holds before an import and after its revert. */
  let seeded = 0;
  beforeAll(async () => {
    fx = await seededApp();
    seeded = (await loadSeed()).nodes.filter((n) => n.label === 'Programme').length;
  });
  afterAll(async () => fx?.dispose());
  const post = (query: string, body: Buffer | string, who?: keyof typeof TEST_EDITORS) => {
    const req = request(fx.app).post(`/api/import?${query}`).set('Content-Type', 'application/octet-stream');
    if (who) req.set(bearer(who));
    return req.send(body);
  };

  it('refuses anyone not signed in, and writes nothing', async () => {
    const res = await post('filename=bmz.xml&apply=true', BMZ);
    expect(res.status).toBe(401);
    expect((await fx.store.stats()).nodes.Programme).toBe(seeded);
  });

  it('gives a dry run, then applies as one audit entry that the editor can revert', async () => {
    const dry = await post('filename=bmz.xml', BMZ, 'alice');
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    // One update: the seed's BMZ, which the file also names, gains the file's citation.
    expect(dry.body).toMatchObject({ dryRun: true, plan: { format: 'iati-xml', activities: 54, counts: { conflicts: 0, updated: 1 } } });
    expect(dry.body.plan.nodes).toBeUndefined();
    expect((await fx.store.stats()).nodes.Programme).toBe(seeded);

    const applied = await post('filename=bmz.xml&apply=true', BMZ, 'alice');
    expect(applied.status).toBe(200);
    expect(applied.body.result.created).toBe(dry.body.plan.counts.created);
    expect((await fx.store.stats()).nodes.Programme).toBe(seeded + 54);
    const again = await post('filename=bmz.xml&apply=true', BMZ, 'alice');
    expect(again.body.result).toMatchObject({ created: 0, updated: 0 });

    const audit = applied.body.result.audit as string;
    const entry = await request(fx.app).get(`/api/audit/${audit}`).set(bearer('alice'));
    expect(entry.body).toMatchObject({ action: 'import', by: 'alice' });
    const revert = await request(fx.app).post(`/api/audit/${audit}/revert`).set(bearer('alice'));
    expect(revert.status, JSON.stringify(revert.body)).toBeLessThan(300);
    expect((await fx.store.stats()).nodes.Programme).toBe(seeded);
  });

  it('answers 400 for a bad file and a missing file name, and 413 over the size limit', async () => {
    const bad = await post('filename=x.xml', '<!DOCTYPE x [<!ENTITY a "b">]><iati-activities/>', 'alice');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/DOCTYPE/);
    expect((await post('', BMZ, 'alice')).status).toBe(400);
    const small = await seededApp(undefined, { importMaxBytes: 1000 });
    try {
      const res = await request(small.app).post('/api/import?filename=bmz.xml').set(bearer('alice')).set('Content-Type', 'application/octet-stream').send(BMZ);
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('body_too_large');
    } finally {
      await small.dispose();
    }
  });
});
