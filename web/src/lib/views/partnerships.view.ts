/**
 * Partnerships: who funds, implements and partners with which programme. Three columns — funders on the left,
 * programmes in the middle (by start year), implementers and partners on the right — with edges coloured (and
 * dashed differently) by role. Organisations are ordered by the mean row of their programmes, so that lines
 * cross little. Large scenes fall back to a force layout in a worker.
 */
import type { GraphNode } from '../../../../server/schema/graph.schema.ts';
import { nodeName, toEdgeElement, toNodeElement, type ExplorerGraph, type GraphElement } from '../graph/elements.ts';
import { periodOf } from '../scene/scene-filter.ts';
import { LANES, laneOfKind } from './lineage-lanes.ts';
import { READABLE_ZOOM } from './lineage.view.ts';
import { degreeWeights, hubClasses, hubsOf, positionsKey, ruleExtras, WORKER_LAYOUT_FROM, type Point, type ViewModel, type ViewOptions } from './view-model.ts';

export { PARTNERSHIP_TYPES } from './view-model.ts';

export const COLUMN_GAP = 440;
/** Rows apart: Khmer names wrap to more (and taller) lines than English ones. */
export const ROW_GAP = { en: 92, km: 132 } as const;
const MIN_ORG_GAP = { en: 74, km: 104 } as const;

export type PartnerColumn = 'funders' | 'programmes' | 'partners';

/** The column of each node: an organisation goes where most of its links say (funding wins a tie). */
export function partnershipColumns(graph: ExplorerGraph): Map<string, PartnerColumn> {
  const funds = new Map<string, number>();
  const works = new Map<string, number>();
  for (const link of graph.links.values()) {
    const counts = link.type === 'FUNDED_BY' ? funds : link.type === 'IMPLEMENTED_BY' || link.type === 'PARTNERS_WITH' ? works : undefined;
    counts?.set(link.to, (counts.get(link.to) ?? 0) + 1);
  }
  const columns = new Map<string, PartnerColumn>();
  for (const node of graph.nodes.values()) {
    if (node.label === 'Programme') columns.set(node.id, 'programmes');
    else columns.set(node.id, (funds.get(node.id) ?? 0) >= (works.get(node.id) ?? 0) && (funds.get(node.id) ?? 0) > 0 ? 'funders' : 'partners');
  }
  return columns;
}

export function partnershipsView(graph: ExplorerGraph, options: ViewOptions, now: number): ViewModel {
  const weights = options.size === 'degree' ? degreeWeights(graph) : undefined;
  const elements: GraphElement[] = [];
  for (const node of graph.nodes.values()) {
    const { classes, data } = ruleExtras(node, options, weights);
    elements.push(toNodeElement(node, options.lang, 0, { classes, data }));
  }
  const hubs = graph.nodes.size > WORKER_LAYOUT_FROM ? new Set<string>() : hubsOf(graph);
  for (const link of graph.links.values()) elements.push(toEdgeElement(link, options.lang, { classes: hubClasses(link, hubs) }));

  if (graph.nodes.size > WORKER_LAYOUT_FROM) {
    return { elements, layout: { kind: 'force' }, layoutKey: 'partnerships:force', nodeCount: graph.nodes.size, linkCount: graph.links.size };
  }

  const columns = partnershipColumns(graph);
  const start = (node: GraphNode) => periodOf(node as { start?: string }, now)?.from ?? Infinity;
  const lane = (node: GraphNode) => LANES.indexOf(laneOfKind((node as { kind?: string }).kind));
  const programmes = [...graph.nodes.values()]
    .filter((n) => columns.get(n.id) === 'programmes')
    // National programmes and plans first, then funds, donor projects and the rest; each by start.
    .sort((a, b) => lane(a) - lane(b) || start(a) - start(b) || nodeName(a, 'en').localeCompare(nodeName(b, 'en')));
  const row = new Map(programmes.map((p, i) => [p.id, i]));
  const positions = new Map<string, Point>();
  const rowGap = ROW_GAP[options.lang];
  programmes.forEach((p, i) => positions.set(p.id, { x: COLUMN_GAP, y: i * rowGap }));
  const height = Math.max(programmes.length - 1, 1) * rowGap;

  const linkedRows = new Map<string, number[]>();
  for (const link of graph.links.values()) {
    const r = row.get(link.from);
    if (r === undefined || columns.get(link.to) === 'programmes') continue;
    linkedRows.set(link.to, [...(linkedRows.get(link.to) ?? []), r]);
  }
  const barycentre = (id: string) => {
    const rows = linkedRows.get(id);
    return rows && rows.length > 0 ? rows.reduce((a, b) => a + b, 0) / rows.length : Infinity;
  };
  for (const [column, x] of [
    ['funders', 0],
    ['partners', 2 * COLUMN_GAP],
  ] as const) {
    const orgs = [...graph.nodes.values()]
      .filter((n) => columns.get(n.id) === column)
      .sort((a, b) => barycentre(a.id) - barycentre(b.id) || nodeName(a, 'en').localeCompare(nodeName(b, 'en')));
    const gap = orgs.length > 1 ? Math.max(MIN_ORG_GAP[options.lang], height / (orgs.length - 1)) : 0;
    const total = gap * Math.max(orgs.length - 1, 0);
    orgs.forEach((org, i) => positions.set(org.id, { x, y: height / 2 - total / 2 + i * gap }));
  }
  const top = Math.min(...[...positions.values()].map((p) => p.y));
  return {
    elements,
    // Fitted when it fits at a readable zoom; else the top of the three columns, readable, the rest a scroll away.
    layout: { kind: 'preset', positions, start: { zoom: READABLE_ZOOM, at: { x: -160, y: top - 40 } } },
    layoutKey: `partnerships:${positionsKey(positions)}`,
    nodeCount: graph.nodes.size,
    linkCount: graph.links.size,
  };
}
