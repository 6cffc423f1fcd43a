/** The scene's graph, headless: Explore's expansions (and collapsing), filters and the time range, on the DAR seed. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphLink, GraphNode } from '../../../server/schema/graph.schema.ts';
import { EMPTY_GRAPH, mergeRecords, type ExplorerGraph } from '../../../web/src/lib/graph/elements.ts';
import { exploreGraph, liveExpansions, slicePage, type LoadedPage } from '../../../web/src/lib/scene/explore-graph.ts';
import { filterGraph, overlaps, periodOf, yearBounds, yearOf } from '../../../web/src/lib/scene/scene-filter.ts';
import { expansionKey, type Expansion } from '../../../web/src/lib/scene/scene-state.ts';
import { loadSeed } from '../../support/seed-fixture.ts';

let seed: ExplorerGraph;
const NOW = 2026.5;

/** What GET /api/nodes/:id/neighbours answers, from the seed. */
function page(id: string, limit = 500, type?: GraphLink['type'], direction: 'in' | 'out' | 'both' = 'both'): LoadedPage {
  const all = [...seed.links.values()].filter(
    (l) =>
      (!type || l.type === type) &&
      ((direction !== 'in' && l.from === id) || (direction !== 'out' && l.to === id)),
  );
  const links = all.slice(0, limit);
  const others = new Set(links.map((l) => (l.from === id ? l.to : l.from)));
  return { node: seed.nodes.get(id)!, total: all.length, links, nodes: [...others].map((o) => seed.nodes.get(o)!) };
}

function pagesFor(expansions: Expansion[]): Map<string, LoadedPage> {
  return new Map(expansions.map((e) => [expansionKey(e), page(e.id, e.limit, e.type, e.direction)]));
}

beforeAll(async () => {
  const data = await loadSeed();
  seed = mergeRecords(EMPTY_GRAPH, data.nodes, data.links).graph;
});

describe('Explore: the graph of the expansions', () => {
  it('builds the same graph from the same expansions, with "more" for what is not shown', () => {
    const expansions: Expansion[] = [{ id: 'dar', direction: 'both', limit: 5, seed: true }];
    const result = exploreGraph(expansions, pagesFor(expansions));
    expect(result.graph.nodes.size).toBe(6);
    expect(result.missing).toEqual([]);
    expect(result.more.get('dar')).toBe(page('dar').total - 5);
    expect([...exploreGraph(expansions, pagesFor(expansions)).graph.nodes.keys()]).toEqual([...result.graph.nodes.keys()]);
  });

  it('asks for pages it lacks, or that are shorter than the limit asked', () => {
    const expansions: Expansion[] = [{ id: 'dar', direction: 'both', limit: 20, seed: true }];
    const short = new Map([[expansionKey(expansions[0]!), page('dar', 10)]]);
    expect(exploreGraph(expansions, short).missing).toEqual(expansions);
    expect(exploreGraph(expansions, new Map()).missing).toEqual(expansions);
    expect(exploreGraph(expansions, new Map()).graph.nodes.size).toBe(0);
  });

  it('expands by type and direction with a cap', () => {
    const expansions: Expansion[] = [
      { id: 'kh-02', direction: 'both', limit: 1, seed: true },
      { id: 'kh-02', type: 'PART_OF', direction: 'in', limit: 10 },
    ];
    const { graph } = exploreGraph(expansions, pagesFor(expansions));
    const districts = [...graph.links.values()].filter((l) => l.type === 'PART_OF' && l.to === 'kh-02');
    expect(districts).toHaveLength(10);
  });

  it('collapsing a node removes what grew from it, and what grew from that', () => {
    const expansions: Expansion[] = [
      { id: 'dar', direction: 'both', limit: 40, seed: true },
      { id: 'dar-2', direction: 'both', limit: 40 },
      { id: 'kh-0201', direction: 'both', limit: 40 },
      { id: 'mcs', direction: 'both', limit: 40, seed: true },
    ];
    const pages = pagesFor(expansions);
    const before = exploreGraph(expansions, pages).graph;
    expect(before.nodes.has('kh-0201')).toBe(true);
    const live = liveExpansions(
      expansions.filter((e) => e.id !== 'dar-2'),
      pages,
    );
    expect(live.map((e) => e.id)).toEqual(['dar', 'mcs']);
    const after = exploreGraph(live, pages).graph;
    expect(after.nodes.has('kh-0201')).toBe(false);
    expect(after.nodes.has('dar-2')).toBe(true); // still a neighbour of DAR
  });

  it('cuts a page to its limit with only the nodes its links reach', () => {
    const full = page('dar');
    const cut = slicePage(full, 3);
    expect(cut.links).toHaveLength(3);
    expect(cut.nodes.length).toBeLessThanOrEqual(3);
  });
});

