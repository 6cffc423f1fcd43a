/**
 * Stories over HTTP (supertest on createApp), run on every store: create, read (with sources resolved), replace
 * with If-Match, 412 on a stale version, delete, audit entries and revert, bad input (400) and no credentials (401).
 */
import request from '../support/checked-request.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededApp, TEST_EDITORS, type AppFixture } from '../support/app-fixture.ts';

type Open = Parameters<typeof seededApp>[0];

const alice = { Authorization: `Bearer ${TEST_EDITORS.alice}` };
const bob = { Authorization: `Bearer ${TEST_EDITORS.bob}` };

const expectError = (res: request.Response, status: number, code: string, mention?: RegExp) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  if (mention) expect(res.body.error.message).toMatch(mention);
};

export const LINEAGE_STORY = {
  title_en: 'The DAR lineage',
  title_km: 'ប្រវត្តិនៃកម្មវិធី DAR',
  steps: [
    {
      scene: '?view=explore&focus=dar',
      caption_en: 'DAR and what is around it.',
      caption_km: 'DAR និងអ្វីដែលនៅជុំវិញវា។',
      sources: ['https://example.org/dar-page'],
    },
    {
      scene: 'http://localhost:8080/?view=lineage&focus=dar',
      caption_en: 'What came before DAR.',
      caption_km: 'អ្វីដែលមានមុន DAR។',
      sources: [],
    },
  ],
};

