/**
 * Runs the large-scene force layout in a Web Worker and hands back positions by node id. One worker is kept
 * (and can be started early, so that its script is loaded before the first large scene); a new request
 * cancels the one before (the busy worker is ended and a fresh one started), so a scene that changes quickly
 * never waits for stale work.
 */
import type { LayoutAnswer, LayoutRequest } from './force-layout.worker.ts';

export interface WorkerLayoutInput {
  ids: readonly string[];
  /** Edge ends as node ids. */
  edges: readonly (readonly [string, string])[];
  pinned: ReadonlyMap<string, { x: number; y: number }>;
  edgeLength: number;
}

export class LayoutCancelled extends Error {
  constructor() {
    super('layout cancelled');
    this.name = 'LayoutCancelled';
  }
}

let worker: Worker | undefined;
let busy = false;
let sequence = 0;
let reject: ((reason: unknown) => void) | undefined;

function spawn(): Worker {
  return new Worker(new URL('./force-layout.worker.ts', import.meta.url), { type: 'module', name: 'force-layout' });
}

/** Starts the worker ahead of need (its script loads while the page does other work). */
export function warmUpLayoutWorker(): void {
  worker ??= spawn();
}

/** Cancels the layout in progress, if any (its worker is ended; the next request starts a fresh one). */
export function cancelWorkerLayout(): void {
  if (!busy) return;
  reject?.(new LayoutCancelled());
  reject = undefined;
  worker?.terminate();
  worker = undefined;
  busy = false;
}

export function workerLayout(input: WorkerLayoutInput): Promise<{ positions: Map<string, { x: number; y: number }>; ms: number }> {
  cancelWorkerLayout();
  const index = new Map(input.ids.map((id, i) => [id, i]));
  const edges = new Uint32Array(input.edges.length * 2);
  let n = 0;
  for (const [a, b] of input.edges) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined) continue;
    edges[n++] = i;
    edges[n++] = j;
  }
  const fixed: [number, number, number][] = [];
  for (const [id, at] of input.pinned) {
    const i = index.get(id);
    if (i !== undefined) fixed.push([i, at.x, at.y]);
  }
  const id = ++sequence;
  const current = (worker ??= spawn());
  busy = true;
  return new Promise((resolve, fail) => {
    reject = fail;
    const done = () => {
      current.onmessage = null;
      current.onerror = null;
      busy = false;
      reject = undefined;
    };
    current.onmessage = (event: MessageEvent<LayoutAnswer>) => {
      if (event.data.id !== id) return;
      done();
      const positions = new Map<string, { x: number; y: number }>();
      input.ids.forEach((nodeId, i) => positions.set(nodeId, { x: event.data.positions[2 * i]!, y: event.data.positions[2 * i + 1]! }));
      resolve({ positions, ms: event.data.ms });
    };
    current.onerror = (event) => {
      done();
      current.terminate();
      if (worker === current) worker = undefined;
      fail(new Error(event.message || 'layout worker failed'));
    };
    const request: LayoutRequest = { id, count: input.ids.length, edges: edges.subarray(0, n), fixed, edgeLength: input.edgeLength };
    current.postMessage(request, [request.edges.buffer]);
  });
}
