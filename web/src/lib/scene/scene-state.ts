/**
 * The scene: everything that decides what the explorer shows — the view, the selected node, what was expanded,
 * hidden or pinned, filters, the time range, the path asked for, styling rules and the language. It lives in the
 * URL, so that a copied link reopens the same scene and the browser's back and forward move between scenes.
 * Pure: parsing and writing the query string, with defaults and validation; no DOM.
 */
import { LABELS, LINK_TYPES, isLinkType, type Label, type LinkType } from '../../../../server/schema/graph.model.ts';
import type { Direction } from '../../../../server/http/api.contract.ts';
import { isLang, type Lang } from '../i18n.ts';
import { LANES, type LaneKey } from '../views/lineage-lanes.ts';

export const VIEWS = ['explore', 'lineage', 'partnerships', 'map', 'documents'] as const;
export type ViewName = (typeof VIEWS)[number];
/** The views drawn as a graph (Documents is a list). */
export const GRAPH_VIEWS: readonly ViewName[] = ['explore', 'lineage', 'partnerships', 'map'];

export function isView(value: unknown): value is ViewName {
  return typeof value === 'string' && (VIEWS as readonly string[]).includes(value);
}

/** The node the explorer opens on, and the programme whose lineage is shown by default. */
export const ROOT_ID = 'dar';
/** Links fetched by a plain expansion (double-click), and added by each "show more" of it. */
export const EXPAND_STEP = 40;
/** Links fetched by an expansion of one relationship type (context menu), and added by each "show more". */
export const TYPED_STEP = 10;
/** The API returns at most this many links per request. */
export const MAX_EXPANSION = 500;
export const YEAR_MIN = 1900;
export const YEAR_MAX = 2100;

/**
 * One expansion of a node: its links (of one type, or all) in one direction (or both), the first `limit` of them.
 * A `seed` was opened on its own (search, a link in the panel); the others grew from a node already shown, and
 * disappear when the node they grew from is collapsed.
 */
export interface Expansion {
  id: string;
  type?: LinkType;
  direction: Direction;
  limit: number;
  seed?: boolean;
}

export interface YearRange {
  from: number;
  to: number;
}

export interface Pin {
  id: string;
  x: number;
  y: number;
}

export interface PathQuery {
  from: string;
  to: string;
}

/** Node size: the same for all, or growing with the number of links drawn. */
export type SizeRule = 'none' | 'degree';
/** Node colour: by label, or by detail (organisation type, programme status, administrative level). */
export type ColourRule = 'label' | 'detail';
/** Lineage: programmes placed on a year axis, or layered by succession (dagre). */
export type LineageAxis = 'years' | 'succession';
/**
 * How large scenes are drawn: `auto` uses WebGL when the scene is large and the browser's WebGL runs on a GPU
 * (a software rasteriser draws slower than the canvas); `webgl` and `canvas` force one.
 */
export type RendererChoice = 'auto' | 'webgl' | 'canvas';
/** Map: the level of areas drawn; `auto` follows the area chosen (and the zoom). */
export const MAP_LEVELS = ['auto', 'province', 'district', 'commune'] as const;
export type MapLevel = (typeof MAP_LEVELS)[number];
/** Map: an area's id (`kh-<gazetteer code>` of a province or district). */
export const MAP_AREA = /^kh-(\d{2}|\d{4})$/;

export interface SceneState {
  view: ViewName;
  /** The selected node (side panel), if any. */
  focus: string | null;
  /** The programme whose lineage the Lineage view shows. */
  anchor: string;
  /** Explore: what was expanded, in order. */
  expansions: Expansion[];
  /** Explore: the whole graph (filtered by labels and types, capped) instead of expansions. */
  all: boolean;
  hidden: string[];
  pins: Pin[];
  /** Labels shown; null = all. */
  labels: Label[] | null;
  /** Relationship types shown; null = all. */
  types: LinkType[] | null;
  /** Programmes active in these years (inclusive); null = any time. */
  years: YearRange | null;
  path: PathQuery | null;
  size: SizeRule;
  colour: ColourRule;
  axis: LineageAxis;
  /** Lineage: the swimlanes drawn folded (name and count only). */
  folded: LaneKey[];
  /** Documents view: the text filter. */
  query: string;
  renderer: RendererChoice;
  /** The UI language, when the URL says it. */
  lang: Lang | null;
  /** Map: the province or district chosen (drawn with what is inside it); null = Cambodia. */
  mapArea: string | null;
  mapLevel: MapLevel;
  /** Map: the colouring: null = how many programmes work in each area; a node id = where that programme or organisation works. */
  mapBy: string | null;
  /**
   * The version of the graph the scene is pinned to (a cited address): an audit seq ("412") or an ISO date or
   * time, as the API's `at` takes it; null = today's graph.
   */
  at: string | null;
  /** Explore and Partnerships: two periods compared (issue 17); null = none. */
  compare: ComparePeriods | null;
  /** Explore and Partnerships: what the team changed between two versions (issue 17); null = none. */
  compareVersions: CompareVersions | null;
}

