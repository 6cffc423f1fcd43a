/**
 * The graph view's jobs, headless: applying the model to Cytoscape (model-sync), the choice of layout
 * (layout-runner), highlighting, viewport arithmetic, link drawing's rule, the keyboard and the renderer choice.
 */
import cytoscape, { type Core } from 'cytoscape';
import { describe, expect, it } from 'vitest';
import type { GraphLink, GraphNode } from '../../../server/schema/graph.schema.ts';
import type { PathsAnswer } from '../../../web/src/lib/api.ts';
import { planSync, toEdgeElement, toNodeElement, type GraphElement } from '../../../web/src/lib/graph/elements.ts';
import { elementsOf, highlightPaths, highlightSelection } from '../../../web/src/lib/graph/highlight.ts';
import { runKey, type KeyTarget } from '../../../web/src/lib/graph/keyboard-actions.ts';
import { keyAction, ZOOM_IN, ZOOM_OUT } from '../../../web/src/lib/graph/keyboard-nav.ts';
import { forceInput, layoutStep, type ModelChange } from '../../../web/src/lib/graph/layout.ts';
import { canLink } from '../../../web/src/lib/graph/linkable.ts';
import { applyPlan, chunkPlan, drawnElements, nodeSignature, withPosition } from '../../../web/src/lib/graph/model-sync.ts';
import {
  FOCUS_MAX_ZOOM,
  fitZoom,
  focusZoom,
  offScreen,
  pointBounds,
  readableViewport,
  viewportForPoints,
} from '../../../web/src/lib/graph/viewport.ts';
import { isSoftwareRenderer, wantsWebgl } from '../../../web/src/lib/graph/webgl.ts';
import { decoration, type ViewModel } from '../../../web/src/lib/views/view-model.ts';

const node = (id: string, label: GraphNode['label'] = 'Programme'): GraphNode =>
  ({ id, label, name_en: `Name ${id}`, name_km: `ឈ្មោះ ${id}`, sources: [] }) as GraphNode;
const link = (id: string, from: string, to: string, type: GraphLink['type'] = 'PARTNERS_WITH'): GraphLink => ({ id, type, from, to, sources: [] });

const dar = node('dar');
const mcs = node('mcs', 'Organisation');
const giz = node('giz', 'Organisation');
const darMcs = link('dar-mcs', 'dar', 'mcs');
const darGiz = link('dar-giz', 'dar', 'giz', 'FUNDED_BY');

function headless(elements: GraphElement[] = []): Core {
  const core = cytoscape({ headless: true, styleEnabled: false });
  applyPlan(core, planSync(drawnElements(core), elements), { nextToNeighbours: false });
  return core;
}

const elementsOfGraph = (nodes: GraphNode[], links: GraphLink[]): GraphElement[] => [
  ...nodes.map((n) => toNodeElement(n, 'en')),
  ...links.map((l) => toEdgeElement(l, 'en')),
];

