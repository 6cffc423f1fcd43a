/**
 * Which nodes bridge the graph: degree or betweenness centrality (graphology-metrics), computed the same way on
 * either store — on the elements the store returns, as an undirected simple graph. The measure itself is computed
 * by `scores`: in a worker thread when the API asks (server/services/heavy-reads/), in this thread by default.
 */
import { Invalid } from '../domain/errors.ts';
import type { Label, LinkType } from '../schema/graph.schema.ts';
import type { GraphStore } from '../store/graph-store.ts';
import { centralityScores, type CentralityMeasure, type CentralityScores, type CompactGraph } from './heavy-reads/heavy-read.tasks.ts';

export type { CentralityMeasure };

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

/** Computes the measure on a compact graph (see heavy-read.tasks.ts). */
export type ScoreCentrality = (measure: CentralityMeasure, graph: CompactGraph) => Promise<CentralityScores>;

const inThisThread: ScoreCentrality = async (measure, graph) => centralityScores(measure, graph);

export async function centrality(
  store: GraphStore,
  query: { measure: CentralityMeasure; labels?: Label[]; types?: LinkType[]; limit: number },
  scores: ScoreCentrality = inThisThread,
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
  const index = new Map<string, number>();
  const ids = view.nodes.map((node, i) => (index.set(node.id, i), node.id));
  const from = new Int32Array(view.links.length);
  const to = new Int32Array(view.links.length);
  view.links.forEach((link, i) => {
    from[i] = index.get(link.from)!;
    to[i] = index.get(link.to)!;
  });
  const measured = await scores(query.measure, { ids, from, to });
  const labels = query.labels && query.labels.length > 0 ? new Set(query.labels) : undefined;
  const results = view.nodes
    .map((node, i) => ({
      id: node.id,
      label: node.label,
      name_en: node.name_en,
      name_km: node.name_km,
      degree: measured.degrees[i]!,
      score: Math.round(measured.scores[i]! * 1e6) / 1e6,
    }))
    .filter((entry) => !labels || labels.has(entry.label))
    .sort((a, b) => b.score - a.score || b.degree - a.degree || a.id.localeCompare(b.id))
    .slice(0, query.limit);
  return { measure: query.measure, graph: { nodes: ids.length, links: measured.links }, results };
}
