/** `npm run dev`: the server with the explorer served through Vite (hot reload of web/). */
import path from 'node:path';
import { fail, start } from './main.ts';
import { ROOT } from './web-build.ts';

const vite = await import('vite');
const devServer = await vite.createServer({
  configFile: path.join(ROOT, 'web', 'vite.config.ts'),
  server: { middlewareMode: true },
  appType: 'spa',
});
start({ webMiddleware: devServer.middlewares, devLogs: true }).catch(fail);
