/**
 * Imports keep what they read: relations to activities not imported yet are kept (a stub known by its IATI
 * identifier) and join up when the other file arrives, so the order of the files does not change the graph; a
 * document link with an unusual URL is kept as written and flagged.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyImport, planImport } from '../../server/import/import.service.ts';
import type { GraphLink, GraphNode } from '../../server/schema/graph.schema.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { loadSeed } from '../support/seed-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';

const file = (name: string, activities: string) => ({
  file: name,
  bytes: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n${activities}\n</iati-activities>\n`, 'utf8'),
});

const activity = (identifier: string, title: string, body: string) => `<iati-activity>
  <iati-identifier>${identifier}</iati-identifier>
  <reporting-org ref="XM-DAC-41114" type="40"><narrative>United Nations Development Programme</narrative></reporting-org>
  <title><narrative>${title}</narrative></title>
  <participating-org ref="XM-DAC-41114" role="1" type="40"><narrative>United Nations Development Programme</narrative></participating-org>
  ${body}
</iati-activity>`;

// A: a component of B (parent), succeeding an activity nobody imports (previous, other-identifier A3), with two
// document links whose URLs are unusual.
const A = file(
  'a.xml',
  activity(
    'XM-TEST-A1',
    'Commune planning support',
    `<related-activity ref="XM-TEST-B1" type="1"/>
  <other-identifier ref="XM-TEST-A0" type="A3"/>
  <document-link url="www.example.org/reports/a1 final.pdf" format="application/pdf">
    <title><narrative>Final report</narrative></title><category code="A08"/><document-date iso-date="2019-05-01"/>
  </document-link>
  <document-link url="ftp://files.example.org/a1.doc" format="application/msword">
    <title><narrative>Work plan</narrative></title><category code="A02"/>
  </document-link>`,
  ),
);
// B: the programme A belongs to (child), with a sibling that is imported by nobody.
const B = file(
  'b.xml',
  activity('XM-TEST-B1', 'Sub-national democratic development', `<related-activity ref="XM-TEST-A1" type="2"/>\n  <related-activity ref="XM-TEST-C9" type="3"/>`),
);

type Snapshot = { nodes: Record<string, unknown>[]; links: Record<string, unknown>[] };
const STAMPS = ['created_at', 'created_by', 'updated_at', 'updated_by', 'version'];

/** Records without audit stamps, sources as a sorted set, by id: what "the same graph" compares. */
function snapshot(all: { nodes: readonly GraphNode[]; links: readonly GraphLink[] }): Snapshot {
  const clean = (record: object) => {
    const out: Record<string, unknown> = { ...record };
    for (const key of STAMPS) delete out[key];
    out.sources = [...((out.sources as string[]) ?? [])].sort();
    return out;
  };
  const byId = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.id).localeCompare(String(b.id));
  return { nodes: all.nodes.map(clean).sort(byId), links: all.links.map(clean).sort(byId) };
}