export function describeStoriesApi(storeName: string, open?: Open): void {
  describe(`stories API on ${storeName}`, () => {
    let fx: AppFixture;
    beforeAll(async () => {
      fx = await seededApp(open);
    });
    afterAll(async () => fx?.dispose());
    const api = () => request(fx.app);

    it('creates, reads, lists, replaces with If-Match (412 when stale), deletes, and reverts by the audit', async () => {
      const doc = (await api().get('/api/documents')).body as { groups?: unknown };
      expect(doc).toBeTruthy();
      const documentId = (await api().get('/api/search?q=report&labels=Document&limit=1')).body.hits?.[0]?.id as string | undefined;
      const steps = documentId ? [{ ...LINEAGE_STORY.steps[0]!, sources: [...LINEAGE_STORY.steps[0]!.sources, documentId] }, LINEAGE_STORY.steps[1]!] : LINEAGE_STORY.steps;

      const created = await api().post('/api/stories').set(alice).send({ ...LINEAGE_STORY, steps });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.headers.location).toBe('/api/stories/the-dar-lineage');
      expect(created.headers.etag).toBe('"1"');
      const story = created.body.story;
      expect(story).toMatchObject({ id: 'the-dar-lineage', title_km: LINEAGE_STORY.title_km, version: 1, created_by: 'alice' });
      // A whole address of this site is cut to its query string.
      expect(story.steps[1].scene).toBe('?view=lineage&focus=dar');

      const read = await api().get('/api/stories/the-dar-lineage');
      expect(read.status).toBe(200);
      expect(read.headers.etag).toBe('"1"');
      expect(read.body.story.steps).toHaveLength(2);
      expect(read.body.sources['https://example.org/dar-page']).toEqual({ source: 'https://example.org/dar-page', url: 'https://example.org/dar-page' });
      if (documentId) expect(read.body.sources[documentId]).toMatchObject({ source: documentId, name_en: expect.any(String), name_km: expect.any(String) });

      const list = await api().get('/api/stories');
      expect(list.body.stories).toEqual([expect.objectContaining({ id: 'the-dar-lineage', steps: 2, version: 1 })]);

      // A second one with the same title gets the next id.
      const again = await api().post('/api/stories').set(bob).send(LINEAGE_STORY);
      expect(again.status).toBe(201);
      expect(again.body.story.id).toBe('the-dar-lineage-2');
      expectError(await api().post('/api/stories').set(bob).send({ ...LINEAGE_STORY, id: 'the-dar-lineage' }), 409, 'id_taken');

      const changed = { ...LINEAGE_STORY, title_en: 'The DAR lineage, told again' };
      const put = await api().put('/api/stories/the-dar-lineage').set(bob).set('If-Match', '"1"').send(changed);
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.headers.etag).toBe('"2"');
      expect(put.body.story).toMatchObject({ title_en: 'The DAR lineage, told again', version: 2, created_by: 'alice', updated_by: 'bob' });
      const stale = await api().put('/api/stories/the-dar-lineage').set(alice).set('If-Match', '"1"').send(LINEAGE_STORY);
      expectError(stale, 412, 'version_mismatch');
      expect(stale.body.error.details).toMatchObject({ current: 2 });
      expect((await api().get('/api/stories/the-dar-lineage')).body.story.title_en).toBe('The DAR lineage, told again');

      // The audit has the update; reverting it brings the first telling back.
      const history = await api().get('/api/audit?entity=story:the-dar-lineage').set(alice);
      expect(history.status).toBe(200);
      expect(history.body.entries.map((e: { action: string }) => e.action)).toEqual(['update_story', 'create_story']);
      const update = history.body.entries[0];
      expect(update.changes[0]).toMatchObject({ entity: 'story', id: 'the-dar-lineage', before: { version: 1 }, after: { version: 2 } });
      const reverted = await api().post(`/api/audit/${update.id}/revert`).set(alice);
      expect(reverted.status, JSON.stringify(reverted.body)).toBe(200);
      const back = await api().get('/api/stories/the-dar-lineage');
      expect(back.body.story).toMatchObject({ title_en: 'The DAR lineage', version: 3 });
      // The update cannot be reverted twice (the story is no longer as it left it).
      expectError(await api().post(`/api/audit/${update.id}/revert`).set(alice), 409, 'revert_conflict');

      // Delete with a stale If-Match: 412; with the current one: gone; reverting the deletion restores it.
      expectError(await api().delete('/api/stories/the-dar-lineage').set(bob).set('If-Match', '"2"'), 412, 'version_mismatch');
      const deleted = await api().delete('/api/stories/the-dar-lineage').set(bob).set('If-Match', '"3"');
      expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
      expect(deleted.body.deleted).toBe('the-dar-lineage');
      expectError(await api().get('/api/stories/the-dar-lineage'), 404, 'not_found');
      expect((await api().post(`/api/audit/${deleted.body.audit}/revert`).set(bob)).status).toBe(200);
      const restored = await api().get('/api/stories/the-dar-lineage');
      expect(restored.status).toBe(200);
      expect(restored.body.story).toMatchObject({ title_en: 'The DAR lineage', version: 4, created_by: 'alice' });
      // The graph is untouched by stories.
      expect((await api().get('/api/nodes/the-dar-lineage')).status).toBe(404);
    });

    it('refuses bad input with 400 naming the field, and changes nothing', async () => {
      const before = (await api().get('/api/stories')).body.stories.length;
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ ...LINEAGE_STORY, steps: [] }, /steps/],
        [{ ...LINEAGE_STORY, title_km: '\u200b ' }, /title_km/],
        [{ ...LINEAGE_STORY, steps: [{ ...LINEAGE_STORY.steps[0], scene: 'javascript:alert(1)' }] }, /steps\.0\.scene/],
        [{ ...LINEAGE_STORY, steps: [{ ...LINEAGE_STORY.steps[0], scene: 'https://evil.example/other-path?x=1' }] }, /steps\.0\.scene/],
        [{ ...LINEAGE_STORY, steps: [{ ...LINEAGE_STORY.steps[0], sources: ['no-such-document'] }] }, /steps\.0\.sources/],
        [{ ...LINEAGE_STORY, steps: [{ ...LINEAGE_STORY.steps[0], sources: ['javascript:alert(1)'] }] }, /steps\.0\.sources/],
        [{ ...LINEAGE_STORY, version: 7 }, /version/],
        [{ ...LINEAGE_STORY, steps: [{ ...LINEAGE_STORY.steps[0], caption_en: undefined }] }, /caption_en/],
      ];
      for (const [body, mention] of cases) expectError(await api().post('/api/stories').set(alice).send(body), 400, 'invalid_parameter', mention);
      expectError(await api().put('/api/stories/no-such-story').set(alice).send(LINEAGE_STORY), 404, 'not_found');
      expect((await api().get('/api/stories')).body.stories.length).toBe(before);
    });

    it('401s every write without credentials; reads stay open', async () => {
      expectError(await api().post('/api/stories').send(LINEAGE_STORY), 401, 'unauthenticated');
      expectError(await api().put('/api/stories/any').send(LINEAGE_STORY), 401, 'unauthenticated');
      expectError(await api().delete('/api/stories/any'), 401, 'unauthenticated');
      expect((await api().get('/api/stories')).status).toBe(200);
    });
  });
}
