/**
 * The explorer's service worker (built by web/vite.config.ts into dist/sw.js): keeps the app shell and the API
 * answers a user has opened, so that a provincial office can open them again with no network.
 *
 * - The built files (HTML, JS, CSS, map shapes, fonts, icons) are precached at install, by content revision;
 *   a new build replaces them and is used from the next visit (no forced reload mid-session).
 * - Navigations get the precached index.html (the explorer keeps its state in the URL).
 * - Graph reads (GET /api/nodes, search, subgraph, lineage, paths, documents, stats, areas, compare) go to the network first;
 *   a good answer is kept (stamped with when it was received). With no network the kept answer is served with
 *   `X-Offline-Copy: <when received>`, which the explorer shows as "offline — shown as of …".
 * - Nothing else is cached: sign-in, the audit trail, the console, exports, imports and every write go to the
 *   network only, so an edit without a connection fails and says so (nothing is queued).
 */
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { API_CACHE, OFFLINE_COPY_HEADER, STORED_AT_HEADER, isCachedRead } from './cache-rules.ts';
import precacheManifest from 'virtual:precache-manifest';

/** The few service-worker globals used here (the explorer's tsconfig has the DOM library, not the worker one). */
interface LifecycleEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
  data?: unknown;
}
declare const self: {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate' | 'message', listener: (event: LifecycleEvent) => void): void;
};

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

cleanupOutdatedCaches();
precacheAndRoute(precacheManifest as PrecacheEntry[]);
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api(\/|$)/, /^\/embed(\/|$)/] }));

/** Copies a response with extra headers (a cached body is read once). */
async function withHeaders(response: Response, extra: Record<string, string>): Promise<Response> {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}

registerRoute(
  ({ url, request }) => url.origin === self.location.origin && isCachedRead(request.method, url.pathname),
  new NetworkFirst({
    cacheName: API_CACHE,
    plugins: [
      new ExpirationPlugin({ maxEntries: 400, maxAgeSeconds: 60 * 60 * 24 * 60, purgeOnQuotaError: true }),
      {
        // Keep only complete, successful answers, stamped with when they arrived.
        cacheWillUpdate: async ({ response }) => (response.status === 200 ? withHeaders(response.clone(), { [STORED_AT_HEADER]: new Date().toISOString() }) : null),
        // Used only when the network failed (NetworkFirst): say so, and since when.
        cachedResponseWillBeUsed: async ({ cachedResponse }) =>
          cachedResponse ? withHeaders(cachedResponse, { [OFFLINE_COPY_HEADER]: cachedResponse.headers.get(STORED_AT_HEADER) ?? '' }) : cachedResponse,
      },
    ],
  }),
);

/** The page asks for the kept answers to be dropped (signing out on a shared computer). */
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null | undefined)?.type === 'clear-api-cache') event.waitUntil(caches.delete(API_CACHE));
});
