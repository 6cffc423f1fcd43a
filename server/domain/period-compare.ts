/**
 * Comparing the graph of two periods (issue 17): which programmes were active in each year range, which
 * organisations (and, in Explore, other nodes) were linked to them, and through which links — each one's
 * membership `a` (only the first period), `b` (only the second) or `both`. And comparing two versions of the graph
 * from its audit trail: what was added, changed and removed between them. Pure: the service
 * (server/services/compare.service.ts) reads the store, the explorer colours by the answer.
 *
 * A period follows the explorer's time slider (periodOf in server/schema/period.ts, which the slider uses too): a programme runs from
 * its start to the end of its end; without an end an active, planned or undated-status programme runs to now,
 * any other lasts its start year. Unlike the slider, a programme without a start is in no period (the comparison
 * cannot say when it was active), and so are its links.
 */
import type { GraphLink, GraphNode, LinkType } from '../schema/graph.schema.ts';
import { periodOf } from '../schema/period.ts';
import { sameRecord } from '../store/record-compare.ts';
import type { AuditEntry, EntityKind } from './graph-values.ts';

/** Whole years, both ends included: 2008–2012. */
export interface YearRange {
  from: number;
  to: number;
}

export const COMPARE_VIEWS = ['explore', 'partnerships'] as const;
export type CompareView = (typeof COMPARE_VIEWS)[number];
export type Membership = 'a' | 'b' | 'both';

/** The links a Partnerships scene draws (the same as web/src/lib/views/partnerships.view.ts's PARTNERSHIP_TYPES). */
export const PARTNERSHIP_LINK_TYPES: readonly LinkType[] = ['FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH'];

export const YEAR_MIN = 1900;
export const YEAR_MAX = 2100;

/** "2008-2012" (or "2008" for one year) → { from: 2008, to: 2012 }; a message saying what is wrong otherwise. */
export function parseYearRange(text: string): YearRange | string {
  const match = /^(\d{4})(?:\s*[-–]\s*(\d{4}))?$/.exec(text.trim());
  if (!match) return 'must be a year range, e.g. 2008-2012 (or one year, e.g. 2010)';
  const from = Number(match[1]);
  const to = Number(match[2] ?? match[1]);
  if (from < YEAR_MIN || to > YEAR_MAX) return `must be years between ${YEAR_MIN} and ${YEAR_MAX}`;
  if (from > to) return `must run forward: ${from} is after ${to}`;
  return { from, to };
}

export function formatYearRange(range: YearRange): string {
  return range.from === range.to ? String(range.from) : `${range.from}-${range.to}`;
}

/** [from, to) in fractional years, or undefined without a start (see the module's comment). */
export function activePeriod(record: { start?: string; end?: string; status?: string }, now: number): { from: number; to: number } | undefined {
  return periodOf(record, now);
}

/** True when the period meets the whole years of the range. */
export function activeIn(period: { from: number; to: number } | undefined, range: YearRange): boolean {
  return period !== undefined && period.from < range.to + 1 && period.to > range.from;
}

/** The current year, fractional (e.g. 2026.9), as the explorer reckons it. */
export function fractionalYear(date = new Date()): number {
  return date.getUTCFullYear() + date.getUTCMonth() / 12;
}

export interface PeriodMembers {
  /** Node id → membership. */
  nodes: Map<string, Membership>;
  /** Link id → membership. */
  links: Map<string, Membership>;
}

/** True when the view compares this link (its ends given): see periodMembers. */
export function inScope(view: CompareView, link: GraphLink, labelOf: (id: string) => string | undefined): boolean {
  const from = labelOf(link.from);
  const to = labelOf(link.to);
  if (from === undefined || to === undefined) return false;
  if (view === 'partnerships') return PARTNERSHIP_LINK_TYPES.includes(link.type) && from === 'Programme' && to === 'Organisation';
  return from === 'Programme' || to === 'Programme';
}

/**
 * Who belongs to which period. In a period: the programmes active in it; the links the view compares (Explore:
 * every link of a programme; Partnerships: funding, implementing and partnering links from a programme to an
 * organisation) whose programme ends are all active in it and whose own dates, when they have a start, meet it;
 * and the nodes at the ends of those links.
 */
