/**
 * Viewport fitting: the zoom and pan that bring points or a node with its neighbours into view, zooming by the
 * tools and the keyboard. The arithmetic is pure (tested headless); the functions taking a Cytoscape core apply it.
 */
import type { Core, NodeSingular } from 'cytoscape';
import type { Point } from '../views/view-model.ts';

/** The largest zoom used when bringing a node and its neighbours into view. */
export const FOCUS_MAX_ZOOM = 1.25;
/** The padding around the graph when it is fitted to the screen. */
export const FIT_PADDING = 40;

export interface Size {
  width: number;
  height: number;
}

export interface Bounds {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Viewport {
  zoom: number;
  pan: Point;
}

/** The box around points (x1 = Infinity when there are none). */
export function pointBounds(points: Iterable<Point>): Bounds {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const p of points) {
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x);
    y2 = Math.max(y2, p.y);
  }
  return { x1, y1, x2, y2 };
}

/** The zoom at which a box `w` × `h` fits the screen inside `padding`. */
function zoomToFit(size: Size, w: number, h: number, padding: number): number {
  return Math.min((size.width - 2 * padding) / Math.max(w, 1), (size.height - 2 * padding) / Math.max(h, 1));
}

/** The zoom at which points fit the screen (Infinity when there are none). */
export function fitZoom(size: Size, points: Iterable<Point>, padding: number): number {
  const { x1, y1, x2, y2 } = pointBounds(points);
  if (!Number.isFinite(x1)) return Infinity;
  return zoomToFit(size, x2 - x1, y2 - y1, padding);
}

/** The viewport that centres points on the screen, zoomed to fit (at most 1.5, at least `minZoom`); null when there are none. */
export function viewportForPoints(size: Size, points: Iterable<Point>, minZoom: number, padding = FIT_PADDING): Viewport | null {
  const { x1, y1, x2, y2 } = pointBounds(points);
  if (!Number.isFinite(x1)) return null;
  const zoom = Math.max(minZoom, Math.min(1.5, zoomToFit(size, x2 - x1, y2 - y1, padding)));
  return { zoom, pan: { x: size.width / 2 - ((x1 + x2) / 2) * zoom, y: size.height / 2 - ((y1 + y2) / 2) * zoom } };
}

/**
 * A preset view opened at a readable zoom: `at` top left, below the tools that float over the top of the view
 * (`top`: where they end, in rendered pixels; on a phone they take two rows of finger-sized buttons).
 */
export function readableViewport(start: { zoom: number; at: Point }, top = 52): Viewport {
  return { zoom: start.zoom, pan: { x: 16 - start.at.x * start.zoom, y: top - start.at.y * start.zoom } };
}

/** The zoom that shows a box of `w` × `h` (a node and its neighbours), never closer than FOCUS_MAX_ZOOM. */
export function focusZoom(size: Size, box: { w: number; h: number }, minZoom: number, padding = 60): number {
  return Math.max(Math.min(FOCUS_MAX_ZOOM, zoomToFit(size, box.w, box.h, padding)), minZoom);
}

/** True when a rendered point is off the screen. */
export function offScreen(size: Size, p: Point): boolean {
  return p.x < 0 || p.y < 0 || p.x > size.width || p.y > size.height;
}

const sizeOf = (core: Core): Size => ({ width: core.width(), height: core.height() });

/**
 * Fits the viewport to node positions without asking Cytoscape for bounding boxes (which would style and
 * measure every element at once; the first frame does that anyway).
 */
export function fitToPoints(core: Core, points: Iterable<Point>): void {
  const viewport = viewportForPoints(sizeOf(core), points, core.minZoom());
  if (viewport) core.viewport(viewport);
}

/** True when every element is on the screen of the size Cytoscape last measured (read before `resize()`). */
export function wholeInView(core: Core): boolean {
  if (core.destroyed() || core.elements().empty()) return false;
  const box = core.elements().renderedBoundingBox();
  return box.x1 >= 0 && box.y1 >= 0 && box.x2 <= core.width() && box.y2 <= core.height();
}

/** Fits the whole graph to the screen when part of it is off screen (e.g. after longer captions). */
export function fitIfOverflowing(core: Core): void {
  if (core.destroyed()) return;
  const box = core.elements().renderedBoundingBox();
  if (box.x1 < 0 || box.y1 < 0 || box.x2 > core.width() || box.y2 > core.height()) fitAll(core);
}

export function fitAll(core: Core): void {
  core.animate({ fit: { eles: core.elements(), padding: FIT_PADDING } }, { duration: 300 });
}

/** Zooms about the centre of the screen. */
export function zoomBy(core: Core, factor: number): void {
  core.zoom({ level: core.zoom() * factor, renderedPosition: { x: core.width() / 2, y: core.height() / 2 } });
}

/** Shows a node with its neighbours (decorations left out). */
export function focusOn(core: Core, node: NodeSingular): void {
  const eles = node.closedNeighborhood().filter((e) => !e.hasClass('deco'));
  const box = eles.boundingBox();
  core.animate({ zoom: focusZoom(sizeOf(core), box, core.minZoom()), center: { eles } }, { duration: 350 });
}

/** Centres a node that is off the screen (keyboard moves). */
export function revealNode(core: Core, node: NodeSingular): void {
  if (offScreen(sizeOf(core), node.renderedPosition())) core.animate({ center: { eles: node } }, { duration: 200 });
}
