/**
 * Map: administrative areas at their coordinates (no tiles; works offline). The province with the most areas
 * drawn inside it is the map: its districts and municipality projected from latitude and longitude, the province
 * itself a shaded region behind them. Programmes stand in a column on the left and link to where they work
 * (WORKS_IN); organisations located in an area, and areas elsewhere (another province, or without
 * coordinates), stand in a column on the right. Programmes and organisations tied to no place are left out.
 */
import type { GraphNode } from '../../../../server/schema/graph.schema.ts';
import { nodeName, toEdgeElement, toNodeElement, type ExplorerGraph, type GraphElement } from '../graph/elements.ts';
import { periodOf } from '../scene/scene-filter.ts';
import { degreeWeights, positionsKey, ruleExtras, type Point, type ViewModel, type ViewOptions } from './view-model.ts';

/** Model pixels per degree of latitude. */
export const PX_PER_DEGREE = 720;
const REGION_MARGIN = 70;
const COLUMN_GAP = 300;
const SLOT = 86;

type Area = Extract<GraphNode, { label: 'AdminArea' }>;

const isArea = (node: GraphNode | undefined): node is Area => node?.label === 'AdminArea';
const hasCoordinates = (area: Area): area is Area & { lat: number; lon: number } => typeof area.lat === 'number' && typeof area.lon === 'number';

/** Equirectangular projection around `origin` (fine at the scale of a province): east is +x, north is -y. */
export function project(at: { lat: number; lon: number }, origin: { lat: number; lon: number }): Point {
  const cos = Math.cos((origin.lat * Math.PI) / 180);
  return { x: (at.lon - origin.lon) * PX_PER_DEGREE * cos, y: (origin.lat - at.lat) * PX_PER_DEGREE };
}

/** The province drawn as the map, and the areas inside it (PART_OF, at any depth). */
export function mapRegion(graph: ExplorerGraph): { province: Area | undefined; inside: Set<string> } {
  const children = new Map<string, string[]>();
  for (const link of graph.links.values()) {
    if (link.type !== 'PART_OF' || !isArea(graph.nodes.get(link.from)) || !isArea(graph.nodes.get(link.to))) continue;
    children.set(link.to, [...(children.get(link.to) ?? []), link.from]);
  }
  const descendants = (id: string, into = new Set<string>()): Set<string> => {
    for (const child of children.get(id) ?? []) {
      if (into.has(child)) continue;
      into.add(child);
      descendants(child, into);
    }
    return into;
  };
  let province: Area | undefined;
  let inside = new Set<string>();
  for (const node of graph.nodes.values()) {
    if (!isArea(node) || node.level !== 'province') continue;
    const mine = descendants(node.id);
    if (mine.size > inside.size) {
      province = node;
      inside = mine;
    }
  }
  return { province, inside };
}

/** The map's scene: areas, and only the programmes and organisations linked to one (WORKS_IN, LOCATED_IN). */
export function placedOnly(graph: ExplorerGraph): ExplorerGraph {
  const placed = new Set<string>();
  for (const link of graph.links.values()) {
    if ((link.type === 'WORKS_IN' || link.type === 'LOCATED_IN') && isArea(graph.nodes.get(link.to))) placed.add(link.from);
  }
  const nodes = new Map([...graph.nodes].filter(([id, node]) => node.label === 'AdminArea' || placed.has(id)));
  const links = new Map([...graph.links].filter(([, link]) => nodes.has(link.from) && nodes.has(link.to)));
  return { nodes, links };
}