export function periodMembers(graph: { nodes: Iterable<GraphNode>; links: Iterable<GraphLink> }, view: CompareView, a: YearRange, b: YearRange, now: number): PeriodMembers {
  const nodes = new Map<string, GraphNode>();
  for (const node of graph.nodes) nodes.set(node.id, node);
  const labelOf = (id: string) => nodes.get(id)?.label;
  const inA = new Set<string>();
  const inB = new Set<string>();
  const linksA = new Set<string>();
  const linksB = new Set<string>();
  const programmePeriod = new Map<string, { from: number; to: number } | undefined>();
  for (const node of nodes.values()) {
    if (node.label !== 'Programme') continue;
    const period = activePeriod(node, now);
    programmePeriod.set(node.id, period);
    if (activeIn(period, a)) inA.add(node.id);
    if (activeIn(period, b)) inB.add(node.id);
  }
  for (const link of graph.links) {
    if (!inScope(view, link, labelOf)) continue;
    const ends = [link.from, link.to].filter((id) => programmePeriod.has(id));
    // A link's own dates, when it has a start (without an end it runs to now, as the time slider has it).
    const own = link.start ? activePeriod(link, now) : undefined;
    for (const [range, members, links] of [
      [a, inA, linksA],
      [b, inB, linksB],
    ] as const) {
      if (!ends.every((id) => activeIn(programmePeriod.get(id), range))) continue;
      if (own && !activeIn(own, range)) continue;
      links.add(link.id);
      members.add(link.from);
      members.add(link.to);
    }
  }
  return { nodes: memberships(inA, inB), links: memberships(linksA, linksB) };
}

function memberships(a: ReadonlySet<string>, b: ReadonlySet<string>): Map<string, Membership> {
  const out = new Map<string, Membership>();
  for (const id of a) out.set(id, b.has(id) ? 'both' : 'a');
  for (const id of b) if (!a.has(id)) out.set(id, 'b');
  return out;
}

export interface MembershipCounts {
  a: number;
  b: number;
  both: number;
}

export function countMemberships(members: ReadonlyMap<string, Membership>, keep: (id: string) => boolean = () => true): MembershipCounts {
  const counts = { a: 0, b: 0, both: 0 };
  for (const [id, membership] of members) if (keep(id)) counts[membership] += 1;
  return counts;
}

// ------------------------------------------------------------------------------------------ versions

export interface RecordChange {
  entity: EntityKind;
  id: string;
  /** The record before the first entry of the range (null: it did not exist). */
  before: GraphNode | GraphLink | null;
  /** The record after the last entry of the range (null: it no longer exists). */
  after: GraphNode | GraphLink | null;
}

/**
 * What changed across audit entries (any order; applied by seq): per record, its state before the first entry
 * touching it and after the last. Records created and deleted within the range, and records that came back equal
 * (ignoring audit stamps), are left out.
 */
export function netChanges(entries: readonly AuditEntry[]): RecordChange[] {
  const byKey = new Map<string, RecordChange>();
  for (const entry of [...entries].sort((x, y) => x.seq - y.seq)) {
    for (const change of entry.changes) {
      // Stories are audited beside the graph: what changed in the graph leaves them out.
      if (change.entity === 'story') continue;
      const before = change.before as GraphNode | GraphLink | null;
      const after = change.after as GraphNode | GraphLink | null;
      const key = `${change.entity}:${change.id}`;
      const known = byKey.get(key);
      if (known) known.after = after;
      else byKey.set(key, { entity: change.entity, id: change.id, before, after });
    }
  }
  return [...byKey.values()].filter((c) => !(c.before === null && c.after === null) && !(c.before && c.after && sameRecord(c.before, c.after)));
}

/** The properties whose values differ between two states of a record (audit stamps ignored), sorted. */
export function changedProperties(before: object, after: object): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const out: string[] = [];
  for (const key of keys) {
    const x = (before as Record<string, unknown>)[key];
    const y = (after as Record<string, unknown>)[key];
    if (x === undefined && y === undefined) continue;
    if (!sameRecord({ v: x }, { v: y })) out.push(key);
  }
  return out.filter((key) => !['created_at', 'created_by', 'updated_at', 'updated_by', 'version'].includes(key)).sort();
}