let dirs: string[] = [];
const stores: EmbeddedStore[] = [];
async function seededStore(): Promise<EmbeddedStore> {
  const dir = tempDir('dar-kg-order-');
  dirs.push(dir);
  const store = await EmbeddedStore.open({ dataDir: dir });
  stores.push(store);
  await store.upsert(await loadSeed(), { name: 'seed' });
  return store;
}
beforeEach(() => {
  dirs = [];
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function importAll(store: EmbeddedStore, files: { file: string; bytes: Buffer }[]) {
  const plans = [];
  for (const input of files) {
    const plan = await planImport(store, input);
    expect(plan.counts.conflicts, input.file).toBe(0);
    await applyImport(store, plan, { name: 'importer' });
    plans.push(plan);
  }
  return plans;
}

describe('IATI relations to activities not imported yet', () => {
  it('keeps them as stubs that join up: A then B and B then A give the same nodes and links', async () => {
    const first = await seededStore();
    const [planA] = await importAll(first, [A, B]);
    const second = await seededStore();
    await importAll(second, [B, A]);

    const ab = snapshot(await first.exportAll());
    const ba = snapshot(await second.exportAll());
    const differing = (x: Snapshot['nodes'], y: Snapshot['nodes']) => x.filter((r, i) => JSON.stringify(r) !== JSON.stringify(y[i]));
    expect(differing(ab.nodes, ba.nodes)).toEqual([]);
    expect(differing(ab.links, ba.links)).toEqual([]);
    expect(ab).toEqual(ba);

    // The relations are there, in both.
    const link = (type: string, from: string, to: string) => ab.links.find((l) => l.type === type && l.from === from && l.to === to);
    expect(link('PART_OF', 'iati-xm-test-a1', 'iati-xm-test-b1')).toBeDefined();
    expect(link('SUCCEEDS', 'iati-xm-test-a1', 'iati-xm-test-a0')).toBeDefined();
    expect(link('RELATED_TO', 'iati-xm-test-b1', 'iati-xm-test-c9')).toMatchObject({ role: 'sibling' });
    // B arrived after its stub: the stub became B (its title), not a second node.
    expect(ab.nodes.filter((n) => n.iati_identifier === 'XM-TEST-B1')).toEqual([
      expect.objectContaining({ id: 'iati-xm-test-b1', name_en: 'Sub-national democratic development' }),
    ]);
    // Activities nobody imported stay stubs known by their identifier, citing d-portal's page for it.
    expect(ab.nodes.find((n) => n.id === 'iati-xm-test-a0')).toMatchObject({
      label: 'Programme',
      name_en: 'IATI activity XM-TEST-A0',
      iati_identifier: 'XM-TEST-A0',
      sources: ['https://d-portal.org/q.html?aid=XM-TEST-A0'],
    });
    // What A's import kept is counted; nothing of it is skipped as "not in the file or the graph".
    expect(planA!.kept).toMatchObject({ 'programme known only by its IATI identifier (a stub until its own file is imported)': 2 });
    expect(Object.keys(planA!.skipped).filter((reason) => /not in the file|http\(s\) URL/.test(reason))).toEqual([]);
  });

  it('keeps a document link with an unusual URL with its title, category and date, the URL as written, flagged', async () => {
    const store = await seededStore();
    const [plan] = await importAll(store, [A]);
    const docs = (await store.exportAll()).nodes.filter((n) => n.label === 'Document' && n.id.startsWith('doc-'));
    const report = docs.find((d) => d.name_en === 'Final report');
    expect(report).toMatchObject({ category: 'A08', category_en: 'Results, outcomes and outputs', year: 2019, url_as_written: 'www.example.org/reports/a1 final.pdf' });
    expect(report).not.toHaveProperty('url');
    expect(docs.find((d) => d.name_en === 'Work plan')).toMatchObject({ category: 'A02', url_as_written: 'ftp://files.example.org/a1.doc' });
    expect(plan!.kept?.['document kept with its link as written (url_as_written): not a usable http(s) URL']).toBe(2);
    // Each is linked to the programme that published it.
    const produced = (await store.neighbours('iati-xm-test-a1', { direction: 'out', type: 'PRODUCED', limit: 10 })).nodes.map((n) => n.id);
    expect(produced).toEqual(expect.arrayContaining([report!.id]));
  });

  it('still counts what it skips, with the reason', async () => {
    const store = await seededStore();
    const odd = file('odd.xml', activity('XM-TEST-D1', 'Odd', `<related-activity ref="XM-TEST-E1" type="9"/>\n  <related-activity type="1"/>\n  <document-link format="text/html"><title><narrative>No link</narrative></title></document-link>`));
    const plan = await planImport(store, odd);
    expect(plan.skipped).toMatchObject({
      'related-activity type 9': 1,
      'related-activity without type or ref': 1,
      'document-link without a url': 1,
    });
  });
});
