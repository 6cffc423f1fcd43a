/**
 * The Map view's colouring (web/src/lib/map/presence.ts) on the DAR seed: how many programmes work in each area,
 * rolled up by gazetteer code; the time slider changes it; where one programme (with its phases) or organisation
 * works; the legend's classes. And which shapes the map colours at each level (map-shapes.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_GRAPH, mergeRecords, type ExplorerGraph } from '../../../web/src/lib/graph/elements.ts';
import { effectiveLevel, levelOfArea, shapesIn, type MapShape } from '../../../web/src/lib/map/map-shapes.ts';
import { areaCode, classText, COUNT_CLASSES, countColour, NONE_COLOUR, programmesByArea, reachOf, wholeAreaProgrammes, workedAreas } from '../../../web/src/lib/map/presence.ts';
import { filterGraph } from '../../../web/src/lib/scene/scene-filter.ts';
import { loadSeed } from '../../support/seed-fixture.ts';

const NOW = 2026.5;
let seed: ExplorerGraph;
const at = (years: { from: number; to: number } | null) => filterGraph(seed, { labels: null, types: null, years, hidden: [] }, NOW);
const sorted = (set: Set<string> | undefined) => [...(set ?? [])].sort();

beforeAll(async () => {
  const data = await loadSeed();
  seed = mergeRecords(EMPTY_GRAPH, data.nodes, data.links).graph;
});

describe('how many programmes work in each area', () => {
  it('counts each programme once per area, rolled up from districts to their province', () => {
    const counts = programmesByArea(at(null));
    // Banan: EU DAR and DAR phase 2 work there.
    expect(sorted(counts.get('0201'))).toEqual(['dar-2', 'eu-dar']);
    // Battambang: those of its districts and those working in the whole province, each once.
    expect(sorted(counts.get('02'))).toEqual(['cpdd-civic-engagement', 'dar', 'dar-1', 'dar-2', 'eu-dar', 'isd-2']);
    expect(sorted(counts.get('08'))).toEqual(['dar-1', 'eu-dar']);
    // A programme working in the whole province is not counted for each district.
    expect(counts.get('0201')?.has('isd-2')).toBe(false);
    // ISD II's other provinces (Banteay Meanchey, Siem Reap, Stung Treng); no programme in Kampong Cham.
    expect(sorted(counts.get('01'))).toEqual(['isd-2']);
    expect(sorted(counts.get('19'))).toEqual(['isd-2']);
    expect(counts.get('03')).toBeUndefined();
  });

  it('follows the time slider: programmes not active in the years are not counted', () => {
    expect(sorted(programmesByArea(at({ from: 2017, to: 2017 })).get('0201'))).toEqual(['eu-dar']);
    expect(sorted(programmesByArea(at({ from: 2020, to: 2021 })).get('0201'))).toEqual(['dar-2']);
    expect(programmesByArea(at({ from: 2024, to: 2025 })).get('0201')).toBeUndefined();
    expect(programmesByArea(at({ from: 2024, to: 2025 })).get('02')).toBeUndefined();
    expect(sorted(programmesByArea(at({ from: 2026, to: 2027 })).get('02'))).toEqual(['isd-2']);
  });

  it('names the programmes working in the whole of an area, which its districts do not count', () => {
    // Battambang as a whole: those linked to the province, not those of its districts.
    expect(sorted(wholeAreaProgrammes(at(null), '02'))).toEqual(['cpdd-civic-engagement', 'dar', 'dar-1', 'isd-2']);
    // Banan's communes: Banan's own programmes and Battambang's.
    expect(sorted(wholeAreaProgrammes(at(null), '0201'))).toEqual(['cpdd-civic-engagement', 'dar', 'dar-1', 'dar-2', 'eu-dar', 'isd-2']);
    expect(sorted(wholeAreaProgrammes(at({ from: 2026, to: 2027 }), '02'))).toEqual(['isd-2']);
    expect(wholeAreaProgrammes(at(null), '03').size).toBe(0);
  });

  it('follows the filters: without WORKS_IN links nothing is counted', () => {
    const noWorks = filterGraph(seed, { labels: null, types: ['PART_OF', 'FUNDED_BY'], years: null, hidden: [] }, NOW);
    expect(programmesByArea(noWorks).size).toBe(0);
  });

  it('reads the code of an area from its node, or from its kh-<code> id', () => {
    expect(areaCode(seed.nodes.get('kh-0201'))).toBe('0201');
    expect(areaCode({ ...seed.nodes.get('kh-0201')!, code: undefined } as never)).toBe('0201');
    expect(areaCode(seed.nodes.get('dar'))).toBeUndefined();
  });
});

describe('where one programme or organisation works', () => {
  it('a programme with its phases: here where they work, in part where they work inside', () => {
    const dar = workedAreas(at(null), 'dar');
    // DAR itself works in Battambang; its phases in Battambang's districts and in Kandal.
    expect(dar.has('02') && dar.has('08') && dar.has('0201')).toBe(true);
    expect(reachOf('0201', dar)).toBe('here');
    expect(reachOf('08', dar)).toBe('here');
    expect(reachOf('0801', dar)).toBe('here'); // inside Kandal, where DAR phase 1 works
    expect(reachOf('01', dar)).toBeUndefined();
    const darTwo = workedAreas(at(null), 'dar-2');
    expect(reachOf('02', darTwo)).toBe('part');
    expect(reachOf('020101', darTwo)).toBe('here');
    expect(reachOf('08', darTwo)).toBeUndefined();
  });

  it('an organisation through the programmes it funds or implements, after the time slider', () => {
    expect(reachOf('0201', workedAreas(at(null), 'bmz'))).toBe('here');
    // In 2024–2025 BMZ's programmes in Banan (EU DAR, DAR 2) have ended; ISD works in the whole province.
    const later = workedAreas(at({ from: 2024, to: 2025 }), 'bmz');
    expect(workedAreas(at({ from: 2017, to: 2017 }), 'bmz').has('0201')).toBe(true);
    expect(later.has('0201')).toBe(false);
    expect(workedAreas(at(null), 'nobody-at-all').size).toBe(0);
  });
});

describe('the legend', () => {
  it('has fixed classes covering every count, so that a colour means the same count everywhere', () => {
    expect(COUNT_CLASSES.map(classText)).toEqual(['1', '2', '3–4', '5–9', '10+']);
    for (let i = 1; i < COUNT_CLASSES.length; i++) expect(COUNT_CLASSES[i]!.min).toBe(COUNT_CLASSES[i - 1]!.max + 1);
    expect(countColour(0)).toBe(NONE_COLOUR);
    expect(countColour(1)).not.toBe(countColour(2));
    expect(countColour(6)).toBe(COUNT_CLASSES[3]!.colour);
    expect(countColour(250)).toBe(COUNT_CLASSES[4]!.colour);
    expect(new Set(COUNT_CLASSES.map((c) => c.colour)).size).toBe(5);
  });
});

describe('what the map colours', () => {
  const shape = (code: string | null, level: MapShape['level'], inside: string | null): MapShape => ({
    key: code ? `kh-${code}` : `shape-${level}-0`,
    code,
    level,
    en: code ?? 'x',
    km: '',
    in: inside,
    d: '',
    point: false,
    centre: [0, 0],
    bounds: [
      [0, 0],
      [1, 1],
    ],
  });

  it('provinces for the country (districts zoomed in), a province’s districts, a district’s communes', () => {
    expect(effectiveLevel('auto', null, 1)).toBe('province');
    expect(effectiveLevel('auto', null, 3)).toBe('district');
    expect(effectiveLevel('auto', 'kh-02', 1)).toBe('district');
    expect(effectiveLevel('auto', 'kh-0201', 1)).toBe('commune');
    expect(effectiveLevel('commune', 'kh-02', 1)).toBe('commune');
    expect(levelOfArea('kh-020101')).toBe('commune');
    const districts = [shape('0201', 'district', '02'), shape('0301', 'district', '03'), shape(null, 'district', '02')];
    expect(shapesIn(districts, 'kh-02').map((s) => s.key)).toEqual(['kh-0201', 'shape-district-0']);
    expect(shapesIn(districts, null)).toHaveLength(3);
  });
});
