// What extensions and newer releases add to Cytoscape's core types.
import 'cytoscape';

declare module 'cytoscape' {
  interface SvgExportOptions {
    /** The whole graph (true) or the current viewport (false). */
    full?: boolean;
    scale?: number;
    /** Background colour; transparent when absent. */
    bg?: string;
  }

  interface Core {
    /** Added by cytoscape-svg: the drawing as an SVG document. */
    svg(options?: SvgExportOptions): string;
    /** Added by cytoscape-edgehandles: drawing edges from node to node. */
    edgehandles(options?: EdgeHandlesOptions): EdgeHandles;
  }

  /** cytoscape-edgehandles 4 options (README "Initialisation"). */
  interface EdgeHandlesOptions {
    canConnect?: (source: NodeSingular, target: NodeSingular) => boolean;
    edgeParams?: (source: NodeSingular, target: NodeSingular) => ElementDefinition | Record<string, never>;
    hoverDelay?: number;
    snap?: boolean;
    snapThreshold?: number;
    snapFrequency?: number;
    noEdgeEventsInDraw?: boolean;
    disableBrowserGestures?: boolean;
  }

  /** What cy.edgehandles() returns (README "API"). */
  interface EdgeHandles {
    start(source: NodeSingular): void;
    stop(): void;
    enable(): void;
    disable(): void;
    enableDrawMode(): void;
    disableDrawMode(): void;
    destroy(): void;
  }

  interface CytoscapeOptions {
    /** Renderer options (3.31+): `{ name: 'canvas', webgl: true }` draws with WebGL. */
    renderer?: { name: string; webgl?: boolean; webglTexSize?: number; webglBatchSize?: number; webglTexPerBatch?: number };
  }
}
