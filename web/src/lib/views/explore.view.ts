/** Explore: the nodes expanded so far, force-directed (fcose; a worker for large scenes), pinned nodes kept. */
import { toEdgeElement, toNodeElement, type ExplorerGraph, type GraphElement } from '../graph/elements.ts';
import type { Pin } from '../scene/scene-state.ts';
import { degreeWeights, hubClasses, hubsOf, ruleExtras, WORKER_LAYOUT_FROM, type ViewModel, type ViewOptions } from './view-model.ts';

export function exploreView(graph: ExplorerGraph, options: ViewOptions, more: ReadonlyMap<string, number>, pins: readonly Pin[]): ViewModel {
  const weights = options.size === 'degree' ? degreeWeights(graph) : undefined;
  const pinned = new Set(pins.map((p) => p.id));
  const elements: GraphElement[] = [];
  for (const node of graph.nodes.values()) {
    const { classes, data } = ruleExtras(node, options, weights);
    if (pinned.has(node.id)) classes.push('pinned');
    elements.push(toNodeElement(node, options.lang, more.get(node.id) ?? 0, { classes, data }));
  }
  const large = graph.nodes.size > WORKER_LAYOUT_FROM;
  const hubs = large ? new Set<string>() : hubsOf(graph);
  for (const link of graph.links.values()) elements.push(toEdgeElement(link, options.lang, { classes: hubClasses(link, hubs) }));
  return {
    elements,
    layout: large ? { kind: 'force' } : { kind: 'fcose' },
    layoutKey: `explore:${large ? 'force' : 'fcose'}`,
    nodeCount: graph.nodes.size,
    linkCount: graph.links.size,
  };
}
