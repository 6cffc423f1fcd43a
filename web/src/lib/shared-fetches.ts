/**
 * Fetches shared while in flight, by key: the side panel and Explore's page of the selected node ask for the same
 * node's details and links at once (issue 18), and one request serves both. An entry is handed out only while it can
 * still give a current answer: not once its request was cancelled, nor once a part of it failed (a retry must ask
 * again), nor after invalidate() (an edit: what is in flight was asked for before it). Plain TypeScript, tested in
 * tests/unit/web/shared-fetches.test.ts.
 */
export class SharedFetches<T> {
  readonly #entries = new Map<string, { value: T; signal?: AbortSignal }>();

  /** The entry in flight for `key`, if it may still be used. */
  get(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (entry?.signal?.aborted) this.#entries.delete(key);
    return entry && !entry.signal?.aborted ? entry.value : undefined;
  }

  /**
   * Shares `value` under `key` (in place of any other) until `settled` resolves (all of it is in) or rejects (a part
   * failed); `signal` cancels its requests.
   */
  start(key: string, value: T, settled: Promise<unknown>, signal?: AbortSignal): T {
    const entry = { value, signal };
    this.#entries.set(key, entry);
    const forget = () => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    };
    settled.then(forget, forget);
    return value;
  }

  /** Hands out nothing that is in flight now: its answers were asked for before a change. */
  invalidate(): void {
    this.#entries.clear();
  }
}
