/**
 * All shortest paths between two nodes of the in-memory graph, links followed in either direction: a
 * bidirectional breadth-first search (always growing the smaller frontier, so hubs are crossed once, not
 * flooded), then every path through the meeting layer, enumerated in link-id order up to a cap.
 */
import type { GraphLink, LinkType } from '../../schema/graph.schema.ts';
import type { GraphPath } from '../graph-store.ts';
import type { AdjacencyGraph } from './adjacency-graph.ts';

type Graph = AdjacencyGraph;

/** How many shortest paths are gathered at most before sorting and capping. */
export const PATHS_COLLECTED = 10_000;
type Pred = { prev: string; link: GraphLink };

interface Side {
  dist: Map<string, number>;
  preds: Map<string, Pred[]>;
  frontier: string[];
  depth: number;
}

function side(root: string): Side {
  return { dist: new Map([[root, 0]]), preds: new Map(), frontier: [root], depth: 0 };
}

function byLinkId(a: Pred, b: Pred): number {
  return a.link.id < b.link.id ? -1 : a.link.id > b.link.id ? 1 : 0;
}

/** Grows one side by a level; returns the nodes it reached that the other side has seen. */
function expand(graph: Graph, s: Side, other: Side, types: Set<LinkType> | undefined): string[] {
  const next: string[] = [];
  const depth = s.depth + 1;
  for (const id of s.frontier) {
    const visit = (link: GraphLink, w: string) => {
      if (types && !types.has(link.type)) return;
      if (w === id) return;
      const known = s.dist.get(w);
      if (known === undefined) {
        s.dist.set(w, depth);
        next.push(w);
      } else if (known !== depth) return;
      let list = s.preds.get(w);
      if (!list) s.preds.set(w, (list = []));
      list.push({ prev: id, link });
    };
    for (const link of graph.outLinks(id)) visit(link, link.to);
    for (const link of graph.inLinks(id)) visit(link, link.from);
  }
  s.frontier = next;
  s.depth = depth;
  return next.filter((w) => other.dist.has(w));
}

/** Paths from the side's root to `id`, as lists of steps root → id, in link-id order; at most `cap`. */
function pathsTo(s: Side, id: string, cap: number): Pred[][] {
  const out: Pred[][] = [];
  const walk = (node: string, suffix: Pred[]) => {
    if (out.length >= cap) return;
    const preds = s.preds.get(node);
    if (!preds || s.dist.get(node) === 0) {
      out.push(suffix);
      return;
    }
    for (const p of preds) walk(p.prev, [{ prev: node, link: p.link }, ...suffix]);
  };
  walk(id, []);
  return out;
}

export function allShortestPaths(
  graph: Graph,
  from: string,
  to: string,
  maxHops: number,
  types: Set<LinkType> | undefined,
  limit: number,
): { paths: GraphPath[]; truncated: boolean } {
  if (from === to) return { paths: [{ nodes: [from], hops: [] }], truncated: false };
  const forward = side(from);
  const backward = side(to);
  let meeting: string[] = [];
  let grown: Side = forward;
  while (forward.depth + backward.depth < maxHops && forward.frontier.length > 0 && backward.frontier.length > 0) {
    grown = forward.frontier.length <= backward.frontier.length ? forward : backward;
    const other = grown === forward ? backward : forward;
    const touched = expand(graph, grown, other, types);
    if (touched.length > 0) {
      const length = Math.min(...touched.map((w) => grown.dist.get(w)! + other.dist.get(w)!));
      meeting = touched.filter((w) => grown.dist.get(w)! + other.dist.get(w)! === length);
      break;
    }
  }
  if (meeting.length === 0) return { paths: [], truncated: false };

  for (const s of [forward, backward]) for (const list of s.preds.values()) list.sort(byLinkId);
  meeting.sort();
  // Collect many more than asked, then sort, so a capped answer is the first `limit` of the full order (the same
  // rule as the Neo4j store); beyond PATHS_COLLECTED the order is best effort.
  const cap = Math.max(limit + 1, PATHS_COLLECTED);
  const collected: GraphPath[] = [];
  for (const m of meeting) {
    // Steps root → m on each side; the backward side's are reversed to run m → `to`.
    const heads = pathsTo(forward, m, cap);
    const tails = pathsTo(backward, m, cap);
    for (const head of heads) {
      for (const tail of tails) {
        if (collected.length >= cap) break;
        const nodes = [from];
        const hops: GraphPath['hops'] = [];
        for (const step of head) {
          hops.push({ link: step.link, forward: step.link.from === nodes.at(-1) });
          nodes.push(step.prev);
        }
        for (const step of [...tail].reverse()) {
          // On the backward side a step goes towards `to`: from `step.prev` to the node before it in the chain.
          const next = tailNext(tail, step, to);
          hops.push({ link: step.link, forward: step.link.from === step.prev });
          nodes.push(next);
        }
        collected.push({ nodes, hops });
      }
    }
  }
  const key = (p: GraphPath) => p.hops.map((h) => h.link.id).join('\u0000');
  collected.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { paths: collected.slice(0, limit), truncated: collected.length > limit };
}

/** In a backward chain [to → … → m] stored as steps whose `prev` is the later node, the node one step nearer `to`. */
function tailNext(tail: Pred[], step: Pred, to: string): string {
  const i = tail.indexOf(step);
  return i === 0 ? to : tail[i - 1]!.prev;
}