describe('applying the model (model-sync)', () => {
  it('splits a large plan into parts that add nodes before edges and end with the same drawing (issue 18)', () => {
    const nodes = Array.from({ length: 7 }, (_, i) => node(`n${i}`));
    const links = Array.from({ length: 6 }, (_, i) => link(`l${i}`, `n${i}`, `n${i + 1}`));
    const core = headless(elementsOfGraph([dar, mcs], [darMcs]));
    const next = elementsOfGraph([dar, ...nodes], links);
    const plan = planSync(drawnElements(core), next);
    const parts = chunkPlan(plan, 4);
    expect(parts.map((part) => part.add.length)).toEqual([4, 4, 4, 1]);
    expect(parts[0]!.remove.sort()).toEqual(plan.remove.sort());
    expect(parts.slice(1).every((part) => part.remove.length === 0 && part.update.length === 0)).toBe(true);
    const order = parts.flatMap((part) => part.add.map((element) => element.group));
    expect(order.lastIndexOf('nodes')).toBeLessThan(order.indexOf('edges'));
    for (const part of parts) applyPlan(core, part, { nextToNeighbours: false });
    expect(planSync(drawnElements(core), next)).toEqual({ add: [], remove: [], update: [] });
  });

  it('adds, updates and removes elements in line with the model, keeping classes the view added', () => {
    const core = headless(elementsOfGraph([dar, mcs], [darMcs]));
    expect(core.nodes().map((n) => n.id()).sort()).toEqual(['dar', 'mcs']);
    core.getElementById('dar').addClass('highlight');

    const renamed = { ...dar, name_en: 'Renamed' };
    const next = elementsOfGraph([renamed, giz], [darGiz]);
    const plan = planSync(drawnElements(core), next);
    applyPlan(core, plan, { nextToNeighbours: false });
    expect(core.nodes().map((n) => n.id()).sort()).toEqual(['dar', 'giz']);
    expect(core.edges().map((e) => e.id())).toEqual([toEdgeElement(darGiz, 'en').data.id]);
    expect(core.getElementById('dar').data('name')).toBe('Renamed');
    expect(core.getElementById('dar').hasClass('highlight')).toBe(true);
    // Nothing left to do: the drawing is the model.
    expect(planSync(drawnElements(core), next)).toEqual({ add: [], remove: [], update: [] });
  });

  it('adds new nodes where the preset layout puts them, and moves drawn ones to placed positions', () => {
    const core = headless(elementsOfGraph([dar], []));
    const placed = new Map([
      ['dar', { x: 10, y: 20 }],
      ['mcs', { x: 300, y: 40 }],
    ]);
    applyPlan(core, planSync(drawnElements(core), elementsOfGraph([dar, mcs], [darMcs])), { placed, preset: placed, nextToNeighbours: false });
    expect(core.getElementById('dar').position()).toEqual({ x: 10, y: 20 });
    expect(core.getElementById('mcs').position()).toEqual({ x: 300, y: 40 });
  });

  it('starts a node added next to its neighbour when asked to', () => {
    const core = headless(elementsOfGraph([dar], []));
    core.getElementById('dar').position({ x: 1000, y: 1000 });
    applyPlan(core, planSync(drawnElements(core), elementsOfGraph([dar, mcs], [darMcs])), { nextToNeighbours: true });
    const at = core.getElementById('mcs').position();
    expect(Math.hypot(at.x - 1000, at.y - 1000)).toBeLessThan(400);
  });

  it('fingerprints the graph nodes of a model, not its decorations or links', () => {
    const base = elementsOfGraph([dar, mcs], [darMcs]);
    expect(nodeSignature(base)).toBe(nodeSignature([...base, decoration('tick-2000', '2000', ['tick'])]));
    expect(nodeSignature(base)).toBe(nodeSignature(elementsOfGraph([dar, mcs], [])));
    expect(nodeSignature(base)).not.toBe(nodeSignature(elementsOfGraph([dar, giz], [])));
    expect(nodeSignature(base).startsWith('2:')).toBe(true);
  });

  it('gives a node element its preset position, and leaves edges and unplaced nodes alone', () => {
    const positions = new Map([['dar', { x: 5, y: 6 }]]);
    const [darElement, mcsElement, edge] = elementsOfGraph([dar, mcs], [darMcs]);
    expect(withPosition(darElement!, positions).position).toEqual({ x: 5, y: 6 });
    expect(withPosition(mcsElement!, positions)).toBe(mcsElement);
    expect(withPosition(edge!, positions)).toBe(edge);
  });
});

describe('choosing the layout (layout-runner)', () => {
  const change = (patch: Partial<ModelChange>): ModelChange => ({ viewChanged: false, keyChanged: false, addedNodes: false, resized: false, ...patch });

  it('runs a force layout from scratch for a new view, makes room for new nodes, and refits after longer captions', () => {
    expect(layoutStep('fcose', change({ viewChanged: true }))).toBe('initial');
    expect(layoutStep('fcose', change({ keyChanged: true, addedNodes: true }))).toBe('initial');
    expect(layoutStep('fcose', change({ addedNodes: true }))).toBe('incremental');
    expect(layoutStep('fcose', change({ resized: true }))).toBe('incremental-then-fit');
    expect(layoutStep('fcose', change({}))).toBeNull();
  });

  it('applies preset positions when they changed or nodes came, dagre on any new picture, and leaves worker scenes alone', () => {
    expect(layoutStep('preset', change({ keyChanged: true }))).toBe('preset');
    expect(layoutStep('preset', change({ addedNodes: true }))).toBe('preset');
    expect(layoutStep('preset', change({ viewChanged: true, resized: true }))).toBeNull();
    expect(layoutStep('dagre', change({ viewChanged: true }))).toBe('dagre');
    expect(layoutStep('dagre', change({ resized: true }))).toBeNull();
    expect(layoutStep('force', change({ viewChanged: true, keyChanged: true, addedNodes: true }))).toBeNull();
  });

  it('hands the worker the graph nodes and links of a model, without decorations', () => {
    const model: ViewModel = {
      elements: [...elementsOfGraph([dar, mcs], [darMcs]), decoration('band', 'Band', ['band'])],
      layout: { kind: 'force' },
      layoutKey: 'explore:force',
      nodeCount: 2,
      linkCount: 1,
    };
    expect(forceInput(model)).toEqual({ ids: ['dar', 'mcs'], edges: [['dar', 'mcs']] });
  });
});

