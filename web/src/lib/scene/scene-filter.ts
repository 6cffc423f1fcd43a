/**
 * What a scene shows of a graph: labels and relationship types switched off, hidden nodes, and the time range
 * (programmes active in those years). Pure.
 */
import type { GraphLink, GraphNode, Label, LinkType } from '../../../../server/schema/graph.schema.ts';
import { periodOf, yearOf, type Period } from '../../../../server/schema/period.ts';
import type { ExplorerGraph } from '../graph/elements.ts';
import type { YearRange } from './scene-state.ts';

/** The rule of a period is the server's too (server/schema/period.ts): re-exported for the explorer's modules. */
export { periodOf, yearOf, type Period };

export interface SceneFilter {
  labels: readonly Label[] | null;
  types: readonly LinkType[] | null;
  years: YearRange | null;
  hidden: readonly string[];
}

/** True when the period meets the years (inclusive, whole years); an unknown period is never ruled out. */
export function overlaps(period: Period | undefined, years: YearRange): boolean {
  if (!period) return true;
  return period.from < years.to + 1 && period.to > years.from;
}

function nodePeriod(node: GraphNode, now: number): Period | undefined {
  return node.label === 'Programme' ? periodOf(node, now) : undefined;
}

/** The current year, fractional (e.g. 2026.9). */
export function currentYear(date = new Date()): number {
  return date.getUTCFullYear() + date.getUTCMonth() / 12;
}

/**
 * The part of `graph` a filter lets through. With a time range, programmes not active in it go, and so do
 * nodes whose every link went to such programmes (a funder of nothing active); links with their own period
 * outside the range go too. `keep` ids are never filtered out (e.g. the ends of a path asked for).
 */
export function filterGraph(graph: ExplorerGraph, filter: SceneFilter, now = currentYear(), keep: ReadonlySet<string> = new Set()): ExplorerGraph {
  const labels = filter.labels ? new Set(filter.labels) : null;
  const types = filter.types ? new Set(filter.types) : null;
  const hidden = new Set(filter.hidden);
  const years = filter.years;

  const inactive = new Set<string>();
  if (years) {
    for (const node of graph.nodes.values()) {
      if (!keep.has(node.id) && !overlaps(nodePeriod(node, now), years)) inactive.add(node.id);
    }
  }
  const linkShown = (link: GraphLink) =>
    (!types || types.has(link.type)) && (!years || overlaps(periodOf(link, now), years));

  // Nodes left without anything active: all their links went to inactive programmes.
  const stranded = new Set<string>();
  if (years && inactive.size > 0) {
    const toActive = new Map<string, boolean>();
    for (const link of graph.links.values()) {
      for (const [self, other] of [
        [link.from, link.to],
        [link.to, link.from],
      ] as const) {
        if (inactive.has(self)) continue;
        const active = !inactive.has(other);
        toActive.set(self, (toActive.get(self) ?? false) || active);
      }
    }
    for (const [id, active] of toActive) if (!active && !keep.has(id)) stranded.add(id);
  }

  const nodes = new Map<string, GraphNode>();
  for (const node of graph.nodes.values()) {
    const id = node.id;
    if (keep.has(id) || ((!labels || labels.has(node.label)) && !hidden.has(id) && !inactive.has(id) && !stranded.has(id))) {
      nodes.set(id, node);
    }
  }
  const links = new Map<string, GraphLink>();
  for (const link of graph.links.values()) {
    if (nodes.has(link.from) && nodes.has(link.to) && linkShown(link)) links.set(link.id, link);
  }
  return { nodes, links };
}

/** The first and last years of the programmes in `nodes` (for the time slider's ends). */
export function yearBounds(nodes: Iterable<GraphNode>, now = currentYear()): YearRange | undefined {
  let from = Infinity;
  let to = -Infinity;
  for (const node of nodes) {
    const period = nodePeriod(node, now);
    if (!period) continue;
    from = Math.min(from, Math.floor(period.from));
    to = Math.max(to, Math.ceil(period.to) - 1);
  }
  return Number.isFinite(from) ? { from, to: Math.max(from, to) } : undefined;
}
