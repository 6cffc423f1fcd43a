/**
 * Stories in the store contract: written by applyChanges beside the graph (never in it), versioned (expectedVersion),
 * audited, all or nothing with the rest of a write, and kept across a reopen. Run on every store by store-contract.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conflict, NotFound, PreconditionFailed } from '../../server/domain/errors.ts';
import type { Story } from '../../server/schema/story.schema.ts';
import { revertChange } from '../../server/services/editing.service.ts';
import type { ChangeOptions, GraphStore } from '../../server/store/graph-store.ts';
import type { StoreHandle } from './store-contract.suite.ts';

const alice = { name: 'alice', role: 'editor' as const };
const by = (action: ChangeOptions['action']): ChangeOptions => ({ actor: { name: 'alice' }, action });
const story = (id: string, title_en: string): Story => ({
  id,
  title_en,
  title_km: 'រឿងមួយ',
  steps: [{ scene: '?v=explore&f=dar', caption_en: 'DAR', caption_km: 'ឌីអេអរ', sources: ['https://example.org/a'] }],
});

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the promise to be rejected');
}

export function describeStoryContract(openEmpty: () => Promise<StoreHandle>): void {
  describe('stories', () => {
    let handle: StoreHandle;
    const store = (): GraphStore => handle.store;
    beforeAll(async () => {
      handle = await openEmpty();
    });
    afterAll(async () => handle?.dispose());

    it('creates at version 1, skips an equal put, refuses a stale version and a taken id, keeps them out of the graph', async () => {
      const created = await store().applyChanges([{ kind: 'putStory', story: story('tale', 'A tale'), create: true }], by('create_story'));
      expect(created).toMatchObject({ created: 1, unchanged: 0 });
      expect(created.entry!.changes).toEqual([{ entity: 'story', id: 'tale', before: null, after: expect.objectContaining({ version: 1, created_by: 'alice' }) }]);
      expect(await store().getStory('tale')).toEqual(created.entry!.changes[0]!.after);

      const same = await store().applyChanges([{ kind: 'putStory', story: story('tale', 'A tale'), expectedVersion: 1 }], by('update_story'));
      expect(same).toMatchObject({ entry: undefined, unchanged: 1 });

      const changed = await store().applyChanges([{ kind: 'putStory', story: story('tale', 'A tale, again'), expectedVersion: 1 }], by('update_story'));
      expect(changed.entry!.changes[0]!.after).toMatchObject({ title_en: 'A tale, again', version: 2 });
      expect(await rejection(store().applyChanges([{ kind: 'putStory', story: story('tale', 'Stale'), expectedVersion: 1 }], by('update_story')))).toBeInstanceOf(PreconditionFailed);
      const taken = await rejection(store().applyChanges([{ kind: 'putStory', story: story('tale', 'Twice'), create: true }], by('create_story')));
      expect(taken).toBeInstanceOf(Conflict);
      expect(taken.code).toBe('id_taken');
      expect(await rejection(store().applyChanges([{ kind: 'deleteStory', id: 'no-such-story' }], by('delete_story')))).toBeInstanceOf(NotFound);

      expect(await store().countNodes()).toBe(0);
      expect(await store().exportAll()).toEqual({ nodes: [], links: [] });
      expect((await store().search({ q: 'tale', limit: 5 })).length).toBe(0);
      expect((await store().listStories()).map((s) => s.title_en)).toEqual(['A tale, again']);
    });

    it('is all or nothing with the rest of its write', async () => {
      const refused = await rejection(
        store().applyChanges(
          [
            { kind: 'putStory', story: story('half', 'Half a write'), create: true },
            { kind: 'deleteNode', id: 'no-such-node' },
          ],
          by('create_story'),
        ),
      );
      expect(refused).toBeInstanceOf(NotFound);
      expect(await store().getStory('half')).toBeUndefined();
    });

    it('is filtered in the audit, reverted like a node, and kept across a reopen', async () => {
      const deleted = await store().applyChanges([{ kind: 'deleteStory', id: 'tale', expectedVersion: 2 }], by('delete_story'));
      expect(await store().getStory('tale')).toBeUndefined();
      const history = await store().listAudit({ entity: { kind: 'story', id: 'tale' }, limit: 10 });
      expect(history.map((e) => e.action)).toEqual(['delete_story', 'update_story', 'create_story']);
      await revertChange(store(), deleted.entry!.id, alice);
      expect(await store().getStory('tale')).toMatchObject({ title_en: 'A tale, again', version: 3, created_by: 'alice' });
      if (handle.reopen) {
        await handle.reopen();
        expect(await store().getStory('tale')).toMatchObject({ title_en: 'A tale, again', version: 3 });
        expect((await store().listAudit({ entity: { kind: 'story', id: 'tale' }, limit: 10 })).length).toBe(4);
      }
    });
  });
}
