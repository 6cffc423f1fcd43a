import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Invalid } from '../../../server/domain/errors.ts';
import type { GraphLink, GraphNode } from '../../../server/schema/graph.schema.ts';
import {
  checkSeedGraph,
  parseLinkCsv,
  parseNodeCsv,
  readSeedDir,
  type SeedData,
} from '../../../server/seed/seed-files.ts';

const SEED_DIR = fileURLToPath(new URL('../../../seed', import.meta.url));

/** The error `fn` throws; fails the test when it throws nothing or something other than Invalid. */
function invalidFrom(fn: () => unknown): Invalid {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid);
    return error as Invalid;
  }
  throw new Error('expected an Invalid error, but nothing was thrown');
}

async function invalidFromAsync(promise: Promise<unknown>): Promise<Invalid> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid);
    return error as Invalid;
  }
  throw new Error('expected an Invalid error, but nothing was thrown');
}

// ---------------------------------------------------------------------------------------------------------------

describe('the real seed folder', () => {
  let seed: SeedData;
  const node = (id: string) => seed.nodes.find((n) => n.id === id);
  const link = (type: string, from: string, to: string) =>
    seed.links.find((l) => l.type === type && l.from === from && l.to === to);

  beforeAll(async () => {
    seed = await readSeedDir(SEED_DIR);
  });

  it('has the expected number of records per label', () => {
    const counts: Record<string, number> = {};
    for (const n of seed.nodes) counts[n.label] = (counts[n.label] ?? 0) + 1;
    // AdminArea: the national gazetteer (25 provinces + 210 districts + 1,652 communes); the 16 curated rows of
    // nodes/admin-areas.csv (Battambang and its 14 units, Kandal) are gazetteer areas merged with their rows.
    expect(counts).toEqual({ Programme: 32, Organisation: 25, AdminArea: 1887, Document: 18, Topic: 11, Law: 6, Event: 7 });
    expect(seed.links).toHaveLength(2044); // 196 curated (14 of them Battambang's PART_OF, merged) + 1,862 gazetteer PART_OF
    const battambang = seed.nodes.filter((n) => n.label === 'AdminArea' && /^02(\d\d)?$/.test(n.code ?? ''));
    expect(battambang).toHaveLength(15);
    const kinds: Record<string, number> = {};
    for (const n of seed.nodes) if (n.label === 'Programme') kinds[n.kind ?? '(none)'] = (kinds[n.kind ?? '(none)'] ?? 0) + 1;
    expect(kinds).toEqual({ 'national-programme': 3, 'implementation-plan': 3, 'donor-project': 21, fund: 2, '(none)': 3 });
    const types: Record<string, number> = {};
    for (const l of seed.links) types[l.type] = (types[l.type] ?? 0) + 1;
    expect(types).toEqual({
      WORKS_IN: 37, FUNDED_BY: 33, PARTNERS_WITH: 27, PART_OF: 26 + 1862 - 14 /* curated + gazetteer nesting, Battambang's 14 merged */, ABOUT: 22, SUCCEEDS: 17, IMPLEMENTED_BY: 12, PRODUCED: 12,
      SUPPORTS: 5, ESTABLISHED_BY: 2, RELATED_TO: 2, LOCATED_IN: 1,
    });
  });

  it('names every node in English and Khmer, in NFC', () => {
    for (const n of seed.nodes) {
      expect(n.name_en, n.id).toMatch(/\S/);
      expect(n.name_km, n.id).toMatch(/[\u1780-\u17FF]/);
      expect(n.name_km.normalize('NFC'), n.id).toBe(n.name_km);
    }
  });

  it('gives every link that is not a draft at least one source, and says of every draft that it is inferred', () => {
    for (const l of seed.links) {
      if (l.draft) {
        expect(l.note_en, l.id).toMatch(/^Inferred/);
        continue;
      }
      expect(l.sources.length, l.id).toBeGreaterThan(0);
    }
    expect(seed.links.filter((l) => l.draft).map((l) => l.id).sort()).toEqual([
      'dar-1-part-of-dar', 'dar-2-part-of-dar', 'dar-2-succeeds-dar-1', 'giz-ddgg-related-to-ardp', 'isaf-funded-by-bmz',
      'isd-succeeds-dar-2', 'np-sndd-succeeds-seila', 'rilgp-supports-seila', 'seila-succeeds-carere',
    ]);
  });

  it('gives every node a source, each a URL or a Document of the seed', () => {
    const documents = new Set(seed.nodes.filter((n) => n.label === 'Document').map((n) => n.id));
    // A SOURCE document is itself the citation (a source known without a complete web address).
    for (const n of seed.nodes.filter((x) => !(x.label === 'Document' && x.category === 'SOURCE'))) {
      expect(n.sources.length, n.id).toBeGreaterThan(0);
      for (const source of n.sources) expect(/^https?:\/\//.test(source) || documents.has(source), `${n.id}: ${source}`).toBe(true);
    }
  });

  it('states the lineage ARDP / EU SPACE → EU DAR, DAR 1 → DAR 2 → ISD → ISD II', () => {
    const lineage: [string, string, string][] = [
      ['PART_OF', 'eu-space', 'ardp'],
      ['PART_OF', 'eu-dar', 'dar'],
      ['PART_OF', 'dar-1', 'dar'],
      ['PART_OF', 'dar-2', 'dar'],
      ['SUCCEEDS', 'eu-dar', 'eu-space'],
      ['SUCCEEDS', 'dar-1', 'eu-space'],
      ['SUCCEEDS', 'dar', 'eu-space'],
      ['SUCCEEDS', 'dar-2', 'dar-1'],
      ['SUCCEEDS', 'dar-2', 'eu-dar'],
      ['SUCCEEDS', 'isd', 'dar-2'],
      ['SUCCEEDS', 'isd-2', 'isd'],
    ];
    for (const [type, from, to] of lineage) expect(link(type, from, to), `${from} ${type} ${to}`).toBeDefined();

    // Walking SUCCEEDS backwards from ISD reaches EU SPACE.
    const seen = new Set<string>();
    const queue = ['isd-2'];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...seed.links.filter((l) => l.type === 'SUCCEEDS' && l.from === id).map((l) => l.to));
    }
    expect([...seen].sort()).toEqual(['dar-1', 'dar-2', 'eu-dar', 'eu-space', 'isd', 'isd-2']);
  });

  it('corrects the review findings (item 0): ISD and ISD II apart, inferred steps drafts, each fact on its page', () => {
    const GIZ_ISD = 'https://www.giz.de/en/worldwide/114244.html';
    const GIZ_ISD2 = 'https://www.giz.de/de/projekte/verbesserte-buergerservices-ausgewaehlten-sektoren-kambodscha-ii';
    expect(node('isd')).toMatchObject({ acronym: 'ISD', start: '2022-03', end: '2025-12', status: 'completed' });
    expect(node('isd')?.sources).not.toContain(GIZ_ISD2);
    expect(node('isd-2')).toMatchObject({ acronym: 'ISD II', start: '2026', end: '2030', status: 'active' });
    expect(link('SUCCEEDS', 'isd-2', 'isd')?.sources).toContain(GIZ_ISD2);
    expect(link('SUCCEEDS', 'isd', 'dar-2')).toMatchObject({ draft: true, sources: [] });
    // The ISD II page says nothing of 2022, GFA, Luxembourg's dates or OWSO: ISD's links cite other pages.
    for (const l of seed.links.filter((x) => x.from === 'isd')) expect(l.sources, l.id).not.toContain(GIZ_ISD2);
    expect(link('FUNDED_BY', 'isd', 'luxembourg')).toMatchObject({ start: '2025-04-01', end: '2025-12-31' });
    expect(link('IMPLEMENTED_BY', 'isd', 'gfa')?.sources).toEqual(['https://www.gfa-group.de/projects/Improved_Service_Delivery_ISD_for_Citizens_in_Cambodia_4059270.html']);
    expect(link('FUNDED_BY', 'isd', 'bmz')?.sources).toEqual([GIZ_ISD]);
    for (const province of ['kh-01', 'kh-02', 'kh-17', 'kh-19']) expect(link('WORKS_IN', 'isd-2', province), province).toBeDefined();
    expect(link('WORKS_IN', 'isd', 'kh-02')).toBeUndefined();
    // DAR's end cites the Phnom Penh Post; EU SPACE PART_OF ARDP cites the Khmer page; DAR's phases are drafts.
    expect(node('dar')).toMatchObject({ end: '2022-04' });
    expect(node('dar')?.sources).toContain('https://phnompenhpost.com/national/germany-praises-govt-reform-effort');
    expect(link('PART_OF', 'eu-space', 'ardp')?.sources).toContain('https://ncdd.gov.kh/projects/eu-dar-kh/');
    for (const [type, from] of [['PART_OF', 'dar-1'], ['PART_OF', 'dar-2'], ['SUCCEEDS', 'dar-2']] as const) {
      const l = link(type, from, from === 'dar-2' && type === 'SUCCEEDS' ? 'dar-1' : 'dar')!;
      expect(l.draft, l.id).toBe(true);
      expect(l.note_en, l.id).toMatch(/^Inferred/);
    }
    expect(link('PART_OF', 'eu-dar', 'dar')?.draft).toBeUndefined();
    // Kandal as Pumi writes it (្ត, U+17D2 U+178F) and places it.
    expect(node('kh-08')).toMatchObject({ name_km: 'ខេត្តកណ្តាល', code: '08', lat: 11.3962625, lon: 105.0207869 }); // the gazetteer's 7 decimals (seed/README.md)
    expect(node('kh-08')?.sources).toContain('https://github.com/dwilkie/pumi');
  });

  it('holds the lineage of D&D reform (item 1): CARERE → Seila → NP-SNDD and its IP3s → NP-2, donor projects beside it', () => {
    const stated: [string, string, string][] = [
      ['SUCCEEDS', 'carere2', 'carere'],
      ['SUPPORTS', 'carere2', 'seila'],
      ['SUCCEEDS', 'np-2', 'np-sndd'],
      ['PART_OF', 'ip3-1', 'np-sndd'],
      ['PART_OF', 'ip3-2', 'np-sndd'],
      ['PART_OF', 'ip3-3', 'np-sndd'],
      ['SUCCEEDS', 'ip3-3', 'ip3-2'],
      ['SUCCEEDS', 'rilgp-2', 'rilgp'],
      ['SUPPORTS', 'sdc-sndd', 'np-sndd'],
      ['SUPPORTS', 'sdc-sndd-3', 'isaf'],
      ['SUPPORTS', 'eu-sndd', 'np-sndd'],
      ['ESTABLISHED_BY', 'ncdd', 'royal-decree-ncdd-2006'],
      ['ESTABLISHED_BY', 'ncdd', 'royal-decree-ncdd-2008'],
      ['FUNDED_BY', 'commune-sangkat-fund', 'worldbank'],
    ];
    for (const [type, from, to] of stated) {
      const l = link(type, from, to);
      expect(l, `${from} ${type} ${to}`).toBeDefined();
      expect(l!.draft, l!.id).toBeUndefined();
    }
    for (const [from, to] of [['np-sndd', 'seila'], ['seila', 'carere']]) expect(link('SUCCEEDS', from!, to!)?.draft, `${from} → ${to}`).toBe(true);
    expect(node('rilgp')).toMatchObject({ kind: 'donor-project', identifiers: ['worldbank:P071146'], start: '2003-04-22', end: '2010-12-31' });
    expect(node('carere2')).toMatchObject({ identifiers: ['undp:CMB/95/011'] });
    expect(node('dpsfm-1')).toMatchObject({ identifiers: ['adb:41392-013', 'adb-loan:2886-CAM', 'adb-loan:2887-CAM'] });
    expect(node('sdc-sndd')).toMatchObject({ identifiers: ['sdc:7F08726'], start: '2013-08-01', end: '2015-04-30' });
    expect(node('giz-ddgg')).toMatchObject({ identifiers: ['giz:2011.2081.5'] });
    expect(node('giz-ddgg')).not.toHaveProperty('iati_identifier'); // inferred only
    expect(node('uncdf-cldf')).toMatchObject({ identifiers: ['uncdf:CMB/97/C01'] });
    expect(node('np-sndd')?.name_km).toBe('កម្មវិធីជាតិរយៈពេល១០ឆ្នាំស្ដីពី ការអភិវឌ្ឍតាមបែបប្រជាធិបតេយ្យនៅថ្នាក់ក្រោមជាតិ');
    expect(node('commune-sangkat-fund')).toMatchObject({ kind: 'fund', name_km: 'មូលនិធិឃុំ សង្កាត់', start: '2002' });
    expect(node('organic-law-2008')).toMatchObject({ label: 'Law', kind: 'royal-kram', reference: 'NS/RKM/0508/017', name_km: 'ច្បាប់ស្ដីពីការគ្រប់គ្រងរដ្ឋបាល រាជធានី ខេត្ត ក្រុង ស្រុក ខណ្ឌ' });
    expect(node('royal-decree-ncdd-2008')).toMatchObject({ date: '2008-12-31', reference: 'នស/រកត/១២០៨/១៤២៩' });
    expect(node('commune-election-2017')).toMatchObject({ label: 'Event', kind: 'commune-election', date: '2017-06-04', seats: 11572, communes: 1646 });
    // Seila's beginnings, on which the CDC and EBA disagree, are both kept with their sources.
    expect((node('seila') as Extract<GraphNode, { label: 'Programme' }>).summary_en).toMatch(/5 provinces \(CDC.*four communes \(EBA\)/);
    expect(node('seila')?.sources).toEqual(expect.arrayContaining([
      'http://old.cdc-crdb.gov.kh/cdc/practices_chapter8.htm',
      'https://eba.se/rapporter/building-on-a-foundation-stone-the-long-term-impacts-of-a-local-infrastructure-and-governance-program-in-cambodia/10858/',
    ]));
    // "Not found" stays absent: Seila's end year, SDC 7F08726 phase 2.
    expect(node('seila')).not.toHaveProperty('end');
    expect(seed.nodes.some((n) => n.label === 'Programme' && n.identifiers?.includes('sdc:7F08726') && /phase 2/.test(n.name_en))).toBe(false);
  });

  it('has the programme periods and the DAR 2 funding amount', () => {
    expect(node('eu-space')).toMatchObject({ start: '2011', end: '2016' });
    expect(node('eu-dar')).toMatchObject({ start: '2016-05', end: '2018-12' });
    expect(node('dar-2')).toMatchObject({ start: '2019-05', end: '2022-04' });
    expect(node('isd')).toMatchObject({ start: '2022-03', end: '2025-12', acronym: 'ISD' });
    expect(node('cpdd-civic-engagement')).toMatchObject({ start: '2020-10', end: '2022-02' });
    expect(link('FUNDED_BY', 'dar-2', 'bmz')).toMatchObject({ amount: 5_040_000, currency: 'EUR' });
    expect(link('FUNDED_BY', 'eu-dar', 'eu')).toMatchObject({ role: 'co-financing' });
    expect(link('PARTNERS_WITH', 'dar', 'mcs')?.role).toBe('partner for the BMZ-funded component');
  });

  it('copies the Khmer names of the source page exactly', () => {
    expect(node('mcs')?.name_km).toBe('ក្រសួងមុខងារសាធារណៈ');
    expect(node('moi')?.name_km).toBe('ក្រសួងមហាផ្ទៃ');
    expect(node('ncdd')).toMatchObject({
      name_km: 'គណៈកម្មាធិការជាតិសម្រាប់ការអភិវឌ្ឍតាមបែបប្រជាធិបតេយ្យនៅថ្នាក់ក្រោមជាតិ',
      acronym_km: 'គ.ជ.អ.ប',
    });
    expect(node('dar')?.name_km).toBe('កម្មវិធីកំណែទម្រង់វិមជ្ឈការ និងរដ្ឋបាល');
    expect(node('citizens-office')?.name_km).toBe('ការិយាល័យប្រជាពលរដ្ឋ');
  });

  it('places the 14 Battambang units under the province and in the programmes that work there', () => {
    const units = seed.nodes.filter((n) => n.label === 'AdminArea' && /^02\d\d$/.test(n.code ?? ''));
    expect(units.map((u) => u.id).sort()).toEqual(
      Array.from({ length: 14 }, (_, i) => `kh-02${String(i + 1).padStart(2, '0')}`),
    );
    expect(node('kh-0203')).toMatchObject({ level: 'municipality', name_latin: 'Battambang' });
    expect(node('kh-0206')).toMatchObject({ name_km: 'មោងឫស្សី', lat: expect.any(Number), lon: expect.any(Number) });
    for (const unit of units) {
      expect(link('PART_OF', unit.id, 'kh-02'), unit.id).toBeDefined();
      expect(link('WORKS_IN', 'eu-dar', unit.id), unit.id).toBeDefined();
      expect(link('WORKS_IN', 'dar-2', unit.id), unit.id).toBeDefined();
    }
    expect(link('WORKS_IN', 'eu-dar', 'kh-08')).toBeDefined();
    expect(link('WORKS_IN', 'dar-1', 'kh-02')).toBeDefined();
    expect(link('WORKS_IN', 'dar-1', 'kh-08')).toBeDefined();
    expect(link('WORKS_IN', 'isd-2', 'kh-02')).toBeDefined();
  });

  it('has one document per library category, each produced by its programme', () => {
    // Beside the library: sources known without a complete web address (SOURCE) and an agreement.
    const documents = seed.nodes.filter(
      (n): n is Extract<GraphNode, { label: 'Document' }> => n.label === 'Document' && n.category !== 'SOURCE' && n.category !== 'AGREEMENT',
    );
    expect(documents.map((d) => d.category).sort()).toEqual(
      [
        'DAR-I', 'DAR-II', 'DAR-III', 'DAR-IV',
        'EU-DAR-1', 'EU-DAR-2', 'EU-DAR-3', 'EU-DAR-4', 'EU-DAR-5',
        'EU-SPACE-1', 'EU-SPACE-2', 'EU-SPACE-3',
      ].sort(),
    );
    const owner = { 'DAR-': 'dar', 'EU-DAR-': 'eu-dar', 'EU-SPACE-': 'eu-space' };
    for (const d of documents) {
      const programme = d.category.startsWith('EU-DAR-')
        ? owner['EU-DAR-']
        : d.category.startsWith('EU-SPACE-')
          ? owner['EU-SPACE-']
          : owner['DAR-'];
      expect(link('PRODUCED', programme, d.id), d.id).toBeDefined();
    }
    expect(link('ABOUT', 'doc-eu-dar-1', 'optional-functions')).toBeDefined();
    expect(link('ABOUT', 'doc-eu-dar-3', 'general-mandate')).toBeDefined();
  });

  it('cites the Pumi gazetteer for gazetteer records and ships its licence', async () => {
    for (const n of seed.nodes.filter((x) => x.label === 'AdminArea' && x.code?.startsWith('02'))) {
      expect(n.sources, n.id).toContain('https://github.com/dwilkie/pumi');
    }
    const licence = await readFile(path.join(SEED_DIR, 'LICENSE-pumi.txt'), 'utf8');
    expect(licence).toContain('The MIT License');
    expect(licence).toContain('David Wilkie');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('parseNodeCsv', () => {
  const areas = (rows: string) =>
    `id,name_en,name_km,level,code,lat,lon,sources\n${rows}`;

  it('coerces numbers and lists by the schema type and leaves empty cells absent', () => {
    const [area] = parseNodeCsv(
      areas('kh-0201,Banan,បាណន់,district,0201,12.95,-103.07,https://a.example/x | https://b.example/y\n'),
      'AdminArea',
      'areas.csv',
    );
    expect(area).toEqual({
      label: 'AdminArea',
      id: 'kh-0201',
      name_en: 'Banan',
      name_km: 'បាណន់',
      level: 'district',
      code: '0201',
      lat: 12.95,
      lon: -103.07,
      sources: ['https://a.example/x', 'https://b.example/y'],
    });
    const [bare] = parseNodeCsv(areas('kh-02,Battambang,បាត់ដំបង,province,,,,\n'), 'AdminArea', 'areas.csv');
    expect(bare).toEqual({
      label: 'AdminArea',
      id: 'kh-02',
      name_en: 'Battambang',
      name_km: 'បាត់ដំបង',
      level: 'province',
      sources: [],
    });
  });

  it('coerces any numeric property of the schema, not just known column names', () => {
    const [document] = parseNodeCsv(
      'id,name_en,name_km,category,year,sources\nd1,Report,របាយការណ៍,DAR-I,2017,https://x.example\n',
      'Document',
      'documents.csv',
    );
    expect(document).toMatchObject({ year: 2017 });
  });

  it('refuses a cell that is not a number, naming file, line, id and column', () => {
    const error = invalidFrom(() =>
      parseNodeCsv(areas('kh-0201,Banan,បាណន់,district,0201,north,103,\n'), 'AdminArea', 'seed/nodes/admin-areas.csv'),
    );
    expect(error.message).toContain('seed/nodes/admin-areas.csv line 2 (id "kh-0201")');
    expect(error.message).toContain('lat: "north" is not a number');
  });

  it('reports a record the schema refuses with its file and CSV line', () => {
    const text = areas(
      [
        'kh-0201,Banan,បាណន់,district,0201,12.9,103.0,',
        'kh-0202,"Thma Koul,\nwith a line break",ថ្មគោល,district,0202,13.2,103.0,',
        'kh-0203,Battambang,,county,0203,13.0,103.1,',
      ].join('\n'),
    );
    const error = invalidFrom(() => parseNodeCsv(text, 'AdminArea', 'seed/nodes/admin-areas.csv'));
    // Line 1 is the header; the quoted line break makes kh-0202 span lines 3–4, so kh-0203 is on line 5.
    expect(error.message).toMatch(/^seed\/nodes\/admin-areas\.csv line 5 \(id "kh-0203"\): /);
    expect(error.message).toContain('name_km');
    expect(error.message).toContain('level');
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('reports a record that spans several lines at the line it starts on', () => {
    const text = areas('kh-0201,Banan,បាណន់,district,0201,12.9,103.0,\nkh-0202,"Thma\nKoul\n",ថ្មគោល,district,0202,far,103.0,\n');
    const error = invalidFrom(() => parseNodeCsv(text, 'AdminArea', 'a.csv'));
    expect(error.message).toBe('a.csv line 3 (id "kh-0202"): lat: "far" is not a number (write e.g. 12.5)');
    const crlf = text.replace(/\n/g, '\r\n');
    expect(invalidFrom(() => parseNodeCsv(crlf, 'AdminArea', 'a.csv')).message).toBe(error.message);
  });

  it('reports every bad record, not only the first', () => {
    const text = areas('bad id,A,ក,district,,,,\nok,B,ខ,district,,,,\nkh-9,C,គ,nowhere,,,,\n');
    const error = invalidFrom(() => parseNodeCsv(text, 'AdminArea', 'x.csv'));
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^x\.csv line 2 \(id "bad id"\): id: must be a slug/);
    expect(lines[1]).toMatch(/^x\.csv line 4 \(id "kh-9"\): level: /);
    expect(error.details?.['problems']).toEqual(lines);
  });

  it('refuses an unknown column, naming the file', () => {
    const error = invalidFrom(() =>
      parseNodeCsv('id,name_en,name_km,type,colour,sources\ngiz,GIZ,ជីអាយហ្សិត,development-agency,red,\n', 'Organisation', 'orgs.csv'),
    );
    expect(error.message).toContain('orgs.csv line 1 (header): unknown column "colour"');
  });

  it('refuses a missing required column', () => {
    const error = invalidFrom(() =>
      parseNodeCsv('id,name_en,type,sources\ngiz,GIZ,development-agency,\n', 'Organisation', 'orgs.csv'),
    );
    expect(error.message).toContain('orgs.csv line 1 (header): required column "name_km" is missing');
    const noSources = invalidFrom(() =>
      parseNodeCsv('id,name_en,name_km\nt,T,ត\n', 'Topic', 'topics.csv'),
    );
    expect(noSources.message).toContain('required column "sources" is missing');
  });

  it('refuses label and audit stamp columns', () => {
    const label = invalidFrom(() => parseNodeCsv('id,label,name_en,name_km,sources\n', 'Topic', 'topics.csv'));
    expect(label.message).toContain('column "label" is not allowed');
    const stamp = invalidFrom(() =>
      parseNodeCsv('id,name_en,name_km,sources,created_at\nt,T,ត,,2024-01-01\n', 'Topic', 'topics.csv'),
    );
    expect(stamp.message).toContain('column "created_at" is not allowed');
  });

  it('refuses a row with the wrong number of cells', () => {
    const error = invalidFrom(() => parseNodeCsv('id,name_en,name_km,sources\nt,T,ត,,extra\n', 'Topic', 'topics.csv'));
    expect(error.message).toContain('topics.csv line 2 (id "t"): has 5 cells but the header has 4 columns');
  });

  it('refuses text that is not CSV', () => {
    const error = invalidFrom(() => parseNodeCsv('id,name_en,name_km,sources\n"t,T,ត,\n', 'Topic', 'topics.csv'));
    expect(error.message).toMatch(/^topics\.csv( line \d+)?: not valid CSV/);
  });

  it('normalises text to NFC, skips a BOM and empty lines', () => {
    const nfd = 'Bătdâmbâng Café'.normalize('NFD');
    const khmerNfd = 'មោងឫស្សី'.normalize('NFD');
    expect(nfd).not.toBe(nfd.normalize('NFC'));
    const [topic] = parseNodeCsv(`\uFEFFid,name_en,name_km,sources\n\nt,${nfd},${khmerNfd},\n\n`, 'Topic', 't.csv');
    expect(topic?.name_en).toBe('Bătdâmbâng Café'.normalize('NFC'));
    expect(topic?.name_en).not.toBe(nfd);
    expect(topic?.name_km).toBe('មោងឫស្សី'.normalize('NFC'));
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('parseLinkCsv', () => {
  const header = 'id,type,from,to,amount,currency,draft,sources';

  it('coerces amount and draft and splits sources', () => {
    const [funded, draft] = parseLinkCsv(
      `${header}\nf,FUNDED_BY,dar-2,bmz,5040000,EUR,false,https://a.example | doc-x\nd,ABOUT,dar,owso,,,TRUE,\n`,
      'links.csv',
    );
    expect(funded).toMatchObject({ amount: 5_040_000, currency: 'EUR', draft: false, sources: ['https://a.example', 'doc-x'] });
    expect(draft).toMatchObject({ draft: true, sources: [] });
    expect(draft).not.toHaveProperty('amount');
  });

  it('needs a source unless the link is a draft', () => {
    const error = invalidFrom(() =>
      parseLinkCsv(`${header}\nok,ABOUT,a,b,,,,https://x.example\ndar-funded-by-bmz,FUNDED_BY,dar,bmz,,,,\n`, 'seed/links.csv'),
    );
    expect(error.message).toMatch(/^seed\/links\.csv line 3 \(id "dar-funded-by-bmz"\): sources: a link needs at least one source/);
  });

  it('refuses a bad boolean and an unknown link type', () => {
    const error = invalidFrom(() =>
      parseLinkCsv(`${header}\na,ABOUT,x,y,,,maybe,https://x.example\nb,LIKES,x,y,,,,https://x.example\n`, 'links.csv'),
    );
    expect(error.message).toContain('links.csv line 2 (id "a"): draft: "maybe" is not a boolean');
    expect(error.message).toContain('links.csv line 3 (id "b"): type:');
  });

  it('requires id, type, from, to and sources columns', () => {
    const error = invalidFrom(() => parseLinkCsv('id,type,from\n', 'links.csv'));
    for (const column of ['to', 'sources']) expect(error.message).toContain(`required column "${column}" is missing`);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('checkSeedGraph', () => {
  const nodes = () => [
    ...parseNodeCsv(
      'id,name_en,name_km,status,sources\ndar,DAR,ដារ,,https://x.example\neu-dar,EU DAR,អ៊ីយូដា,,\n',
      'Programme',
      'seed/nodes/programmes.csv',
    ),
    ...parseNodeCsv('id,name_en,name_km,type,sources\nbmz,BMZ,ប៊ីអឹមហ្សិត,government-donor,\n', 'Organisation', 'seed/nodes/organisations.csv'),
    ...parseNodeCsv('id,name_en,name_km,level,sources\nkh-02,Battambang,បាត់ដំបង,province,\n', 'AdminArea', 'seed/nodes/admin-areas.csv'),
    ...parseNodeCsv('id,name_en,name_km,category,sources\ndoc-1,Report,របាយការណ៍,DAR-I,\n', 'Document', 'seed/nodes/documents.csv'),
  ];
  const links = (rows: string) => parseLinkCsv(`id,type,from,to,sources\n${rows}`, 'seed/links.csv');

  it('accepts a consistent graph, with a Document id as a source', () => {
    expect(() =>
      checkSeedGraph({
        nodes: nodes(),
        links: links('l1,FUNDED_BY,dar,bmz,https://x.example | doc-1\nl2,PRODUCED,dar,doc-1,doc-1\n'),
      }),
    ).not.toThrow();
  });

  it('refuses duplicate node ids, naming both places', () => {
    const duplicate = parseNodeCsv('id,name_en,name_km,sources\nx,X,ក,\nbmz,BMZ topic,ប,\n', 'Topic', 'seed/nodes/topics.csv');
    const error = invalidFrom(() => checkSeedGraph({ nodes: [...nodes(), ...duplicate], links: [] }));
    expect(error.message).toBe(
      'seed/nodes/topics.csv line 3 (id "bmz"): duplicate node id, first defined at seed/nodes/organisations.csv line 2',
    );
  });

  it('refuses duplicate link ids, naming both places', () => {
    const error = invalidFrom(() =>
      checkSeedGraph({ nodes: nodes(), links: links('l1,FUNDED_BY,dar,bmz,https://x.example\nl1,WORKS_IN,dar,kh-02,https://x.example\n') }),
    );
    expect(error.message).toBe('seed/links.csv line 3 (id "l1"): duplicate link id, first defined at seed/links.csv line 2');
  });

  it('refuses a link to a node that does not exist', () => {
    const error = invalidFrom(() =>
      checkSeedGraph({ nodes: nodes(), links: links('l1,FUNDED_BY,dar,gtz,https://x.example\n') }),
    );
    expect(error.message).toBe('seed/links.csv line 2 (id "l1"): to: no node has the id "gtz"');
  });

  it('refuses endpoints the schema does not allow for the link type', () => {
    const error = invalidFrom(() =>
      checkSeedGraph({ nodes: nodes(), links: links('l1,WORKS_IN,bmz,kh-02,https://x.example\nl2,SUCCEEDS,eu-dar,bmz,https://x.example\n') }),
    );
    const lines = error.message.split('\n');
    expect(lines[0]).toContain('seed/links.csv line 2 (id "l1"): WORKS_IN cannot go from Organisation to AdminArea');
    expect(lines[1]).toContain('seed/links.csv line 3 (id "l2"): SUCCEEDS cannot go from Programme to Organisation');
  });

  it('refuses a source that is neither a URL nor a Document id, on links and nodes', () => {
    const withBadNodeSource = [
      ...nodes(),
      ...parseNodeCsv('id,name_en,name_km,sources\nt,T,ត,bmz\n', 'Topic', 'seed/nodes/topics.csv'),
    ];
    const error = invalidFrom(() =>
      checkSeedGraph({ nodes: withBadNodeSource, links: links('l1,FUNDED_BY,dar,bmz,some-report\n') }),
    );
    expect(error.message).toContain(
      'seed/nodes/topics.csv line 2 (id "t"): sources: "bmz" is neither an http(s) URL nor the id of a Document node',
    );
    expect(error.message).toContain(
      'seed/links.csv line 2 (id "l1"): sources: "some-report" is neither an http(s) URL nor the id of a Document node',
    );
  });

  it('names records that were not read from a file by their id', () => {
    const a: GraphLink = { id: 'x', type: 'ABOUT', from: 'dar', to: 'nowhere', sources: ['https://x.example'] };
    const error = invalidFrom(() => checkSeedGraph({ nodes: nodes(), links: [a] }));
    expect(error.message).toBe('link "x": to: no node has the id "nowhere"');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('readSeedDir on a broken copy of the seed', () => {
  let dir: string | undefined;
  const copy = async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dar-seed-'));
    await cp(SEED_DIR, dir, { recursive: true });
    return dir;
  };
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('reads an unchanged copy', async () => {
    const data = await readSeedDir(await copy());
    expect(data.nodes.length).toBeGreaterThan(50);
  });

  it('refuses a missing nodes file, naming it', async () => {
    const root = await copy();
    await rm(path.join(root, 'nodes', 'topics.csv'));
    const error = await invalidFromAsync(readSeedDir(root));
    expect(error.message).toMatch(/nodes[/\\]topics\.csv: the file is missing/);
  });

  it('refuses an unknown nodes file', async () => {
    const root = await copy();
    await writeFile(path.join(root, 'nodes', 'people.csv'), 'id\n');
    const error = await invalidFromAsync(readSeedDir(root));
    expect(error.message).toMatch(/people\.csv: unknown nodes file/);
  });

  it('reports problems in several files at once, each with its file and line', async () => {
    const root = await copy();
    const topicsFile = path.join(root, 'nodes', 'topics.csv');
    await writeFile(topicsFile, (await readFile(topicsFile, 'utf8')).replace('name_km', 'name_kh'));
    const linksFile = path.join(root, 'links.csv');
    const lines = (await readFile(linksFile, 'utf8')).split('\n');
    lines[1] = lines[1]!.replace(/,[^,]*$/, ','); // drop the sources of the first link
    await writeFile(linksFile, lines.join('\n'));
    const error = await invalidFromAsync(readSeedDir(root));
    expect(error.message).toMatch(/topics\.csv line 1 \(header\): unknown column "name_kh"/);
    expect(error.message).toMatch(/links\.csv line 2 \(id "[a-z0-9-]+"\): sources: a link needs at least one source/);
  });

  it('runs the cross-record checks', async () => {
    const root = await copy();
    const linksFile = path.join(root, 'links.csv');
    const text = await readFile(linksFile, 'utf8');
    await writeFile(linksFile, `${text}dangling,ABOUT,dar,no-such-topic,,,,,,,,,https://x.example\n`);
    const error = await invalidFromAsync(readSeedDir(root));
    expect(error.message).toMatch(/links\.csv line \d+ \(id "dangling"\): to: no node has the id "no-such-topic"/);
  });
});
