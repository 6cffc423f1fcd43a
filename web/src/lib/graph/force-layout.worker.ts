/**
 * The large-scene layout, off the main thread: receives node count and edge ends, answers with positions
 * (transferred, not copied). The page stays responsive while it works.
 */
import { forceLayout } from './force-layout.ts';

export interface LayoutRequest {
  id: number;
  count: number;
  edges: Uint32Array;
  fixed: [number, number, number][];
  edgeLength: number;
}

export interface LayoutAnswer {
  id: number;
  positions: Float64Array;
  ms: number;
}

/** The little of a dedicated worker's global scope used here (the DOM lib types `self` as a window). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutAnswer, transfer: Transferable[]): void;
}

const context = self as unknown as WorkerScope;

context.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { id, count, edges, fixed, edgeLength } = event.data;
  const started = performance.now();
  const positions = forceLayout({
    count,
    edges,
    edgeLength,
    fixed: new Map(fixed.map(([index, x, y]) => [index, { x, y }])),
  });
  const answer: LayoutAnswer = { id, positions, ms: performance.now() - started };
  context.postMessage(answer, [positions.buffer]);
};