export function mapView(graph: ExplorerGraph, options: ViewOptions, now: number): ViewModel {
  const weights = options.size === 'degree' ? degreeWeights(graph) : undefined;
  const { province, inside } = mapRegion(graph);
  const onMap = [...graph.nodes.values()].filter(
    (n): n is Area & { lat: number; lon: number } => isArea(n) && hasCoordinates(n) && (province ? inside.has(n.id) : n.level !== 'province'),
  );
  const positions = new Map<string, Point>();
  if (onMap.length > 0) {
    const origin = {
      lat: onMap.reduce((sum, a) => sum + a.lat, 0) / onMap.length,
      lon: onMap.reduce((sum, a) => sum + a.lon, 0) / onMap.length,
    };
    for (const area of onMap) positions.set(area.id, project(area, origin));
  }
  const xs = [...positions.values()].map((p) => p.x);
  const ys = [...positions.values()].map((p) => p.y);
  const box = xs.length > 0 ? { x1: Math.min(...xs), x2: Math.max(...xs), y1: Math.min(...ys), y2: Math.max(...ys) } : { x1: 0, x2: 600, y1: 0, y2: 400 };

  const elements: GraphElement[] = [];
  const extras = (node: GraphNode) => ruleExtras(node, options, weights);
  if (province) {
    const w = box.x2 - box.x1 + 2 * REGION_MARGIN;
    const h = box.y2 - box.y1 + 2 * REGION_MARGIN;
    const { classes, data } = extras(province);
    elements.push(toNodeElement(province, options.lang, 0, { classes: ['region', ...classes.filter((c) => c !== 'sized')], data: { ...data, w: Math.round(w), h: Math.round(h) } }));
    positions.set(province.id, { x: (box.x1 + box.x2) / 2, y: (box.y1 + box.y2) / 2 });
  }

  // A column of programmes on the left; organisations, then areas elsewhere, in a column on the right.
  const byStart = (a: GraphNode, b: GraphNode) =>
    (periodOf(a as { start?: string }, now)?.from ?? Infinity) - (periodOf(b as { start?: string }, now)?.from ?? Infinity) ||
    nodeName(a, 'en').localeCompare(nodeName(b, 'en'));
  const rest = [...graph.nodes.values()].filter((n) => !positions.has(n.id));
  const programmes = rest.filter((n) => n.label === 'Programme').sort(byStart);
  const elsewhere = rest.filter((n) => n.label === 'AdminArea').sort((a, b) => nodeName(a, 'en').localeCompare(nodeName(b, 'en')));
  const others = rest.filter((n) => n.label !== 'Programme' && n.label !== 'AdminArea').sort(byStart);
  const top = province ? box.y1 - REGION_MARGIN : box.y1;
  const bottom = province ? box.y2 + REGION_MARGIN : box.y2;
  const column = (nodes: GraphNode[], x: number) => {
    const gap = nodes.length > 1 ? Math.max(SLOT, (bottom - top) / (nodes.length - 1)) : 0;
    const start = (top + bottom) / 2 - (gap * (nodes.length - 1)) / 2;
    nodes.forEach((node, i) => positions.set(node.id, { x, y: start + i * gap }));
  };
  column(programmes, (province ? box.x1 - REGION_MARGIN : box.x1) - COLUMN_GAP);
  column([...others, ...elsewhere], (province ? box.x2 + REGION_MARGIN : box.x2) + COLUMN_GAP);

  const away = new Set(elsewhere.map((node) => node.id));
  for (const node of graph.nodes.values()) {
    if (node.id === province?.id) continue;
    const { classes, data } = extras(node);
    if (away.has(node.id)) classes.push('elsewhere');
    elements.push(toNodeElement(node, options.lang, 0, { classes, data }));
  }
  let links = 0;
  for (const link of graph.links.values()) {
    // Membership of the province is drawn by the region, and phases of programmes do not belong on a map: those
    // links are kept (list, exports) but not drawn.
    const membership =
      link.type === 'PART_OF' &&
      ((inside.has(link.from) && (link.to === province?.id || inside.has(link.to))) || graph.nodes.get(link.from)?.label === 'Programme');
    elements.push(toEdgeElement(link, options.lang, { classes: membership ? ['membership'] : [] }));
    links += 1;
  }
  return {
    elements,
    layout: { kind: 'preset', positions },
    layoutKey: `map:${positionsKey(positions)}`,
    nodeCount: graph.nodes.size,
    linkCount: links,
  };
}
