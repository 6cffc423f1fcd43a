/**
 * The properties of each area in the shipped TopoJSON files: written by build-shapes.cli.ts, read by the map view
 * (web/src/lib/map/map-shapes.ts). Types only: nothing of it runs.
 */
/** What each drawn area carries: its code (null when the shape matched none), names, and where it belongs. */
export interface AreaProperties {
  code: string | null;
  en: string;
  km: string;
  /** Province code (districts, provinces) or district code (communes) it is drawn in. */
  in: string | null;
  /** The shape's own name in the boundaries file (shapes only). */
  shape?: string;
  /** Points: where the position comes from. */
  at?: 'gazetteer' | 'communes';
}
