import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Invalid } from '../../../server/domain/errors.ts';
import type { GraphNode } from '../../../server/schema/graph.schema.ts';
import { GAZETTEER_COLUMNS, isGazetteerCsv, parseGazetteerCsv, PUMI_URL } from '../../../server/seed/gazetteer.ts';
import { readSeedDir, type SeedData } from '../../../server/seed/seed-files.ts';
import { SEED_DIR } from '../../support/seed-fixture.ts';

const HEADER = GAZETTEER_COLUMNS.join(',');

function invalid(fn: () => unknown): Invalid {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid);
    return error as Invalid;
  }
  throw new Error('expected an Invalid error, but nothing was thrown');
}

describe('the national gazetteer in the seed', () => {
  let seed: SeedData;
  let areas: Extract<GraphNode, { label: 'AdminArea' }>[];
  beforeAll(async () => {
    seed = await readSeedDir(SEED_DIR);
    areas = seed.nodes.filter((n): n is Extract<GraphNode, { label: 'AdminArea' }> => n.label === 'AdminArea');
  });

  it('has 25 provinces, 210 districts (33 of them municipalities) and 1,652 communes', () => {
    const byLevel: Record<string, number> = {};
    for (const area of areas) byLevel[area.level] = (byLevel[area.level] ?? 0) + 1;
    expect(byLevel).toEqual({ province: 25, municipality: 33, district: 177, commune: 1652 });
    const byCodeLength: Record<number, number> = {};
    for (const area of areas) byCodeLength[area.code!.length] = (byCodeLength[area.code!.length] ?? 0) + 1;
    expect(byCodeLength).toEqual({ 2: 25, 4: 210, 6: 1652 });
  });

  it('gives every area but a province exactly one PART_OF parent: the area of its code without the last two digits', () => {
    const byId = new Map(areas.map((a) => [a.id, a]));
    const parents = new Map<string, string[]>();
    for (const link of seed.links) {
      if (link.type !== 'PART_OF' || !byId.has(link.from)) continue;
      parents.set(link.from, [...(parents.get(link.from) ?? []), link.to]);
    }
    for (const area of areas) {
      expect(area.id).toBe(`kh-${area.code}`);
      if (area.level === 'province') {
        expect(parents.get(area.id), area.id).toBeUndefined();
        continue;
      }
      const found = parents.get(area.id) ?? [];
      expect(found, area.id).toHaveLength(1);
      const parent = byId.get(found[0]!);
      expect(parent?.code, area.id).toBe(area.code!.slice(0, -2));
    }
  });

  it('keeps Battambang\'s ids, names and coordinates as they were', () => {
    const before: [string, string, string, string][] = [
      ['kh-02', 'Battambang Province', 'ខេត្តបាត់ដំបង', 'province'],
      ['kh-0201', 'Banan', 'បាណន់', 'district'],
      ['kh-0203', 'Battambang Municipality', 'ក្រុងបាត់ដំបង', 'municipality'],
      ['kh-0206', 'Moung Ruessei', 'មោងឫស្សី', 'district'],
      ['kh-0214', 'Rukh Kiri', 'រុក្ខគិរី', 'district'],
    ];
    for (const [id, en, km, level] of before) {
      expect(areas.find((a) => a.id === id), id).toMatchObject({ name_en: en, name_km: km, level, code: id.slice(3) });
    }
    expect(areas.find((a) => a.id === 'kh-02')).toMatchObject({ lat: 12.9256791, lon: 103.2317136 });
    expect(areas.find((a) => a.id === 'kh-0201')).toMatchObject({ lat: 12.9519264, lon: 103.0760132 });
    // The curated rows' links and their sources survive the merge (one record, both citations).
    const kandal = areas.find((a) => a.id === 'kh-08')!;
    expect(kandal).toMatchObject({ name_en: 'Kandal Province', name_km: 'ខេត្តកណ្តាល', name_latin: 'Kandal' });
    expect(kandal.sources).toEqual(expect.arrayContaining([PUMI_URL, 'https://www.giz.de/en/worldwide/17335.html']));
    expect(seed.links.filter((l) => l.id === 'kh-0201-part-of-kh-02')).toHaveLength(1);
    expect(seed.links.some((l) => l.type === 'WORKS_IN' && l.to === 'kh-08')).toBe(true);
  });

  it('names by the rule: provinces, the capital and municipalities with their unit type, others plain; khan → district, sangkat → commune', () => {
    expect(areas.find((a) => a.id === 'kh-12')).toMatchObject({ name_en: 'Phnom Penh Capital', name_km: 'រាជធានីភ្នំពេញ', level: 'province' });
    const khan = areas.find((a) => a.code === '1201')!;
    expect(khan.level).toBe('district');
    expect(khan.name_en).toBe(khan.name_latin);
    const sangkat = areas.find((a) => a.code === '120101')!;
    expect(sangkat.level).toBe('commune');
    for (const area of areas) {
      expect(area.sources, area.id).toContain(PUMI_URL);
      expect(area.name_km, area.id).toMatch(/[\u1780-\u17FF]/);
      if (area.level === 'district' || area.level === 'commune') expect(area.name_en, area.id).toBe(area.name_latin);
    }
    expect(areas.filter((a) => a.lat === undefined)).toHaveLength(13 + 421);
  });
});

