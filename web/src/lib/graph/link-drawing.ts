/**
 * Edit mode: dragging from one node to another draws a link (cytoscape-edgehandles, loaded on first use). Only
 * pairs the schema allows a link between, either way round, can be joined; the drawn edge is a preview only: the
 * link form asks for its type and source, and the link appears when the server has stored it.
 */
import type { Core, EdgeHandles, EdgeSingular, EventObject, NodeSingular } from 'cytoscape';
import type { GraphNode } from '../../../../server/schema/graph.schema.ts';
import { loadEdgehandles } from './cytoscape.setup.ts';
import { canLink } from './linkable.ts';

export interface LinkDrawingOptions {
  /** The graph node a drawn node stands for. */
  nodeOf(element: NodeSingular): GraphNode | undefined;
  /** A link was drawn between two nodes. */
  drawn(from: GraphNode, to: GraphNode): void;
}

/** Turns drawing on and off for the Cytoscape instance of the moment (one edgehandles per instance). */
export class LinkDrawing {
  #handles: { core: Core; eh: EdgeHandles } | null = null;

  constructor(private readonly options: LinkDrawingOptions) {}

  /** Draw mode on or off; returns what cancels a start still loading the extension. */
  set(core: Core, drawing: boolean): (() => void) | undefined {
    if (!drawing) {
      if (this.#handles?.core === core) this.#handles.eh.disableDrawMode();
      return undefined;
    }
    let cancelled = false;
    void loadEdgehandles().then(() => {
      if (cancelled || core.destroyed()) return;
      if (this.#handles?.core !== core) this.#handles = { core, eh: this.#start(core) };
      this.#handles.eh.enableDrawMode();
    });
    return () => {
      cancelled = true;
    };
  }

  destroy(): void {
    this.#handles?.eh.destroy();
    this.#handles = null;
  }

  #start(core: Core): EdgeHandles {
    const { nodeOf, drawn } = this.options;
    const eh = core.edgehandles({
      canConnect: (source, target) => canLink(nodeOf(source), nodeOf(target)),
      edgeParams: () => ({ group: 'edges', data: {}, classes: 'eh-drawn' }),
      hoverDelay: 80,
      snap: true,
      snapThreshold: 24,
    });
    core.on('ehcomplete', (_event: EventObject, ...rest: unknown[]) => {
      const [source, target, added] = rest as [NodeSingular, NodeSingular, EdgeSingular];
      added.remove();
      const from = nodeOf(source);
      const to = nodeOf(target);
      if (from && to) drawn(from, to);
    });
    return eh;
  }
}
