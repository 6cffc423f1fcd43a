/** The pure membership logic of GET /api/compare (server/domain/period-compare.ts). */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../server/domain/graph-values.ts';
import {
  activeIn,
  activePeriod,
  changedProperties,
  countMemberships,
  netChanges,
  parseYearRange,
  periodMembers,
  PARTNERSHIP_LINK_TYPES,
} from '../../../server/domain/period-compare.ts';
import type { GraphLink, GraphNode } from '../../../server/schema/graph.schema.ts';
import { PARTNERSHIP_TYPES } from '../../../web/src/lib/views/partnerships.view.ts';
import { overlaps, periodOf } from '../../../web/src/lib/scene/scene-filter.ts';

const NOW = 2026.5;
const programme = (id: string, start?: string, end?: string, status?: 'active' | 'completed'): GraphNode =>
  ({ label: 'Programme', id, name_en: id, name_km: 'ក', sources: [], ...(start ? { start } : {}), ...(end ? { end } : {}), ...(status ? { status } : {}) }) as GraphNode;
const org = (id: string): GraphNode => ({ label: 'Organisation', id, name_en: id, name_km: 'ក', sources: [], type: 'government-donor' }) as GraphNode;
const topic = (id: string): GraphNode => ({ label: 'Topic', id, name_en: id, name_km: 'ក', sources: [] }) as GraphNode;
const link = (id: string, type: GraphLink['type'], from: string, to: string, extra: Partial<GraphLink> = {}): GraphLink => ({ id, type, from, to, sources: ['x'], ...extra }) as GraphLink;

describe('year ranges', () => {
  it('reads 2008-2012, one year and an en dash; refuses backwards, out of range and words', () => {
    expect(parseYearRange('2008-2012')).toEqual({ from: 2008, to: 2012 });
    expect(parseYearRange('2010')).toEqual({ from: 2010, to: 2010 });
    expect(parseYearRange('2008–2012')).toEqual({ from: 2008, to: 2012 });
    expect(parseYearRange('2012-2008')).toMatch(/forward/);
    expect(parseYearRange('1800-1900')).toMatch(/between/);
    expect(parseYearRange('recent')).toMatch(/year range/);
  });
});

describe('a programme active in a period', () => {
  it('meets the whole years of the range, month-precise at its ends', () => {
    expect(activeIn(activePeriod({ start: '2016-05', end: '2018-12' }, NOW), { from: 2018, to: 2022 })).toBe(true);
    expect(activeIn(activePeriod({ start: '2016-05', end: '2017-12' }, NOW), { from: 2018, to: 2022 })).toBe(false);
    expect(activeIn(activePeriod({ start: '2013-01' }, NOW), { from: 2008, to: 2012 })).toBe(false);
    expect(activeIn(activePeriod({ start: '2012-12' }, NOW), { from: 2008, to: 2012 })).toBe(true);
  });
  it('without an end runs to now when active, lasts its start year when completed; without a start is in no period', () => {
    expect(activeIn(activePeriod({ start: '2002' }, NOW), { from: 2020, to: 2022 })).toBe(true);
    expect(activeIn(activePeriod({ start: '2002', status: 'completed' }, NOW), { from: 2020, to: 2022 })).toBe(false);
    expect(activeIn(activePeriod({ start: '2002', status: 'completed' }, NOW), { from: 2002, to: 2002 })).toBe(true);
    expect(activeIn(activePeriod({}, NOW), { from: 1900, to: 2100 })).toBe(false);
  });
  it("agrees with the explorer's time slider for every dated record", () => {
    const records = [{ start: '2016-05', end: '2018-12' }, { start: '2002' }, { start: '2002', status: 'completed' }, { start: '2019-06-01', end: '2025-06-30' }, { start: '2026', end: '2030', status: 'active' }];
    for (const record of records) {
      for (let from = 2000; from <= 2030; from += 3) {
        const years = { from, to: from + 2 };
        expect(activeIn(activePeriod(record, NOW), years), JSON.stringify([record, years])).toBe(overlaps(periodOf(record, NOW), years));
      }
    }
  });
  it('compares the same partnership links as the Partnerships view draws', () => {
    expect([...PARTNERSHIP_LINK_TYPES]).toEqual([...PARTNERSHIP_TYPES]);
  });
});

