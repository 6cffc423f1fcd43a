/**
 * The layout runner: runs one layout at a time on the drawn graph (a newer one stops the older), says when the
 * view is arranging, and places large scenes in a Web Worker before they are drawn. Which layout a change of the
 * model calls for is decided by layoutStep (layout.ts, pure).
 */
import type { Core, LayoutOptions, Layouts, NodeSingular } from 'cytoscape';
import type { Point, ViewModel } from '../views/view-model.ts';
import type { Pin } from '../scene/scene-state.ts';
import { loadDagre } from './cytoscape.setup.ts';
import { forceInput, incrementalLayout, initialLayout, successionLayout, type LayoutStep } from './layout.ts';
import { cancelWorkerLayout, LayoutCancelled, workerLayout } from './layout-worker.ts';
import { fitZoom, readableViewport } from './viewport.ts';

export interface LayoutRunnerEvents {
  /** The view starts or stops arranging. */
  running(running: boolean): void;
  /** The newest layout has stopped (not called for one replaced by a newer one). */
  finished(): void;
  /** The worker failed. */
  failed(message: string): void;
  /** How far down (rendered pixels) the tools floating over the top of the graph reach: a preset view starts below. */
  topInset?(): number;
}

export class LayoutRunner {
  /** Settles when the newest layout has stopped. */
  done: Promise<void> = Promise.resolve();
  #current: Layouts | null = null;
  #token = 0;
  /** Bumped for each large-scene placement; a placement that answers late for an older scene is dropped. */
  #placement = 0;

  constructor(private readonly events: LayoutRunnerEvents) {}

  /** Stops the layout running, if any (the instance is going away). */
  stop(): void {
    cancelWorkerLayout();
    this.#current?.stop();
    this.#current = null;
  }

  /** A placement still running is for a scene no longer wanted. */
  cancelPlacement(): void {
    this.#placement += 1;
    cancelWorkerLayout();
  }

  /** The graph is empty: nothing to arrange. */
  idle(): void {
    this.events.running(false);
  }

  #finish(): void {
    this.events.running(false);
    this.events.finished();
  }

  /**
   * Runs a layout; the view is "arranging" until the newest one has stopped. An animated layout whose nodes are
   * removed while they move (a quick undo, a collapse) may never say that it stopped: it is not waited for past
   * its animation time.
   */
  run(core: Core, options: LayoutOptions): Promise<void> {
    const seq = ++this.#token;
    this.#current?.stop();
    const layout = core.layout(options);
    this.#current = layout;
    this.events.running(true);
    const animated = (options as { animate?: boolean }).animate === true;
    const duration = (options as { animationDuration?: number }).animationDuration ?? 500;
    this.done = new Promise<void>((resolve) => {
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (seq === this.#token && this.#current === layout) {
          this.#current = null;
          this.#finish();
        }
        resolve();
      };
      const timer = animated ? setTimeout(settle, duration + 1500) : undefined;
      layout.one('layoutstop', settle);
    });
    layout.run();
    return this.done;
  }

  /** Moves nodes to positions worked out by the view, fitted, or at a readable zoom when fitting would make text too small. */
  preset(core: Core, positions: ReadonlyMap<string, Point>, animate: boolean, start?: { zoom: number; at: Point }): Promise<void> {
    const readable = start !== undefined && fitZoom({ width: core.width(), height: core.height() }, positions.values(), 36) < start.zoom;
    const done = this.run(core, {
      name: 'preset',
      positions: (node: NodeSingular) => positions.get(node.id()) ?? node.position(),
      fit: !readable,
      padding: 36,
      animate: animate && !readable,
      animationDuration: 350,
    } as LayoutOptions);
    if (readable) core.viewport(readableViewport(start, Math.max(52, (this.events.topInset?.() ?? 0) + 12)));
    return done;
  }

  /** Runs the step a change of the model calls for. */
  step(core: Core, step: LayoutStep, model: ViewModel, options: { animate: boolean; pins: readonly Pin[]; afterFit(): void }): void {
    const layout = model.layout;
    switch (step) {
      case 'preset':
        if (layout.kind === 'preset') void this.preset(core, layout.positions, options.animate, layout.start);
        break;
      case 'initial':
        void this.run(core, initialLayout(options.pins));
        break;
      case 'incremental':
        void this.run(core, incrementalLayout(options.pins));
        break;
      case 'incremental-then-fit':
        void this.run(core, incrementalLayout(options.pins)).then(options.afterFit);
        break;
      case 'dagre':
        this.events.running(true);
        void loadDagre().then(() => {
          if (!core.destroyed()) void this.run(core, successionLayout() as unknown as LayoutOptions);
        });
        break;
      case null:
        break;
    }
  }

  /**
   * A large scene is placed before it is drawn: positions come from a Web Worker (the page stays responsive),
   * then `draw` adds the elements once, already where they belong — one first frame instead of a frame at the
   * start positions and another after the layout.
   */
  place(core: Core, model: ViewModel, pins: ReadonlyMap<string, Point>, draw: (positions: ReadonlyMap<string, Point>) => void | Promise<void>): void {
    const token = ++this.#placement;
    this.#current?.stop();
    this.events.running(true);
    const started = performance.now();
    const { ids, edges } = forceInput(model);
    this.done = workerLayout({ ids, edges, pinned: pins, edgeLength: 70 }).then(
      async ({ positions, ms }) => {
        if (token !== this.#placement || core.destroyed()) return;
        performance.measure('dar-kg:worker-layout', { start: started, detail: { workerMs: ms, nodes: ids.length } });
        // A large scene may be drawn in parts (ModelSync): arranging until the last part is in.
        await draw(positions);
        if (token !== this.#placement || core.destroyed()) return;
        this.#finish();
      },
      (error: unknown) => {
        if (error instanceof LayoutCancelled) return;
        this.events.running(false);
        this.events.failed(error instanceof Error ? error.message : String(error));
      },
    );
  }
}
