/**
 * The table of views: for each view of the explorer, what it loads (each load's key and fetch), the graph it
 * shows, how it is drawn (its model) and which answer may be truncated. The explorer and the graph view read
 * this table instead of switching on the view's name. Pure but for the fetches, which only run when called.
 */
import type { GraphLink, GraphNode, LinkType } from '../../../../server/schema/graph.schema.ts';
import type { ErrorLike } from '../error-message.ts';
import { api, type DocumentLibrary, type Lineage, type PathsAnswer, type PeriodComparison, type SubgraphAnswer, type VersionComparison } from '../api.ts';
import { colourByComparison, colourByVersions, compareKey, compareView, rangeParam, versionsKey } from '../compare/compare-colouring.ts';
import { EMPTY_GRAPH, mergeRecords, type ExplorerGraph } from '../graph/elements.ts';
import { withRecords } from '../scene/explore-graph.ts';
import type { SceneState, ViewName } from '../scene/scene-state.ts';
import { exploreView } from './explore.view.ts';
import { drawnViews } from './view-models.ts';
import { PARTNERSHIP_TYPES, type ViewModel, type ViewOptions } from './view-model.ts';

/** The most nodes Explore's "everything" (and each whole-graph scene) asks for. */
export const EVERYTHING_LIMIT = 10_000;
/** What the Map view loads: where programmes work, where organisations are, phases, and who takes part in which programme. */
export const MAP_TYPES = ['WORKS_IN', 'PART_OF', 'LOCATED_IN', 'FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH'] as const satisfies readonly LinkType[];

/** What each load answers. */
export interface LoadData {
  /** Explore's "everything": the whole graph filtered by labels and types, capped. */
  everything: SubgraphAnswer;
  lineage: Lineage;
  /** Lineage's chain picker: every programme and the succession and phase links between them. */
  chains: SubgraphAnswer;
  partnerships: SubgraphAnswer;
  places: SubgraphAnswer;
  /** Shortest paths asked for (any view: the panel lists them; Explore draws them). */
  paths: PathsAnswer;
  library: DocumentLibrary;
  /** Two periods compared (Explore and Partnerships, when the scene says cmp=). */
  compare: PeriodComparison;
  /** Two versions compared (Explore and Partnerships, when the scene says cmpv=). */
  versions: VersionComparison;
}

export type LoadName = keyof LoadData;

export interface LoadSpec<N extends LoadName> {
  /** What the scene asks of this load (it is fetched again when the key changes); null: nothing. */
  key(state: SceneState): string | null;
  fetch(state: SceneState, signal: AbortSignal): Promise<LoadData[N]>;
  /**
   * Asked for on demand (a toggle, a path): not loading while nothing was asked. The others are loading until
   * their first answer.
   */
  onDemand?: boolean;
  /** When the scene no longer asks for it, its request is dropped and its answer forgotten. */
  clearWhenUnasked?: boolean;
}

const wholeGraph = (labels: SubgraphAnswer['nodes'][number]['label'][], types: readonly LinkType[]) => ({
  key: () => 'all',
  fetch: (_state: SceneState, signal: AbortSignal) => api.subgraph({ labels, types, limit: EVERYTHING_LIMIT, signal }),
});

export const LOADS: { readonly [N in LoadName]: LoadSpec<N> } = {
  everything: {
    key: (s) => (s.all ? `${s.labels?.join(',') ?? '*'}|${s.types?.join(',') ?? '*'}` : null),
    fetch: (s, signal) => api.subgraph({ labels: s.labels ?? undefined, types: s.types ?? undefined, limit: EVERYTHING_LIMIT, signal }),
    onDemand: true,
  },
  lineage: { key: (s) => s.anchor, fetch: (s, signal) => api.lineage(s.anchor, 'both', signal) },
  // The chains of the whole graph, not only those the anchor's lineage reaches.
  chains: wholeGraph(['Programme'], ['SUCCEEDS', 'PART_OF']),
  partnerships: wholeGraph(['Programme', 'Organisation'], PARTNERSHIP_TYPES),
  places: wholeGraph(['Programme', 'AdminArea', 'Organisation'], MAP_TYPES),
  paths: {
    key: (s) => (s.path ? `${s.path.from}|${s.path.to}` : null),
    fetch: (s, signal) => api.paths(s.path!.from, s.path!.to, { signal }),
    onDemand: true,
    clearWhenUnasked: true,
  },
  library: { key: (s) => s.query, fetch: (s, signal) => api.documents({ q: s.query, signal }) },
  compare: {
    key: compareKey,
    fetch: (s, signal) => api.comparePeriods(compareView(s)!, rangeParam(s.compare!.a), rangeParam(s.compare!.b), signal),
    onDemand: true,
    clearWhenUnasked: true,
  },
  versions: {
    key: versionsKey,
    fetch: (s, signal) => api.compareVersions(s.compareVersions!.from, s.compareVersions!.to, signal),
    onDemand: true,
    clearWhenUnasked: true,
  },
};

export const LOAD_NAMES = Object.keys(LOADS) as LoadName[];

/** Something loaded for a key (an anchor, a query): the answer, or the error. */
export interface Loaded<T> {
  key: string;
  loading: boolean;
  data?: T;
  error?: ErrorLike;
  /** The graph changed since (an edit): load it again, showing this meanwhile. */
  stale?: boolean;
}

/** The answers at hand, by load. */
export type LoadedAll = { readonly [N in LoadName]: Loaded<LoadData[N]> | null };

/** True when `loaded` must be fetched (again) for `key`. */
export function needsFetch(loaded: Loaded<unknown> | null, key: string): boolean {
  return loaded?.key !== key || loaded.error !== undefined || loaded.stale === true;
}