describe('membership of nodes and links', () => {
  const nodes = [programme('old', '2005', '2010'), programme('new', '2019', '2021'), programme('long', '2009', '2020'), programme('undated'), org('bmz'), org('eu'), org('sdc'), topic('t')];
  const links = [
    link('old-bmz', 'FUNDED_BY', 'old', 'bmz'),
    link('new-bmz', 'FUNDED_BY', 'new', 'bmz'),
    link('long-eu', 'FUNDED_BY', 'long', 'eu'),
    // The link's own dates narrow it: SDC partnered with "long" only 2009–2011.
    link('long-sdc', 'PARTNERS_WITH', 'long', 'sdc', { start: '2009', end: '2011' }),
    link('undated-sdc', 'FUNDED_BY', 'undated', 'sdc'),
    link('new-succeeds-long', 'SUCCEEDS', 'new', 'long'),
    link('old-succeeded', 'SUCCEEDS', 'long', 'old'),
    link('long-t', 'ABOUT', 'long', 't'),
  ];
  const a = { from: 2008, to: 2012 };
  const b = { from: 2018, to: 2022 };

  it('Partnerships: programmes by their dates, organisations through funding and partnering links', () => {
    const m = periodMembers({ nodes, links }, 'partnerships', a, b, NOW);
    expect(Object.fromEntries(m.nodes)).toEqual({ old: 'a', long: 'both', new: 'b', bmz: 'both', eu: 'both', sdc: 'a' });
    expect(Object.fromEntries(m.links)).toEqual({ 'old-bmz': 'a', 'new-bmz': 'b', 'long-eu': 'both', 'long-sdc': 'a' });
    expect(countMemberships(m.nodes)).toEqual({ a: 2, b: 1, both: 3 });
    expect(countMemberships(m.nodes, (id) => ['bmz', 'eu', 'sdc'].includes(id))).toEqual({ a: 1, b: 0, both: 2 });
  });

  it('Explore: every link of a programme; a link between programmes needs both active', () => {
    const m = periodMembers({ nodes, links }, 'explore', a, b, NOW);
    expect(m.links.get('new-succeeds-long')).toBe('b');
    expect(m.links.get('old-succeeded')).toBe('a');
    expect(m.links.get('long-t')).toBe('both');
    expect(m.nodes.get('t')).toBe('both');
    expect(m.nodes.has('undated')).toBe(false);
    expect(m.links.has('undated-sdc')).toBe(false);
  });
});

describe('two versions from the audit trail', () => {
  const entry = (seq: number, changes: AuditEntry['changes']): AuditEntry => ({ id: `e${seq}`, seq, at: `2026-01-0${seq}T00:00:00.000Z`, by: 'alice', action: 'upsert', changes });
  const t1 = topic('t1');
  const t1b = { ...t1, name_en: 'T one', version: 2, updated_at: 'x' } as GraphNode;

  it('nets each record from before its first change to after its last, in seq order whatever the order given', () => {
    const entries = [
      entry(3, [{ entity: 'node', id: 't1', before: t1b, after: null }]),
      entry(1, [{ entity: 'node', id: 't1', before: null, after: t1 }, { entity: 'node', id: 't2', before: topic('t2'), after: { ...topic('t2'), name_en: 'two' } as GraphNode }]),
      entry(2, [{ entity: 'node', id: 't1', before: t1, after: t1b }, { entity: 'node', id: 't3', before: topic('t3'), after: { ...topic('t3'), version: 5 } as GraphNode }]),
    ];
    // t1 was made and removed inside the range (nothing), t3 changed only its stamps (nothing), t2 changed.
    expect(netChanges(entries).map((c) => c.id)).toEqual(['t2']);
    expect(netChanges(entries.slice(1)).map((c) => [c.id, c.before === null ? 'added' : 'changed'])).toEqual([['t1', 'added'], ['t2', 'changed']]);
  });

  it('names the properties that differ, not the stamps', () => {
    expect(changedProperties({ a: 1, b: [1], version: 1 }, { a: 1, b: [2], c: 'x', version: 2, updated_by: 'bob' })).toEqual(['b', 'c']);
  });
});
