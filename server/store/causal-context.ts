/**
 * Read-your-writes across app processes and cluster members: the bookmarks a request must see (sent by the client
 * in the `Neo4j-Bookmark` header) and the bookmarks of the writes it made (sent back in the same header), carried
 * from the HTTP layer to the store without threading them through every service call. The Neo4j store passes
 * `after` to each session (Neo4j then waits until the member serving it has applied those transactions) and adds
 * each write's bookmark to `written`; the embedded store, one process with one in-memory graph, needs neither.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CausalContext {
  /** Bookmarks every read and write of this request must wait for. */
  readonly after: readonly string[];
  /** Bookmarks of the transactions this request committed (filled in by the store). */
  readonly written: string[];
}

const storage = new AsyncLocalStorage<CausalContext>();

/** Runs `work` (and everything it starts) with this request's causal context. */
export function withCausalContext<T>(context: CausalContext, work: () => T): T {
  return storage.run(context, work);
}

/** The causal context of the request being served, if any. */
export function causalContext(): CausalContext | undefined {
  return storage.getStore();
}
