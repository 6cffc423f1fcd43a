/**
 * The join of the 2014 boundary shapes to the gazetteer (server/geo/shape-join.ts, build-shapes.cli.ts): the
 * matching rules on small made-up shapes, then the real inputs in server/geo/source: every province drawn, every
 * shape with a gazetteer coordinate inside it matched, the unmatched lists as reviewed
 * (tests/fixtures/geo/unmatched.expected.json), and the committed output files as the script writes them.
 */
import { readFileSync } from 'node:fs';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { feature } from 'topojson-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildShapes, SHAPES_DIR, type AreaProperties, type BuiltShapes } from '../../../server/geo/build-shapes.cli.ts';
import { joinLevel, nameSimilarity, normaliseName, sameName, type AreaShape, type GazetteerRow } from '../../../server/geo/shape-join.ts';

const square = (name: string, x: number, y: number, size = 1): AreaShape => ({
  type: 'Feature',
  properties: { shapeName: name },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [x, y],
        [x + size, y],
        [x + size, y + size],
        [x, y + size],
        [x, y],
      ],
    ],
  },
});
const row = (code: string, name: string, at?: [number, number]): GazetteerRow => ({
  code,
  level: 'district',
  parent_code: code.slice(0, 2),
  type_en: 'District',
  type_km: 'ស្រុក',
  name_km: `ក${code}`,
  name_latin: name,
  ...(at ? { lon: at[0], lat: at[1] } : {}),
});

describe('names', () => {
  it('normalises Latin names and compares cut names and near spellings', () => {
    expect(normaliseName("Damnak Chang'aeur")).toBe('damnakchangaeur');
    expect(normaliseName('Bâtdâmbâng')).toBe('batdambang');
    expect(sameName('Boeng Keng Kang Ti *', 'Boeng Keng Kang Ti Muoy')).toBe(true);
    expect(sameName('Boeng Keng Kang Ti *', 'Chamkar Mon')).toBe(false);
    expect(sameName('Mongkol Borei', 'Mongkol Borey')).toBe(false);
    expect(nameSimilarity('Mongkol Borei', 'Mongkol Borey')).toBeGreaterThan(0.8);
    expect(nameSimilarity('Paoy Paet', 'Poipet')).toBeLessThan(0.5);
  });
});

describe('joinLevel', () => {
  it('matches by coordinate and name, by name alone, by the one coordinate inside, and reports the rest', () => {
    const shapes = [square('Alpha', 0, 0), square('Bravo', 2, 0), square('Charlie', 4, 0), square('Delta', 6, 0), square('Echo', 8, 0)];
    const rows = [
      row('0101', 'Alpha', [0.5, 0.5]), // inside Alpha, same name
      row('0102', 'Bravo'), // no coordinate: by name
      row('0103', 'Karlie', [4.5, 0.5]), // the one coordinate inside Charlie
      row('0104', 'Foxtrot', [6.2, 0.5]), // two inside Delta: neither name is like it
      row('0105', 'Golf', [6.7, 0.5]),
      row('0106', 'Hotel', [20, 20]), // in no shape
    ];
    const join = joinLevel(shapes, rows);
    expect(join.matches.map((m) => [m.shapeName, m.code, m.method])).toEqual([
      ['Alpha', '0101', 'point+name'],
      ['Bravo', '0102', 'name'],
      ['Charlie', '0103', 'point'],
    ]);
    expect(join.unmatchedShapes.map((u) => u.shapeName)).toEqual(['Delta', 'Echo']);
    expect(join.unmatchedShapes[0]!.reason).toMatch(/several coordinates inside/);
    expect(join.rowsWithoutShape.map((r) => r.code)).toEqual(['0104', '0105', '0106']);
  });

  it('takes a row once: a split district keeps its old shape, the new one has none', () => {
    const shapes = [square('Old Town', 0, 0, 2)];
    const rows = [row('0101', 'Old Town', [0.5, 0.5]), row('0102', 'New Town', [1.5, 1.5])];
    const join = joinLevel(shapes, rows);
    expect(join.matches.map((m) => m.code)).toEqual(['0101']);
    expect(join.rowsWithoutShape.map((r) => r.code)).toEqual(['0102']);
  });

  it('prefers the name in the first scope (a commune in its district before one of the same name elsewhere)', () => {
    const shapes = [square('Ampil', 0, 0)];
    const rows = [row('010101', 'Ampil'), row('010201', 'Ampil')];
    const join = joinLevel(shapes, rows, () => [[rows[1]!], rows]);
    expect(join.matches.map((m) => m.code)).toEqual(['010201']);
  });
});

describe('the Cambodian shapes and gazetteer', () => {
  let built: BuiltShapes;
  beforeAll(() => {
    built = buildShapes();
  }, 120_000);

  it('draws every province as the union of its districts', () => {
    const provinces = feature(built.districts as never, built.districts.objects.provinces as never) as unknown as GeoJSON.FeatureCollection<GeoJSON.MultiPolygon, AreaProperties>;
    expect(provinces.features.map((f) => f.properties.code)).toEqual(Array.from({ length: 25 }, (_, i) => String(i + 1).padStart(2, '0')));
    for (const province of provinces.features) expect(province.geometry.coordinates.length, province.properties.en).toBeGreaterThan(0);
    expect(built.report.provinces.every((p) => p.districts > 0)).toBe(true);
    expect(provinces.features.find((f) => f.properties.code === '02')?.properties).toMatchObject({ en: 'Battambang', km: 'បាត់ដំបង' });
  });

  it('matches every shape that has a gazetteer coordinate inside it', () => {
    for (const level of [built.join.districts, built.join.communes]) {
      const matched = new Set(level.matches.map((m) => m.shape));
      const missed = level.inside.flatMap((rows, i) => (rows.length > 0 && !matched.has(i) ? [i] : []));
      expect(missed).toEqual([]);
    }
    // Banan is Banan, by its coordinate and its name.
    const banan = built.join.districts.matches.find((m) => m.code === '0201');
    expect(banan).toMatchObject({ shapeName: 'Banan', method: 'point+name' });
  });

  it('leaves the same shapes and rows unmatched as reviewed', () => {
    const expected = JSON.parse(readFileSync(new URL('../../fixtures/geo/unmatched.expected.json', import.meta.url), 'utf8'));
    const list = (level: BuiltShapes['report']['districts']) => ({
      shapes_without_code: level.unmatched_shapes.map((u) => u.shape),
      rows_without_shape: level.rows_without_shape.map((r) => `${r.code} ${r.name}`),
    });
    expect({ districts: list(built.report.districts), communes: list(built.report.communes) }).toEqual(expected);
    // Every shape is kept: matched or reported.
    expect(built.join.districts.matches.length + built.join.districts.unmatchedShapes.length).toBe(197);
    expect(built.join.communes.matches.length + built.join.communes.unmatchedShapes.length).toBe(1633);
  });

  it('the committed files are what the script writes from the committed inputs', () => {
    for (const [file, topo] of [
      ['cambodia-districts.topo.json', built.districts],
      ['cambodia-communes.topo.json', built.communes],
    ] as const) {
      const committed = JSON.parse(readFileSync(`${SHAPES_DIR}${file}`, 'utf8')) as Topology;
      expect(committed, `${file} is stale: run npm run geo:build`).toEqual(JSON.parse(JSON.stringify(topo)));
    }
    const districts = (built.districts.objects.districts as GeometryCollection<AreaProperties>).geometries;
    expect(districts).toHaveLength(197);
  });
});
