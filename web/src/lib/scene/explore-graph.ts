/**
 * The Explore view's graph, derived from the scene's expansions and the pages of neighbours loaded for them.
 * Pure: the same expansions and pages always give the same graph, so a URL reopens the same nodes.
 */
import type { GraphLink, GraphNode } from '../../../../server/schema/graph.schema.ts';
import { EMPTY_GRAPH, mergeRecords, type ExplorerGraph } from '../graph/elements.ts';
import { expansionKey, type Expansion } from './scene-state.ts';

/** The links of one expansion as loaded: the first `links.length` of `total`, and the node they start from. */
export interface LoadedPage {
  node: GraphNode;
  total: number;
  links: GraphLink[];
  /** The nodes at the other ends of `links`. */
  nodes: GraphNode[];
}

export interface ExploreGraph {
  graph: ExplorerGraph;
  /** By node id: links it has that its plain expansion does not show yet. */
  more: Map<string, number>;
  /** Expansions whose page is not loaded, or not far enough (limit raised): what to fetch. */
  missing: Expansion[];
  /** The expansions that take part: seeds, and those whose node is in the graph built before them. */
  live: Expansion[];
}

/** The page of an expansion cut to its limit, with only the nodes its links reach. */
export function slicePage(page: LoadedPage, limit: number): { links: GraphLink[]; nodes: GraphNode[] } {
  if (page.links.length <= limit) return { links: page.links, nodes: page.nodes };
  const links = page.links.slice(0, limit);
  const ends = new Set<string>();
  for (const link of links) {
    ends.add(link.from);
    ends.add(link.to);
  }
  return { links, nodes: page.nodes.filter((node) => ends.has(node.id)) };
}

/** True when `page` holds at least what an expansion with `limit` shows. */
export function pageCovers(page: LoadedPage | undefined, limit: number): boolean {
  return page !== undefined && (page.links.length >= limit || page.links.length >= page.total);
}

export function exploreGraph(expansions: readonly Expansion[], pages: ReadonlyMap<string, LoadedPage>): ExploreGraph {
  let graph = EMPTY_GRAPH;
  const more = new Map<string, number>();
  const missing: Expansion[] = [];
  const live: Expansion[] = [];
  for (const expansion of expansions) {
    if (!expansion.seed && !graph.nodes.has(expansion.id)) continue;
    live.push(expansion);
    const page = pages.get(expansionKey(expansion));
    if (!pageCovers(page, expansion.limit)) missing.push(expansion);
    if (!page) continue;
    const { links, nodes } = slicePage(page, expansion.limit);
    graph = mergeRecords(graph, graph.nodes.has(page.node.id) ? nodes : [page.node, ...nodes], links).graph;
    if (!expansion.type && expansion.direction === 'both') {
      const shown = Math.min(page.total, Math.max(links.length, expansion.limit));
      if (page.total > shown) more.set(expansion.id, page.total - shown);
      else more.delete(expansion.id);
    }
  }
  return { graph, more, missing, live };
}

/** The expansions that still take part once some were removed (those that grew from a vanished node go). */
export function liveExpansions(expansions: readonly Expansion[], pages: ReadonlyMap<string, LoadedPage>): Expansion[] {
  return exploreGraph(expansions, pages).live;
}

/** Adds `extra` records (e.g. the nodes and links of shortest paths) to a graph. */
export function withRecords(graph: ExplorerGraph, nodes: readonly GraphNode[], links: readonly GraphLink[]): ExplorerGraph {
  if (nodes.length === 0 && links.length === 0) return graph;
  return mergeRecords(graph, nodes, links).graph;
}
