/**
 * API records → Cytoscape elements, as pure functions (no DOM, no Cytoscape instance): the explorer's graph
 * model, merging pages of records into it without duplicates, the captions drawn on the canvas in either
 * language, and the plan that brings a drawn graph in line with the model.
 */
import type { ElementDefinition } from 'cytoscape';
import type { GraphLink, GraphNode, Label, LinkType } from '../../../../server/schema/graph.schema.ts';
import { LINK_TYPE_NAMES } from '../../../../server/schema/graph.model.ts';
import { translate, type Lang } from '../i18n.ts';

/** The part of the knowledge graph the explorer holds: nodes and links by id. Never mutated; replaced. */
export interface ExplorerGraph {
  readonly nodes: ReadonlyMap<string, GraphNode>;
  readonly links: ReadonlyMap<string, GraphLink>;
}

export const EMPTY_GRAPH: ExplorerGraph = { nodes: new Map(), links: new Map() };

export interface MergeResult {
  graph: ExplorerGraph;
  /** Ids of nodes that were not in the graph before, in the order they came. */
  addedNodes: string[];
  addedLinks: string[];
}

/**
 * The graph with `nodes` and `links` added. A record whose id is already there replaces the old one (it is the
 * newer answer) without counting as added. A link is kept only when both its ends are in the result.
 */
export function mergeRecords(
  graph: ExplorerGraph,
  nodes: readonly GraphNode[],
  links: readonly GraphLink[],
): MergeResult {
  const nextNodes = new Map(graph.nodes);
  const nextLinks = new Map(graph.links);
  const addedNodes: string[] = [];
  const addedLinks: string[] = [];
  for (const node of nodes) {
    if (!nextNodes.has(node.id)) addedNodes.push(node.id);
    nextNodes.set(node.id, node);
  }
  for (const link of links) {
    if (!nextNodes.has(link.from) || !nextNodes.has(link.to)) continue;
    if (!nextLinks.has(link.id)) addedLinks.push(link.id);
    nextLinks.set(link.id, link);
  }
  return { graph: { nodes: nextNodes, links: nextLinks }, addedNodes, addedLinks };
}

// ---------------------------------------------------------------------------------------------------------------
// Names and captions

type Named = Pick<GraphNode, 'id' | 'name_en' | 'name_km'> & { acronym?: string; acronym_km?: string };

/** The node's name in `lang`, else in the other language, else its id. */
export function nodeName(node: Named, lang: Lang): string {
  const own = lang === 'km' ? node.name_km : node.name_en;
  const other = lang === 'km' ? node.name_en : node.name_km;
  return own?.trim() || other?.trim() || node.id;
}

const KHMER = /[\u1780-\u17FF\u19E0-\u19FF]/;
const ZWSP = '\u200B';

/** Names longer than this (in grapheme clusters) are drawn as their acronym when they have one. */
export const LONG_NAME = 30;
/** Captions are cut (with an ellipsis) after this many characters (grapheme clusters). */
export const MAX_CAPTION = 48;

let khmerWords: Intl.Segmenter | undefined;
let graphemes: Intl.Segmenter | undefined;

/**
 * Khmer writes no spaces between words, so a canvas label could only wrap at the few spaces there are. This puts
 * a zero-width space (which Cytoscape wraps at, and which draws as nothing) between the words of Khmer runs, as
 * found by the platform's Khmer word segmenter. Text without Khmer is returned as it is.
 */
export function withBreakHints(text: string): string {
  if (!KHMER.test(text)) return text;
  khmerWords ??= new Intl.Segmenter('km', { granularity: 'word' });
  let out = '';
  let previous = '';
  for (const { segment } of khmerWords.segment(text)) {
    if (out && KHMER.test(previous.slice(-1)) && KHMER.test(segment.charAt(0))) out += ZWSP;
    out += segment;
    previous = segment;
  }
  return out;
}

/** At most `max` grapheme clusters of `text`, ending in "…" when cut (never inside a Khmer cluster). */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text; // never more clusters than UTF-16 code units
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const clusters = Array.from(graphemes.segment(text), (s) => s.segment);
  if (clusters.length <= max) return text;
  return `${clusters.slice(0, max - 1).join('').trimEnd()}…`;
}

function graphemeCount(text: string): number {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let count = 0;
  for (const _ of graphemes.segment(text)) count += 1;
  return count;
}

/**
 * The short name drawn under a node: the name, or the acronym in the same language when the name is long (a
 * Latin acronym is not used for a Khmer caption, so switching language visibly changes every caption), cut to
 * MAX_CAPTION.
 */
export function nodeShortName(node: Named, lang: Lang): string {
  const name = nodeName(node, lang);
  const acronym = (lang === 'km' ? node.acronym_km : node.acronym)?.trim();
  // A text has at most as many clusters as UTF-16 code units: count them only when it may be long.
  const short = acronym && name.length > LONG_NAME && graphemeCount(name) > LONG_NAME ? acronym : name;
  return shorten(short, MAX_CAPTION);
}

/** The text drawn under a node, with wrap hints, and a second line "+N more" when it has neighbours not shown. */
export function nodeCaption(node: Named, lang: Lang, more = 0): string {
  const caption = withBreakHints(nodeShortName(node, lang));
  return more > 0 ? `${caption}\n${translate(lang, 'graph.more', { n: more })}` : caption;
}

export function linkTypeName(type: LinkType, lang: Lang): string {
  return LINK_TYPE_NAMES[type][lang];
}

