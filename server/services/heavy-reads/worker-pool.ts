/**
 * Worker threads for heavy reads, so that a betweenness or a whole-graph export never runs on the event loop that
 * answers every other request. Workers start when first needed and are kept (starting one loads tsx and
 * graphology: about a second); at most `size` run at once and further tasks wait their turn. A task whose caller
 * gives up (its deadline passed) ends its worker at once: `terminate()` stops even a running betweenness.
 */
import { Worker } from 'node:worker_threads';
import type { HeavyTask, HeavyTaskResult } from './heavy-read.tasks.ts';

const WORKER_FILE = new URL('./heavy-read.worker.mjs', import.meta.url);

interface Waiting {
  task: HeavyTask;
  transfer: ArrayBuffer[];
  signal: AbortSignal;
  resolve: (result: HeavyTaskResult) => void;
  reject: (error: Error) => void;
}

/** A worker that has said it is ready; `idleTimer` ends it after a while without work. */
interface Ready {
  worker: Worker;
  idleTimer?: NodeJS.Timeout;
}

/** An idle worker is ended after this long, so that memory goes back down after a burst of heavy reads. */
const IDLE_MS = 30_000;

export class HeavyReadWorkers {
  private readonly idle: Ready[] = [];
  private readonly waiting: Waiting[] = [];
  /** Workers started or starting. */
  private count = 0;
  /** Workers running a task now. */
  private busy = 0;
  private closed = false;

  constructor(private readonly size: number) {}

  /** Runs the task in a worker; rejects when `signal` aborts first (the worker is ended). */
  run(task: HeavyTask, signal: AbortSignal, transfer: ArrayBuffer[] = []): Promise<HeavyTaskResult> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('the heavy-read workers are closed'));
      if (signal.aborted) return reject(abortReason(signal));
      const waiting: Waiting = { task, transfer, signal, resolve, reject };
      this.waiting.push(waiting);
      signal.addEventListener(
        'abort',
        () => {
          const at = this.waiting.indexOf(waiting);
          if (at !== -1) {
            this.waiting.splice(at, 1);
            reject(abortReason(signal));
          }
        },
        { once: true },
      );
      this.dispatch();
    });
  }

  /** Workers alive (starting, idle or busy), and those running a task now. */
  get workers(): { alive: number; busy: number } {
    return { alive: this.count, busy: this.busy };
  }

  /** Ends every worker (tests; the process's exit ends them anyway: they are unref'd). */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.reject(new Error('the heavy-read workers are closed'));
    await Promise.all(this.idle.splice(0).map(({ worker, idleTimer }) => (clearTimeout(idleTimer), worker.terminate())));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const ready = this.idle.pop();
      if (ready) {
        clearTimeout(ready.idleTimer);
        this.start(ready, this.waiting.shift()!);
        continue;
      }
      if (this.count < this.size) this.spawn();
      return;
    }
  }

  private spawn(): void {
    this.count++;
    const worker = new Worker(WORKER_FILE);
    worker.unref();
    // Listeners are removed one by one: Worker keeps listeners of its own (removeAllListeners would break it).
    const off = () => {
      worker.off('error', onError);
      worker.off('exit', onExit);
      worker.off('message', onReady);
    };
    const failed = (error: Error) => {
      off();
      this.count--;
      // A worker that cannot start fails the oldest waiting task, so that a broken setup is not a silent hang.
      this.waiting.shift()?.reject(error);
      this.dispatch();
    };
    const onError = (error: Error) => failed(error);
    const onExit = (code: number) => failed(new Error(`a heavy-read worker exited with ${code} while starting`));
    const onReady = () => {
      off();
      if (this.closed) return void worker.terminate();
      this.rest({ worker });
      this.dispatch();
    };
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.on('message', onReady);
  }

  /** Puts a worker among the idle ones, to be ended if it stays idle. */
  private rest(ready: Ready): void {
    ready.idleTimer = setTimeout(() => {
      const at = this.idle.indexOf(ready);
      if (at === -1) return;
      this.idle.splice(at, 1);
      this.count--;
      void ready.worker.terminate();
    }, IDLE_MS);
    ready.idleTimer.unref();
    this.idle.push(ready);
  }

  private start(ready: Ready, job: Waiting): void {
    const { worker } = ready;
    let done = false;
    const finish = (after: () => void, keep: boolean) => {
      if (done) return;
      done = true;
      this.busy--;
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      job.signal.removeEventListener('abort', onAbort);
      if (keep && !this.closed) this.rest(ready);
      else {
        this.count--;
        void worker.terminate();
      }
      after();
      this.dispatch();
    };
    const onAbort = () => finish(() => job.reject(abortReason(job.signal)), false);
    const onMessage = (message: { ok: true; result: HeavyTaskResult } | { ok: false; message: string }) =>
      finish(() => (message.ok ? job.resolve(message.result) : job.reject(new Error(message.message))), true);
    const onError = (error: Error) => finish(() => job.reject(error), false);
    const onExit = (code: number) => finish(() => job.reject(new Error(`a heavy-read worker exited with ${code}`)), false);
    this.busy++;
    job.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(job.task, job.transfer);
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
