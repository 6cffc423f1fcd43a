/**
 * Layout options as pure data: fCoSE for small force-directed scenes (the first layout places everything, later
 * ones keep what is on screen roughly where it is, pinned nodes stay put), dagre for Lineage by succession,
 * where to start a node that is about to appear, and which layout a change of the model calls for.
 */
import type { BaseLayoutOptions } from 'cytoscape';
import type { LayoutPlan, ViewModel } from '../views/view-model.ts';

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
  fixedNodeConstraint?: { nodeId: string; position: Point }[];
}

export interface DagreLayoutOptions extends BaseLayoutOptions {
  name: 'dagre';
  rankDir: 'LR' | 'RL' | 'TB' | 'BT';
  nodeSep: number;
  rankSep: number;
  edgeSep: number;
  nodeDimensionsIncludeLabels: boolean;
  fit: boolean;
  padding: number;
  animate: boolean;
}

export interface Point {
  x: number;
  y: number;
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

function pinned(pins: readonly { id: string; x: number; y: number }[]): Pick<FcoseLayoutOptions, 'fixedNodeConstraint'> {
  return pins.length > 0 ? { fixedNodeConstraint: pins.map((p) => ({ nodeId: p.id, position: { x: p.x, y: p.y } })) } : {};
}

/** Everything placed afresh, then fitted to the screen. */
export function initialLayout(pins: readonly { id: string; x: number; y: number }[] = []): FcoseLayoutOptions {
  return {
    ...common,
    randomize: true,
    animate: false,
    animationDuration: 0,
    fit: true,
    initialEnergyOnIncremental: 0.3,
    ...pinned(pins),
  };
}

/** Starts from the current positions (new nodes are pre-placed next to a neighbour) and animates to the result. */
export function incrementalLayout(pins: readonly { id: string; x: number; y: number }[] = []): FcoseLayoutOptions {
  return {
    ...common,
    randomize: false,
    animate: true,
    animationDuration: 450,
    fit: false,
    initialEnergyOnIncremental: 0.5,
    ...pinned(pins),
  };
}

/** Lineage by succession: the later programme points at the earlier, so right-to-left puts the earliest first. */
export function successionLayout(): DagreLayoutOptions {
  return {
    name: 'dagre',
    rankDir: 'RL',
    nodeSep: 26,
    rankSep: 120,
    edgeSep: 12,
    nodeDimensionsIncludeLabels: true,
    fit: true,
    padding: 40,
    animate: false,
  };
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

/** What changed between the model drawn and the one drawn now. */
export interface ModelChange {
  viewChanged: boolean;
  keyChanged: boolean;
  addedNodes: boolean;
  /** A caption changed (another language): nodes change size. */
  resized: boolean;
}

/**
 * The layout a change calls for: the preset positions again, a force layout from scratch or only making room for
 * what was added (then fitting when captions grew), succession layers; null: none (or placed in the worker).
 */
export type LayoutStep = 'preset' | 'initial' | 'incremental' | 'incremental-then-fit' | 'dagre' | null;

export function layoutStep(kind: LayoutPlan['kind'], change: ModelChange): LayoutStep {
  const { viewChanged, keyChanged, addedNodes, resized } = change;
  switch (kind) {
    case 'preset':
      return keyChanged || addedNodes ? 'preset' : null;
    case 'fcose':
      if (viewChanged || keyChanged) return 'initial';
      if (addedNodes) return 'incremental';
      return resized ? 'incremental-then-fit' : null;
    case 'force':
      return null; // placed before it is drawn (place)
    case 'dagre':
      return viewChanged || keyChanged || addedNodes ? 'dagre' : null;
  }
}

/** What the worker lays out: graph nodes (decorations left out) and the links between them. */
export function forceInput(model: ViewModel): { ids: string[]; edges: (readonly [string, string])[] } {
  const ids: string[] = [];
  const edges: (readonly [string, string])[] = [];
  for (const element of model.elements) {
    if (element.group === 'nodes') {
      if (element.data.ref !== '') ids.push(element.data.id);
    } else edges.push([element.data.source, element.data.target]);
  }
  return { ids, edges };
}