describe('highlighting', () => {
  it('selects the node, marks its links, neighbours and other copies, and says its name', () => {
    const copy: GraphElement = { ...toNodeElement(dar, 'en'), data: { ...toNodeElement(dar, 'en').data, id: 'dar#2', ref: 'dar' } };
    const core = headless([...elementsOfGraph([dar, mcs, giz], [darMcs]), copy]);
    expect(highlightSelection(core, 'dar')).toBe(String(core.getElementById('dar').data('name')));
    expect(core.getElementById('dar').selected()).toBe(true);
    expect(core.getElementById('dar#2').hasClass('same-ref')).toBe(true);
    expect(core.getElementById('mcs').hasClass('neighbour')).toBe(true);
    expect(core.getElementById('giz').hasClass('neighbour')).toBe(false);
    expect(core.edges('.highlight').length).toBe(1);
    expect(elementsOf(core, 'dar').length).toBe(2);

    // Another selection clears the marks of the first; none clears them all.
    highlightSelection(core, 'giz');
    expect(core.getElementById('dar').selected()).toBe(false);
    expect(core.elements('.highlight, .neighbour, .same-ref').length).toBe(0);
    expect(highlightSelection(core, null)).toBeNull();
    expect(highlightSelection(core, 'not-drawn')).toBeNull();
  });

  it('marks what lies on the shortest paths and dims the rest, then clears both', () => {
    const core = headless(elementsOfGraph([dar, mcs, giz], [darMcs, darGiz]));
    const answer = {
      from: 'dar',
      to: 'mcs',
      length: 1,
      truncated: false,
      paths: [{ nodes: ['dar', 'mcs'], hops: [{ from: 'dar', to: 'mcs', type: 'PARTNERS_WITH', direction: 'forward', link: darMcs }] }],
      nodes: [dar, mcs],
    } satisfies PathsAnswer;
    highlightPaths(core, answer);
    expect(core.nodes('.on-path').map((n) => n.id()).sort()).toEqual(['dar', 'mcs']);
    expect(core.nodes('.off-path').map((n) => n.id())).toEqual(['giz']);
    expect(core.edges('.on-path').length).toBe(1);
    expect(core.edges('.off-path').length).toBe(1);
    highlightPaths(core, undefined);
    expect(core.elements('.on-path, .off-path').length).toBe(0);
  });
});

describe('viewport arithmetic', () => {
  const screen = { width: 800, height: 600 };

  it('boxes points, and knows when there are none', () => {
    expect(pointBounds([{ x: 1, y: 5 }, { x: -3, y: 2 }])).toEqual({ x1: -3, y1: 2, x2: 1, y2: 5 });
    expect(Number.isFinite(pointBounds([]).x1)).toBe(false);
    expect(fitZoom(screen, [], 10)).toBe(Infinity);
    expect(viewportForPoints(screen, [], 0.02)).toBeNull();
  });

  it('centres points fitted inside the padding, never closer than 1.5 nor further than the minimum zoom', () => {
    const wide = viewportForPoints(screen, [{ x: 0, y: 0 }, { x: 1440, y: 100 }], 0.02, 40)!;
    expect(wide.zoom).toBeCloseTo(0.5);
    expect(wide.pan).toEqual({ x: 400 - 720 * wide.zoom, y: 300 - 50 * wide.zoom });
    expect(viewportForPoints(screen, [{ x: 0, y: 0 }], 0.02)!.zoom).toBe(1.5);
    expect(viewportForPoints(screen, [{ x: 0, y: 0 }, { x: 1e6, y: 0 }], 0.02)!.zoom).toBe(0.02);
    expect(fitZoom(screen, [{ x: 0, y: 0 }, { x: 728, y: 100 }], 36)).toBeCloseTo(1);
  });

  it('opens a preset view at a readable zoom below the floating tools, and focuses no closer than its maximum', () => {
    expect(readableViewport({ zoom: 2, at: { x: 10, y: 20 } })).toEqual({ zoom: 2, pan: { x: 16 - 20, y: 52 - 40 } });
    // Below tools that wrap to two rows of finger-sized buttons (a phone): `at` starts where they end.
    expect(readableViewport({ zoom: 2, at: { x: 10, y: 20 } }, 120)).toEqual({ zoom: 2, pan: { x: 16 - 20, y: 120 - 40 } });
    expect(focusZoom(screen, { w: 10, h: 10 }, 0.02)).toBe(FOCUS_MAX_ZOOM);
    expect(focusZoom(screen, { w: 1360, h: 100 }, 0.02)).toBeCloseTo(0.5);
    expect(focusZoom(screen, { w: 1e7, h: 1e7 }, 0.02)).toBe(0.02);
    expect(offScreen(screen, { x: 10, y: 10 })).toBe(false);
    expect(offScreen(screen, { x: 801, y: 10 })).toBe(true);
    expect(offScreen(screen, { x: 10, y: -1 })).toBe(true);
  });
});

