/**
 * Layout options (fCoSE), as pure data. The first layout places everything from scratch; later ones keep the
 * nodes already on screen roughly where they are, so that expanding a node does not reshuffle the picture.
 */
import type { BaseLayoutOptions } from 'cytoscape';

export interface FcoseLayoutOptions extends BaseLayoutOptions {
  name: 'fcose';
  quality: 'draft' | 'default' | 'proof';
  randomize: boolean;
  animate: boolean;
  animationDuration: number;
  fit: boolean;
  padding: number;
  nodeDimensionsIncludeLabels: boolean;
  packComponents: boolean;
  nodeSeparation: number;
  nodeRepulsion: number;
  idealEdgeLength: number;
  edgeElasticity: number;
  gravity: number;
  gravityRange: number;
  numIter: number;
  tile: boolean;
  initialEnergyOnIncremental: number;
}

const common = {
  name: 'fcose',
  // "proof" is required to take labels into account, and when not randomising.
  quality: 'proof',
  nodeDimensionsIncludeLabels: true,
  packComponents: false,
  nodeSeparation: 100,
  nodeRepulsion: 24000,
  idealEdgeLength: 150,
  edgeElasticity: 0.45,
  gravity: 0.25,
  gravityRange: 3.8,
  numIter: 2500,
  tile: true,
  padding: 40,
} as const;

/** Everything placed afresh, then fitted to the screen. */
export function initialLayout(): FcoseLayoutOptions {
  return {
    ...common,
    randomize: true,
    animate: false,
    animationDuration: 0,
    fit: true,
    initialEnergyOnIncremental: 0.3,
  };
}

/** Starts from the current positions (new nodes are pre-placed next to a neighbour) and animates to the result. */
export function incrementalLayout(): FcoseLayoutOptions {
  return {
    ...common,
    randomize: false,
    animate: true,
    animationDuration: 450,
    fit: false,
    initialEnergyOnIncremental: 0.5,
  };
}

export interface Point {
  x: number;
  y: number;
}

/**
 * Where to put a node that is about to appear: around the mean of its already placed neighbours, on a ring so
 * that several new nodes do not start on the same spot (which force layouts cannot pull apart well).
 */
export function startPosition(neighbours: readonly Point[], index: number, count: number, fallback: Point): Point {
  const centre =
    neighbours.length === 0
      ? fallback
      : {
          x: neighbours.reduce((sum, p) => sum + p.x, 0) / neighbours.length,
          y: neighbours.reduce((sum, p) => sum + p.y, 0) / neighbours.length,
        };
  const angle = (2 * Math.PI * index) / Math.max(count, 1);
  const radius = 80 + 6 * Math.min(count, 40);
  return { x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) };
}
