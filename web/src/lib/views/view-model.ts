/**
 * What a graph view hands to the drawing: its elements (graph nodes and links, copies, decorations such as a
 * year ruler) and how to place them. Built by pure functions, one module per view.
 */
import type { GraphNode, LinkType } from '../../../../server/schema/graph.schema.ts';
import type { ExplorerGraph, GraphElement, NodeElement } from '../graph/elements.ts';
import type { Lang } from '../i18n.ts';
import type { ColourRule, SizeRule } from '../scene/scene-state.ts';
import type { LaneKey } from './lineage-lanes.ts';

/** The relationship types of a partnership scene. */
export const PARTNERSHIP_TYPES: readonly LinkType[] = ['FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH'];

export interface Point {
  x: number;
  y: number;
}

export type LayoutPlan =
  /**
   * Positions worked out by the view (years, coordinates, columns). Fitted to the screen, unless fitting would
   * zoom out below `start.zoom` (text too small to read): then drawn at that zoom with `start.at` top left.
   */
  | { kind: 'preset'; positions: ReadonlyMap<string, Point>; start?: { zoom: number; at: Point } }
  /** Force-directed on the main thread (small scenes; keeps labels apart). */
  | { kind: 'fcose' }
  /** Force-directed in a Web Worker (large scenes). */
  | { kind: 'force' }
  /** Layered along succession, right to left (dagre). */
  | { kind: 'dagre' };

export interface ViewModel {
  elements: GraphElement[];
  layout: LayoutPlan;
  /**
   * When it changes, the layout runs again from scratch; otherwise a force layout only makes room for new nodes
   * and preset positions are applied when they moved.
   */
  layoutKey: string;
  /** Graph nodes drawn (copies and decorations not counted). */
  nodeCount: number;
  linkCount: number;
  /** Lineage: its swimlanes, top to bottom, with the programmes in each (for the lane toggles). */
  lanes?: readonly LaneSummary[];
}

export interface LaneSummary {
  key: LaneKey;
  count: number;
  folded: boolean;
}

export interface ViewOptions {
  lang: Lang;
  size: SizeRule;
  colour: ColourRule;
}

/** Scenes with more nodes than this are laid out in a worker. */
export const WORKER_LAYOUT_FROM = 400;

/** Class names for the "colour by detail" rule: organisation type, programme status, administrative level. */
export function detailClass(node: GraphNode): string | undefined {
  switch (node.label) {
    case 'Organisation':
      return `d-${node.type}`;
    case 'Programme':
      return node.status ? `d-${node.status}` : undefined;
    case 'AdminArea':
      return `d-${node.level}`;
    default:
      return undefined;
  }
}

/** By node id: 0 … 1, the square root of its degree in `graph` over the largest one. */
export function degreeWeights(graph: ExplorerGraph): Map<string, number> {
  const degree = new Map<string, number>();
  for (const link of graph.links.values()) {
    degree.set(link.from, (degree.get(link.from) ?? 0) + 1);
    degree.set(link.to, (degree.get(link.to) ?? 0) + 1);
  }
  const max = Math.max(1, ...degree.values());
  const weights = new Map<string, number>();
  for (const id of graph.nodes.keys()) weights.set(id, Math.sqrt((degree.get(id) ?? 0) / max));
  return weights;
}

/** Classes and data that the styling rules add to a node element. */
export function ruleExtras(node: GraphNode, options: ViewOptions, weights: ReadonlyMap<string, number> | undefined): { classes: string[]; data: Record<string, number> } {
  const classes: string[] = [];
  const data: Record<string, number> = {};
  if (options.colour === 'detail') {
    const detail = detailClass(node);
    if (detail) classes.push(detail);
  }
  if (options.size === 'degree' && weights) {
    classes.push('sized');
    data.weight = Math.round((weights.get(node.id) ?? 0) * 1000) / 1000;
  }
  return { classes, data };
}

/** A node with at least this many links drawn is a hub (NCDD in the whole field has dozens). */
export const HUB_LINKS = 12;

/**
 * The hubs of a scene: nodes with at least HUB_LINKS links in it. Their links are drawn thin and faint (the fan
 * of a hub otherwise hides everything behind it) until the hub or the other end is selected.
 */
export function hubsOf(graph: ExplorerGraph, min = HUB_LINKS): Set<string> {
  const degree = new Map<string, number>();
  for (const link of graph.links.values()) {
    degree.set(link.from, (degree.get(link.from) ?? 0) + 1);
    degree.set(link.to, (degree.get(link.to) ?? 0) + 1);
  }
  return new Set([...degree].filter(([, n]) => n >= min).map(([id]) => id));
}

/** Edge classes for a link at a hub (none in large scenes, whose links are faint already). */
export function hubClasses(link: { from: string; to: string }, hubs: ReadonlySet<string>): string[] {
  return hubs.has(link.from) || hubs.has(link.to) ? ['hub-edge'] : [];
}

/** A node that is drawn but is not part of the graph (ruler ticks, bands, regions). */
export function decoration(id: string, caption: string, classes: readonly string[], data: Record<string, string | number> = {}): NodeElement {
  return {
    group: 'nodes',
    data: { ...data, id, ref: '', label: 'Topic', caption, name: caption, more: 0 },
    classes: ['deco', ...classes].join(' '),
    selectable: false,
    grabbable: false,
    pannable: true,
  };
}

export function isDecoration(element: GraphElement): boolean {
  return element.group === 'nodes' && element.data.ref === '';
}

/** A cheap fingerprint of positions, so that the same picture is not laid out twice. */
export function positionsKey(positions: ReadonlyMap<string, Point>): string {
  let hash = 0;
  for (const [id, p] of positions) {
    const text = `${id}:${Math.round(p.x)}:${Math.round(p.y)};`;
    for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  }
  return `${positions.size}:${hash >>> 0}`;
}