describe('link drawing', () => {
  it('joins only pairs the schema allows a link between, either way round', () => {
    expect(canLink(dar, mcs)).toBe(true);
    expect(canLink(mcs, dar)).toBe(true);
    expect(canLink(dar, dar)).toBe(false);
    expect(canLink(dar, undefined)).toBe(false);
    expect(canLink(dar, { id: 'x', label: 'NotALabel' as GraphNode['label'] })).toBe(false);
  });
});

describe('keyboard', () => {
  it('maps keys to actions', () => {
    expect(keyAction('ArrowLeft', false)).toEqual({ kind: 'move', arrow: 'ArrowLeft' });
    expect(keyAction('Enter', false)).toEqual({ kind: 'expand' });
    expect(keyAction('ContextMenu', false)).toEqual({ kind: 'menu' });
    expect(keyAction('F10', true)).toEqual({ kind: 'menu' });
    expect(keyAction('F10', false)).toBeNull();
    expect(keyAction('Delete', false)).toEqual({ kind: 'hide' });
    expect(keyAction('Escape', false)).toEqual({ kind: 'deselect' });
    expect(keyAction('+', false)).toEqual({ kind: 'zoom', factor: ZOOM_IN });
    expect(keyAction('=', false)).toEqual({ kind: 'zoom', factor: ZOOM_IN });
    expect(keyAction('-', false)).toEqual({ kind: 'zoom', factor: ZOOM_OUT });
    expect(keyAction('0', false)).toEqual({ kind: 'fit' });
    expect(keyAction('a', false)).toBeNull();
  });

  function press(core: Core, key: string, focus: string | null) {
    const calls: string[] = [];
    let prevented = false;
    const target: KeyTarget = {
      focus,
      select: (id) => calls.push(`select ${id}`),
      expand: (id) => calls.push(`expand ${id}`),
      hide: (id) => calls.push(`hide ${id}`),
      openMenu: (id) => calls.push(`menu ${id}`),
    };
    runKey(core, { key, shiftKey: false, preventDefault: () => (prevented = true) }, target);
    return { calls, prevented };
  }

  it('acts on the selected node, and lets the browser have keys that do nothing here', () => {
    const core = headless(elementsOfGraph([dar, mcs], [darMcs]));
    expect(press(core, 'Enter', 'dar')).toEqual({ calls: ['expand dar'], prevented: true });
    expect(press(core, 'Enter', null)).toEqual({ calls: [], prevented: false });
    expect(press(core, 'Delete', 'mcs')).toEqual({ calls: ['hide mcs'], prevented: true });
    expect(press(core, 'ContextMenu', 'dar')).toEqual({ calls: ['menu dar'], prevented: true });
    expect(press(core, 'ContextMenu', 'not-drawn')).toEqual({ calls: [], prevented: false });
    expect(press(core, 'Escape', 'dar')).toEqual({ calls: ['select null'], prevented: false });
    // Nothing selected: an arrow selects the first node.
    expect(press(core, 'ArrowRight', null)).toEqual({ calls: ['select dar'], prevented: true });
  });
});

describe('renderer', () => {
  const gpu = { available: true, hardware: true, name: 'ANGLE (NVIDIA)' };
  const software = { available: true, hardware: false, name: 'SwiftShader' };

  it('uses WebGL for large scenes on a GPU, or when asked, and never without WebGL 2', () => {
    expect(isSoftwareRenderer('Google SwiftShader')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Intel, Mesa Intel(R) UHD Graphics)')).toBe(false);
    expect(wantsWebgl(gpu, 'auto', true)).toBe(true);
    expect(wantsWebgl(gpu, 'auto', false)).toBe(false);
    expect(wantsWebgl(software, 'auto', true)).toBe(false);
    expect(wantsWebgl(software, 'webgl', false)).toBe(true);
    expect(wantsWebgl(gpu, 'canvas', true)).toBe(false);
    expect(wantsWebgl({ available: false, hardware: false, name: '' }, 'webgl', true)).toBe(false);
  });
});