describe('parseGazetteerCsv', () => {
  const row = (cells: Partial<Record<(typeof GAZETTEER_COLUMNS)[number], string>>) =>
    GAZETTEER_COLUMNS.map((c) => cells[c] ?? '').join(',');
  const province = row({ code: '02', level: 'province', type_km: 'ខេត្ត', type_latin: 'Khaet', type_en: 'Province', name_km: 'បាត់ដំបង', name_latin: 'Battambang', lat: '12.92567914', lon: '103.2317136427' });
  const district = row({ code: '0201', level: 'district', parent_code: '02', type_km: 'ស្រុក', type_latin: 'Srok', type_en: 'District', name_km: 'បាណន់', name_latin: 'Banan' });

  it('converts rows to areas and PART_OF links, rounding coordinates to 7 decimals', () => {
    const { nodes, links } = parseGazetteerCsv(`${HEADER}\n${province}\n${district}\n`, 'g.csv');
    expect(nodes[0]).toMatchObject({ id: 'kh-02', name_en: 'Battambang Province', name_km: 'ខេត្តបាត់ដំបង', lat: 12.9256791, lon: 103.2317136 });
    expect(nodes[1]).toEqual({ label: 'AdminArea', id: 'kh-0201', name_en: 'Banan', name_km: 'បាណន់', level: 'district', code: '0201', name_latin: 'Banan', sources: [PUMI_URL] });
    expect(links).toEqual([{ id: 'kh-0201-part-of-kh-02', type: 'PART_OF', from: 'kh-0201', to: 'kh-02', sources: [PUMI_URL] }]);
    expect(isGazetteerCsv(`\uFEFF${HEADER}\r\n`)).toBe(true);
    expect(isGazetteerCsv('id,name_en\n')).toBe(false);
  });

  it('names the line of every bad row: parent missing, code not nested, unknown level', () => {
    const orphan = row({ code: '030101', level: 'commune', parent_code: '0301', type_latin: 'Khum', name_km: 'ក', name_latin: 'K' });
    const misfit = row({ code: '0202', level: 'district', parent_code: '03', type_latin: 'Srok', name_km: 'ខ', name_latin: 'X' });
    const odd = row({ code: '02', level: 'state', name_km: 'គ', name_latin: 'Y' });
    const error = invalid(() => parseGazetteerCsv(`${HEADER}\n${province}\n${orphan}\n${misfit}\n${odd}\n`, 'g.csv'));
    expect(error.message).toContain('g.csv line 3 (code "030101"): parent_code: no area has the code "0301"');
    expect(error.message).toContain('g.csv line 4 (code "0202"): parent_code: "03" is not the code\'s first 2 digits');
    expect(error.message).toContain('g.csv line 5 (code "02"): level: "state"');
    // A parent already in the graph is enough.
    expect(parseGazetteerCsv(`${HEADER}\n${orphan}\n`, 'g.csv', new Set(['0301'])).links[0]!.to).toBe('kh-0301');
  });
});

describe('a curated row that disagrees with the gazetteer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dar-gazetteer-'));
    await cp(SEED_DIR, dir, { recursive: true });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is an error naming both files and lines; an agreeing row merges', async () => {
    const file = path.join(dir, 'nodes', 'admin-areas.csv');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('kh-0206,Moung Ruessei,មោងឫស្សី', 'kh-0206,Moung Russey,មោងឫស្សី'));
    const error = await readSeedDir(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Error).message).toMatch(
      /nodes\/admin-areas\.csv line 8 \(id "kh-0206"\): name_en: "Moung Russey" disagrees with the gazetteer's "Moung Ruessei" at .*cambodia_admin_areas_pumi\.csv line \d+/,
    );
    await writeFile(file, text);
    expect((await readSeedDir(dir)).nodes.filter((n) => n.id === 'kh-0206')).toHaveLength(1);
  });
});
