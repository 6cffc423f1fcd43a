/**
 * The views' element mapping and placement, headless on the DAR seed: Lineage on a year axis, Partnerships in
 * role columns (the Map is drawn from shapes: map-colouring.test.ts); the stylesheet loads every element without a warning; the large-scene
 * force layout is deterministic and respects pins.
 */
import cytoscape from 'cytoscape';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EMPTY_GRAPH, mergeRecords, type ExplorerGraph, type GraphElement } from '../../../web/src/lib/graph/elements.ts';
import { forceLayout } from '../../../web/src/lib/graph/force-layout.ts';
import { graphStylesheet } from '../../../web/src/lib/graph/stylesheet.ts';
import { filterGraph } from '../../../web/src/lib/scene/scene-filter.ts';
import { exploreView } from '../../../web/src/lib/views/explore.view.ts';
import { BAR_HEIGHT, lineageRows, lineageView, periodText, PX_PER_YEAR } from '../../../web/src/lib/views/lineage.view.ts';
import { COLUMN_GAP, partnershipColumns, partnershipsView } from '../../../web/src/lib/views/partnerships.view.ts';
import type { Point, ViewModel } from '../../../web/src/lib/views/view-model.ts';
import { generateDomainGraph } from '../../support/graph-generator.ts';
import { loadSeed } from '../../support/seed-fixture.ts';

const NOW = 2026.5;
let seed: ExplorerGraph;
let lineageGraph: ExplorerGraph;
let partnerGraph: ExplorerGraph;
const options = { lang: 'en', size: 'none', colour: 'label' } as const;

function positionsOf(model: ViewModel): ReadonlyMap<string, Point> {
  if (model.layout.kind !== 'preset') throw new Error(`expected preset positions, got ${model.layout.kind}`);
  return model.layout.positions;
}

beforeAll(async () => {
  const data = await loadSeed();
  seed = mergeRecords(EMPTY_GRAPH, data.nodes, data.links).graph;
  const none = { years: null, hidden: [] };
  lineageGraph = filterGraph(seed, { ...none, labels: ['Programme', 'Organisation'], types: ['SUCCEEDS', 'PART_OF', 'FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH'] }, NOW);
  partnerGraph = filterGraph(seed, { ...none, labels: ['Programme', 'Organisation'], types: ['FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH'] }, NOW);
});