/** Two versions of the graph compared, each an audit seq or an ISO date or time (as `at`). URL: cmpv=120,2026-12-02. */
export interface CompareVersions {
  from: string;
  to: string;
}

/** Two year ranges compared: what is only in `a`, only in `b`, in both. URL: cmp=2008:2012,2018:2022. */
export interface ComparePeriods {
  a: YearRange;
  b: YearRange;
}

export function defaultScene(): SceneState {
  return {
    view: 'explore',
    focus: ROOT_ID,
    anchor: ROOT_ID,
    expansions: [{ id: ROOT_ID, direction: 'both', limit: EXPAND_STEP, seed: true }],
    all: false,
    hidden: [],
    pins: [],
    labels: null,
    types: null,
    years: null,
    path: null,
    size: 'none',
    colour: 'label',
    axis: 'years',
    folded: [],
    query: '',
    renderer: 'auto',
    lang: null,
    mapArea: null,
    mapLevel: 'auto',
    mapBy: null,
    compare: null,
    compareVersions: null,
    at: null,
  };
}

/** What `at` may hold: a version number, or an ISO date or time (the server checks it further). */
const AT = /^(\d{1,15}|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?)$/;

export function isVersionAt(value: unknown): value is string {
  return typeof value === 'string' && AT.test(value);
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,119}$/;

export function isNodeId(value: unknown): value is string {
  return typeof value === 'string' && SLUG.test(value);
}

