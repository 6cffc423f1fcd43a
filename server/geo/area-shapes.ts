/**
 * Area shapes for the API (`GET /api/areas/:id/shape`): the shipped TopoJSON files (server/geo/shapes, written by
 * `npm run geo:build`) as GeoJSON features by gazetteer code, read once on first use.
 */
import { readFileSync } from 'node:fs';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import type { Topology } from 'topojson-specification';

const SHAPES_DIR = new URL('./shapes/', import.meta.url);

export const SHAPE_ATTRIBUTION = 'Boundaries: geoBoundaries (Runfola et al. 2020, PLOS ONE 15(4): e0231866) / Open Development Cambodia, CC BY 4.0';
export const SHAPE_LICENCE = { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' } as const;
export const SHAPE_SOURCE =
  'geoBoundaries gbOpen KHM ADM2/ADM3 (boundary year 2014) from Open Development Cambodia, joined to the Pumi gazetteer (MIT) and simplified: see server/geo/README.md';

export interface StoredShape {
  code: string;
  level: 'province' | 'district' | 'commune';
  name_en: string;
  name_km: string;
  geometry: Polygon | MultiPolygon;
}

let byCode: Map<string, StoredShape> | undefined;

function load(): Map<string, StoredShape> {
  const shapes = new Map<string, StoredShape>();
  const read = (file: string) => JSON.parse(readFileSync(new URL(file, SHAPES_DIR), 'utf8')) as Topology;
  const add = (topology: Topology, object: string, level: StoredShape['level']) => {
    const collection = feature(topology as never, topology.objects[object] as never) as unknown as {
      features: Feature<Polygon | MultiPolygon, { code: string | null; en: string; km: string }>[];
    };
    for (const f of collection.features) {
      if (f.properties.code) shapes.set(f.properties.code, { code: f.properties.code, level, name_en: f.properties.en, name_km: f.properties.km, geometry: f.geometry });
    }
  };
  const districts = read('cambodia-districts.topo.json');
  add(districts, 'provinces', 'province');
  add(districts, 'districts', 'district');
  add(read('cambodia-communes.topo.json'), 'communes', 'commune');
  return shapes;
}

/** The shape of the area with this gazetteer code, if the 2014 boundaries have one. */
export function shapeOf(code: string): StoredShape | undefined {
  byCode ??= load();
  return byCode.get(code);
}
