/**
 * Joins the 2014 boundary shapes (geoBoundaries / Open Development Cambodia: English names, no codes) to the
 * national gazetteer (Pumi: codes, Khmer and Latin names, coordinates). A shape gets the code of the gazetteer row
 * whose coordinate falls inside it and whose normalised Latin name is the shape's; failing that, of the one row
 * with its name in scope, or of the one row whose coordinate is inside it, or of the row inside it with the most
 * similar name. Everything that did not match is reported, never dropped. Pure: data in, data out (the CLI
 * build-shapes.cli.ts reads and writes the files).
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { parse } from 'csv-parse/sync';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';

export type GazetteerLevel = 'province' | 'district' | 'commune';

export interface GazetteerRow {
  code: string;
  level: GazetteerLevel;
  parent_code: string;
  type_en: string;
  type_km: string;
  name_km: string;
  name_latin: string;
  lat?: number;
  lon?: number;
}

export type AreaShape = Feature<Polygon | MultiPolygon, { shapeName: string; shapeID?: string }>;

/** How a shape got its code. */
export type JoinMethod = 'point+name' | 'name' | 'point' | 'point+similar-name' | 'similar-name';

export interface ShapeMatch {
  /** Index of the shape in its file. */
  shape: number;
  shapeName: string;
  code: string;
  method: JoinMethod;
}

export interface LevelJoin {
  matches: ShapeMatch[];
  /** Shapes that got no code (kept and drawn, reported). */
  unmatchedShapes: { shape: number; shapeName: string; reason: string }[];
  /** Gazetteer rows of the level without a shape (drawn as points where they have coordinates). */
  rowsWithoutShape: { code: string; name_latin: string; hasPoint: boolean }[];
  /** For each shape: the gazetteer rows of the level whose coordinate is inside it. */
  inside: string[][];
}

export function parseGazetteer(text: string): GazetteerRow[] {
  const records = parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  return records.map((r, i) => {
    const level = r.level;
    if (level !== 'province' && level !== 'district' && level !== 'commune') throw new Error(`gazetteer line ${i + 2}: unknown level "${level}"`);
    if (!/^\d{2,6}$/.test(r.code ?? '')) throw new Error(`gazetteer line ${i + 2}: bad code "${r.code}"`);
    const lat = r.lat ? Number(r.lat) : undefined;
    const lon = r.lon ? Number(r.lon) : undefined;
    const row: GazetteerRow = {
      code: r.code!,
      level,
      parent_code: r.parent_code ?? '',
      type_en: r.type_en ?? '',
      type_km: r.type_km ?? '',
      name_km: r.name_km ?? '',
      name_latin: r.name_latin ?? '',
    };
    if (lat !== undefined && lon !== undefined && Number.isFinite(lat) && Number.isFinite(lon)) {
      row.lat = lat;
      row.lon = lon;
    }
    return row;
  });
}

/** A Latin name for comparison: no accents, case, spaces, apostrophes or hyphens ("Damnak Chang'aeur" → "damnakchangaeur"). */
export function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * True when a shape's name is the row's: equal once normalised; a name the shapefile cut at 19 characters and
 * marked with "*" ("Boeng Keng Kang Ti *") is the start of the row's.
 */
export function sameName(shapeName: string, rowName: string): boolean {
  if (shapeName.endsWith('*')) {
    const prefix = normaliseName(shapeName.slice(0, -1));
    return prefix.length > 0 && normaliseName(rowName).startsWith(prefix);
  }
  return normaliseName(shapeName) === normaliseName(rowName);
}

/** Similarity of two normalised names: Dice coefficient of their letter pairs, 0–1. */
export function nameSimilarity(a: string, b: string): number {
  const x = normaliseName(a);
  const y = normaliseName(b);
  if (x === y) return 1;
  if (x.length < 2 || y.length < 2) return 0;
  const pairs = new Map<string, number>();
  for (let i = 0; i < x.length - 1; i++) pairs.set(x.slice(i, i + 2), (pairs.get(x.slice(i, i + 2)) ?? 0) + 1);
  let both = 0;
  for (let i = 0; i < y.length - 1; i++) {
    const pair = y.slice(i, i + 2);
    const n = pairs.get(pair) ?? 0;
    if (n > 0) {
      both += 1;
      pairs.set(pair, n - 1);
    }
  }
  return (2 * both) / (x.length - 1 + (y.length - 1));
}

type Box = [number, number, number, number];

