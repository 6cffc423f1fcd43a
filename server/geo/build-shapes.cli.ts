/**
 * `npm run geo:build`: joins the boundary shapes in server/geo/source to the national gazetteer
 * (seed/gazetteer/cambodia_admin_areas_pumi.csv) by shape-join.ts,
 * simplifies them for the web and writes the TopoJSON files the explorer and the API ship (server/geo/shapes/),
 * then prints what did not match. Deterministic: the same inputs give the same files.
 *
 *   cambodia-districts.topo.json  provinces (the union of their districts), districts, districts without a shape
 *                                 as points
 *   cambodia-communes.topo.json   communes, communes without a shape as points
 *   join-report.json              how each level matched and everything that did not
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { mergeArcs, quantize } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, simplify } from 'topojson-simplify';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { boxOf, joinCountry, parseGazetteer, pointInside, type AreaShape, type CountryJoin, type GazetteerRow, type LevelJoin } from './shape-join.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
export const SOURCE_DIR = `${here}source/`;
/** The national gazetteer, the one copy in the repository (the seed loads it too). */
export const GAZETTEER_FILE = `${here}../../seed/gazetteer/cambodia_admin_areas_pumi.csv`;
export const SHAPES_DIR = `${here}shapes/`;

/**
 * Simplification: Visvalingam (topojson-simplify, planar triangle area) dropping points whose effective area is
 * under this many square degrees (1e-6 deg² ≈ 0.012 km² here), then quantised to a 1e5 grid over the country (about 5 m).
 */
export const SIMPLIFY_MIN_AREA = 1e-6;
export const QUANTIZATION = 1e5;

export const ATTRIBUTION = 'Boundaries: geoBoundaries (Runfola et al. 2020, PLOS ONE 15(4): e0231866) / Open Development Cambodia, CC BY 4.0';
import type { AreaProperties } from './area-properties.ts';

export type { AreaProperties };

export const GAZETTEER_ATTRIBUTION = 'Codes and names: Pumi gazetteer (github.com/dwilkie/pumi, MIT) from the NCDD / Ministry of Planning gazetteer';

export interface SourceData {
  rows: GazetteerRow[];
  districtShapes: AreaShape[];
  communeShapes: AreaShape[];
}

export function readSources(dir = SOURCE_DIR, gazetteer = GAZETTEER_FILE): SourceData {
  const shapes = (file: string) => (JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as FeatureCollection<Polygon | MultiPolygon, AreaShape['properties']>).features as AreaShape[];
  return {
    rows: parseGazetteer(readFileSync(gazetteer, 'utf8')),
    districtShapes: shapes('geoBoundaries-KHM-ADM2_simplified.geojson'),
    communeShapes: shapes('geoBoundaries-KHM-ADM3_simplified.geojson'),
  };
}

const round = (n: number) => Math.round(n * 1e5) / 1e5;