function isDirection(value: unknown): value is Direction {
  return value === 'in' || value === 'out' || value === 'both';
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

// ---------------------------------------------------------------------------------------------------------------
// Reading the URL

/** `dar` · `!dar` (seed) · `dar:FUNDED_BY:out:10` · `dar::both:80` */
export function parseExpansion(text: string): Expansion | undefined {
  const seed = text.startsWith('!');
  const [id, type, direction, limit] = (seed ? text.slice(1) : text).split(':');
  if (!isNodeId(id)) return undefined;
  if (type && !isLinkType(type)) return undefined;
  if (direction && !isDirection(direction)) return undefined;
  const expansion: Expansion = {
    id,
    direction: direction && isDirection(direction) ? direction : 'both',
    limit: clamp(Number.parseInt(limit ?? '', 10) || (type ? TYPED_STEP : EXPAND_STEP), 1, MAX_EXPANSION),
  };
  if (type && isLinkType(type)) expansion.type = type;
  if (seed) expansion.seed = true;
  return expansion;
}

export function formatExpansion(expansion: Expansion): string {
  const head = `${expansion.seed ? '!' : ''}${expansion.id}`;
  const defaultLimit = expansion.type ? TYPED_STEP : EXPAND_STEP;
  if (!expansion.type && expansion.direction === 'both' && expansion.limit === defaultLimit) return head;
  return `${head}:${expansion.type ?? ''}:${expansion.direction}:${expansion.limit}`;
}

function list(value: string | null): string[] {
  return value === null ? [] : value.split(',').map((item) => item.trim()).filter(Boolean);
}

function parseYears(value: string | null): YearRange | null {
  const match = value ? /^(\d{4}):(\d{4})$/.exec(value) : null;
  if (!match) return null;
  const a = clamp(Number(match[1]), YEAR_MIN, YEAR_MAX);
  const b = clamp(Number(match[2]), YEAR_MIN, YEAR_MAX);
  return { from: Math.min(a, b), to: Math.max(a, b) };
}

function parsePin(text: string): Pin | undefined {
  const [id, x, y] = text.split(':');
  const px = Number(x);
  const py = Number(y);
  if (!isNodeId(id) || x === undefined || y === undefined || !Number.isFinite(px) || !Number.isFinite(py)) return undefined;
  return { id, x: px, y: py };
}

function unique<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The scene a query string describes; anything missing or invalid takes its default. */
export function parseScene(search: string): SceneState {
  const params = new URLSearchParams(search);
  const scene = defaultScene();
  const view = params.get('v');
  if (isView(view)) scene.view = view;

  const focus = params.get('f');
  if (focus === '') scene.focus = null;
  else if (isNodeId(focus)) scene.focus = focus;

  const anchor = params.get('a');
  if (isNodeId(anchor)) scene.anchor = anchor;

  // x absent: the default expansion of the focus (or DAR); x present but empty: nothing expanded.
  const x = params.get('x');
  if (x !== null) {
    scene.expansions = unique(
      list(x).map(parseExpansion).filter((e): e is Expansion => e !== undefined),
      (e) => `${e.id}|${e.type ?? ''}|${e.direction}`,
    );
  } else if (scene.focus && scene.focus !== ROOT_ID) {
    scene.expansions = [{ id: scene.focus, direction: 'both', limit: EXPAND_STEP, seed: true }];
  }
  scene.all = params.get('all') === '1';
  scene.hidden = unique(list(params.get('h')).filter(isNodeId), (id) => id);
  scene.pins = unique(
    list(params.get('p')).map(parsePin).filter((p): p is Pin => p !== undefined),
    (p) => p.id,
  );

  const labels = params.get('l');
  if (labels !== null) scene.labels = LABELS.filter((label) => list(labels).includes(label));
  const types = params.get('t');
  if (types !== null) scene.types = LINK_TYPES.filter((type) => list(types).includes(type));

  scene.years = parseYears(params.get('y'));

  const [from, to] = list(params.get('path'));
  if (isNodeId(from) && isNodeId(to) && from !== to) scene.path = { from, to };

  if (params.get('size') === 'degree') scene.size = 'degree';
  if (params.get('colour') === 'detail') scene.colour = 'detail';
  if (params.get('axis') === 'succession') scene.axis = 'succession';
  const folded = list(params.get('fold'));
  scene.folded = LANES.filter((lane) => folded.includes(lane));
  scene.query = (params.get('q') ?? '').slice(0, 200);
  const renderer = params.get('renderer');
  if (renderer === 'webgl' || renderer === 'canvas') scene.renderer = renderer;
  const lang = params.get('lang');
  if (isLang(lang)) scene.lang = lang;
  const area = params.get('area');
  if (area && MAP_AREA.test(area)) scene.mapArea = area;
  const level = params.get('level');
  if ((MAP_LEVELS as readonly (string | null)[]).includes(level)) scene.mapLevel = level as MapLevel;
  const by = params.get('by');
  if (isNodeId(by)) scene.mapBy = by;
  const [a, b] = list(params.get('cmp')).map(parseYears);
  if (a && b) scene.compare = { a, b };
  const versions = list(params.get('cmpv'));
  if (versions.length === 2 && versions.every(isVersionAt)) scene.compareVersions = { from: versions[0]!, to: versions[1]! };
  const at = params.get('at');
  if (isVersionAt(at)) scene.at = at;
  return scene;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing the URL

/** Characters a query value may hold as they are (RFC 3986 allows ":" "," "!" in a query); others are escaped. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ':').replace(/%2C/gi, ',');
}

const round = (n: number) => String(Math.round(n));

/**
 * The query string (with "?") of a scene. Parameters at their defaults are left out, except the view and the
 * language, so that a link says plainly what it opens. parseScene(sceneToSearch(s)) gives s back.
 */
export function sceneToSearch(scene: SceneState): string {
  const defaults = defaultScene();
  const parts: [string, string][] = [['v', scene.view]];
  if (scene.focus !== ROOT_ID) parts.push(['f', scene.focus ?? '']);
  if (scene.anchor !== ROOT_ID) parts.push(['a', scene.anchor]);
  const expansions = scene.expansions.map(formatExpansion).join(',');
  if (expansions !== defaults.expansions.map(formatExpansion).join(',') || scene.focus !== ROOT_ID) parts.push(['x', expansions]);
  if (scene.all) parts.push(['all', '1']);
  if (scene.hidden.length > 0) parts.push(['h', scene.hidden.join(',')]);
  if (scene.pins.length > 0) parts.push(['p', scene.pins.map((p) => `${p.id}:${round(p.x)}:${round(p.y)}`).join(',')]);
  if (scene.labels) parts.push(['l', scene.labels.join(',')]);
  if (scene.types) parts.push(['t', scene.types.join(',')]);
  if (scene.years) parts.push(['y', `${scene.years.from}:${scene.years.to}`]);
  if (scene.path) parts.push(['path', `${scene.path.from},${scene.path.to}`]);
  if (scene.size !== 'none') parts.push(['size', scene.size]);
  if (scene.colour !== 'label') parts.push(['colour', scene.colour]);
  if (scene.axis !== 'years') parts.push(['axis', scene.axis]);
  if (scene.folded.length > 0) parts.push(['fold', scene.folded.join(',')]);
  if (scene.query) parts.push(['q', scene.query]);
  if (scene.renderer !== 'auto') parts.push(['renderer', scene.renderer]);
  if (scene.mapArea) parts.push(['area', scene.mapArea]);
  if (scene.mapLevel !== 'auto') parts.push(['level', scene.mapLevel]);
  if (scene.mapBy) parts.push(['by', scene.mapBy]);
  if (scene.compare) parts.push(['cmp', `${scene.compare.a.from}:${scene.compare.a.to},${scene.compare.b.from}:${scene.compare.b.to}`]);
  if (scene.compareVersions) parts.push(['cmpv', `${scene.compareVersions.from},${scene.compareVersions.to}`]);
  if (scene.at) parts.push(['at', scene.at]);
  if (scene.lang) parts.push(['lang', scene.lang]);
  return `?${parts.map(([key, value]) => `${key}=${encode(value)}`).join('&')}`;
}

/** Two scenes that write the same URL are the same scene. */
export function sameScene(a: SceneState, b: SceneState): boolean {
  return sceneToSearch(a) === sceneToSearch(b);
}

// ---------------------------------------------------------------------------------------------------------------
// Changes (pure: each returns a new scene)

export function expansionKey(e: Pick<Expansion, 'id' | 'type' | 'direction'>): string {
  return `${e.id}|${e.type ?? '*'}|${e.direction}`;
}

/**
 * Adds an expansion, or shows `step` more of one that exists. A node expanded without a type and in both
 * directions already shows what a typed expansion would, so that one only grows it.
 */
export function withExpansion(scene: SceneState, wanted: Omit<Expansion, 'limit'> & { limit?: number }): SceneState {
  const step = wanted.type ? TYPED_STEP : EXPAND_STEP;
  const key = expansionKey(wanted);
  const index = scene.expansions.findIndex((e) => expansionKey(e) === key);
  const expansions = scene.expansions.slice();
  if (index >= 0) {
    const current = expansions[index]!;
    expansions[index] = { ...current, limit: Math.min(MAX_EXPANSION, current.limit + step) };
  } else {
    const expansion: Expansion = { id: wanted.id, direction: wanted.direction, limit: wanted.limit ?? step };
    if (wanted.type) expansion.type = wanted.type;
    if (wanted.seed) expansion.seed = true;
    expansions.push(expansion);
  }
  return { ...scene, expansions };
}

/** Removes the expansions of `id` (the nodes that only they brought go with them, see exploreGraph). */
export function withoutExpansionsOf(scene: SceneState, id: string): SceneState {
  return { ...scene, expansions: scene.expansions.filter((e) => e.id !== id) };
}

export function withHidden(scene: SceneState, id: string, hidden: boolean): SceneState {
  const rest = scene.hidden.filter((other) => other !== id);
  return {
    ...scene,
    hidden: hidden ? [...rest, id] : rest,
    focus: hidden && scene.focus === id ? null : scene.focus,
  };
}

export function withPin(scene: SceneState, pin: Pin | { id: string; remove: true }): SceneState {
  const rest = scene.pins.filter((p) => p.id !== pin.id);
  return { ...scene, pins: 'remove' in pin ? rest : [...rest, pin] };
}