// ---------------------------------------------------------------------------------------------------------------
// Elements

/** Edge ids are prefixed so that a link id can never clash with a node id (Cytoscape shares one id space). */
export const EDGE_PREFIX = 'link:';

export function edgeId(linkId: string): string {
  return EDGE_PREFIX + linkId;
}

export interface NodeData {
  id: string;
  /** The graph node drawn; differs from `id` for a copy (a Lineage chip), empty for a decoration. */
  ref: string;
  label: Label;
  caption: string;
  /** The full name in the current language (tooltips, accessible names). */
  name: string;
  more: number;
  [key: string]: string | number;
}

export interface EdgeData {
  id: string;
  source: string;
  target: string;
  linkId: string;
  type: LinkType;
  caption: string;
  draft: boolean;
  [key: string]: string | boolean;
}

export interface NodeElement extends ElementDefinition {
  group: 'nodes';
  data: NodeData;
  classes: string;
}

export interface EdgeElement extends ElementDefinition {
  group: 'edges';
  data: EdgeData;
  classes: string;
}

export type GraphElement = NodeElement | EdgeElement;

/** What a view adds to a node element: another id (a copy), classes, data (sizes), another caption. */
export interface NodeExtras {
  id?: string;
  classes?: readonly string[];
  data?: Readonly<Record<string, string | number>>;
  caption?: string;
}

export function toNodeElement(node: GraphNode, lang: Lang, more = 0, extras: NodeExtras = {}): NodeElement {
  const classes = [node.label, ...(more > 0 ? ['has-more'] : []), ...(extras.classes ?? [])];
  return {
    group: 'nodes',
    data: {
      ...extras.data,
      id: extras.id ?? node.id,
      ref: node.id,
      label: node.label,
      caption: extras.caption ?? nodeCaption(node, lang, more),
      name: nodeName(node, lang),
      more,
    },
    classes: classes.join(' '),
  };
}

export function toEdgeElement(link: GraphLink, lang: Lang, ends?: { source?: string; target?: string; classes?: readonly string[] }): EdgeElement {
  const draft = link.draft === true || link.sources.length === 0;
  const classes = [link.type, ...(draft ? ['draft'] : []), ...(ends?.classes ?? [])];
  return {
    group: 'edges',
    data: {
      id: edgeId(link.id),
      source: ends?.source ?? link.from,
      target: ends?.target ?? link.to,
      linkId: link.id,
      type: link.type,
      caption: linkTypeName(link.type, lang),
      draft,
    },
    classes: classes.join(' '),
  };
}

/**
 * Every element of the graph in `lang`: nodes first, then the links whose two ends are present. `more` gives, by
 * node id, how many of its neighbours are known to exist but are not shown yet.
 */
export function buildElements(
  graph: ExplorerGraph,
  lang: Lang,
  more: ReadonlyMap<string, number> = new Map(),
): GraphElement[] {
  const elements: GraphElement[] = [];
  for (const node of graph.nodes.values()) elements.push(toNodeElement(node, lang, more.get(node.id) ?? 0));
  for (const link of graph.links.values()) {
    if (graph.nodes.has(link.from) && graph.nodes.has(link.to)) elements.push(toEdgeElement(link, lang));
  }
  return elements;
}

// ---------------------------------------------------------------------------------------------------------------
// Bringing a drawn graph in line with the model

/** What is drawn now, by element id. */
export interface DrawnElement {
  data: Readonly<Record<string, unknown>>;
  classes: string;
}

export interface SyncPlan {
  add: GraphElement[];
  remove: string[];
  update: { id: string; data: GraphElement['data']; classes: string }[];
}

function sameEnds(drawn: Readonly<Record<string, unknown>>, wanted: EdgeData): boolean {
  return drawn.source === wanted.source && drawn.target === wanted.target;
}

function sameData(drawn: Readonly<Record<string, unknown>>, wanted: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(wanted).every(([key, value]) => drawn[key] === value);
}

/** Classes the view adds and removes itself (selection highlight, hover); the model's classes never use them. */
export const VIEW_CLASSES: ReadonlySet<string> = new Set(['highlight', 'labelled', 'neighbour', 'hover', 'on-path', 'off-path', 'same-ref']);

function modelClasses(classes: string): string {
  return classes
    .split(/\s+/)
    .filter((name) => name && !VIEW_CLASSES.has(name))
    .sort()
    .join(' ');
}

function sameClasses(drawn: string, wanted: string): boolean {
  return modelClasses(drawn) === modelClasses(wanted);
}

/** The additions, removals and data/class updates that turn `drawn` into `wanted` (view classes aside). */
export function planSync(drawn: ReadonlyMap<string, DrawnElement>, wanted: readonly GraphElement[]): SyncPlan {
  const plan: SyncPlan = { add: [], remove: [], update: [] };
  const wantedIds = new Set<string>();
  for (const element of wanted) {
    const id = element.data.id;
    wantedIds.add(id);
    const current = drawn.get(id);
    if (!current) plan.add.push(element);
    else if (element.group === 'edges' && !sameEnds(current.data, element.data)) {
      // Cytoscape cannot move an edge's ends: replace it.
      plan.remove.push(id);
      plan.add.push(element);
    } else if (!sameData(current.data, element.data) || !sameClasses(current.classes, element.classes)) {
      plan.update.push({ id, data: element.data, classes: element.classes });
    }
  }
  for (const id of drawn.keys()) if (!wantedIds.has(id)) plan.remove.push(id);
  return plan;
}