describe('Lineage', () => {
  it('orders rows by start, containers above their phases', () => {
    const rows = lineageRows(lineageGraph, NOW).map((r) => r.node.id);
    expect(rows.indexOf('ardp')).toBe(rows.indexOf('eu-space') - 1);
    expect(rows.indexOf('dar')).toBeLessThan(rows.indexOf('dar-1'));
    expect(rows.indexOf('dar-1')).toBeLessThan(rows.indexOf('dar-2'));
    expect(rows.indexOf('eu-space')).toBeLessThan(rows.indexOf('dar'));
    expect(rows[rows.length - 1]).not.toBe('ardp');
  });

  it('draws each programme as a bar whose left end and width are its period on the year axis', () => {
    const model = lineageView(lineageGraph, { ...options, axis: 'years', years: null, now: NOW });
    const at = positionsOf(model);
    const bar = (id: string) => model.elements.find((e) => e.data.id === id)!;
    const left = (id: string) => at.get(id)!.x - Number(bar(id).data.w) / 2;
    expect(left('dar-1') - left('eu-space')).toBeCloseTo((2016 + 4 / 12 - 2011) * PX_PER_YEAR, 0);
    expect(Number(bar('dar-2').data.w)).toBeCloseTo((2022 + 4 / 12 - (2019 + 4 / 12)) * PX_PER_YEAR, 0);
    // ARDP has no dates: it spans its phase (EU SPACE) and is drawn as undated.
    expect(left('ardp')).toBeCloseTo(left('eu-space'), 5);
    expect(bar('ardp').classes).toContain('undated');
    // No end date: "period unknown or ongoing" (the Commune/Sangkat Fund, 2002–).
    expect(bar('commune-sangkat-fund').classes).toContain('ongoing');
    expect(bar('isd').classes).not.toContain('ongoing');
    expect(String(bar('dar-1').data.caption)).toContain('2016–2018');
    // Programmes at the same time never share a row; a phase below its programme.
    const rows = lineageRows(lineageGraph, NOW);
    for (const [i, a] of rows.entries()) {
      for (const b of rows.slice(i + 1)) if (a.from < b.to && b.from < a.to) expect(at.get(a.node.id)!.y, `${a.node.id} ${b.node.id}`).not.toBe(at.get(b.node.id)!.y);
    }
    expect(at.get('dar-1')!.y).toBeGreaterThan(at.get('dar')!.y);
  });

  it("puts each programme's funders, implementers and partners beside it, as chips of the real node", () => {
    const model = lineageView(lineageGraph, { ...options, axis: 'years', years: null, now: NOW });
    const at = positionsOf(model);
    const chips = model.elements.filter((e) => e.classes.split(' ').includes('chip'));
    const ofDar1 = chips.filter((c) => String(c.data.id).includes('@dar-1:'));
    expect(ofDar1.map((c) => c.data.ref)).toEqual(['eu', 'bmz', 'giz', 'mcs', 'ncdd', 'ncdd-s']); // by role, then by name
    expect(ofDar1[0]!.classes).toContain('role-funds');
    expect(ofDar1[2]!.classes).toContain('role-implements');
    for (const chip of ofDar1) expect(at.get(String(chip.data.id))!.y).toBeGreaterThan(at.get('dar-1')!.y + BAR_HEIGHT / 2);
    // The same organisation in several rows is one graph node: counted once.
    expect(chips.filter((c) => c.data.ref === 'giz').length).toBeGreaterThan(1);
    // Every programme, and every organisation that funds, implements or partners one (not, e.g., a body linked
    // only to its parent body).
    const roles = new Set(['FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH']);
    const withRole = new Set([...lineageGraph.links.values()].filter((l) => roles.has(l.type)).map((l) => l.to));
    const shown = [...lineageGraph.nodes.values()].filter((n) => n.label === 'Programme' || withRole.has(n.id));
    expect(model.nodeCount).toBe(shown.length);
  });

  it('draws a year ruler and the time range as decorations', () => {
    const model = lineageView(lineageGraph, { ...options, axis: 'years', years: { from: 2016, to: 2018 }, now: NOW });
    const ticks = model.elements.filter((e) => e.classes.includes('tick ') || e.classes.endsWith('tick'));
    // CARERE (1992) to NP-2 and ISD II (2030), a year of margin each side.
    expect(ticks.map((t) => t.data.caption)).toEqual(Array.from({ length: 2031 - 1990 + 1 }, (_, i) => String(1990 + i)));
    const band = model.elements.find((e) => e.data.id === 'year-band')!;
    expect(Number(band.data.w)).toBe(3 * PX_PER_YEAR);
    expect(band.selectable).toBe(false);
    expect(periodText(undefined)).toBe('?');
  });

  it('lays succession out in layers (dagre) in the other arrangement', () => {
    const model = lineageView(lineageGraph, { ...options, axis: 'succession', years: null, now: NOW });
    expect(model.layout.kind).toBe('dagre');
    expect(model.elements.filter((e) => e.group === 'nodes')).toHaveLength(lineageGraph.nodes.size);
  });
});

describe('Partnerships', () => {
  it('puts funders left, programmes in the middle by start, implementers and partners right', () => {
    const columns = partnershipColumns(partnerGraph);
    expect(columns.get('bmz')).toBe('funders');
    expect(columns.get('eu')).toBe('funders');
    expect(columns.get('giz')).toBe('partners');
    expect(columns.get('mcs')).toBe('partners');
    const model = partnershipsView(partnerGraph, options, NOW);
    const at = positionsOf(model);
    expect(at.get('bmz')!.x).toBe(0);
    expect(at.get('dar')!.x).toBe(COLUMN_GAP);
    expect(at.get('mcs')!.x).toBe(2 * COLUMN_GAP);
    expect(at.get('eu-space')!.y).toBeLessThan(at.get('isd')!.y);
    const roles = new Set(model.elements.filter((e) => e.group === 'edges').map((e) => e.classes.split(' ')[0]));
    expect([...roles].sort()).toEqual(['FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH']);
  });
});