export function boxOf(geometry: Polygon | MultiPolygon): Box {
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  const rings: Position[][] = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  for (const ring of rings) {
    for (const [x, y] of ring) {
      if (x! < box[0]) box[0] = x!;
      if (y! < box[1]) box[1] = y!;
      if (x! > box[2]) box[2] = x!;
      if (y! > box[3]) box[3] = y!;
    }
  }
  return box;
}

/** True when the point (longitude, latitude) is inside the shape (planar: fine at this scale; either winding). */
export function contains(shape: AreaShape, box: Box, lon: number, lat: number): boolean {
  if (lon < box[0] || lon > box[2] || lat < box[1] || lat > box[3]) return false;
  return booleanPointInPolygon([lon, lat], shape.geometry);
}

/** A point inside a shape (its largest ring's centroid when inside, else the first vertex-pair midpoint inside). */
export function pointInside(shape: AreaShape, box: Box): [number, number] {
  const polygons: Position[][][] = shape.geometry.type === 'Polygon' ? [shape.geometry.coordinates] : shape.geometry.coordinates;
  const area = (ring: Position[]) => Math.abs(ring.reduce((sum, p, i) => (i === 0 ? 0 : sum + (ring[i - 1]![0]! * p[1]! - p[0]! * ring[i - 1]![1]!)), 0)) / 2;
  const outer = polygons.map((p) => p[0]!).sort((a, b) => area(b) - area(a))[0]!;
  let cx = 0;
  let cy = 0;
  let a = 0;
  for (let i = 1; i < outer.length; i++) {
    const [x0, y0] = outer[i - 1] as [number, number];
    const [x1, y1] = outer[i] as [number, number];
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  const centroid: [number, number] = a !== 0 ? [cx / (3 * a), cy / (3 * a)] : [outer[0]![0]!, outer[0]![1]!];
  if (contains(shape, box, centroid[0], centroid[1])) return centroid;
  // Concave: try points between the centroid and each vertex, then midpoints of chords.
  for (let i = 0; i < outer.length; i++) {
    const [x, y] = outer[i] as [number, number];
    for (const t of [0.5, 0.25, 0.75, 0.9]) {
      const p: [number, number] = [x + (centroid[0] - x) * t, y + (centroid[1] - y) * t];
      if (contains(shape, box, p[0], p[1])) return p;
    }
  }
  for (let i = 0; i + 2 < outer.length; i++) {
    const p: [number, number] = [(outer[i]![0]! + outer[i + 2]![0]!) / 2, (outer[i]![1]! + outer[i + 2]![1]!) / 2];
    if (contains(shape, box, p[0], p[1])) return p;
  }
  return [outer[0]![0]!, outer[0]![1]!];
}

/** Similar enough to count as the same name when the coordinate agrees / when it is the only clue. */
const SIMILAR_WITH_POINT = 0.5;
const SIMILAR_ALONE = 0.8;

/**
 * Joins one level's shapes to its gazetteer rows. `scope(i)` gives, for shape i, the rows it may match by name in
 * order of preference (e.g. a commune: its district's communes, then its province's); by default all rows.
 */
export function joinLevel(shapes: readonly AreaShape[], rows: readonly GazetteerRow[], scope?: (shape: number) => readonly (readonly GazetteerRow[])[]): LevelJoin {
  const boxes = shapes.map((s) => boxOf(s.geometry));
  const inside: GazetteerRow[][] = shapes.map(() => []);
  const withPoint = rows.filter((r) => r.lat !== undefined && r.lon !== undefined);
  shapes.forEach((shape, i) => {
    for (const row of withPoint) if (contains(shape, boxes[i]!, row.lon!, row.lat!)) inside[i]!.push(row);
  });
  const scopes = shapes.map((_, i) => (scope ? scope(i) : [rows]));
  const taken = new Set<string>();
  const matched = new Map<number, ShapeMatch>();
  const assign = (i: number, row: GazetteerRow, method: JoinMethod) => {
    taken.add(row.code);
    matched.set(i, { shape: i, shapeName: shapes[i]!.properties.shapeName, code: row.code, method });
  };
  const named = (i: number) => {
    const name = shapes[i]!.properties.shapeName;
    for (const group of scopes[i]!) {
      const hits = group.filter((r) => !taken.has(r.code) && sameName(name, r.name_latin));
      if (hits.length > 0) return hits;
    }
    return [];
  };
  const open = () => shapes.map((_, i) => i).filter((i) => !matched.has(i));

  // 1. The coordinate is inside and the name is the same.
  for (const i of open()) {
    const name = shapes[i]!.properties.shapeName;
    const hits = inside[i]!.filter((r) => !taken.has(r.code) && sameName(name, r.name_latin));
    if (hits.length === 1) assign(i, hits[0]!, 'point+name');
  }
  // 2. The one row of that name in scope.
  for (const i of open()) {
    const hits = named(i);
    if (hits.length === 1) assign(i, hits[0]!, 'name');
  }
  // 3. The one coordinate inside; or, of several, the most similar name.
  for (const i of open()) {
    const free = inside[i]!.filter((r) => !taken.has(r.code));
    if (free.length === 1) {
      assign(i, free[0]!, 'point');
      continue;
    }
    const best = free
      .map((r) => ({ r, s: nameSimilarity(r.name_latin, shapes[i]!.properties.shapeName) }))
      .sort((a, b) => b.s - a.s || a.r.code.localeCompare(b.r.code))[0];
    if (best && best.s >= SIMILAR_WITH_POINT) assign(i, best.r, 'point+similar-name');
  }
  // 4. A very similar name in scope, among rows whose coordinate is in no shape (or unknown).
  const placed = new Set(inside.flat().map((r) => r.code));
  for (const i of open()) {
    for (const group of scopes[i]!) {
      const best = group
        .filter((r) => !taken.has(r.code) && !placed.has(r.code))
        .map((r) => ({ r, s: nameSimilarity(r.name_latin, shapes[i]!.properties.shapeName) }))
        .sort((a, b) => b.s - a.s || a.r.code.localeCompare(b.r.code))[0];
      if (best && best.s >= SIMILAR_ALONE) {
        assign(i, best.r, 'similar-name');
        break;
      }
    }
  }

  const unmatchedShapes = open().map((i) => {
    const free = inside[i]!.filter((r) => !taken.has(r.code));
    const reason =
      inside[i]!.length === 0
        ? 'no gazetteer coordinate inside and no row of that name'
        : free.length === 0
          ? `the coordinates inside belong to rows matched elsewhere (${inside[i]!.map((r) => r.code).join(', ')})`
          : `several coordinates inside, none with a similar name (${free.map((r) => r.code).join(', ')})`;
    return { shape: i, shapeName: shapes[i]!.properties.shapeName, reason };
  });
  const rowsWithoutShape = rows
    .filter((r) => !taken.has(r.code))
    .map((r) => ({ code: r.code, name_latin: r.name_latin, hasPoint: r.lat !== undefined }));
  return {
    matches: [...matched.values()].sort((a, b) => a.shape - b.shape),
    unmatchedShapes,
    rowsWithoutShape,
    inside: inside.map((rs) => rs.map((r) => r.code)),
  };
}

/** The commune shapes' districts: the district shape that holds a point inside each commune (undefined if none). */
export function containingShape(inner: readonly AreaShape[], outer: readonly AreaShape[]): (number | undefined)[] {
  const outerBoxes = outer.map((s) => boxOf(s.geometry));
  return inner.map((shape) => {
    const [x, y] = pointInside(shape, boxOf(shape.geometry));
    const index = outer.findIndex((o, j) => contains(o, outerBoxes[j]!, x, y));
    return index >= 0 ? index : undefined;
  });
}

export interface CountryJoin {
  districts: LevelJoin;
  communes: LevelJoin;
  /** For each commune shape, the index of the district shape it lies in. */
  communeDistrict: (number | undefined)[];
}

/** Joins districts (nationally), then communes (by name within their district, then their province). */
export function joinCountry(rows: readonly GazetteerRow[], districtShapes: readonly AreaShape[], communeShapes: readonly AreaShape[]): CountryJoin {
  const districtRows = rows.filter((r) => r.level === 'district');
  const communeRows = rows.filter((r) => r.level === 'commune');
  const districts = joinLevel(districtShapes, districtRows);
  const codeOfDistrictShape = new Map(districts.matches.map((m) => [m.shape, m.code]));
  const communeDistrict = containingShape(communeShapes, districtShapes);
  const communesOf = (prefix: string) => communeRows.filter((r) => r.code.startsWith(prefix));
  const communes = joinLevel(communeShapes, communeRows, (i) => {
    const district = communeDistrict[i] === undefined ? undefined : codeOfDistrictShape.get(communeDistrict[i]!);
    if (!district) return [communeRows];
    return [communesOf(district), communesOf(district.slice(0, 2))];
  });
  return { districts, communes, communeDistrict };
}
