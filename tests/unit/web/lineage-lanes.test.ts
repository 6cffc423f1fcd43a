/**
 * Lineage at the size of the whole field, headless: swimlanes by kind with the followed chain first, bars packed
 * into rows without overlapping (captions and chips included), names inside a bar or after it, law and election
 * markers on the year axis with captions that do not overlap, folded lanes, and the readable opening zoom. On the
 * DAR seed plus the landscape fixture (~35 programmes 1992–2030, laws, elections, SUPPORTS).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphLink, GraphNode } from '../../../server/schema/graph.schema.ts';
import { EMPTY_GRAPH, mergeRecords, type ExplorerGraph, type GraphElement } from '../../../web/src/lib/graph/elements.ts';
import { filterGraph } from '../../../web/src/lib/scene/scene-filter.ts';
import {
  barLabelPlace,
  chainsOf,
  followedChain,
  laneOfKind,
  packRows,
  placeMarkers,
  supportedBy,
  textWidth,
} from '../../../web/src/lib/views/lineage-lanes.ts';
import { lineageView, MARKER_STEP, markerWidth, PX_PER_YEAR, READABLE_ZOOM } from '../../../web/src/lib/views/lineage.view.ts';
import { exploreView } from '../../../web/src/lib/views/explore.view.ts';
import { partnershipsView } from '../../../web/src/lib/views/partnerships.view.ts';
import { HUB_LINKS, hubsOf, type Point, type ViewModel } from '../../../web/src/lib/views/view-model.ts';
import { landscapeFixture } from '../../fixtures/landscape.fixture.ts';
import { loadSeed } from '../../support/seed-fixture.ts';

const NOW = 2026.5;
let graph: ExplorerGraph;

function positionsOf(model: ViewModel): ReadonlyMap<string, Point> {
  if (model.layout.kind !== 'preset') throw new Error(`expected preset positions, got ${model.layout.kind}`);
  return model.layout.positions;
}
const classesOf = (e: GraphElement) => e.classes.split(' ');
const view = (lang: 'en' | 'km', follow: string, folded: ('chain' | 'national' | 'fund' | 'donor' | 'other')[] = []) =>
  lineageView(graph, { lang, size: 'none', colour: 'label', axis: 'years', years: null, now: NOW, follow, folded });

beforeAll(async () => {
  const seed = await loadSeed();
  const fixture = landscapeFixture(seed);
  const all = mergeRecords(EMPTY_GRAPH, [...seed.nodes, ...fixture.nodes], [...seed.links, ...fixture.links]).graph;
  graph = filterGraph(
    all,
    { years: null, hidden: [], labels: ['Programme', 'Organisation', 'Law', 'Event'], types: ['SUCCEEDS', 'PART_OF', 'SUPPORTS', 'FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH'] },
    NOW,
  );
});

describe('lanes and chains', () => {
  it('puts national programmes and plans, funds and donor projects in their own lanes', () => {
    expect(laneOfKind('national-programme')).toBe('national');
    expect(laneOfKind('implementation-plan')).toBe('national');
    expect(laneOfKind('fund')).toBe('fund');
    expect(laneOfKind('donor-project')).toBe('donor');
    expect(laneOfKind(undefined)).toBe('other');
  });

  it('finds the chains that succession and phases make, each with its latest programme as head', () => {
    const chains = chainsOf(graph);
    const national = chains.find((c) => c.members.includes('np-2'))!;
    expect(national.head).toBe('np-2');
    expect(national.members).toEqual(expect.arrayContaining(['carere', 'carere2', 'seila', 'np-sndd', 'ip3-1', 'ip3-2', 'ip3-3', 'np-2']));
    expect(national.members).not.toContain('rilgp'); // supports Seila: not the same chain
    const dar = followedChain(graph, 'dar');
    expect([...dar]).toEqual(expect.arrayContaining(['ardp', 'eu-space', 'eu-dar', 'dar', 'dar-1', 'dar-2', 'isd', 'isd-2']));
    expect(chains.find((c) => c.members.includes('dar'))!.head).toBe('isd-2');
    expect(chains.find((c) => c.members.includes('rilgp'))!.members.sort()).toEqual(['rilgp', 'rilgp-2']);
    // Every programme is in exactly one chain.
    const members = chains.flatMap((c) => c.members);
    expect(new Set(members).size).toBe(members.length);
    expect(supportedBy(graph).get('rilgp')?.id).toBe('seila');
  });
});

describe('packing, fitting and markers', () => {
  it('packs bars first-fit into rows, a gap apart, never above their minimum row', () => {
    expect(packRows([{ left: 0, right: 100 }, { left: 50, right: 150 }, { left: 130, right: 250 }], 20)).toEqual([0, 1, 0]);
    expect(packRows([{ left: 0, right: 100 }, { left: 110, right: 200 }], 20)).toEqual([0, 1]); // closer than the gap
    expect(packRows([{ left: 0, right: 100 }, { left: 130, right: 200 }], 20)).toEqual([0, 0]);
    expect(packRows([{ left: 0, right: 100 }, { left: 500, right: 600, minRow: 2 }], 20)).toEqual([0, 2]);
  });

  it("puts a bar's name inside when two lines hold it, after the bar otherwise", () => {
    expect(barLabelPlace(200, 400)).toBe('inside');
    expect(barLabelPlace(600, 300)).toBe('after');
    expect(barLabelPlace(20, 64)).toBe('after'); // a bar of a few months: no room for a line
    expect(textWidth('កខគ', 'km', 15)).toBeGreaterThan(textWidth('abc', 'en', 15));
  });

  it('staggers marker captions so that none overlaps another, and drops a caption (not the symbol) when every level is taken', () => {
    const levels = (places: { level: number; caption: boolean }[]) => places.map((p) => `${p.level}${p.caption ? '' : '-'}`);
    expect(levels(placeMarkers([{ x: 50, width: 100 }, { x: 100, width: 100 }, { x: 250, width: 50 }], 3))).toEqual(['0', '1', '0']);
    // A third marker close by: no level for its caption; its symbol alone goes where it has room.
    expect(levels(placeMarkers([{ x: 50, width: 100 }, { x: 60, width: 100 }, { x: 70, width: 100 }], 2))).toEqual(['0', '1', '2-']);
    expect(levels(placeMarkers([{ x: 50, width: 300 }, { x: 100, width: 20 }, { x: 120, width: 300 }, { x: 400, width: 300 }], 2))).toEqual(['0', '1', '2-', '0']);
    // Order of the input is kept in the output, whatever the order of x.
    expect(levels(placeMarkers([{ x: 300, width: 10 }, { x: 20, width: 10 }], 1))).toEqual(['0', '0']);
  });
});

describe('Lineage of the whole field', () => {
  for (const lang of ['en', 'km'] as const) {
    it(`draws 34 programmes or more in lanes, the followed chain first, no two bars overlapping (${lang})`, () => {
      const model = view(lang, 'np-2');
      const at = positionsOf(model);
      expect(model.lanes!.map((l) => l.key)).toEqual(['chain', 'fund', 'donor']);
      expect(model.lanes![0]!.count).toBeGreaterThanOrEqual(8);
      const bars = model.elements.filter((e) => classesOf(e).includes('bar'));
      expect(bars.length).toBeGreaterThanOrEqual(34);
      for (const id of ['np-2', 'seila', 'carere', 'ip3-2']) expect(classesOf(bars.find((b) => b.data.id === id)!)).toContain('followed');
      // Lanes top to bottom: the chain above the funds above the donor projects.
      expect(at.get('np-sndd')!.y).toBeLessThan(at.get('cs-fund')!.y);
      expect(at.get('cs-fund')!.y).toBeLessThan(at.get('rilgp')!.y);
      // Phases below their programme.
      expect(at.get('ip3-1')!.y).toBeGreaterThan(at.get('np-sndd')!.y);
      // Packed: fewer rows than bars; and in each row, bars with their after-captions and chips do not overlap.
      const extent = (b: GraphElement) => {
        const p = at.get(String(b.data.id))!;
        const w = Number(b.data.w);
        const left = p.x - w / 2;
        const caption = classesOf(b).includes('label-after') ? textWidth(String(b.data.caption), lang, lang === 'km' ? 15 : 13) + 12 : 0;
        const chips = model.elements.filter((e) => classesOf(e).includes('chip') && String(e.data.id).includes(`@${b.data.id}:`));
        const chipsRight = Math.max(left, ...chips.map((c) => at.get(String(c.data.id))!.x + Number(c.data.w) / 2));
        return { y: p.y, left, right: Math.max(left + w + caption, chipsRight) };
      };
      const extents = bars.map(extent);
      expect(new Set(extents.map((e) => e.y)).size).toBeLessThan(bars.length * 0.7);
      for (const [i, a] of extents.entries()) {
        for (const b of extents.slice(i + 1)) {
          if (a.y !== b.y) continue;
          expect(a.right <= b.left || b.right <= a.left, `${JSON.stringify(a)} ${JSON.stringify(b)}`).toBe(true);
        }
      }
      // A short bar (under two years) holds its acronym inside (English); a Khmer name, without a Khmer
      // acronym, goes after the bar, whole, on one line.
      const short = bars.find((b) => b.data.id === 'sdc-sndd-1')!;
      expect(String(short.data.caption)).toContain('2013–2015');
      if (lang === 'en') expect(String(short.data.caption)).toContain('SNDD 1');
      expect(classesOf(short).includes('label-after')).toBe(lang === 'km');
      if (lang === 'km') expect(String(short.data.caption)).not.toContain('…');
      expect(classesOf(bars.find((b) => b.data.id === 'np-2')!)).not.toContain('label-after');
      // A name inside a long bar starts near its left end (moved left from the middle), a short one stays put.
      const np2 = bars.find((b) => b.data.id === 'np-2')!;
      expect(Number(np2.data.mx)).toBeLessThan(-100);
      expect(Number(np2.data.mx)).toBeGreaterThanOrEqual(-Number(np2.data.w) / 2);
      // Opens at a readable zoom on the chain's first bar (1992), not fitted to 40 years.
      expect(model.layout.kind === 'preset' && model.layout.start?.zoom).toBe(READABLE_ZOOM);
    });

    it(`marks laws and elections at their dates on the year axis, captions apart (${lang})`, () => {
      const model = view(lang, 'np-2');
      const at = positionsOf(model);
      const markers = model.elements.filter((e) => classesOf(e).includes('marker'));
      const ids = markers.map((m) => m.data.id);
      expect(ids).toEqual(expect.arrayContaining(['organic-law', 'ncdd-decree-2008', 'ce-2002', 'ce-2022', 'council-2009']));
      expect(ids).not.toContain('undated-law'); // 1980: before every programme
      const year = (id: string) => at.get(`year:${id}`)!.x;
      // At its date: the Organic Law (May 2008) between the 2008 and 2009 ticks.
      expect(at.get('organic-law')!.x).toBeGreaterThan(year('2008'));
      expect(at.get('organic-law')!.x).toBeLessThan(year('2009'));
      expect(at.get('ce-2012')!.x - year('2012')).toBeCloseTo((5 / 12) * PX_PER_YEAR, 0);
      // The real nodes (selecting one opens its sources), laws and events told apart.
      expect(markers.find((m) => m.data.id === 'organic-law')!.data.ref).toBe('organic-law');
      expect(classesOf(markers.find((m) => m.data.id === 'ce-2017')!)).toContain('marker-event');
      // Above every lane; captions on the same level do not overlap.
      const firstBar = Math.min(...model.elements.filter((e) => classesOf(e).includes('bar')).map((b) => at.get(String(b.data.id))!.y));
      const captioned = markers.filter((m) => m.data.caption !== '');
      expect(captioned.length).toBeGreaterThan(markers.length / 2);
      for (const [i, a] of captioned.entries()) {
        const pa = at.get(String(a.data.id))!;
        expect(pa.y).toBeLessThan(firstBar);
        for (const b of captioned.slice(i + 1)) {
          const pb = at.get(String(b.data.id))!;
          if (Math.abs(pa.y - pb.y) >= MARKER_STEP / 2) continue;
          const [left, right] = pa.x < pb.x ? [a, b] : [b, a];
          const leftEnd = at.get(String(left.data.id))!.x + markerWidth(graph.nodes.get(String(left.data.id))!, lang);
          expect(leftEnd, `${left.data.id} / ${right.data.id}`).toBeLessThanOrEqual(at.get(String(right.data.id))!.x);
        }
      }
    });
  }

  it('follows another chain when asked: DAR’s chain goes first, the national programmes to their lane', () => {
    const model = view('en', 'isd-2');
    expect(model.lanes!.map((l) => l.key)).toEqual(['chain', 'national', 'fund', 'donor']);
    expect(model.lanes![0]!.count).toBe(8);
    const bar = (id: string) => model.elements.find((e) => e.data.id === id)!;
    expect(classesOf(bar('dar'))).toContain('followed');
    expect(classesOf(bar('np-2'))).not.toContain('followed');
    const at = positionsOf(model);
    expect(at.get('isd')!.y).toBeLessThan(at.get('np-sndd')!.y);
  });

  it('folds a lane to its name and count', () => {
    const open = view('en', 'np-2');
    const folded = view('en', 'np-2', ['donor']);
    expect(folded.lanes!.find((l) => l.key === 'donor')).toMatchObject({ folded: true, count: open.lanes!.find((l) => l.key === 'donor')!.count });
    expect(folded.elements.some((e) => e.data.id === 'rilgp')).toBe(false);
    expect(folded.elements.some((e) => e.data.id === 'np-2')).toBe(true);
    expect(String(folded.elements.find((e) => e.data.id === 'lane-title:donor')!.data.caption)).toMatch(/^Donor projects \(\d+\)/);
    expect(folded.nodeCount).toBeLessThan(open.nodeCount);
  });
});

describe('phases in a packed lane', () => {
  it('puts a phase below its programme even where a row above has room for it', () => {
    const node = (id: string, start: string, end: string) =>
      ({ label: 'Programme', id, name_en: id.toUpperCase(), name_km: id, acronym: id.toUpperCase(), kind: 'donor-project', start, end, status: 'completed', sources: ['https://example.org/'] }) as GraphNode;
    // A (2005–2008) takes row 0; C (2008–2012) overlaps it and goes to row 1; C's phase P (2011–2012) would fit
    // in row 0 after A, above its own programme.
    const small = mergeRecords(
      EMPTY_GRAPH,
      [node('a', '2005', '2008'), node('c', '2008', '2012'), node('p', '2011', '2012')],
      [{ id: 'p-part-of-c', type: 'PART_OF', from: 'p', to: 'c', sources: ['https://example.org/'] } as GraphLink],
    ).graph;
    const model = lineageView(small, { lang: 'en', size: 'none', colour: 'label', axis: 'years', years: null, now: NOW });
    const at = positionsOf(model);
    expect(at.get('c')!.y).toBeGreaterThan(at.get('a')!.y);
    expect(at.get('p')!.y).toBeGreaterThan(at.get('c')!.y);
  });
});

describe('Explore and Partnerships around a hub', () => {
  it('finds NCDD as a hub and draws its fan of links faint, other links as they are', () => {
    const hubs = hubsOf(graph);
    expect(hubs.has('ncdd')).toBe(true);
    expect(hubs.has('giz')).toBe(false);
    expect([...hubs].every((id) => [...graph.links.values()].filter((l) => l.from === id || l.to === id).length >= HUB_LINKS)).toBe(true);
    const model = exploreView(graph, { lang: 'en', size: 'none', colour: 'label' }, new Map(), []);
    const edges = model.elements.filter((e) => e.group === 'edges');
    const atNcdd = edges.filter((e) => e.data.source === 'ncdd' || e.data.target === 'ncdd');
    expect(atNcdd.length).toBeGreaterThanOrEqual(HUB_LINKS);
    for (const e of atNcdd) expect(classesOf(e)).toContain('hub-edge');
    expect(edges.filter((e) => !classesOf(e).includes('hub-edge')).length).toBeGreaterThan(0);
  });

  it('orders Partnerships national programmes first and opens it at a readable zoom', () => {
    const partnerGraph = filterGraph(graph, { years: null, hidden: [], labels: ['Programme', 'Organisation'], types: ['FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH'] }, NOW);
    const model = partnershipsView(partnerGraph, { lang: 'km', size: 'none', colour: 'label' }, NOW);
    const at = positionsOf(model);
    expect(at.get('seila')!.y).toBeLessThan(at.get('cs-fund')!.y);
    expect(at.get('np-2')!.y).toBeLessThan(at.get('rilgp')!.y);
    expect(model.layout.kind === 'preset' && model.layout.start?.zoom).toBe(READABLE_ZOOM);
  });
});