describe('the stylesheet and the elements', () => {
  const load = (elements: GraphElement[], lang: 'en' | 'km', large = false) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const cy = cytoscape({ headless: true, styleEnabled: true, style: graphStylesheet('sans-serif', lang, { large }), elements });
    const warnings = warn.mock.calls.map((call) => call.join(' '));
    warn.mockRestore();
    cy.destroy();
    return warnings;
  };
  afterAll(() => vi.restoreAllMocks());

  it('loads every view in both languages without a style warning', () => {
    for (const lang of ['en', 'km'] as const) {
      const o = { ...options, lang, size: 'degree', colour: 'detail' } as const;
      const models = [
        exploreView(seed, o, new Map([['dar', 3]]), [{ id: 'dar', x: 0, y: 0 }]),
        lineageView(lineageGraph, { ...o, axis: 'years', years: { from: 2015, to: 2017 }, now: NOW }),
        partnershipsView(partnerGraph, o, NOW),
      ];
      for (const model of models) expect(load(model.elements, lang)).toEqual([]);
      expect(load(models[0]!.elements, lang, true)).toEqual([]);
      expect(load(models[2]!.elements, lang, true)).toEqual([]);
    }
  });
});

describe('the stylesheet of a large scene', () => {
  it('is short, draws edges as haystacks and nodes as shapes WebGL draws directly, and names few nodes', () => {
    const sheet = graphStylesheet('sans-serif', 'en', { large: true, detail: false });
    const small = graphStylesheet('sans-serif', 'en', { view: 'explore' });
    expect(sheet.length).toBeLessThan(small.length / 2);
    const rule = (selector: string) => sheet.find((r) => 'selector' in r && r.selector === selector) as { style: Record<string, unknown> } | undefined;
    expect(rule('edge')?.style['curve-style']).toBe('haystack');
    expect(rule('node')?.style.label).toBe('');
    for (const label of ['Programme', 'Organisation', 'AdminArea', 'Document', 'Topic']) {
      expect(['ellipse', 'rectangle', 'round-rectangle']).toContain(rule(`node.${label}`)?.style.shape);
    }
    const named = sheet.find((r) => 'selector' in r && r.selector.startsWith('node:selected,')) as { style: Record<string, unknown> } | undefined;
    expect(named?.style.label).toBe('data(caption)');
  });

  it('leaves out the rules of other views', () => {
    const explore = JSON.stringify(graphStylesheet('sans-serif', 'en', { view: 'explore' }));
    expect(explore).not.toContain('node.bar');
    expect(explore).not.toContain('node.region');
    expect(JSON.stringify(graphStylesheet('sans-serif', 'en', { view: 'lineage' }))).toContain('node.bar');
  });
});

describe('force layout for large scenes', () => {
  const graph = generateDomainGraph({ nodes: 2000, links: 5000, seed: 7 });
  const index = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const edges = graph.links.flatMap((l) => [index.get(l.from)!, index.get(l.to)!]);

  it('is deterministic, finite, and keeps linked nodes closer than unlinked ones', () => {
    const a = forceLayout({ count: graph.nodes.length, edges });
    const b = forceLayout({ count: graph.nodes.length, edges });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(a.every(Number.isFinite)).toBe(true);
    const dist = (i: number, j: number) => Math.hypot(a[2 * i]! - a[2 * j]!, a[2 * i + 1]! - a[2 * j + 1]!);
    let linked = 0;
    for (let e = 0; e < edges.length; e += 2) linked += dist(edges[e]!, edges[e + 1]!);
    linked /= edges.length / 2;
    let random = 0;
    for (let i = 0; i < 1000; i++) random += dist(i, (i * 7919) % graph.nodes.length);
    random /= 1000;
    expect(linked).toBeLessThan(random / 2);
  });

  it('keeps pinned nodes where they are, and packs unlinked nodes apart', () => {
    const fixed = new Map([[0, { x: 5000, y: -5000 }]]);
    const pos = forceLayout({ count: 10, edges: [0, 1, 1, 2, 2, 3], fixed });
    expect([pos[0], pos[1]]).toEqual([5000, -5000]);
    // Nodes 4…9 have no links: a grid beside the rest, none on top of another.
    const seen = new Set<string>();
    for (let v = 4; v < 10; v++) seen.add(`${Math.round(pos[2 * v]!)}:${Math.round(pos[2 * v + 1]!)}`);
    expect(seen.size).toBe(6);
    expect(forceLayout({ count: 0, edges: [] })).toHaveLength(0);
  });
});