describe('filters and the time range', () => {
  it('reads periods as fractional years', () => {
    expect(yearOf('2016-05', 'start')).toBeCloseTo(2016 + 4 / 12);
    expect(yearOf('2018-12', 'end')).toBe(2019);
    expect(yearOf('2022', 'end')).toBe(2023);
    expect(periodOf({ start: '2022', status: 'active' }, NOW)).toEqual({ from: 2022, to: NOW, ongoing: true });
    expect(periodOf({ start: '2011', end: '2016' }, NOW)).toEqual({ from: 2011, to: 2017, ongoing: false });
    expect(periodOf({}, NOW)).toBeUndefined();
    expect(overlaps({ from: 2011, to: 2017, ongoing: false }, { from: 2016, to: 2016 })).toBe(true);
    expect(overlaps({ from: 2011, to: 2017, ongoing: false }, { from: 2017, to: 2020 })).toBe(false);
    expect(overlaps(undefined, { from: 1990, to: 1991 })).toBe(true);
  });

  it('keeps labels and types asked for, drops hidden nodes and links to dropped nodes', () => {
    const shown = filterGraph(seed, { labels: ['Programme', 'Organisation'], types: ['FUNDED_BY'], years: null, hidden: ['giz'] }, NOW);
    expect([...shown.nodes.values()].every((n) => n.label === 'Programme' || n.label === 'Organisation')).toBe(true);
    expect(shown.nodes.has('giz')).toBe(false);
    expect([...shown.links.values()].every((l) => l.type === 'FUNDED_BY')).toBe(true);
    expect(shown.links.size).toBe([...seed.links.values()].filter((l) => l.type === 'FUNDED_BY' && l.to !== 'giz').length);
  });

  it('shows what was active in a year range, and who worked with it', () => {
    const active = filterGraph(seed, { labels: null, types: null, years: { from: 2012, to: 2014 }, hidden: [] }, NOW);
    const programmes = [...active.nodes.values()].filter((n) => n.label === 'Programme').map((n) => n.id).sort();
    // Running in 2012–2014 by their dates: EU SPACE, NP-SNDD, IP3-I, SDC's SNDD support, RILGP-II... and every
    // programme without dates (ARDP …) or without an end (Seila, CARERE …), which is never ruled out.
    for (const id of ['ardp', 'eu-space', 'np-sndd', 'ip3-1', 'sdc-sndd', 'seila', 'carere', 'commune-sangkat-fund']) expect(programmes).toContain(id);
    for (const id of ['dar-1', 'dar-2', 'isd', 'isd-2', 'np-2', 'ip3-2', 'ip3-3', 'rilgp', 'sdc-sndd-3', 'eu-dar']) expect(programmes).not.toContain(id);
    // Luxembourg funds only ISD and ISD II (2022–): gone; SDC stays for its SNDD support (2013–2015); topics stay.
    expect(active.nodes.has('luxembourg')).toBe(false);
    expect(active.nodes.has('sdc')).toBe(true);
    const later = filterGraph(seed, { labels: null, types: null, years: { from: 2023, to: 2024 }, hidden: [] }, NOW);
    expect(later.nodes.has('isd')).toBe(true);
    expect(later.nodes.has('sdc')).toBe(true);
    expect(later.nodes.has('dar-1')).toBe(false);
  });

  it('never filters out the nodes it is told to keep', () => {
    const kept = filterGraph(seed, { labels: ['Topic'], types: null, years: null, hidden: ['mcs'] }, NOW, new Set(['mcs', 'dar']));
    expect(kept.nodes.has('mcs')).toBe(true);
    expect(kept.nodes.has('dar')).toBe(true);
  });

  it('finds the years the programmes span', () => {
    expect(yearBounds(seed.nodes.values(), NOW)).toEqual({ from: 1992, to: 2030 }); // CARERE … NP-2, ISD II
  });
});

export type { GraphNode };
