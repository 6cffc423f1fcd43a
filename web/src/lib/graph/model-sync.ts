/**
 * Applying the view model to Cytoscape: the elements drawn are brought in line with the model (added, removed,
 * updated in one batch; new nodes start next to their neighbours or where the preset layout puts them), then the
 * layout runner arranges them as the view says. The pieces without a Cytoscape instance are pure (tested headless).
 */
import type { Core, NodeSingular } from 'cytoscape';
import type { Pin } from '../scene/scene-state.ts';
import type { Point, ViewModel } from '../views/view-model.ts';
import { planSync, VIEW_CLASSES, type DrawnElement, type GraphElement, type SyncPlan } from './elements.ts';
import { layoutStep, startPosition, type LayoutStep } from './layout.ts';
import { fitIfOverflowing, fitToPoints } from './viewport.ts';

/** A cheap fingerprint of the graph nodes of a model: when it changes, a large scene is placed again. */
export function nodeSignature(elements: readonly GraphElement[]): string {
  let hash = 0;
  let count = 0;
  for (const element of elements) {
    if (element.group !== 'nodes' || element.data.ref === '') continue;
    count += 1;
    const id = element.data.id;
    for (let i = 0; i < id.length; i++) hash = (Math.imul(hash, 31) + id.charCodeAt(i)) | 0;
  }
  return `${count}:${hash >>> 0}`;
}

/** A node element that starts where the preset layout will put it (no jump from the origin). */
export function withPosition(element: GraphElement, positions: ReadonlyMap<string, Point>): GraphElement {
  const at = element.group === 'nodes' ? positions.get(element.data.id) : undefined;
  return at ? { ...element, position: { x: at.x, y: at.y } } : element;
}

/** The elements drawn, as planSync compares them with the model. */
export function drawnElements(core: Core): Map<string, DrawnElement> {
  const current = new Map<string, DrawnElement>();
  core.elements().forEach((element) => {
    current.set(element.id(), { data: element.data() as Record<string, unknown>, classes: element.classes().join(' ') });
  });
  return current;
}

/** Places nodes that are about to be laid out next to their already placed neighbours. */
export function preplace(core: Core, added: readonly GraphElement[]): void {
  const addedIds = new Set(added.filter((element) => element.group === 'nodes').map((element) => element.data.id));
  const extent = core.extent();
  const fallback = { x: (extent.x1 + extent.x2) / 2, y: (extent.y1 + extent.y2) / 2 };
  const byAnchor = new Map<string, NodeSingular[]>();
  for (const id of addedIds) {
    const node = core.getElementById(id);
    const anchors = node.neighborhood('node').filter((other) => !addedIds.has(other.id()));
    const key = anchors.map((anchor) => anchor.id()).sort().join(' ');
    const group = byAnchor.get(key) ?? [];
    group.push(node);
    byAnchor.set(key, group);
  }
  for (const [key, nodes] of byAnchor) {
    const anchors = key ? key.split(' ').map((id) => core.getElementById(id).position()) : [];
    nodes.forEach((node, index) => node.position(startPosition(anchors, index, nodes.length, fallback)));
  }
}

/**
 * Carries out a sync plan in one batch. `placed`: positions from the worker, for nodes already drawn too;
 * `preset`: where new nodes start; otherwise, with `nextToNeighbours`, new nodes start next to their neighbours.
 */
export function applyPlan(
  core: Core,
  plan: SyncPlan,
  options: { placed?: ReadonlyMap<string, Point>; preset?: ReadonlyMap<string, Point>; nextToNeighbours: boolean },
): void {
  const { placed, preset } = options;
  if (plan.add.length === 0 && plan.remove.length === 0 && plan.update.length === 0 && !placed) return;
  core.batch(() => {
    for (const id of plan.remove) core.getElementById(id).remove();
    for (const { id, data, classes } of plan.update) {
      const element = core.getElementById(id);
      const viewClasses = element.classes().filter((name) => VIEW_CLASSES.has(name));
      element.data(data);
      element.classes([classes, ...viewClasses].join(' '));
    }
    if (placed) {
      // Nodes already drawn move to their new place too (the new ones are added there).
      const added = new Set(plan.add.map((element) => element.data.id));
      for (const [id, at] of placed) if (!added.has(id)) core.getElementById(id).position(at);
    }
    if (plan.add.length > 0) {
      core.add(preset ? plan.add.map((element) => withPosition(element, preset)) : plan.add);
      if (!preset && options.nextToNeighbours && plan.add.some((element) => element.group === 'nodes')) preplace(core, plan.add);
    }
  });
}

/** Elements added per task at least when a placed scene is drawn in parts (ModelSync), in at most MAX_PARTS. */
export const ADD_CHUNK = 600;
const MAX_PARTS = 4;

/**
 * Splits a sync plan so that it can be carried out over several tasks: the first part removes, updates and adds
 * the first `size` elements; each next part adds `size` more. Nodes come before edges, so an edge is never added
 * before its ends.
 */
export function chunkPlan(plan: SyncPlan, size: number): SyncPlan[] {
  const add = [...plan.add.filter((element) => element.group === 'nodes'), ...plan.add.filter((element) => element.group !== 'nodes')];
  const parts: SyncPlan[] = [{ ...plan, add: add.slice(0, size) }];
  for (let start = size; start < add.length; start += size) parts.push({ add: add.slice(start, start + size), remove: [], update: [] });
  return parts;
}