/** What a view's graph and model are made from. */
export interface ViewContext {
  state: SceneState;
  loaded: LoadedAll;
  /** Explore's graph, from its expansions and pages. */
  explore: { graph: ExplorerGraph; more: ReadonlyMap<string, number> };
  /** The current year (for open-ended periods). */
  now: number;
}

export interface ViewSpec {
  /** Loaded while the view is shown; `paths` is loaded in every view. */
  loads: readonly LoadName[];
  /** Of those, the ones whose loading and errors are the view's own. */
  waitsFor: readonly LoadName[];
  /** Explore: the pages of neighbours of its expansions count too (requests in flight, their errors). */
  pages?: boolean;
  /** The graph of the view before filters: what was loaded for it. */
  graph(context: ViewContext): ExplorerGraph;
  /**
   * The drawing of the (filtered) graph; null for views not drawn as a graph (Map draws shapes, Documents a list),
   * and while the view's model is not loaded yet (`ready`).
   */
  model(visible: ExplorerGraph, options: ViewOptions, context: ViewContext): ViewModel | null;
  /** False while the code of the view's model is still loading (Lineage, Partnerships: view-models.ts). */
  ready?(): boolean;
  /** The load whose answer, when capped, the status line says is truncated. */
  truncation?: LoadName;
}

/** A graph from the nodes and links of an answer. */
export function graphOf(answer: { nodes: GraphNode[]; links: GraphLink[] } | undefined): ExplorerGraph {
  return answer ? mergeRecords(EMPTY_GRAPH, answer.nodes, answer.links).graph : EMPTY_GRAPH;
}

const noModel = () => null;

export const VIEW_TABLE: { readonly [V in ViewName]: ViewSpec } = {
  explore: {
    loads: ['everything', 'paths', 'compare', 'versions'],
    waitsFor: ['everything', 'paths', 'compare'],
    pages: true,
    graph: ({ state, loaded, explore }) => {
      let graph = explore.graph;
      const everything = loaded.everything?.data;
      if (state.all && everything) graph = withRecords(graph, everything.nodes, everything.links);
      const paths = loaded.paths?.data;
      if (paths) graph = withRecords(graph, paths.nodes, paths.paths.flatMap((p) => p.hops.map((h) => h.link)));
      // Comparing periods: what either period holds is drawn too.
      const compared = state.compare ? loaded.compare?.data : undefined;
      if (compared) graph = withRecords(graph, compared.elements.nodes, compared.elements.links);
      return graph;
    },
    model: (visible, options, { state, explore, loaded }) =>
      colourByVersions(
        colourByComparison(exploreView(visible, options, explore.more, state.pins), state.compare ? loaded.compare?.data : undefined),
        state.compareVersions ? loaded.versions?.data : undefined,
      ),
    truncation: 'everything',
  },
  lineage: {
    loads: ['lineage', 'chains', 'paths'],
    waitsFor: ['lineage'],
    graph: ({ loaded }) => graphOf(loaded.lineage?.data?.elements),
    model: (visible, options, { state, now }) =>
      drawnViews()?.lineageView(visible, { ...options, axis: state.axis, years: state.years, now, follow: state.anchor, folded: state.folded }) ?? null,
    ready: () => drawnViews() !== null,
  },
  partnerships: {
    loads: ['partnerships', 'paths', 'compare', 'versions'],
    waitsFor: ['partnerships', 'compare'],
    graph: ({ loaded }) => graphOf(loaded.partnerships?.data),
    model: (visible, options, { state, now, loaded }) => {
      const views = drawnViews();
      if (!views) return null;
      return colourByVersions(
        colourByComparison(views.partnershipsView(visible, options, now), state.compare ? loaded.compare?.data : undefined),
        state.compareVersions ? loaded.versions?.data : undefined,
      );
    },
    ready: () => drawnViews() !== null,
    truncation: 'partnerships',
  },
  map: {
    loads: ['places', 'paths'],
    waitsFor: ['places'],
    graph: ({ loaded }) => graphOf(loaded.places?.data),
    model: noModel, // drawn by MapView from the shapes, not as a graph
    truncation: 'places',
  },
  documents: {
    loads: ['library', 'paths'],
    waitsFor: ['library'],
    graph: () => EMPTY_GRAPH,
    model: noModel,
  },
};

/** The key `name` is to be loaded for in this scene; null when its view is not shown or the scene asks nothing of it. */
export function wantedKey(state: SceneState, name: LoadName): string | null {
  return VIEW_TABLE[state.view].loads.includes(name) ? LOADS[name].key(state) : null;
}

/** True while a load the view waits for is loading (an on-demand one only once asked for). */
export function isWaiting(state: SceneState, loaded: LoadedAll): boolean {
  const spec = VIEW_TABLE[state.view];
  if (spec.ready && !spec.ready()) return true;
  return spec.waitsFor.some((name) => {
    const answer = loaded[name];
    return LOADS[name].onDemand ? LOADS[name].key(state) !== null && answer?.loading === true : answer?.loading !== false;
  });
}

/** The error of a load the view waits for, if any. */
export function waitError(state: SceneState, loaded: LoadedAll): ErrorLike | null {
  for (const name of VIEW_TABLE[state.view].waitsFor) {
    const error = loaded[name]?.error;
    if (error) return error;
  }
  return null;
}

/** How many nodes a truncated answer of the view holds (0 when nothing was cut). */
export function truncatedCount(state: SceneState, loaded: LoadedAll): number {
  const name = VIEW_TABLE[state.view].truncation;
  if (!name || LOADS[name].key(state) === null) return 0;
  const answer = loaded[name]?.data as { truncated?: boolean; nodes: unknown[] } | undefined;
  return answer?.truncated ? answer.nodes.length : 0;
}
