/** What the service worker keeps for offline use (shared by the worker, the page and their tests). */

/** The cache of API answers (dropped on sign-out, so a shared computer keeps nothing of a session). */
export const API_CACHE = 'dar-api';

/** Sent by the service worker on an answer it served from its cache because the network failed: when it was received. */
export const OFFLINE_COPY_HEADER = 'X-Offline-Copy';
/** Stamped on a kept answer when it is stored. */
export const STORED_AT_HEADER = 'X-Stored-At';

/** The graph reads the explorer makes; nothing signed-in only, no exports (large, and taken on purpose), no writes. */
const CACHED_READS = /^\/api\/(nodes(\/[^/]+(\/neighbours)?)?|search|subgraph|lineage\/[^/]+|paths|documents|stats|compare|areas\/[^/]+\/shape)$/;

export function isCachedRead(method: string, pathname: string): boolean {
  return method === 'GET' && CACHED_READS.test(pathname);
}

/** Drops the kept API answers (on sign-out, so a shared computer keeps nothing of a session). */
export async function dropOfflineCopies(): Promise<void> {
  const storage = (globalThis as { caches?: { delete(name: string): Promise<boolean> } }).caches;
  await storage?.delete(API_CACHE).catch(() => false);
}

/** True when the browser says it is offline (false where there is no browser). */
export function browserOffline(): boolean {
  return (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine === false;
}
