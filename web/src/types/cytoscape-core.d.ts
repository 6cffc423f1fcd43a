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
  }

  interface CytoscapeOptions {
    /** Renderer options (3.31+): `{ name: 'canvas', webgl: true }` draws with WebGL. */
    renderer?: { name: string; webgl?: boolean; webglTexSize?: number; webglBatchSize?: number; webglTexPerBatch?: number };
  }
}
