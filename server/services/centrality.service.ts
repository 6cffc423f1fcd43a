/**
 * Which nodes bridge the graph: degree or betweenness centrality (graphology-metrics), computed the same way on
 * either store — on the elements the store returns, as an undirected simple graph.
 */
import { UndirectedGraph } from 'graphology';
import betweennessCentrality from 'graphology-metrics/centrality/betweenness.js';
import { Invalid } from '../domain/errors.ts';
import type { Label, LinkType } from '../schema/graph.schema.ts';
import type { GraphStore } from '../store/graph-store.ts';

export type CentralityMeasure = 'degree' | 'betweenness';

/** Betweenness is O(nodes × links): above this many nodes it is refused (filter by types first). */
export const BETWEENNESS_MAX_NODES = 5_000;
export const DEGREE_MAX_NODES = 200_000;

export interface CentralityEntry {
  id: string;
  label: Label;
  name_en: string;
  name_km: string;
  /** Distinct neighbours in the graph measured. */
  degree: number;
  score: number;
}

export interface CentralityResult {
  measure: CentralityMeasure;
  /** Size of the graph the measure was computed on. */
  graph: { nodes: number; links: number };
  results: CentralityEntry[];
}

export async function centrality(
  store: GraphStore,
  query: { measure: CentralityMeasure; labels?: Label[]; types?: LinkType[]; limit: number },
): Promise<CentralityResult> {
  const cap = query.measure === 'betweenness' ? BETWEENNESS_MAX_NODES : DEGREE_MAX_NODES;
  const view = await store.subgraph({ types: query.types, depth: 1, limit: cap });
  if (view.truncated) {
    throw new Invalid(
      `${query.measure} centrality is computed on at most ${cap} nodes and the graph has more; narrow it with "types"`,
      { parameter: 'types' },
      'invalid_parameter',
    );
  }
  const graph = new UndirectedGraph();
  for (const node of view.nodes) graph.addNode(node.id);
  for (const link of view.links) if (link.from !== link.to) graph.mergeEdge(link.from, link.to);
  const n = graph.order;
  const scores: Record<string, number> =
    query.measure === 'betweenness'
      ? betweennessCentrality(graph, { normalized: true })
      : Object.fromEntries(graph.mapNodes((id) => [id, n > 1 ? graph.degree(id) / (n - 1) : 0]));
  const labels = query.labels && query.labels.length > 0 ? new Set(query.labels) : undefined;
  const results = view.nodes
    .filter((node) => !labels || labels.has(node.label))
    .map((node) => ({
      id: node.id,
      label: node.label,
      name_en: node.name_en,
      name_km: node.name_km,
      degree: graph.degree(node.id),
      score: Math.round((scores[node.id] ?? 0) * 1e6) / 1e6,
    }))
    .sort((a, b) => b.score - a.score || b.degree - a.degree || a.id.localeCompare(b.id))
    .slice(0, query.limit);
  return { measure: query.measure, graph: { nodes: graph.order, links: graph.size }, results };
}
