/**
 * Rules on what comes in (issue 19, items 7 and 8), over HTTP on any store: who may revert a bulk load (an import,
 * the seed), and names: normalised before they are validated, control characters refused, and look-alikes of an
 * existing name (full-width, Cyrillic, Khmer confusables) refused as duplicates.
 */
import request from '../support/checked-request.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alice, bob, expectError, root, seededApp, type AppFixture } from '../support/app-fixture.ts';

type Open = Parameters<typeof seededApp>[0];

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

    describe('names', () => {
      const topic = (name_en: string, name_km: string) => ({ label: 'Topic', name_en, name_km });
      const created: string[] = [];
      beforeAll(async () => {
        for (const [en, km] of [
          ['DAR Forum', 'វេទិកាឌីអេអរ'],
          ['Good governance circle', 'អភិបាលកិច្ចល្អ'],
        ] as const) {
          const res = await api().post('/api/nodes').set(alice).send(topic(en, km));
          expect(res.status, JSON.stringify(res.body)).toBe(201);
          created.push(res.body.node.id);
        }
      });

      it('409s a full-width or Cyrillic look-alike of an existing English name, naming the node', async () => {
        for (const lookAlike of ['ＤＡＲ Forum', 'D\u0410R Forum', 'ＤＡＲ\u200B Ｆｏｒｕｍ', 'd\u0430r f\u043Erum']) {
          const res = await api().post('/api/nodes').set(bob).send(topic(lookAlike, 'ផ្សេងៗ'));
          expectError(res, 409, 'duplicate_name', new RegExp(created[0]!));
          expect(res.body.error.details, lookAlike).toMatchObject({ existing: created[0], field: 'name_en' });
        }
        // Renaming another node to a look-alike is the same conflict.
        const other = await api().post('/api/nodes').set(bob).send(topic('Another forum', 'វេទិកាមួយទៀត'));
        expect(other.status).toBe(201);
        expectError(await api().patch(`/api/nodes/${other.body.node.id}`).set(bob).send({ name_en: 'D\u0410R Forum' }), 409, 'duplicate_name');
      });

      it('409s a Khmer look-alike (ឣ U+17A3 for អ U+17A2, an invisible inherent vowel) of an existing Khmer name', async () => {
        for (const lookAlike of ['\u17A3ភិបាលកិច្ចល្អ', 'អភិ\u17B4បាលកិច្ចល្អ', 'អភិបាល\u200Bកិច្ច\u200Cល្អ']) {
          const res = await api().post('/api/nodes').set(bob).send(topic(`Khmer look-alike ${lookAlike.length}`, lookAlike));
          expectError(res, 409, 'duplicate_name');
          expect(res.body.error.details, lookAlike).toMatchObject({ existing: created[1], field: 'name_km' });
        }
      });

      it('400s a name of only zero-width or invisible characters, naming the field, and stores nothing', async () => {
        const before = (await api().get('/api/stats')).body.nodes.Topic;
        for (const [body, field] of [
          [topic('\u200B\u200B', 'ឈ្មោះ'), 'name_en'],
          [topic('Invisible Khmer', '\u200B\u17B4\u200C'), 'name_km'],
          [topic('\uFEFF \u2060', 'ឈ្មោះ'), 'name_en'],
        ] as const) {
          const res = await api().post('/api/nodes').set(alice).send(body);
          expectError(res, 400, 'invalid_parameter', new RegExp(field));
          expect(res.body.error.details.parameter).toBe(field);
        }
        expectError(await api().patch(`/api/nodes/${created[0]}`).set(alice).send({ name_km: '\u200B' }), 400, 'invalid_parameter', /name_km/);
        expect((await api().get('/api/stats')).body.nodes.Topic).toBe(before);
      });

      it('400s control characters (NUL, ESC, DEL, C1) in a name, naming the field and the character', async () => {
        for (const [name, char] of [
          ['DAR\u0000Forum', 'U\\+0000'],
          ['Escape \u001B[31mred', 'U\\+001B'],
          ['Delete\u007F', 'U\\+007F'],
          ['C1 \u009B control', 'U\\+009B'],
        ] as const) {
          const res = await api().post('/api/nodes').set(alice).send(topic(name, 'ឈ្មោះថ្មី'));
          expectError(res, 400, 'invalid_parameter', new RegExp(`name_en.*control characters.*${char}`));
          expect(res.body.error.details.parameter).toBe('name_en');
        }
        expectError(await api().patch(`/api/nodes/${created[0]}`).set(alice).send({ name_en: 'Forum\u001B' }), 400, 'invalid_parameter', /control/);
        expect((await api().get(`/api/nodes/${created[0]}`)).body.node.name_en).toBe('DAR Forum');
      });

      it('refuses such names in an import, every bad row named by its line, and writes nothing', async () => {
        const before = (await api().get('/api/stats')).body.nodes.Topic;
        const csv = topicsCsv([
          ['import-ok', 'Imported fine', 'នាំចូលល្អ'],
          ['import-zw', '\u200B\u200B', 'ទទេ'],
          ['import-esc', 'Bad \u001B name', 'ឈ្មោះខុស'],
        ]);
        const res = await importCsv(alice, csv, false);
        expectError(res, 400, 'invalid');
        expect(res.body.error.message).toMatch(/line 3 \(id "import-zw"\): name_en/);
        expect(res.body.error.message).toMatch(/line 4 \(id "import-esc"\): name_en: must not contain control characters \(it holds U\+001B\)/);
        expectError(await importCsv(alice, csv), 400, 'invalid');
        expect((await api().get('/api/stats')).body.nodes.Topic).toBe(before);

        // A look-alike of an existing organisation's name (the seed's BMZ, Cyrillic and full-width letters) is a
        // conflict the dry run lists, and applying it is refused.
        const twin = [
          'id,name_en,name_km,acronym,acronym_km,type,iati_ref,url,sources',
          'bmz-twin,Ｇerman Federal Ministry f\u043Er Economic C\u043E\u043Eperation and Development,ក្រសួងផ្សេង,,,government-donor,,,https://example.org/bmz',
        ].join('\n');
        const post = (apply: boolean) =>
          api().post(`/api/import?filename=organisations.csv${apply ? '&apply=true' : ''}`).set(alice).set('Content-Type', 'application/octet-stream').send(Buffer.from(twin));
        const dry = await post(false);
        expect(dry.status, JSON.stringify(dry.body)).toBe(200);
        expect(dry.body.plan.samples.conflicts).toEqual([expect.objectContaining({ kind: 'same-name-different-id', id: 'bmz-twin', message: expect.stringContaining('bmz') })]);
        expect((await post(true)).status).toBe(409);
        expect((await api().get('/api/nodes/bmz-twin')).status).toBe(404);
      });

      it('refuses them in IATI XML and a JSON export too, as a 400 listing every refused record', async () => {
        const activity = (id: string, title: string) =>
          `<iati-activity><iati-identifier>${id}</iati-identifier><title><narrative>${title}</narrative></title></iati-activity>`;
        const xml = `<iati-activities version="2.03">${activity('XM-TEST-1', '\u200B\u200B')}${activity('XM-TEST-2', 'C1 \u009B title')}${activity('XM-TEST-3', 'A fine title')}</iati-activities>`;
        const iati = await api().post('/api/import?filename=a.xml').set(alice).set('Content-Type', 'application/octet-stream').send(Buffer.from(xml));
        expectError(iati, 400, 'invalid', /2 record\(s\) refused/);
        expect(iati.body.error.message).toMatch(/xm-test-1: name_en: must not be empty/);
        expect(iati.body.error.message).toMatch(/xm-test-2: name_en: must not contain control characters \(it holds U\+009B\)/);
        expect(iati.body.error.details).toMatchObject({ refused: 2, problems: [expect.any(String), expect.any(String)] });

        const exported = JSON.stringify({
          format: 'dar-kg-export',
          version: 1,
          nodes: [{ id: 'json-esc', label: 'Topic', name_en: 'Json\u001Bname', name_km: 'ឈ្មោះ', sources: [] }],
          links: [],
        });
        const json = await api().post('/api/import?filename=a.json').set(alice).set('Content-Type', 'application/octet-stream').send(Buffer.from(exported));
        expectError(json, 400, 'invalid', /name_en: must not contain control characters \(it holds U\+001B\)/);
        expect((await api().get('/api/nodes/json-esc')).status).toBe(404);
      });
    });
  });
}
