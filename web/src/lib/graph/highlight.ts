/**
 * Highlighting on the drawn graph: the selected node (and its copies, links and neighbours) and the shortest
 * paths asked for. Classes only; the stylesheet says how they look.
 */
import type { Core, NodeCollection } from 'cytoscape';
import type { PathsAnswer } from '../api.ts';
import { EDGE_LABEL_LIMIT } from './style.ts';

/** The drawn nodes of a graph node: itself and its copies (a view may draw a node more than once). */
export function elementsOf(core: Core, ref: string): NodeCollection {
  return core.nodes().filter((node) => node.data('ref') === ref) as NodeCollection;
}

/**
 * Marks the selected node: selected (the copy whose id is the node's, else the first), its other copies, its
 * links (labelled when few) and its neighbours. Returns the name of the node selected, or null when none is drawn.
 */
export function highlightSelection(core: Core, id: string | null): string | null {
  core.batch(() => {
    core.elements('.highlight, .labelled').removeClass('highlight labelled');
    core.nodes('.neighbour, .same-ref').removeClass('neighbour same-ref');
    core.nodes(':selected').forEach((node) => {
      if (node.data('ref') !== id) node.unselect();
    });
    if (id === null) return;
    const copies = elementsOf(core, id);
    if (copies.empty()) return;
    const own = copies.filter((c) => c.id() === id).first();
    const node = own.nonempty() ? own : copies.first();
    if (!node.selected()) node.select();
    copies.not(node).addClass('same-ref');
    const edges = copies.connectedEdges();
    edges.addClass('highlight');
    if (edges.length <= EDGE_LABEL_LIMIT) edges.addClass('labelled');
    copies.neighborhood('node').addClass('neighbour');
  });
  const node = elementsOf(core, id ?? '').first();
  return node.nonempty() ? String(node.data('name')) : null;
}

/** Marks what lies on the shortest paths and dims the rest; without paths, neither. */
export function highlightPaths(core: Core, answer: PathsAnswer | undefined): void {
  core.batch(() => {
    core.elements('.on-path, .off-path').removeClass('on-path off-path');
    if (!answer || answer.paths.length === 0) return;
    const nodes = new Set(answer.paths.flatMap((p) => p.nodes));
    const links = new Set(answer.paths.flatMap((p) => p.hops.map((h) => h.link.id)));
    core.elements().forEach((element) => {
      if (element.hasClass('deco')) return;
      const on = element.group() === 'nodes' ? nodes.has(String(element.data('ref'))) : links.has(String(element.data('linkId')));
      element.addClass(on ? 'on-path' : 'off-path');
    });
  });
}
