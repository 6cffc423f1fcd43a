/**
 * GET /api/compare (issue 17): two periods of the graph (programmes active in two year ranges, who was with them,
 * their links) or two versions of it (what the team added, changed and removed, from the audit trail). Over the
 * GraphStore interface only (exportAll, listAudit), so both stores answer alike; the membership logic is the pure
 * server/domain/period-compare.ts.
 */
import { Invalid } from '../domain/errors.ts';
import {
  changedProperties,
  countMemberships,
  formatYearRange,
  fractionalYear,
  netChanges,
  periodMembers,
  type CompareView,
  type Membership,
  type RecordChange,
  type YearRange,
} from '../domain/period-compare.ts';
import type { GraphLink, GraphNode } from '../schema/graph.schema.ts';
import type { AuditEntry, GraphStore } from '../store/graph-store.ts';

/** Entries read per page of the audit trail. */
const AUDIT_PAGE = 1000;
/** Records listed per list (added, changed, removed) of a version comparison; the counts are whole. */
export const VERSION_LIST_MAX = 1000;

const LABEL_ORDER = ['Programme', 'Organisation'];

function nodeRef(node: GraphNode) {
  return { id: node.id, label: node.label, name_en: node.name_en, name_km: node.name_km };
}

function byLabelThenName(x: GraphNode, y: GraphNode): number {
  const rank = (n: GraphNode) => (LABEL_ORDER.includes(n.label) ? LABEL_ORDER.indexOf(n.label) : LABEL_ORDER.length);
  return rank(x) - rank(y) || x.name_en.localeCompare(y.name_en) || x.id.localeCompare(y.id);
}

export async function comparePeriods(store: GraphStore, view: CompareView, a: YearRange, b: YearRange, now = fractionalYear()) {
  const graph = await store.exportAll();
  const members = periodMembers(graph, view, a, b, now);
  const nodes = graph.nodes.filter((n) => members.nodes.has(n.id)).sort(byLabelThenName);
  const links = graph.links.filter((l) => members.links.has(l.id)).sort((x, y) => x.id.localeCompare(y.id));
  const labelOf = new Map(nodes.map((n) => [n.id, n.label]));
  const membership = (id: string, map: ReadonlyMap<string, Membership>) => map.get(id)!;
  return {
    kind: 'periods' as const,
    view,
    a: formatYearRange(a),
    b: formatYearRange(b),
    nodes: nodes.map((n) => ({ id: n.id, in: membership(n.id, members.nodes) })),
    links: links.map((l) => ({ id: l.id, in: membership(l.id, members.links) })),
    counts: {
      nodes: countMemberships(members.nodes),
      links: countMemberships(members.links),
      programmes: countMemberships(members.nodes, (id) => labelOf.get(id) === 'Programme'),
      organisations: countMemberships(members.nodes, (id) => labelOf.get(id) === 'Organisation'),
    },
    entered: nodes.filter((n) => members.nodes.get(n.id) === 'b').map(nodeRef),
    left: nodes.filter((n) => members.nodes.get(n.id) === 'a').map(nodeRef),
    elements: { nodes, links },
  };
}

/** A version asked for: after the audit entry with this seq (0: before any), or as it stood at this instant. */
export type VersionRef = { seq: number } | { at: string };

/** True when an entry is part of the version `ref` (committed at or before it). */
function within(entry: AuditEntry, ref: VersionRef): boolean {
  return 'seq' in ref ? entry.seq <= ref.seq : entry.at <= ref.at;
}

function recordRef(change: RecordChange) {
  const record = (change.after ?? change.before)!;
  if (change.entity === 'node') {
    const node = record as GraphNode;
    return { entity: 'node' as const, id: change.id, label: node.label, name_en: node.name_en, name_km: node.name_km };
  }
  const link = record as GraphLink;
  return { entity: 'link' as const, id: change.id, type: link.type, from: link.from, to: link.to };
}

/**
 * What changed between two versions: the audit entries after `from` up to `to`, netted per record. Reads the
 * trail newest first, a page at a time, down to the first entry `from` holds. 400 (naming the parameter) for a
 * seq after the latest entry, or for `from` after `to`.
 */
export async function compareVersions(store: GraphStore, from: VersionRef, to: VersionRef) {
  const latest = (await store.listAudit({ limit: 1 }))[0]?.seq ?? 0;
  for (const [name, ref] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if ('seq' in ref && ref.seq > latest) {
      throw new Invalid(`query parameter "${name}": there is no version ${ref.seq}: the latest is ${latest}`, { parameter: name, latest }, 'invalid_parameter');
    }
  }
  const inRange: AuditEntry[] = [];
  let toEntry: AuditEntry | undefined;
  let fromEntry: AuditEntry | undefined;
  let before: number | undefined;
  pages: for (;;) {
    const page = await store.listAudit({ limit: AUDIT_PAGE, ...(before !== undefined ? { before } : {}) });
    for (const entry of page) {
      if (!within(entry, to)) continue;
      toEntry ??= entry;
      if (within(entry, from)) {
        fromEntry = entry;
        break pages;
      }
      inRange.push(entry);
    }
    if (page.length < AUDIT_PAGE) break;
    before = page.at(-1)!.seq;
  }
  // A seq names its version itself; a time, the newest entry at or before it.
  const fromSeq = 'seq' in from ? from.seq : (fromEntry?.seq ?? 0);
  const toSeq = 'seq' in to ? to.seq : (toEntry?.seq ?? 0);
  if (fromSeq > toSeq) {
    throw new Invalid(`query parameter "to": version ${toSeq} is before "from" (version ${fromSeq})`, { parameter: 'to', from: fromSeq, to: toSeq }, 'invalid_parameter');
  }
  const changes = netChanges(inRange).sort((x, y) => (x.entity === y.entity ? x.id.localeCompare(y.id) : x.entity === 'node' ? -1 : 1));
  const added = changes.filter((c) => c.before === null);
  const removed = changes.filter((c) => c.after === null);
  const changed = changes.filter((c) => c.before !== null && c.after !== null);
  const cap = <T>(list: T[]) => list.slice(0, VERSION_LIST_MAX);
  return {
    kind: 'versions' as const,
    from: { seq: fromSeq, at: fromEntry?.at ?? null },
    to: { seq: toSeq, at: toEntry?.at ?? null },
    entries: inRange.length,
    counts: { added: added.length, changed: changed.length, removed: removed.length },
    added: cap(added).map(recordRef),
    changed: cap(changed).map((c) => ({ ...recordRef(c), properties: changedProperties(c.before!, c.after!) })),
    removed: cap(removed).map(recordRef),
    truncated: Math.max(added.length, changed.length, removed.length) > VERSION_LIST_MAX,
  };
}
