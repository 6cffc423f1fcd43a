/**
 * A worker thread of heavy reads (see worker-pool.ts): takes one task at a time and answers with its result, the
 * result's buffers moved, not copied. Plain JavaScript, so that it starts the same under `tsx`, Vitest or node;
 * it loads the TypeScript task module through tsx's API.
 */
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runHeavyTask } = await import('./heavy-read.tasks.ts');

parentPort.on('message', (task) => {
  try {
    const { result, transfer } = runHeavyTask(task);
    parentPort.postMessage({ ok: true, result }, transfer);
  } catch (error) {
    parentPort.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
parentPort.postMessage({ ready: true });
