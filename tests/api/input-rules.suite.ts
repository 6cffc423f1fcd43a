/**
 * Rules on what comes in (issue 19, items 7 and 8), over HTTP on any store: who may revert a bulk load (an import,
 * the seed), and names: normalised before they are validated, control characters refused, and look-alikes of an
 * existing name (full-width, Cyrillic, Khmer confusables) refused as duplicates.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededApp, TEST_EDITORS, type AppFixture } from '../support/app-fixture.ts';

type Open = Parameters<typeof seededApp>[0];

const bearer = (name: keyof typeof TEST_EDITORS) => ({ Authorization: `Bearer ${TEST_EDITORS[name]}` });
const alice = bearer('alice');
const bob = bearer('bob');
const root = bearer('root');

const expectError = (res: request.Response, status: number, code: string, mention?: RegExp) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  if (mention) expect(res.body.error.message).toMatch(mention);
};

/** A seed-format topics.csv with one row per [id, name_en, name_km]. */
const topicsCsv = (rows: [string, string, string][]) =>
  ['id,name_en,name_km,summary_en,summary_km,sources', ...rows.map(([id, en, km]) => `${id},${en},${km},,,https://example.org/${id}`)].join('\n');

export function describeInputRules(storeName: string, open?: Open): void {
  describe(`input rules on ${storeName}`, () => {
    let fx: AppFixture;
    beforeAll(async () => {
      fx = await seededApp(open);
    });
    afterAll(async () => fx?.dispose());
    const api = () => request(fx.app);
    const importCsv = (who: Record<string, string>, csv: string, apply = true) =>
      api().post(`/api/import?filename=topics.csv${apply ? '&apply=true' : ''}`).set(who).set('Content-Type', 'application/octet-stream').send(Buffer.from(csv));

    describe('reverting a bulk load', () => {
      it("lets an editor revert their own import, not another editor's; an admin reverts any; the seed is admins' only", async () => {
        const first = await importCsv(alice, topicsCsv([['revert-rule-one', 'Revert rule one', 'ច្បាប់ត្រឡប់មួយ']]));
        expect(first.status, JSON.stringify(first.body)).toBe(200);
        const mine = first.body.result.audit as string;
        // Another editor may not undo it (a bulk revert is a mass deletion), and nothing changes.
        expectError(await api().post(`/api/audit/${mine}/revert`).set(bob), 403, 'forbidden', /admin/);
        expect((await api().get('/api/nodes/revert-rule-one')).status).toBe(200);
        // Its own editor may (the import dialog's undo).
        const undone = await api().post(`/api/audit/${mine}/revert`).set(alice);
        expect(undone.status, JSON.stringify(undone.body)).toBe(200);
        expect((await api().get('/api/nodes/revert-rule-one')).status).toBe(404);

        const second = await importCsv(alice, topicsCsv([['revert-rule-two', 'Revert rule two', 'ច្បាប់ត្រឡប់ពីរ']]));
        const theirs = second.body.result.audit as string;
        const byAdmin = await api().post(`/api/audit/${theirs}/revert`).set(root);
        expect(byAdmin.status, JSON.stringify(byAdmin.body)).toBe(200);
        // Undoing the admin's revert re-applies alice's import: a bulk change that is not bob's, nor alice's own.
        expectError(await api().post(`/api/audit/${byAdmin.body.audit.id}/revert`).set(bob), 403, 'forbidden', /admin/);
        expectError(await api().post(`/api/audit/${byAdmin.body.audit.id}/revert`).set(alice), 403, 'forbidden', /admin/);
        expect((await api().get('/api/nodes/revert-rule-two')).status).toBe(404);

        const seed = (await api().get('/api/audit').set(bob).query({ editor: 'seed' })).body.entries[0];
        expectError(await api().post(`/api/audit/${seed.id}/revert`).set(alice), 403, 'forbidden', /admin/);
      });

      it('says so in the OpenAPI text', async () => {
        const doc = (await api().get('/api/openapi.json')).body;
        const revert = doc.paths['/api/audit/{id}/revert'].post.description as string;
        expect(revert).toMatch(/admin/);
        expect(revert).toMatch(/own import/);
        const importText = doc.paths['/api/import'].post.description as string;
        expect(importText).not.toMatch(/which editors can revert/);
        expect(importText).toMatch(/own import/);
      });
    });
  });
}