/** What the sync asks of the layout runner (LayoutRunner). */
export interface Arranger {
  place(core: Core, model: ViewModel, pins: ReadonlyMap<string, Point>, draw: (positions: ReadonlyMap<string, Point>) => void | Promise<void>): void;
  cancelPlacement(): void;
  idle(): void;
  step(core: Core, step: LayoutStep, model: ViewModel, options: { animate: boolean; pins: readonly Pin[]; afterFit(): void }): void;
}

export interface ModelSyncOptions {
  runner: Arranger;
  /** The scene's pinned nodes. */
  pins(): readonly Pin[];
  /** Large scenes are not animated. */
  large(): boolean;
  /** The drawn graph is in line with a model (the first time, the view can say it is ready or empty). */
  synced(): void;
}

/** Keeps one Cytoscape instance in line with the view model; reset when the instance is made again. */
export class ModelSync {
  #layoutKey = '';
  #lastView = '';
  /** The node signature of the model last drawn. */
  #appliedNodes = '';

  constructor(private readonly options: ModelSyncOptions) {}

  /** Bumped by each sync and reset: a drawing in parts that is overtaken stops. */
  #generation = 0;

  reset(): void {
    this.#generation += 1;
    this.#layoutKey = '';
    this.#lastView = '';
    this.#appliedNodes = '';
  }

  /** Brings the drawn graph in line with the view model, then lays it out as the view says. */
  sync(core: Core, wanted: ViewModel, view: string): void {
    const signature = nodeSignature(wanted.elements);
    const { runner } = this.options;
    const generation = ++this.#generation;
    if (wanted.layout.kind === 'force' && (view !== this.#lastView || wanted.layoutKey !== this.#layoutKey || signature !== this.#appliedNodes)) {
      const pins = new Map(this.options.pins().map((p) => [p.id, { x: p.x, y: p.y }]));
      runner.place(core, wanted, pins, (positions) => {
        fitToPoints(core, positions.values());
        const drawn = this.#apply(core, wanted, view, positions, generation);
        this.#appliedNodes = drawn ? '' : signature;
        return drawn?.then((complete) => {
          if (complete) this.#appliedNodes = signature;
        });
      });
      return;
    }
    if (wanted.layout.kind !== 'force') runner.cancelPlacement();
    this.#apply(core, wanted, view);
    this.#appliedNodes = signature;
  }

  /**
   * Adds, removes and updates elements as the model says; runs the view's layout (unless `placed` already). A
   * placed scene (up to LARGE_SCENE nodes) with more than ADD_CHUNK elements to add is drawn in parts, one task each, so that the page keeps
   * answering (adding 3,500 elements at once was one long task of seconds on a slow phone, issue 18): then it
   * returns a promise, true once all is drawn, false when a newer sync overtook it.
   */
  #apply(core: Core, wanted: ViewModel, view: string, placed?: ReadonlyMap<string, Point>, generation = this.#generation): Promise<boolean> | undefined {
    const started = performance.now();
    const plan = planSync(drawnElements(core), wanted.elements);
    const viewChanged = view !== this.#lastView;
    this.#lastView = view;
    const keyChanged = wanted.layoutKey !== this.#layoutKey;
    this.#layoutKey = wanted.layoutKey;
    const addedNodes = plan.add.some((element) => element.group === 'nodes');
    const preset = placed ?? (wanted.layout.kind === 'preset' ? wanted.layout.positions : undefined);
    const resized = plan.update.some((update) => update.data.caption !== core.getElementById(update.id).data('caption'));
    const options = { placed, preset, nextToNeighbours: !viewChanged && !keyChanged };
    const finish = () => this.#finish(core, wanted, started, { viewChanged, keyChanged, addedNodes, resized });
    // Not above LARGE_SCENE: each part is followed by a frame that draws all that is in, which costs more than it
    // saves on 10,000 nodes (measured: 75 s instead of 5 s to open).
    if (!placed || this.options.large() || plan.add.length <= ADD_CHUNK) {
      applyPlan(core, plan, options);
      finish();
      return undefined;
    }
    const parts = chunkPlan(plan, Math.max(ADD_CHUNK, Math.ceil(plan.add.length / MAX_PARTS)));
    applyPlan(core, parts[0]!, options);
    return (async () => {
      for (const part of parts.slice(1)) {
        await nextTask();
        if (generation !== this.#generation || core.destroyed()) return false;
        applyPlan(core, part, { preset, nextToNeighbours: false });
      }
      finish();
      return true;
    })();
  }

  #finish(core: Core, wanted: ViewModel, started: number, change: { viewChanged: boolean; keyChanged: boolean; addedNodes: boolean; resized: boolean }): void {
    const { viewChanged, keyChanged, addedNodes, resized } = change;
    this.options.synced();
    performance.measure('dar-kg:sync', { start: started, detail: { elements: wanted.elements.length } });
    if (core.nodes().length === 0) {
      this.options.runner.idle();
      return;
    }
    const step = layoutStep(wanted.layout.kind, { viewChanged, keyChanged, addedNodes, resized });
    this.options.runner.step(core, step, wanted, {
      animate: !viewChanged && !this.options.large(),
      pins: this.options.pins().filter((p) => !core.getElementById(p.id).empty()),
      afterFit: () => fitIfOverflowing(core),
    });
  }
}

/** Waits for the next task, letting input and frames in between. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
