/** Comparing two periods in the explorer: the scene's key, the view table's graph and the colours of the drawing. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphLink, GraphNode } from '../../../server/schema/graph.schema.ts';
import type { PeriodComparison, SubgraphAnswer, VersionComparison } from '../../../web/src/lib/api.ts';
import { colourByComparison, colourByVersions, compareKey, COMPARE_COLOURS, versionsKey } from '../../../web/src/lib/compare/compare-colouring.ts';
import { graphStylesheet } from '../../../web/src/lib/graph/stylesheet.ts';
import { defaultScene, parseScene, sceneToSearch, type SceneState } from '../../../web/src/lib/scene/scene-state.ts';
import { VIEW_TABLE, type LoadedAll, type ViewContext } from '../../../web/src/lib/views/view-table.ts';
import { loadDrawnViews } from '../../../web/src/lib/views/view-models.ts';

const node = (id: string, label: GraphNode['label'] = 'Programme'): GraphNode => ({ id, label, name_en: `Name ${id}`, name_km: `ឈ្មោះ ${id}`, sources: [] }) as GraphNode;
const link = (id: string, from: string, to: string): GraphLink => ({ id, type: 'FUNDED_BY', from, to, sources: ['x'] });

const PERIODS = { a: { from: 2008, to: 2012 }, b: { from: 2018, to: 2022 } };
const answer: PeriodComparison = {
  kind: 'periods',
  view: 'partnerships',
  a: '2008-2012',
  b: '2018-2022',
  nodes: [
    { id: 'old', in: 'a' },
    { id: 'new', in: 'b' },
    { id: 'bmz', in: 'both' },
  ],
  links: [{ id: 'new-bmz', in: 'b' }],
  counts: { nodes: { a: 1, b: 1, both: 1 }, links: { a: 0, b: 1, both: 0 }, programmes: { a: 1, b: 1, both: 0 }, organisations: { a: 0, b: 0, both: 1 } },
  entered: [{ id: 'new', label: 'Programme', name_en: 'Name new', name_km: 'ឈ្មោះ new' }],
  left: [{ id: 'old', label: 'Programme', name_en: 'Name old', name_km: 'ឈ្មោះ old' }],
  elements: { nodes: [node('old'), node('new'), node('bmz', 'Organisation')], links: [link('new-bmz', 'new', 'bmz')] },
};
const NONE: LoadedAll = { everything: null, lineage: null, chains: null, partnerships: null, places: null, paths: null, library: null, compare: null, versions: null };
const subgraph: SubgraphAnswer = { nodes: [node('old'), node('new'), node('never'), node('bmz', 'Organisation')], links: [link('new-bmz', 'new', 'bmz'), link('never-bmz', 'never', 'bmz')], truncated: false };

function context(state: SceneState, loaded: Partial<LoadedAll>): ViewContext {
  return { state, loaded: { ...NONE, ...loaded }, explore: { graph: { nodes: new Map(), links: new Map() }, more: new Map() }, now: 2026 };
}

describe('comparing two periods in the explorer', () => {
  beforeAll(() => loadDrawnViews()); // Partnerships' model is a chunk of its own

  it('keeps the comparison in the URL, and asks for it in Explore and Partnerships only', () => {
    const state = { ...defaultScene(), view: 'partnerships' as const, compare: PERIODS };
    expect(sceneToSearch(state)).toContain('cmp=2008:2012,2018:2022');
    expect(parseScene(sceneToSearch(state)).compare).toEqual(PERIODS);
    expect(parseScene('?v=explore&cmp=2008:2012').compare).toBeNull();
    expect(compareKey(state)).toBe('partnerships|2008-2012|2018-2022');
    expect(compareKey({ ...state, view: 'explore' })).toBe('explore|2008-2012|2018-2022');
    expect(compareKey({ ...state, view: 'lineage' })).toBeNull();
    expect(compareKey({ ...state, compare: null })).toBeNull();
  });

  it('classes each drawn node and link by its period, fades the rest, and leaves a scene without a comparison alone', () => {
    const state = { ...defaultScene(), view: 'partnerships' as const, compare: PERIODS };
    const ctx = context(state, { partnerships: { key: 'all', loading: false, data: subgraph }, compare: { key: compareKey(state)!, loading: false, data: answer } });
    const graph = VIEW_TABLE.partnerships.graph(ctx);
    const model = VIEW_TABLE.partnerships.model(graph, { lang: 'en', size: 'none', colour: 'label' }, ctx)!;
    const classes = Object.fromEntries(model.elements.map((e) => [e.group === 'nodes' ? e.data.ref : `link:${e.data.linkId}`, e.classes.split(' ').filter((c) => c.startsWith('cmp-')).join(' ')]));
    expect(classes).toEqual({ old: 'cmp-a', new: 'cmp-b', bmz: 'cmp-both', never: 'cmp-none', 'link:new-bmz': 'cmp-b', 'link:never-bmz': 'cmp-none' });

    const plain = VIEW_TABLE.partnerships.model(graph, { lang: 'en', size: 'none', colour: 'label' }, context({ ...state, compare: null }, { partnerships: ctx.loaded.partnerships }))!;
    expect(plain.elements.some((e) => /cmp-/.test(e.classes))).toBe(false);
    expect(colourByComparison(plain, undefined)).toBe(plain);
  });

  it('draws in Explore what either period holds', () => {
    const state = { ...defaultScene(), compare: PERIODS };
    const graph = VIEW_TABLE.explore.graph(context(state, { compare: { key: compareKey(state)!, loading: false, data: answer } }));
    expect([...graph.nodes.keys()].sort()).toEqual(['bmz', 'new', 'old']);
    expect([...graph.links.keys()]).toEqual(['new-bmz']);
  });

  it('styles the three groups with their colours', () => {
    const rules = graphStylesheet('sans-serif', 'en') as { selector: string; style: Record<string, unknown> }[];
    for (const [membership, colour] of Object.entries(COMPARE_COLOURS)) {
      expect(rules.find((r) => r.selector === `node.cmp-${membership}`)?.style['border-color']).toBe(colour);
      expect(rules.find((r) => r.selector === `edge.cmp-${membership}`)?.style['line-color']).toBe(colour);
    }
  });

  it('marks, comparing two versions, what was added (cmp-b) and changed (cmp-both), and nothing else', () => {
    const state = { ...defaultScene(), view: 'partnerships' as const, compareVersions: { from: '3', to: '2026-12-02' } };
    expect(versionsKey(state)).toBe('3,2026-12-02');
    expect(versionsKey({ ...state, view: 'lineage' })).toBeNull();
    expect(versionsKey({ ...state, compareVersions: null })).toBeNull();
    const versions: VersionComparison = {
      kind: 'versions',
      from: { seq: 3, at: '2026-11-01T00:00:00.000Z' },
      to: { seq: 9, at: '2026-12-01T00:00:00.000Z' },
      entries: 6,
      counts: { added: 2, changed: 1, removed: 1 },
      added: [
        { entity: 'node', id: 'new', label: 'Programme', name_en: 'Name new', name_km: 'ឈ្មោះ new' },
        { entity: 'link', id: 'new-bmz', type: 'FUNDED_BY', from: 'new', to: 'bmz' },
      ],
      changed: [{ entity: 'node', id: 'bmz', label: 'Organisation', name_en: 'Name bmz', name_km: 'ឈ្មោះ bmz', properties: ['name_en'] }],
      removed: [{ entity: 'node', id: 'gone', label: 'Programme', name_en: 'Name gone', name_km: 'ឈ្មោះ gone' }],
      truncated: false,
    };
    const ctx = context(state, { partnerships: { key: 'all', loading: false, data: subgraph }, versions: { key: versionsKey(state)!, loading: false, data: versions } });
    const model = VIEW_TABLE.partnerships.model(VIEW_TABLE.partnerships.graph(ctx), { lang: 'en', size: 'none', colour: 'label' }, ctx)!;
    const classes = Object.fromEntries(model.elements.map((e) => [e.group === 'nodes' ? e.data.ref : `link:${e.data.linkId}`, e.classes.split(' ').filter((c) => c.startsWith('cmp-')).join(' ')]));
    expect(classes).toEqual({ old: '', new: 'cmp-b', bmz: 'cmp-both', never: '', 'link:new-bmz': 'cmp-b', 'link:never-bmz': '' });
    expect(colourByVersions(model, undefined)).toBe(model);
  });
});
