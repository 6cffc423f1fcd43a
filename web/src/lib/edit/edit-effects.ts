/**
 * What edits do to what the explorer shows, as pure functions: an overlay of the records this page changed (shown at
 * once, before the views load again), and the effect of an audit entry (a revert) on it.
 */
import type { GraphLink, GraphNode } from '../../../../server/schema/graph.schema.ts';
import type { AuditEntry } from '../../../../server/http/api.contract.ts';
import type { ExplorerGraph } from '../graph/elements.ts';

/** What an edit changed, as far as the explorer is concerned: records now stored, and ids that are gone. */
export interface EditEffect {
  nodes?: readonly GraphNode[];
  links?: readonly GraphLink[];
  removedNodes?: readonly string[];
  removedLinks?: readonly string[];
}

/** The edits of this page: shown at once, before the views have loaded them again. */
export interface EditOverlay {
  nodes: ReadonlyMap<string, GraphNode>;
  links: ReadonlyMap<string, GraphLink>;
  removed: ReadonlySet<string>;
}

export const NO_EDITS: EditOverlay = { nodes: new Map(), links: new Map(), removed: new Set() };

/** `graph` with the edits of this page applied: changed records replaced, new links between drawn nodes added, deleted ones gone. */
export function withEdits(graph: ExplorerGraph, edits: EditOverlay): ExplorerGraph {
  if (edits.nodes.size === 0 && edits.links.size === 0 && edits.removed.size === 0) return graph;
  const nodes = new Map(graph.nodes);
  for (const [id, node] of edits.nodes) if (nodes.has(id)) nodes.set(id, node);
  for (const id of edits.removed) nodes.delete(id.startsWith('node:') ? id.slice(5) : '');
  const links = new Map<string, GraphLink>();
  for (const [id, link] of graph.links) {
    if (edits.removed.has(`link:${id}`) || !nodes.has(link.from) || !nodes.has(link.to)) continue;
    links.set(id, edits.links.get(id) ?? link);
  }
  for (const [id, link] of edits.links) if (!links.has(id) && nodes.has(link.from) && nodes.has(link.to)) links.set(id, link);
  return { ...graph, nodes, links };
}

/** The overlay with one more edit applied: records stored now replace older ones, deleted ids are remembered. */
export function addEdit(edits: EditOverlay, effect: EditEffect): EditOverlay {
  const nodes = new Map(edits.nodes);
  const links = new Map(edits.links);
  const removed = new Set(edits.removed);
  for (const node of effect.nodes ?? []) {
    nodes.set(node.id, node);
    removed.delete(`node:${node.id}`);
  }
  for (const link of effect.links ?? []) {
    links.set(link.id, link);
    removed.delete(`link:${link.id}`);
  }
  for (const id of effect.removedNodes ?? []) {
    nodes.delete(id);
    removed.add(`node:${id}`);
  }
  for (const id of effect.removedLinks ?? []) {
    links.delete(id);
    removed.add(`link:${id}`);
  }
  return { nodes, links, removed };
}

/** What an audit entry did: records now stored, and those gone. */
export function effectOf(entry: Pick<AuditEntry, 'changes'>): EditEffect {
  const nodes: GraphNode[] = [];
  const links: GraphLink[] = [];
  const removedNodes: string[] = [];
  const removedLinks: string[] = [];
  for (const change of entry.changes) {
    if (change.entity === 'node') {
      if (change.after) nodes.push(change.after as GraphNode);
      else removedNodes.push(change.id);
    } else if (change.after) links.push(change.after as GraphLink);
    else removedLinks.push(change.id);
  }
  return { nodes, links, removedNodes, removedLinks };
}
