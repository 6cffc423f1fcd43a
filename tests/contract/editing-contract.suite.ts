/**
 * The editing half of the store contract: every write operation through `applyChanges` (create, update, delete of
 * nodes and links, cascade, versions, names, endpoints, sources), the audit entry written with each, listing and
 * filtering the audit, revert (through the editing service, as the API does it) and the audit surviving a reopen.
 * Run on every store by store-contract.suite.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conflict, Invalid, NotFound, PreconditionFailed } from '../../server/domain/errors.ts';
import type { GraphLink, GraphNode } from '../../server/schema/graph.schema.ts';
import { revertChange } from '../../server/services/editing.service.ts';
import type { AuditEntry, ChangeOptions, GraphChange, GraphStore } from '../../server/store/graph-store.ts';
import { loadSeed } from '../support/seed-fixture.ts';
import type { StoreHandle } from './store-contract.suite.ts';

const alice = { name: 'alice', role: 'editor' as const };
const bob = { name: 'bob', role: 'editor' as const };
const admin = { name: 'root', role: 'admin' as const };
const by = (editor: { name: string }, action: ChangeOptions['action']): ChangeOptions => ({ actor: { name: editor.name }, action });

const topic = (id: string, name_en: string, name_km: string): GraphNode => ({ id, label: 'Topic', name_en, name_km, sources: [] });
const about = (id: string, from: string, to: string, extra: Partial<GraphLink> = {}): GraphLink => ({
  id,
  type: 'ABOUT',
  from,
  to,
  sources: ['https://example.org/source'],
  ...extra,
});

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the promise to be rejected');
}

export function describeEditingContract(openEmpty: () => Promise<StoreHandle>): void {
  describe('editing and audit', () => {
    let handle: StoreHandle;
    const store = (): GraphStore => handle.store;
    const apply = (changes: GraphChange[], options: ChangeOptions) => store().applyChanges(changes, options);

    beforeAll(async () => {
      handle = await openEmpty();
      await store().upsert(await loadSeed(), { name: 'seed' });
    });
    afterAll(async () => handle?.dispose());

    describe('nodes', () => {
      it('creates a node at version 1 with who and when, and records it in one audit entry', async () => {
        const result = await apply([{ kind: 'putNode', node: topic('open-data', 'Open data', 'ទិន្នន័យបើកចំហ'), create: true, checkName: true }], by(alice, 'create_node'));
        expect(result).toMatchObject({ created: 1, updated: 0, deleted: 0, unchanged: 0 });
        const entry = result.entry!;
        expect(entry).toMatchObject({ by: 'alice', action: 'create_node' });
        expect(entry.changes).toEqual([{ entity: 'node', id: 'open-data', before: null, after: expect.objectContaining({ id: 'open-data', version: 1 }) }]);
        const stored = await store().getNode('open-data');
        expect(stored).toEqual(entry.changes[0]!.after);
        expect(stored).toMatchObject({ version: 1, created_by: 'alice', updated_by: 'alice' });
        expect(stored!.created_at).toBe(entry.at);
      });

      it('refuses an id that exists (id_taken), whatever the label', async () => {
        const error = await rejection(apply([{ kind: 'putNode', node: topic('dar', 'Something new', 'ថ្មី'), create: true }], by(alice, 'create_node')));
        expect(error).toBeInstanceOf(Conflict);
        expect(error.code).toBe('conflict'); // dar is a Programme: relabelling is refused first
        const again = await rejection(apply([{ kind: 'putNode', node: topic('open-data', 'Open data two', 'ពីរ'), create: true }], by(alice, 'create_node')));
        expect(again).toBeInstanceOf(Conflict);
        expect(again.code).toBe('id_taken');
      });

      it('refuses a name another node of the label has, normalised (case, spaces, invisible characters), naming it', async () => {
        for (const [name_en, name_km, field] of [
          ['  OPEN   data ', 'ផ្សេង', 'name_en'],
          ['Something else', 'ទិន្នន័យ\u200Bបើកចំហ', 'name_km'],
        ] as const) {
          const error = await rejection(apply([{ kind: 'putNode', node: topic('open-data-2', name_en, name_km), create: true, checkName: true }], by(bob, 'create_node')));
          expect(error).toBeInstanceOf(Conflict);
          expect(error.code).toBe('duplicate_name');
          expect(error.message).toContain('open-data');
          expect(error.details).toMatchObject({ existing: 'open-data', field });
        }
        // Another label may have the name; without checkName (bulk upsert) it is not checked.
        const org = { id: 'open-data-org', label: 'Organisation', type: 'civil-society', name_en: 'Open Data', name_km: 'ទិន្នន័យបើកចំហ', sources: [] } as GraphNode;
        expect((await apply([{ kind: 'putNode', node: org, create: true, checkName: true }], by(bob, 'create_node'))).created).toBe(1);
        expect(await store().getNode('open-data-2')).toBeUndefined();
      });

      it('updates with the expected version (+1, created_* kept) and refuses a stale one, writing nothing', async () => {
        const before = (await store().getNode('open-data'))!;
        const renamed = { ...before, name_en: 'Open government data' };
        const result = await apply([{ kind: 'putNode', node: renamed, expectedVersion: 1, checkName: true }], by(bob, 'update_node'));
        expect(result).toMatchObject({ created: 0, updated: 1 });
        expect(result.entry!.changes[0]).toMatchObject({ before: before, after: { name_en: 'Open government data', version: 2 } });
        const after = (await store().getNode('open-data'))!;
        expect(after).toMatchObject({ version: 2, created_by: 'alice', created_at: before.created_at, updated_by: 'bob' });

        const entriesBefore = await store().listAudit({ limit: 1000 });
        const stale = await rejection(apply([{ kind: 'putNode', node: { ...before, name_en: 'Lost update' }, expectedVersion: 1 }], by(alice, 'update_node')));
        expect(stale).toBeInstanceOf(PreconditionFailed);
        expect(stale.details).toMatchObject({ entity: 'node', id: 'open-data', expected: 1, current: 2 });
        expect((await store().getNode('open-data'))!.name_en).toBe('Open government data');
        expect(await store().listAudit({ limit: 1000 })).toEqual(entriesBefore);
        await expect(apply([{ kind: 'putNode', node: topic('nobody-here', 'X', 'Y'), expectedVersion: 1 }], by(alice, 'update_node'))).rejects.toBeInstanceOf(NotFound);
      });

      it('writes nothing and records nothing for a put equal to what is stored', async () => {
        const current = (await store().getNode('open-data'))!;
        const result = await apply([{ kind: 'putNode', node: { ...current }, expectedVersion: 2 }], by(alice, 'update_node'));
        expect(result).toMatchObject({ entry: undefined, unchanged: 1, updated: 0 });
        expect((await store().getNode('open-data'))!.version).toBe(2);
      });

      it('lets only one of many concurrent writers of the same version win', async () => {
        const current = (await store().getNode('open-data'))!;
        const attempts = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => apply([{ kind: 'putNode', node: { ...current, summary_en: `writer ${i}` } as GraphNode, expectedVersion: current.version }], by(alice, 'update_node'))),
        );
        expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
        for (const a of attempts) if (a.status === 'rejected') expect(a.reason).toBeInstanceOf(PreconditionFailed);
        expect((await store().getNode('open-data'))!.version).toBe(current.version! + 1);
      });
    });

    describe('links', () => {
      it('creates a link with a source between labels the schema allows', async () => {
        const result = await apply([{ kind: 'putLink', link: about('dar-about-open-data', 'dar', 'open-data'), create: true }], by(alice, 'create_link'));
        expect(result.entry!.changes).toEqual([{ entity: 'link', id: 'dar-about-open-data', before: null, after: expect.objectContaining({ version: 1, created_by: 'alice' }) }]);
        expect(await store().getLink('dar-about-open-data')).toEqual(result.entry!.changes[0]!.after);
        expect((await store().linkCounts('open-data')).ABOUT).toEqual({ out: 0, in: 1 });
      });

      it('refuses a link without a source unless it is a draft; drafts count in the quality stats', async () => {
        const error = await rejection(apply([{ kind: 'putLink', link: about('unsourced', 'dar-2', 'open-data', { sources: [] }), create: true }], by(alice, 'create_link')));
        expect(error).toBeInstanceOf(Invalid);
        expect(error.message).toMatch(/at least one source/);
        const drafts = (await store().stats()).quality.draftLinks;
        await apply([{ kind: 'putLink', link: about('unsourced', 'dar-2', 'open-data', { sources: [], draft: true }), create: true }], by(alice, 'create_link'));
        expect((await store().stats()).quality.draftLinks).toBe(drafts + 1);
      });

      it('refuses endpoints that do not exist or that the schema does not allow, and an id that exists', async () => {
        expect(await rejection(apply([{ kind: 'putLink', link: about('to-nowhere', 'dar', 'nowhere'), create: true }], by(alice, 'create_link')))).toBeInstanceOf(Invalid);
        const wrong = await rejection(apply([{ kind: 'putLink', link: { ...about('wrong-way', 'open-data', 'dar'), type: 'FUNDED_BY' }, create: true }], by(alice, 'create_link')));
        expect(wrong).toBeInstanceOf(Invalid);
        expect(wrong.message).toMatch(/FUNDED_BY cannot go from Topic to Programme/);
        const taken = await rejection(apply([{ kind: 'putLink', link: about('dar-about-open-data', 'dar-2', 'open-data'), create: true }], by(alice, 'create_link')));
        expect(taken).toBeInstanceOf(Conflict);
        expect(taken.code).toBe('id_taken');
      });

      it('updates a link (also its ends) with versions, and deletes it', async () => {
        const link = (await store().getLink('unsourced'))!;
        const aboutFromDar2 = (await store().linkCounts('dar-2')).ABOUT?.out ?? 0;
        const moved = { ...link, from: 'isd', sources: ['https://example.org/now-sourced'], draft: undefined } as GraphLink;
        const result = await apply([{ kind: 'putLink', link: moved, expectedVersion: 1 }], by(bob, 'update_link'));
        expect(result.entry!.changes[0]!.after).toMatchObject({ from: 'isd', version: 2, updated_by: 'bob', created_by: 'alice' });
        expect((await store().getLink('unsourced'))!.from).toBe('isd');
        expect((await store().linkCounts('dar-2')).ABOUT?.out ?? 0).toBe(aboutFromDar2 - 1);
        expect((await store().linkCounts('isd')).ABOUT?.out).toBeGreaterThan(0);
        await expect(apply([{ kind: 'deleteLink', id: 'unsourced', expectedVersion: 1 }], by(bob, 'delete_link'))).rejects.toBeInstanceOf(PreconditionFailed);
        const deleted = await apply([{ kind: 'deleteLink', id: 'unsourced', expectedVersion: 2 }], by(bob, 'delete_link'));
        expect(deleted.entry!.changes).toEqual([{ entity: 'link', id: 'unsourced', before: expect.objectContaining({ version: 2 }), after: null }]);
        expect(await store().getLink('unsourced')).toBeUndefined();
        await expect(apply([{ kind: 'deleteLink', id: 'unsourced' }], by(bob, 'delete_link'))).rejects.toBeInstanceOf(NotFound);
      });
    });

    describe('deleting nodes', () => {
      it('refuses a node that has links (has_links) unless cascade, which deletes them in the same entry', async () => {
        const error = await rejection(apply([{ kind: 'deleteNode', id: 'open-data' }], by(admin, 'delete_node')));
        expect(error).toBeInstanceOf(Conflict);
        expect(error.code).toBe('has_links');
        expect(error.details).toMatchObject({ links: 1 });
        expect(await store().getNode('open-data')).toBeDefined();

        const aboutFromDar = (await store().linkCounts('dar')).ABOUT!.out;
        const result = await apply([{ kind: 'deleteNode', id: 'open-data', cascade: true }], by(admin, 'delete_node'));
        expect(result).toMatchObject({ deleted: 2 });
        expect(result.entry!.changes.map((c) => [c.entity, c.id, c.after])).toEqual([
          ['link', 'dar-about-open-data', null],
          ['node', 'open-data', null],
        ]);
        expect(await store().getNode('open-data')).toBeUndefined();
        expect(await store().getLink('dar-about-open-data')).toBeUndefined();
        expect((await store().linkCounts('dar')).ABOUT?.out ?? 0).toBe(aboutFromDar - 1);
        await expect(apply([{ kind: 'deleteNode', id: 'open-data' }], by(admin, 'delete_node'))).rejects.toBeInstanceOf(NotFound);
      });

      it('deletes a node without links', async () => {
        const result = await apply([{ kind: 'deleteNode', id: 'open-data-org', expectedVersion: 1 }], by(bob, 'delete_node'));
        expect(result.entry!.changes).toHaveLength(1);
        expect(await store().getNode('open-data-org')).toBeUndefined();
      });
    });

    describe('revert', () => {
      let cascade: AuditEntry;

      it('restores a cascade delete: the node and its links, versions continued, as a new entry', async () => {
        cascade = (await store().listAudit({ limit: 20 })).find((e) => e.action === 'delete_node' && e.changes.length === 2)!;
        const entry = await revertChange(store(), cascade.id, alice);
        expect(entry).toMatchObject({ action: 'revert', revert_of: cascade.id, by: 'alice' });
        expect(entry.changes.map((c) => [c.entity, c.id])).toEqual([
          ['node', 'open-data'],
          ['link', 'dar-about-open-data'],
        ]);
        const node = (await store().getNode('open-data'))!;
        const before = cascade.changes.find((c) => c.entity === 'node')!.before as GraphNode;
        expect(node).toMatchObject({ name_en: before.name_en, created_by: 'alice', created_at: before.created_at, updated_by: 'alice', version: before.version! + 1 });
        expect((await store().getLink('dar-about-open-data'))!.version).toBe(2);
      });

      it('refuses (revert_conflict) when a later change touched a record, and changes nothing', async () => {
        const again = await rejection(revertChange(store(), cascade.id, alice));
        expect(again).toBeInstanceOf(Conflict);
        expect(again.code).toBe('revert_conflict');
        const update = (await store().listAudit({ limit: 50, entity: { kind: 'node', id: 'open-data' } })).find((e) => e.action === 'update_node')!;
        const error = await rejection(revertChange(store(), update.id, alice));
        expect(error.code).toBe('revert_conflict');
        expect(error.message).toMatch(/open-data was changed by a later change/);
        expect((await store().getNode('open-data'))!.name_en).toBe('Open government data');
      });

      it('undoes an update and a creation', async () => {
        const node = (await store().getNode('open-data'))!;
        const update = await apply([{ kind: 'putNode', node: { ...node, name_en: 'Data, opened' }, expectedVersion: node.version }], by(bob, 'update_node'));
        const undone = await revertChange(store(), update.entry!.id, alice);
        expect(undone.changes[0]).toMatchObject({ before: { name_en: 'Data, opened' }, after: { name_en: 'Open government data', version: node.version! + 2 } });
        const created = await apply([{ kind: 'putNode', node: topic('short-lived', 'Short-lived', 'ខ្លី'), create: true }], by(bob, 'create_node'));
        await revertChange(store(), created.entry!.id, bob);
        expect(await store().getNode('short-lived')).toBeUndefined();
        await expect(revertChange(store(), 'no-such-entry', bob)).rejects.toBeInstanceOf(NotFound);
      });
    });

    describe('the audit trail', () => {
      it('lists entries newest first, filtered by record, editor and time, paged with before', async () => {
        const all = await store().listAudit({ limit: 1000 });
        expect(all.length).toBeGreaterThan(10);
        for (let i = 1; i < all.length; i++) expect(all[i - 1]!.seq).toBeGreaterThan(all[i]!.seq);
        expect(all.at(-1)).toMatchObject({ action: 'upsert', by: 'seed' });

        const byBob = await store().listAudit({ limit: 1000, editor: 'bob' });
        expect(byBob.length).toBeGreaterThan(0);
        expect(byBob).toEqual(all.filter((e) => e.by === 'bob'));

        const openData = await store().listAudit({ limit: 1000, entity: { id: 'open-data' } });
        expect(openData).toEqual(all.filter((e) => e.changes.some((c) => c.id === 'open-data')));
        expect(openData.map((e) => e.action)).toEqual(expect.arrayContaining(['create_node', 'update_node', 'delete_node', 'revert']));
        expect(await store().listAudit({ limit: 1000, entity: { kind: 'link', id: 'open-data' } })).toEqual([]);

        const page = await store().listAudit({ limit: 3 });
        expect(page).toEqual(all.slice(0, 3));
        expect(await store().listAudit({ limit: 3, before: page[2]!.seq })).toEqual(all.slice(3, 6));

        const since = all[4]!.at;
        expect(await store().listAudit({ limit: 1000, since })).toEqual(all.filter((e) => e.at >= since));
        expect(await store().listAudit({ limit: 1000, since: '2999-01-01T00:00:00.000Z' })).toEqual([]);
        expect(await store().getAudit(all[2]!.id)).toEqual(all[2]);
        expect(await store().getAudit('no-such-entry')).toBeUndefined();
      });

      it('matches the data: replaying every entry gives the graph as stored', async () => {
        const entries = (await store().listAudit({ limit: 1000 })).reverse();
        const nodes = new Map<string, unknown>();
        const links = new Map<string, unknown>();
        for (const entry of entries) {
          for (const change of entry.changes) {
            const map = change.entity === 'node' ? nodes : links;
            if (change.after) map.set(change.id, change.after);
            else map.delete(change.id);
          }
        }
        const all = await store().exportAll();
        const byId = (xs: { id: string }[]) => new Map(xs.map((x) => [x.id, x]));
        expect(nodes).toEqual(byId(all.nodes));
        expect(links).toEqual(byId(all.links));
      });

      it('survives closing and opening the store again', async () => {
        if (!handle.reopen) return;
        const before = await store().listAudit({ limit: 1000 });
        await handle.reopen();
        expect(await store().listAudit({ limit: 1000 })).toEqual(before);
        expect(await store().getAudit(before[0]!.id)).toEqual(before[0]);
        // And a write after the reopen continues the sequence.
        const result = await apply([{ kind: 'putNode', node: topic('after-reopen', 'After reopen', 'បន្ទាប់'), create: true }], by(alice, 'create_node'));
        expect(result.entry!.seq).toBeGreaterThan(before[0]!.seq);
        expect((await store().listAudit({ limit: 1 }))[0]!.id).toBe(result.entry!.id);
      });
    });
  });
}
