/**
 * The table of views: what each view loads and for which key, when it is loading or failed, its graph and model,
 * and which answer's truncation the status line reports.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphLink, GraphNode } from '../../../server/schema/graph.schema.ts';
import type { PathsAnswer, SubgraphAnswer } from '../../../web/src/lib/api.ts';
import { EMPTY_GRAPH, mergeRecords } from '../../../web/src/lib/graph/elements.ts';
import { defaultScene, VIEWS, type SceneState } from '../../../web/src/lib/scene/scene-state.ts';
import {
  isWaiting,
  LOAD_NAMES,
  LOADS,
  needsFetch,
  truncatedCount,
  VIEW_TABLE,
  waitError,
  wantedKey,
  type Loaded,
  type LoadedAll,
  type ViewContext,
} from '../../../web/src/lib/views/view-table.ts';
import { drawnViews, loadDrawnViews } from '../../../web/src/lib/views/view-models.ts';

const node = (id: string, label: GraphNode['label'] = 'Programme'): GraphNode =>
  ({ id, label, name_en: `Name ${id}`, name_km: `ឈ្មោះ ${id}`, sources: [], start: 2005 }) as GraphNode;
const link = (id: string, from: string, to: string, type: GraphLink['type'] = 'PARTNERS_WITH'): GraphLink => ({ id, type, from, to, sources: [] });

const scene = (patch: Partial<SceneState> = {}): SceneState => ({ ...defaultScene(), ...patch });
const NONE: LoadedAll = { everything: null, lineage: null, chains: null, partnerships: null, places: null, paths: null, library: null, compare: null, versions: null };
const done = <T>(key: string, data: T): Loaded<T> => ({ key, loading: false, data });

const subgraph: SubgraphAnswer = { nodes: [node('dar'), node('giz', 'Organisation')], links: [link('dar-giz', 'dar', 'giz', 'FUNDED_BY')], truncated: true };

// First, before anything has asked for them: the models of Lineage and Partnerships are a chunk of their own.
describe('the models of Lineage and Partnerships (a chunk of their own, issue 18)', () => {
  it('are loading, and not drawn, until their code is in; Explore waits for no code', async () => {
    const graph = mergeRecords(EMPTY_GRAPH, subgraph.nodes, subgraph.links).graph;
    const options = { lang: 'en' as const, size: 'none' as const, colour: 'label' as const };
    const loaded = { ...NONE, partnerships: done('all', subgraph), lineage: done('dar', {} as never) };
    const context: ViewContext = { state: scene({ view: 'partnerships' }), loaded, explore: { graph, more: new Map() }, now: 2026 };
    expect(isWaiting(scene({ view: 'partnerships' }), loaded)).toBe(true);
    expect(isWaiting(scene({ view: 'lineage' }), loaded)).toBe(true);
    expect(VIEW_TABLE.partnerships.model(graph, options, context)).toBeNull();
    expect(isWaiting(scene({ view: 'explore' }), loaded)).toBe(false);
    expect(VIEW_TABLE.explore.model(graph, options, context)?.nodeCount).toBe(2);
    // Asking for a model asked for the code too.
    const views = await loadDrawnViews();
    expect(drawnViews()).toBe(views);
    expect(isWaiting(scene({ view: 'partnerships' }), loaded)).toBe(false);
    expect(isWaiting(scene({ view: 'lineage' }), loaded)).toBe(false);
    expect(VIEW_TABLE.partnerships.model(graph, options, context)?.nodeCount).toBe(2);
  });
});

describe('the table of views', () => {
  beforeAll(() => loadDrawnViews());

  it('has a record for every view, each loading only loads that exist, and waiting only for what it loads', () => {
    expect(Object.keys(VIEW_TABLE).sort()).toEqual([...VIEWS].sort());
    for (const view of VIEWS) {
      const spec = VIEW_TABLE[view];
      for (const name of spec.loads) expect(LOAD_NAMES).toContain(name);
      for (const name of spec.waitsFor) expect(spec.loads).toContain(name);
      // Shortest paths are listed by the panel in every view.
      expect(spec.loads).toContain('paths');
    }
  });

  it('asks each load for its key in its views only', () => {
    expect(wantedKey(scene({ view: 'lineage', anchor: 'dar' }), 'lineage')).toBe('dar');
    expect(wantedKey(scene({ view: 'explore', anchor: 'dar' }), 'lineage')).toBeNull();
    expect(wantedKey(scene({ view: 'lineage' }), 'chains')).toBe('all');
    expect(wantedKey(scene({ view: 'documents', query: 'decentral' }), 'library')).toBe('decentral');
    expect(wantedKey(scene({ view: 'explore', all: false }), 'everything')).toBeNull();
    expect(wantedKey(scene({ view: 'explore', all: true }), 'everything')).toBe('*|*');
    expect(wantedKey(scene({ view: 'explore', all: true, labels: ['Programme'], types: ['FUNDED_BY', 'PART_OF'] }), 'everything')).toBe('Programme|FUNDED_BY,PART_OF');
    expect(wantedKey(scene({ view: 'map', path: { from: 'a', to: 'b' } }), 'paths')).toBe('a|b');
    expect(wantedKey(scene({ view: 'map', path: null }), 'paths')).toBeNull();
    expect(LOADS.paths.clearWhenUnasked).toBe(true);
  });

  it('fetches again for another key, after an error or an edit, and not otherwise', () => {
    expect(needsFetch(null, 'dar')).toBe(true);
    expect(needsFetch(done('dar', {}), 'dar')).toBe(false);
    expect(needsFetch({ key: 'dar', loading: true }, 'dar')).toBe(false);
    expect(needsFetch(done('dar', {}), 'other')).toBe(true);
    expect(needsFetch({ key: 'dar', loading: false, error: { code: 'x', status: 500, message: 'x' } }, 'dar')).toBe(true);
    expect(needsFetch({ ...done('dar', {}), stale: true }, 'dar')).toBe(true);
  });

  it('is loading until the answer a view waits for has come; on-demand loads only once asked for', () => {
    expect(isWaiting(scene({ view: 'lineage' }), NONE)).toBe(true);
    expect(isWaiting(scene({ view: 'lineage' }), { ...NONE, lineage: done('dar', {} as never) })).toBe(false);
    // Lineage does not wait for its chain picker.
    expect(isWaiting(scene({ view: 'lineage' }), { ...NONE, lineage: done('dar', {} as never), chains: { key: 'all', loading: true } })).toBe(false);
    expect(isWaiting(scene({ view: 'explore' }), NONE)).toBe(false);
    expect(isWaiting(scene({ view: 'explore', all: true }), { ...NONE, everything: { key: '*|*', loading: true } })).toBe(true);
    expect(isWaiting(scene({ view: 'explore', all: false }), { ...NONE, everything: { key: '*|*', loading: true } })).toBe(false);
    expect(isWaiting(scene({ view: 'explore', path: { from: 'a', to: 'b' } }), { ...NONE, paths: { key: 'a|b', loading: true } })).toBe(true);
    // Other views list paths, but do not wait for them.
    expect(isWaiting(scene({ view: 'documents', path: { from: 'a', to: 'b' } }), { ...NONE, library: done('', {} as never), paths: { key: 'a|b', loading: true } })).toBe(false);
  });

  it("reports the error of what the view waits for, not of another view's load", () => {
    const error = { code: 'not_found', status: 404, message: 'no such node' };
    expect(waitError(scene({ view: 'lineage' }), { ...NONE, lineage: { key: 'x', loading: false, error } })).toEqual(error);
    expect(waitError(scene({ view: 'partnerships' }), { ...NONE, lineage: { key: 'x', loading: false, error } })).toBeNull();
    expect(waitError(scene({ view: 'explore' }), { ...NONE, paths: { key: 'a|b', loading: false, error } })).toEqual(error);
  });

  it('reports a truncated answer of the view: partnerships and places always, everything only while shown', () => {
    expect(truncatedCount(scene({ view: 'partnerships' }), { ...NONE, partnerships: done('all', subgraph) })).toBe(2);
    expect(truncatedCount(scene({ view: 'map' }), { ...NONE, places: done('all', subgraph) })).toBe(2);
    expect(truncatedCount(scene({ view: 'map' }), { ...NONE, places: done('all', { ...subgraph, truncated: false }) })).toBe(0);
    expect(truncatedCount(scene({ view: 'explore', all: true }), { ...NONE, everything: done('*|*', subgraph) })).toBe(2);
    expect(truncatedCount(scene({ view: 'explore', all: false }), { ...NONE, everything: done('*|*', subgraph) })).toBe(0);
    expect(truncatedCount(scene({ view: 'lineage' }), { ...NONE, partnerships: done('all', subgraph) })).toBe(0);
  });

  it("builds each view's graph from its own loads; Explore adds everything (when shown) and the paths to its expansions", () => {
    const explore = { graph: mergeRecords(EMPTY_GRAPH, [node('root')], []).graph, more: new Map<string, number>() };
    const paths: PathsAnswer = {
      from: 'root',
      to: 'giz',
      length: 1,
      truncated: false,
      paths: [{ nodes: ['root', 'giz'], hops: [{ from: 'root', to: 'giz', type: 'FUNDED_BY', direction: 'forward', link: link('root-giz', 'root', 'giz', 'FUNDED_BY') }] }],
      nodes: [node('root'), node('giz', 'Organisation')],
    };
    const context = (state: SceneState, loaded: LoadedAll): ViewContext => ({ state, loaded, explore, now: 2026 });
    const loaded = { ...NONE, everything: done('*|*', subgraph), partnerships: done('all', subgraph), paths: done('root|giz', paths) };

    expect([...VIEW_TABLE.explore.graph(context(scene({ all: false }), loaded)).nodes.keys()].sort()).toEqual(['giz', 'root']);
    expect([...VIEW_TABLE.explore.graph(context(scene({ all: true }), loaded)).nodes.keys()].sort()).toEqual(['dar', 'giz', 'root']);
    expect([...VIEW_TABLE.partnerships.graph(context(scene({ view: 'partnerships' }), loaded)).nodes.keys()].sort()).toEqual(['dar', 'giz']);
    expect(VIEW_TABLE.map.graph(context(scene({ view: 'map' }), loaded)).nodes.size).toBe(0);
    expect(VIEW_TABLE.documents.graph(context(scene({ view: 'documents' }), loaded))).toBe(EMPTY_GRAPH);
  });

  it('draws Explore, Lineage and Partnerships as graphs; Map and Documents are not drawn by the graph view', () => {
    const graph = mergeRecords(EMPTY_GRAPH, subgraph.nodes, subgraph.links).graph;
    const options = { lang: 'en' as const, size: 'none' as const, colour: 'label' as const };
    const context: ViewContext = { state: scene(), loaded: NONE, explore: { graph, more: new Map() }, now: 2026 };
    expect(VIEW_TABLE.explore.model(graph, options, context)?.nodeCount).toBe(2);
    expect(VIEW_TABLE.partnerships.model(graph, options, context)?.nodeCount).toBe(2);
    expect(VIEW_TABLE.lineage.model(graph, options, { ...context, state: scene({ view: 'lineage', anchor: 'dar' }) })).not.toBeNull();
    expect(VIEW_TABLE.map.model(graph, options, context)).toBeNull();
    expect(VIEW_TABLE.documents.model(graph, options, context)).toBeNull();
  });
});
