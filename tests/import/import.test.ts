/** The import pipeline: IATI XML (both real files), our JSON export, seed CSV; dry run, apply, idempotency, bad input. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Conflict, Invalid } from '../../server/domain/errors.ts';
import { applyImport, planImport } from '../../server/import/import.service.ts';
import { exportGraph } from '../../server/services/export.service.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { loadSeed, ROOT, SEED_DIR } from '../support/seed-fixture.ts';
import { recordOrigin } from '../../server/seed/seed-files.ts';
import { tempDir } from '../support/temp-dir.ts';

const IATI_DIR = path.join(ROOT, 'tests', 'fixtures', 'iati');
const BMZ = 'BD-IATI_donor-data_germany_bmz-20160121.xml';
const CANADA = 'BD-IATI_donor-data_canada_canada-bd.xml';
const iati = (name: string) => ({ file: name, bytes: fs.readFileSync(path.join(IATI_DIR, name)) });
const text = (file: string, body: string) => ({ file, bytes: Buffer.from(body, 'utf8') });
const actor = { name: 'importer' };

let store: EmbeddedStore;
let dir: string;
beforeEach(async () => {
  dir = tempDir('dar-kg-import-');
  store = await EmbeddedStore.open({ dataDir: dir });
  await store.upsert(await loadSeed(), { name: 'seed' });
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const byType = (links: { type: string }[]) => links.reduce<Record<string, number>>((a, l) => ((a[l.type] = (a[l.type] ?? 0) + 1), a), {});
const byLabel = (nodes: { label: string }[]) => nodes.reduce<Record<string, number>>((a, n) => ((a[n.label] = (a[n.label] ?? 0) + 1), a), {});

describe('IATI activity XML', () => {
  it('maps the BMZ file (IATI 1.05): activities, funders and implementers by role, sectors, country', async () => {
    const plan = await planImport(store, iati(BMZ));
    expect(plan.format).toBe('iati-xml');
    expect(plan.activities).toBe(54);
    expect(byLabel(plan.nodes).Programme).toBe(54);
    const types = byType(plan.links);
    expect(types.FUNDED_BY).toBe(54);
    expect(types.IMPLEMENTED_BY).toBeGreaterThanOrEqual(54);
    expect(types.ABOUT).toBe(54);
    const abdc = plan.nodes.find((n) => n.id === 'iati-de-1-201121672')!;
    expect(abdc).toMatchObject({ label: 'Programme', name_en: "Addressing Bangladesh's Demographic Challenges ABDC", iati_identifier: 'DE-1-201121672', start: '2011-11-29', end: '2015-12-31', status: 'active' });
    // The reporting org (ref DE-1) and the funder (ref DE), both named BMZ, are one organisation.
    const funders = new Set(plan.links.filter((l) => l.type === 'FUNDED_BY').map((l) => l.to));
    expect(funders.size).toBe(1);
    expect(plan.skipped.transaction).toBe(201);
    expect(plan.counts).toMatchObject({ conflicts: 0, unchanged: 0 });
    for (const link of plan.links) expect(link.sources.length).toBeGreaterThan(0);
    expect(plan.links.every((l) => l.sources.some((s) => s.startsWith('https://d-portal.org/q.html?aid=')))).toBe(true);
  });

  it('maps the Canada file (IATI 2.01): roles 1/3/4, related activities, locations, documents, narratives', async () => {
    const plan = await planImport(store, iati(CANADA));
    expect(plan.activities).toBe(85);
    const types = byType(plan.links);
    expect(types.FUNDED_BY).toBe(85);
    expect(types.IMPLEMENTED_BY).toBe(85);
    expect(plan.links.filter((l) => l.type === 'PARTNERS_WITH' && l.role === 'extending').length).toBeGreaterThan(0);
    const related = plan.links.filter((l) => l.type === 'RELATED_TO');
    // 10 between activities of the file, and 4 to siblings in no file here: kept, each to a stub known by its
    // IATI identifier (they used to be skipped).
    expect(related.length).toBe(14);
    expect(related.every((l) => l.role === 'sibling')).toBe(true);
    expect(plan.kept?.['programme known only by its IATI identifier (a stub until its own file is imported)']).toBe(4);
    expect(Object.keys(plan.skipped).filter((reason) => reason.includes('not in the file'))).toEqual([]);
    const dhaka = plan.nodes.find((n) => n.id === 'loc-g1-1185241')!;
    expect(dhaka).toMatchObject({ label: 'AdminArea', level: 'province', lat: 23.7104, lon: 90.40744 });
    const doc = plan.nodes.find((n) => n.label === 'Document' && n.url === 'http://www.acdi-cida.gc.ca/cidaweb/cpo.nsf/projen/A033919001')!;
    expect(doc).toMatchObject({ category: 'A02', category_en: 'Objectives / Purpose of activity', language: 'en', name_en: 'Description' });
    expect(plan.nodes.find((n) => n.id === 'iati-ca-3-a033919001')).toMatchObject({ name_en: 'Knowledge Fund IV', start: '2007-10-03', end: '2017-04-24' });
    const country = plan.nodes.find((n) => n.id === 'country-bd')!;
    expect(country).toMatchObject({ label: 'AdminArea', level: 'country' });
  });

  it('applies all or nothing, and applying the same file again changes nothing', async () => {
    const before = await store.stats();
    const plan = await planImport(store, iati(CANADA));
    const result = await applyImport(store, plan, actor);
    expect(result.created).toBe(plan.counts.created);
    const after = await store.stats();
    expect(after.nodes.Programme).toBe(before.nodes.Programme! + 85 + 4); // 85 activities, 4 stubs of siblings
    const again = await planImport(store, iati(CANADA));
    expect(again.counts).toMatchObject({ created: 0, updated: 0, conflicts: 0 });
    // Organisations and places now found in the graph are linked to, not emitted again; the rest is unchanged.
    expect(again.counts.unchanged).toBeGreaterThan(0);
    expect(again.counts.unchanged).toBeLessThanOrEqual(plan.counts.created);
    expect(await applyImport(store, again, actor)).toMatchObject({ created: 0, updated: 0 });
    expect(await store.stats()).toEqual(after);
    // The new programmes are there with their lineage-shaped links.
    const page = await store.neighbours('iati-ca-3-a033919001', { direction: 'out', limit: 100 });
    expect(page.links.map((l) => l.type)).toContain('FUNDED_BY');
  });

  it('imports both real files one after the other (their speed is measured by npm run bench, not here)', async () => {
    const started = performance.now();
    let activities = 0;
    for (const name of [BMZ, CANADA]) {
      const plan = await planImport(store, iati(name));
      await applyImport(store, plan, actor);
      activities += plan.activities!;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`import: ${activities} activities in ${seconds.toFixed(2)} s (a figure only; npm run bench measures import speed at scale)`);
    expect(activities).toBe(139);
  });

  it.each([
    ['not XML', text('x.xml', 'hello there'), /is not XML/],
    ['wrong root', text('x.xml', '<?xml version="1.0"?><organisations/>'), /root element is <organisations>/],
    ['truncated', text('x.xml', '<iati-activities version="2.03"><iati-activity><iati-identifier>X-1</iati-identifier>'), /line 1: unclosed tag/],
    ['billion laughs', text('x.xml', '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<iati-activities>&lol2;</iati-activities>'), /line 2: DOCTYPE declarations are not accepted/],
    ['XXE', text('x.xml', '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><iati-activities><iati-activity><iati-identifier>&xxe;</iati-identifier></iati-activity></iati-activities>'), /DOCTYPE declarations are not accepted/],
    ['undeclared entity', text('x.xml', '<iati-activities><iati-activity><iati-identifier>&xxe;</iati-identifier></iati-activity></iati-activities>'), /undefined entity/i],
    ['a CSV with a missing column', text('programmes.csv', 'id,name_en\nx,X\n'), /name_km|column/],
    ['a CSV with a bad row', text('programmes.csv', 'id,name_en,name_km,start,sources\nok-one,One,មួយ,2019,https://a.org\nbad-two,Two,ពីរ,19-05,https://a.org\n'), /line 3/],
    ['a CSV named after nothing', text('people.csv', 'id\nx\n'), /named after what it holds/],
    ['a JSON file that is not our export', text('x.json', '{"hello": 1}'), /not a DAR Knowledge Graph export/],
    ['an unknown format', text('x.bin', '\u0001\u0002'), /unknown format/],
  ])('refuses %s with a clear error and writes nothing', async (_what, input, message) => {
    const before = JSON.stringify(await store.exportAll());
    const error = await planImport(store, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Error).message).toMatch(message);
    expect(JSON.stringify(await store.exportAll())).toBe(before);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const error = await planImport(store, iati(CANADA), 500_000).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/over the import limit of 0 MB|over the import limit/);
  });
});

describe('seed CSV and JSON export through the same pipeline', () => {
  it('finds the seed files themselves unchanged in a seeded store, and new in an empty one', async () => {
    for (const name of ['programmes.csv', 'organisations.csv', 'admin-areas.csv', 'documents.csv', 'topics.csv', 'laws.csv', 'events.csv']) {
      const plan = await planImport(store, { file: name, bytes: fs.readFileSync(path.join(SEED_DIR, 'nodes', name)) });
      expect(plan.counts, name).toMatchObject({ created: 0, updated: 0, conflicts: 0 });
    }
    const linksPlan = await planImport(store, { file: 'links.csv', bytes: fs.readFileSync(path.join(SEED_DIR, 'links.csv')) });
    // links.csv holds the curated links (the gazetteer's PART_OF links come from seed/gazetteer/).
    const curatedLinks = (await loadSeed()).links.filter((l) => !(recordOrigin(l)?.file ?? '').includes('gazetteer')).length;
    expect(curatedLinks).toBe(196);
    expect(linksPlan.counts).toMatchObject({ created: 0, updated: 0, conflicts: 0, unchanged: curatedLinks });
  });

  it('reports conflicts (same name under another id, links the schema forbids, missing ends) and refuses to apply them', async () => {
    const csv = 'id,name_en,name_km,sources\nministry-civil-service,Ministry of Civil Service,ក្រសួងមុខងារសាធារណៈ,https://a.org\n';
    const orgs = await planImport(store, text('organisations.csv', csv.replace('name_km,sources', 'name_km,type,sources').replace('សាធារណៈ,', 'សាធារណៈ,ministry,')));
    expect(orgs.counts.conflicts).toBe(1);
    expect(orgs.samples.conflicts[0]).toMatchObject({ kind: 'same-name-different-id', message: expect.stringContaining('mcs') });
    await expect(applyImport(store, orgs, actor)).rejects.toBeInstanceOf(Conflict);
    const links = await planImport(store, text('links.csv', 'id,type,from,to,sources\nbad,FUNDED_BY,mcs,dar,https://a.org\ngone,FUNDED_BY,dar,nobody,https://a.org\n'));
    expect(links.samples.conflicts.map((c) => c.kind).sort()).toEqual(['forbidden-link', 'missing-endpoint']);
    expect(await store.getNode('ministry-civil-service')).toBeUndefined();
  });

  it('re-imports our own JSON export as unchanged', async () => {
    const data = await store.exportAll();
    const file = exportGraph(data, 'json');
    const plan = await planImport(store, { file: 'export.json', bytes: Buffer.from(file.body as string) });
    expect(plan.counts).toMatchObject({ created: 0, updated: 0, conflicts: 0, unchanged: data.nodes.length + data.links.length });
  });
});