function majority(values: (string | undefined)[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

function simplified(objects: Record<string, FeatureCollection>): Topology {
  // Simplified in degrees, then quantised (delta-encoded integers) for size.
  const simple = simplify(presimplify(topology(objects) as never), SIMPLIFY_MIN_AREA);
  return quantize(simple as never, QUANTIZATION) as unknown as Topology;
}

export interface BuiltShapes {
  join: CountryJoin;
  districts: Topology;
  communes: Topology;
  report: JoinReport;
}

export interface JoinReport {
  attribution: string;
  gazetteer: string;
  simplification: { method: string; min_area_deg2: number; quantization: number };
  districts: LevelSummary;
  communes: LevelSummary;
  provinces: { code: string; name: string; districts: number }[];
}

interface LevelSummary {
  shapes: number;
  gazetteer_rows: number;
  matched: Record<string, number>;
  unmatched_shapes: { shape: string; index: number; reason: string; drawn_in: string | null }[];
  rows_without_shape: { code: string; name: string; drawn_as: 'point' | 'nothing'; at?: 'gazetteer' | 'communes' }[];
}

export function buildShapes(source: SourceData = readSources()): BuiltShapes {
  const { rows, districtShapes, communeShapes } = source;
  const join = joinCountry(rows, districtShapes, communeShapes);
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const codeOf = (level: LevelJoin) => new Map(level.matches.map((m) => [m.shape, m.code]));
  const districtCode = codeOf(join.districts);
  const communeCode = codeOf(join.communes);

  // Where each district shape belongs: its code's province; an unmatched one, the province of most communes in it.
  const districtProvince = districtShapes.map((_, i) => {
    const code = districtCode.get(i);
    if (code) return code.slice(0, 2);
    return majority(communeShapes.map((_, c) => (join.communeDistrict[c] === i ? communeCode.get(c)?.slice(0, 2) : undefined)));
  });

  const feature = <G extends Polygon | MultiPolygon | Point>(geometry: G, properties: AreaProperties): Feature<G, AreaProperties> => ({ type: 'Feature', geometry, properties });
  const named = (code: string | undefined, fallback: string) => {
    const row = code ? byCode.get(code) : undefined;
    return { en: row?.name_latin ?? fallback, km: row?.name_km ?? '' };
  };
  const districtFeatures = districtShapes.map((shape, i) => {
    const code = districtCode.get(i) ?? null;
    return feature(shape.geometry, { code, ...named(code ?? undefined, shape.properties.shapeName), in: districtProvince[i] ?? null, shape: shape.properties.shapeName });
  });
  const communeFeatures = communeShapes.map((shape, i) => {
    const code = communeCode.get(i) ?? null;
    const around = join.communeDistrict[i];
    const district = code ? code.slice(0, 4) : around === undefined ? null : (districtCode.get(around) ?? null);
    return feature(shape.geometry, { code, ...named(code ?? undefined, shape.properties.shapeName), in: district, shape: shape.properties.shapeName });
  });

  // Areas without a shape: at their gazetteer coordinate, else (districts) amid their communes' shapes.
  const communeCentres = new Map<string, [number, number][]>();
  communeShapes.forEach((shape, i) => {
    const code = communeCode.get(i);
    if (!code) return;
    const list = communeCentres.get(code.slice(0, 4)) ?? [];
    list.push(pointInside(shape, boxOf(shape.geometry)));
    communeCentres.set(code.slice(0, 4), list);
  });
  const pointOf = (row: GazetteerRow): { at: [number, number]; from: 'gazetteer' | 'communes' } | undefined => {
    if (row.lat !== undefined && row.lon !== undefined) return { at: [row.lon, row.lat], from: 'gazetteer' };
    const centres = row.level === 'district' ? communeCentres.get(row.code) : undefined;
    if (!centres || centres.length === 0) return undefined;
    return { at: [round(centres.reduce((s, p) => s + p[0], 0) / centres.length), round(centres.reduce((s, p) => s + p[1], 0) / centres.length)], from: 'communes' };
  };
  const points = (level: LevelJoin, parentDigits: number) =>
    level.rowsWithoutShape.flatMap((missing) => {
      const row = byCode.get(missing.code)!;
      const point = pointOf(row);
      return point ? [feature({ type: 'Point', coordinates: point.at }, { code: row.code, en: row.name_latin, km: row.name_km, in: row.code.slice(0, parentDigits), at: point.from })] : [];
    });
  const districtPoints = points(join.districts, 2);
  const communePoints = points(join.communes, 4);

  const collection = <G extends Polygon | MultiPolygon | Point>(features: Feature<G, AreaProperties>[]): FeatureCollection => ({ type: 'FeatureCollection', features });
  const districts = simplified({ districts: collection(districtFeatures), district_points: collection(districtPoints) });
  const communes = simplified({ communes: collection(communeFeatures), commune_points: collection(communePoints) });

  // Provinces: the union of their districts' shapes (shared arcs merged away).
  const districtGeometries = (districts.objects.districts as GeometryCollection<AreaProperties>).geometries;
  const provinceRows = rows.filter((r) => r.level === 'province');
  const provinceGeometries = provinceRows.map((row) => {
    const mine = districtGeometries.filter((g) => (g.properties as AreaProperties | undefined)?.in === row.code);
    const merged = mergeArcs(districts as never, mine as never) as unknown as { type: string; arcs: unknown };
    return { ...merged, properties: { code: row.code, en: row.name_latin, km: row.name_km, in: null } satisfies AreaProperties };
  });
  districts.objects = { provinces: { type: 'GeometryCollection', geometries: provinceGeometries as never }, ...districts.objects };

  const summary = (level: LevelJoin, shapes: AreaShape[], features: Feature<Polygon | MultiPolygon, AreaProperties>[], levelRows: GazetteerRow[], pointsDrawn: Feature<Point, AreaProperties>[]): LevelSummary => {
    const matched: Record<string, number> = {};
    for (const m of level.matches) matched[m.method] = (matched[m.method] ?? 0) + 1;
    const drawn = new Map(pointsDrawn.map((p) => [p.properties.code, p.properties.at]));
    return {
      shapes: shapes.length,
      gazetteer_rows: levelRows.length,
      matched,
      unmatched_shapes: level.unmatchedShapes.map((u) => ({ shape: u.shapeName, index: u.shape, reason: u.reason, drawn_in: features[u.shape]!.properties.in })),
      rows_without_shape: level.rowsWithoutShape.map((r) => {
        const at = drawn.get(r.code);
        return at ? { code: r.code, name: r.name_latin, drawn_as: 'point' as const, at } : { code: r.code, name: r.name_latin, drawn_as: 'nothing' as const };
      }),
    };
  };
  const report: JoinReport = {
    attribution: ATTRIBUTION,
    gazetteer: GAZETTEER_ATTRIBUTION,
    simplification: { method: 'Visvalingam (topojson-simplify, planar)', min_area_deg2: SIMPLIFY_MIN_AREA, quantization: QUANTIZATION },
    districts: summary(join.districts, districtShapes, districtFeatures, rows.filter((r) => r.level === 'district'), districtPoints),
    communes: summary(join.communes, communeShapes, communeFeatures, rows.filter((r) => r.level === 'commune'), communePoints),
    provinces: provinceRows.map((r) => ({ code: r.code, name: r.name_latin, districts: districtGeometries.filter((g) => (g.properties as AreaProperties | undefined)?.in === r.code).length })),
  };
  const stamp = (topo: Topology) => Object.assign(topo, { attribution: ATTRIBUTION, gazetteer: GAZETTEER_ATTRIBUTION });
  return { join, districts: stamp(districts), communes: stamp(communes), report };
}

function main(): void {
  const built = buildShapes();
  mkdirSync(SHAPES_DIR, { recursive: true });
  const write = (name: string, value: unknown) => {
    const text = `${JSON.stringify(value)}\n`;
    writeFileSync(`${SHAPES_DIR}${name}`, text);
    console.log(`wrote server/geo/shapes/${name} (${(text.length / 1024).toFixed(0)} KB)`);
  };
  write('cambodia-districts.topo.json', built.districts);
  write('cambodia-communes.topo.json', built.communes);
  writeFileSync(`${SHAPES_DIR}join-report.json`, `${JSON.stringify(built.report, null, 2)}\n`);
  console.log('wrote server/geo/shapes/join-report.json');
  const { districts, communes } = built.report;
  for (const [name, level] of [
    ['districts', districts],
    ['communes', communes],
  ] as const) {
    console.log(`\n${name}: ${level.shapes} shapes, ${level.gazetteer_rows} gazetteer rows; matched ${JSON.stringify(level.matched)}`);
    console.log(`  shapes without a code (${level.unmatched_shapes.length}):`);
    for (const u of level.unmatched_shapes) console.log(`    #${u.index} ${u.shape} (drawn in ${u.drawn_in ?? '?'}): ${u.reason}`);
    console.log(`  gazetteer rows without a shape (${level.rows_without_shape.length}):`);
    for (const r of level.rows_without_shape) console.log(`    ${r.code} ${r.name}: ${r.drawn_as === 'point' ? `drawn as a point (${r.at})` : 'not drawn (no coordinate)'}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
