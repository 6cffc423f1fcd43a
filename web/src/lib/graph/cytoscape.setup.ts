/**
 * The one place where Cytoscape is loaded and its extensions are registered (cytoscape.use patches prototypes,
 * so each must happen once). Everything is imported on demand: the page shell shows before the graph engine
 * arrives, and dagre (Lineage by succession) and the SVG exporter only load when first used.
 */
import type cytoscapeType from 'cytoscape';
import { isSoftwareRenderer, NO_WEBGL, type WebglProbe } from './webgl.ts';

type Cytoscape = typeof cytoscapeType;

let core: Promise<Cytoscape> | undefined;
let dagre: Promise<Cytoscape> | undefined;
let svg: Promise<Cytoscape> | undefined;
let edgehandles: Promise<Cytoscape> | undefined;

function once(load: () => Promise<Cytoscape>, forget: () => void): Promise<Cytoscape> {
  return load().catch((error: unknown) => {
    forget(); // let a later attempt try again
    throw error;
  });
}

/** Cytoscape with fCoSE (the force layout of small scenes). */
export function loadCytoscape(): Promise<Cytoscape> {
  core ??= once(
    () =>
      Promise.all([import('cytoscape'), import('cytoscape-fcose')]).then(([{ default: cytoscape }, { default: fcose }]) => {
        cytoscape.use(fcose);
        return cytoscape;
      }),
    () => (core = undefined),
  );
  return core;
}

/** Cytoscape with the dagre layout registered. */
export function loadDagre(): Promise<Cytoscape> {
  dagre ??= once(
    () =>
      Promise.all([loadCytoscape(), import('cytoscape-dagre')]).then(([cytoscape, { default: extension }]) => {
        cytoscape.use(extension);
        return cytoscape;
      }),
    () => (dagre = undefined),
  );
  return dagre;
}

/** Cytoscape with cy.svg() registered (cytoscape-svg). */
export function loadSvgExport(): Promise<Cytoscape> {
  svg ??= once(
    () =>
      Promise.all([loadCytoscape(), import('cytoscape-svg')]).then(([cytoscape, { default: extension }]) => {
        cytoscape.use(extension);
        return cytoscape;
      }),
    () => (svg = undefined),
  );
  return svg;
}

/** Cytoscape with cy.edgehandles() registered (drawing links in edit mode). */
export function loadEdgehandles(): Promise<Cytoscape> {
  edgehandles ??= once(
    () =>
      Promise.all([loadCytoscape(), import('cytoscape-edgehandles')]).then(([cytoscape, { default: extension }]) => {
        cytoscape.use(extension);
        return cytoscape;
      }),
    () => (edgehandles = undefined),
  );
  return edgehandles;
}

/** Asks this browser what its WebGL is (a throwaway context). */
export function probeWebgl(): WebglProbe {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return NO_WEBGL;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { available: true, hardware: !isSoftwareRenderer(name), name };
  } catch {
    return NO_WEBGL;
  }
}
