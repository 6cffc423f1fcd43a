/**
 * The 14,578 villages of the national gazetteer through the ordinary import pipeline (npm run import / POST
 * /api/import), at full size: one audited change, nested under their communes, revertable as one. The time it
 * takes is printed (a figure for the notes), never asserted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphLink, GraphNode } from '../../server/schema/graph.schema.ts';
import { applyImport, detectFormat, planImport } from '../../server/import/import.service.ts';
import { VILLAGES_FILE } from '../../server/seed/gazetteer.ts';
import { revertChange } from '../../server/services/editing.service.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { loadSeed, SEED_DIR } from '../support/seed-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';

const VILLAGES = 14_578;
/** Vitest's timeout, set out of the way: how long this takes is a figure, not a test (a busy machine is slow). */
const NO_TIME_LIMIT = 30 * 60_000;
const bytes = fs.readFileSync(path.join(SEED_DIR, VILLAGES_FILE));
const input = { file: path.basename(VILLAGES_FILE), bytes };

describe('the villages through the import pipeline, at full size', () => {
  let store: EmbeddedStore;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('dar-kg-villages-');
    store = await EmbeddedStore.open({ dataDir: dir });
    await store.upsert(await loadSeed(), { name: 'seed' });
  }, NO_TIME_LIMIT);
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports 14,578 villages under their communes in one audit entry, and a revert takes them all back out', async () => {
    expect(detectFormat(input.file, bytes)).toBe('gazetteer-csv');
    const before = await store.stats();
    const started = performance.now();
    const plan = await planImport(store, input);
    const planned = performance.now();
    // Every village and its PART_OF link; villages that share a name with an area are not conflicts.
    expect(plan.counts).toEqual({ created: 2 * VILLAGES, updated: 0, unchanged: 0, conflicts: 0 });
    expect(plan.englishFallbacks).toBe(1); // 02010508 has no Latin name in Pumi: kept, counted
    const result = await applyImport(store, plan, { name: 'importer' });
    const applied = performance.now();
    console.log(
      `villages: planned in ${((planned - started) / 1000).toFixed(2)} s, applied in ${((applied - planned) / 1000).toFixed(2)} s ` +
        `(${2 * VILLAGES} records, embedded store)`,
    );
    expect(result).toMatchObject({ created: 2 * VILLAGES, updated: 0 });
    expect(result.audit).toEqual(expect.any(String));

    const after = await store.stats();
    expect(after.nodes.AdminArea).toBe(before.nodes.AdminArea! + VILLAGES);
    expect(after.links.PART_OF).toBe(before.links.PART_OF! + VILLAGES);
    const entries = await store.listAudit({ limit: 5 });
    expect(entries[0]).toMatchObject({ id: result.audit, action: 'import', by: 'importer' });
    expect(entries[0]!.changes).toHaveLength(2 * VILLAGES);

    // Each village has exactly one parent: the commune of its code's first six digits.
    const { nodes, links } = await store.exportAll();
    const villages = nodes.filter((n): n is Extract<GraphNode, { label: 'AdminArea' }> => n.label === 'AdminArea' && n.level === 'village');
    expect(villages).toHaveLength(VILLAGES);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const parents = new Map<string, GraphLink[]>();
    for (const link of links) if (link.type === 'PART_OF') parents.set(link.from, [...(parents.get(link.from) ?? []), link]);
    for (const village of villages) {
      const up = parents.get(village.id) ?? [];
      expect(up, village.id).toHaveLength(1);
      const commune = byId.get(up[0]!.to) as Extract<GraphNode, { label: 'AdminArea' }> | undefined;
      expect(commune?.level, village.id).toBe('commune');
      expect(commune?.code, village.id).toBe(village.code!.slice(0, 6));
    }
    // Banan the village comes after Banan the district, and says where it is.
    const banan = await store.search({ q: 'Banan', limit: 5, labels: ['AdminArea'] });
    expect(banan.map((h) => h.id).slice(0, 2)).toEqual(['kh-0201', 'kh-02010203']);
    expect(banan[1]!.parents?.map((p) => p.id)).toEqual(['kh-020102', 'kh-0201', 'kh-02']);

    // Importing the file again changes nothing.
    expect((await planImport(store, input)).counts).toEqual({ created: 0, updated: 0, unchanged: 2 * VILLAGES, conflicts: 0 });

    // One revert (an admin's) removes every village and link the import created.
    await revertChange(store, result.audit!, { name: 'admin', role: 'admin' });
    const reverted = await store.stats();
    expect(reverted.nodes).toEqual(before.nodes);
    expect(reverted.links).toEqual(before.links);
  }, NO_TIME_LIMIT);
});
