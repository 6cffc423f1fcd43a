/** `npm run dev`: the server with the explorer served through Vite (hot reload of web/). */
import path from 'node:path';
import type { RequestHandler } from 'express';
import { fail, start } from './main.ts';
import { ROOT } from './web-build.ts';

const vite = await import('vite');
const devServer = await vite.createServer({
  configFile: path.join(ROOT, 'web', 'vite.config.ts'),
  server: { middlewareMode: true },
  appType: 'spa',
});

/**
 * A built explorer (npm start) on the same address leaves its service worker, which would go on serving the built
 * app instead of this one. The browser checks /sw.js on every visit: here it gets a worker that removes itself.
 */
const RETIRE_SERVICE_WORKER = `self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil((async () => {
  await self.registration.unregister();
  for (const name of await caches.keys()) await caches.delete(name);
  for (const client of await self.clients.matchAll({ type: 'window' })) client.navigate(client.url);
})()));
`;
const devMiddleware: RequestHandler = (req, res, next) => {
  if (req.path === '/sw.js') {
    res.type('application/javascript').setHeader('Cache-Control', 'no-cache');
    res.send(RETIRE_SERVICE_WORKER);
    return;
  }
  devServer.middlewares(req, res, next);
};
start({ webMiddleware: devMiddleware, devLogs: true }).catch(fail);
