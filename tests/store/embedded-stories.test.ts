/** Stories in the embedded store's files: kept by the journal (reopen after a crash) and by the snapshot (compaction). */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Story } from '../../server/schema/story.schema.ts';
import { LOCK_FILE } from '../../server/store/embedded/data-dir.ts';
import { decodeSnapshot, encodeSnapshot } from '../../server/store/embedded/snapshot-codec.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { tempDir } from '../support/temp-dir.ts';

const actor = { name: 'test' };
const story = (id: string, title_en: string): Story => ({
  id,
  title_en,
  title_km: 'រឿង',
  steps: [{ scene: '?view=explore&focus=dar', caption_en: 'One', caption_km: 'មួយ', sources: ['https://example.org/'] }],
});

const open: EmbeddedStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close().catch(() => undefined);
});
async function openStore(dir: string) {
  const store = await EmbeddedStore.open({ dataDir: dir });
  open.push(store);
  return store;
}

describe('stories in the embedded store', () => {
  it('come back after a crash (journal) and after compaction (snapshot), deletions included', async () => {
    const dir = tempDir();
    const first = await openStore(dir);
    await first.applyChanges([{ kind: 'putStory', story: story('a', 'A'), create: true }], { actor, action: 'create_story' });
    await first.applyChanges([{ kind: 'putStory', story: story('b', 'B'), create: true }], { actor, action: 'create_story' });
    await first.applyChanges([{ kind: 'putStory', story: story('a', 'A again'), expectedVersion: 1 }], { actor, action: 'update_story' });
    await first.applyChanges([{ kind: 'deleteStory', id: 'b' }], { actor, action: 'delete_story' });
    open.pop(); // crash: no close, no compaction
    fs.writeFileSync(path.join(dir, LOCK_FILE), '999999999\n');

    const second = await openStore(dir);
    expect(await second.listStories()).toEqual([expect.objectContaining({ id: 'a', title_en: 'A again', version: 2 })]);
    expect(await second.getStory('b')).toBeUndefined();
    expect(await second.countNodes()).toBe(0);
    await second.compactNow();
    await second.close();
    open.pop();

    const third = await openStore(dir);
    expect(await third.getStory('a')).toMatchObject({ title_en: 'A again', version: 2, steps: [{ caption_km: 'មួយ' }] });
    expect((await third.listAudit({ entity: { kind: 'story', id: 'a' }, limit: 10 })).map((e) => e.action)).toEqual(['update_story', 'create_story']);
  });

  it('the snapshot codec keeps stories after the links and reads snapshots without them', () => {
    const data = { seq: 3, nodes: [], links: [], stories: [story('a', 'A')] };
    expect(decodeSnapshot(encodeSnapshot(data))).toEqual(data);
    expect(decodeSnapshot(encodeSnapshot({ seq: 1, nodes: [], links: [] }))).toEqual({ seq: 1, nodes: [], links: [] });
  });
});
