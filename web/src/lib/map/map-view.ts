/**
 * The Map view's pure parts (web/src/components/MapView.svelte draws with them): names in the language shown, the
 * area chosen and its breadcrumb, fitting bounds to the stage, the colour of a shape and the legend. No DOM, no
 * Svelte state: tested headless (tests/unit/web/map-view.test.ts).
 */
import type { ExplorerGraph } from '../graph/elements.ts';
import { nodeName } from '../graph/elements.ts';
import { classText, COUNT_CLASSES, countColour, NONE_COLOUR, REACH_COLOUR, reachOf } from './presence.ts';
import { workedAreas } from './presence.ts';
import type { CountryShapes, MapShape } from './map-shapes.ts';

export type Bounds = [[number, number], [number, number]];

/** A shape's name in the language shown, else in the other. */
export function shapeName(shape: { en: string; km: string }, lang: 'en' | 'km'): string {
  return (lang === 'km' ? shape.km : shape.en) || shape.en || shape.km;
}

/** The province or district (area or point) with this key. */
export function shapeByKey(country: CountryShapes | null, key: string | undefined | null): MapShape | undefined {
  if (!key || !country) return undefined;
  return country.provinces.find((s) => s.key === key) ?? country.districts.find((s) => s.key === key) ?? country.districtPoints.find((s) => s.key === key);
}

/** The breadcrumb to an area: its province, then its district. */
export function areaTrail(country: CountryShapes | null, area: string | null): MapShape[] {
  if (!area) return [];
  const province = shapeByKey(country, area.slice(0, 5));
  const district = area.length > 5 ? shapeByKey(country, area) : undefined;
  return [province, district].filter((s): s is MapShape => s !== undefined);
}

/** The whole country's bounds in projected pixels. */
export function countryBounds(country: CountryShapes | null): Bounds {
  return [
    [0, 0],
    [country?.width ?? 1000, country?.height ?? 800],
  ];
}

/** The scale at which `bounds` fill a stage of this size (less 8 %). */
export function fitScale(bounds: Bounds, width: number, height: number): number {
  const [[x0, y0], [x1, y1]] = bounds;
  return Math.min(width / (x1 - x0), height / (y1 - y0)) * 0.92;
}

/** The zoom that centres `bounds` on the stage with `pad` around them, at most 64 times the fitting scale. */
export function fitTransform(bounds: Bounds, width: number, height: number, fitK: number, pad = 0.08): { k: number; x: number; y: number } {
  const [[x0, y0], [x1, y1]] = bounds;
  const k = Math.min(64 * fitK, (1 - 2 * pad) / Math.max((x1 - x0) / width, (y1 - y0) / height));
  return { k, x: width / 2 - (k * (x0 + x1)) / 2, y: height / 2 - (k * (y0 + y1)) / 2 };
}

/** A shape's fill: where the chosen programme or organisation works (`worked`), else by how many programmes work there. */
export function shapeFill(shape: MapShape, counts: ReadonlyMap<string, ReadonlySet<string>>, worked: ReadonlySet<string> | null): string {
  if (!shape.code) return NONE_COLOUR;
  if (worked) {
    const reach = reachOf(shape.code, worked);
    return reach ? REACH_COLOUR[reach] : NONE_COLOUR;
  }
  return countColour(counts.get(shape.code)?.size ?? 0);
}

export interface LegendText {
  here: string;
  part: string;
  none: string;
}

/** The legend's rows: reach when one programme or organisation colours the map, else the count classes. */
export function legendRows(byReach: boolean, text: LegendText): { colour: string; text: string }[] {
  if (byReach) {
    return [
      { colour: REACH_COLOUR.here, text: text.here },
      { colour: REACH_COLOUR.part, text: text.part },
      { colour: NONE_COLOUR, text: text.none },
    ];
  }
  return [{ colour: NONE_COLOUR, text: text.none }, ...COUNT_CLASSES.map((c) => ({ colour: c.colour, text: classText(c) }))];
}

export interface ColouringOption {
  id: string;
  label: 'Programme' | 'Organisation';
  name: string;
}

/** Programmes and organisations that can colour the map (they work somewhere in the graph), by name. */
export function colouringOptions(source: ExplorerGraph, lang: 'en' | 'km'): { programmes: ColouringOption[]; organisations: ColouringOption[] } {
  const options = [...source.nodes.values()]
    .filter((n) => (n.label === 'Programme' || n.label === 'Organisation') && workedAreas(source, n.id).size > 0)
    .map((n) => ({ id: n.id, label: n.label as ColouringOption['label'], name: nodeName(n, lang) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { programmes: options.filter((o) => o.label === 'Programme'), organisations: options.filter((o) => o.label === 'Organisation') };
}
