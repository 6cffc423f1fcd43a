/**
 * Builds the Express app (what tests call); only server/main.ts listens. One process serves the API under /api
 * and the built explorer (web/dist) on the same port.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import { STATE_CHANGING, authenticate, rateLimit, requireRole, requireSignIn } from './auth/auth.middleware.ts';
import { EditorDirectory } from './auth/editors.ts';
import { RateLimiter } from './auth/rate-limit.ts';
import { Sessions } from './auth/sessions.ts';
import { DEFAULT_AUTH, DEFAULT_CYPHER_LIMITS, DEFAULT_READ_LIMITS, type Config } from './config.ts';
import { apiNotFound, errorMiddleware } from './http/errors.middleware.ts';
import { apiRoutes } from './http/api.routes.ts';
import { bookmarks } from './http/bookmark.middleware.ts';
import { docsRoutes } from './http/docs.routes.ts';
import { accessOf, mountRoutes, type ApiRoute } from './http/route-registry.ts';
import { securityHeaders } from './http/security.middleware.ts';
import { HeavyReads } from './services/heavy-reads/heavy-reads.ts';
import type { GraphStore } from './store/graph-store.ts';

export interface AppOptions {
  store: GraphStore;
  config: Pick<Config, 'requestBodyLimit'> & Partial<Pick<Config, 'cypher' | 'auth' | 'trustProxy' | 'importMaxBytes' | 'reads'>>;
  /** Who may write (and, with READS_REQUIRE_SIGN_IN, read); nobody when absent. */
  editors?: EditorDirectory;
  /** The explorer's signed sessions (of these editors); when absent, a random secret and counters in memory. */
  sessions?: Sessions;
  /** Folder of the built explorer; not served when absent. */
  webDir?: string;
  /** Serves the explorer in development (Vite's middleware) instead of webDir. */
  webMiddleware?: RequestHandler;
  log?: (line: string) => void;
  /** Called when a heavy read starts computing (not for cached answers); tests count and hold them. */
  onHeavyRead?: (kind: string) => void | Promise<void>;
}

export function createApp(options: AppOptions): Express {
  const log = options.log ?? ((line: string) => console.error(line));
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', options.config.trustProxy ?? false);
  app.use(securityHeaders());

  const auth = options.config.auth ?? DEFAULT_AUTH;
  const editors = options.editors ?? EditorDirectory.none();
  const sessions = options.sessions ?? Sessions.inMemory(editors);
  const signIns = new RateLimiter({ limit: auth.signInsPerMinute, windowMs: 60_000 });
  const writes = new RateLimiter({ limit: auth.writesPerMinute, windowMs: 60_000 });
  const readLimits = options.config.reads ?? DEFAULT_READ_LIMITS;
  const reads = new RateLimiter({ limit: readLimits.readsPerMinute, windowMs: 60_000 });
  /** Each route's guards, from its declared access (route-registry.ts). */
  const guardsFor = (route: ApiRoute): RequestHandler[] => {
    const access = accessOf(route);
    if (access === 'open') return [];
    if (access === 'sign-in') return [rateLimit(signIns, 'sign-in attempts')];
    if (access === 'read') return [rateLimit(reads, 'reads'), ...(auth.readsRequireSignIn ? [requireSignIn()] : [])];
    const limit = STATE_CHANGING.has(route.method.toUpperCase()) ? [rateLimit(writes, 'writes')] : [];
    return [...limit, requireRole(...access)];
  };

  const api = express.Router();
  const json = express.json({ limit: options.config.requestBodyLimit });
  // An import's body is the file itself, read by its route after the guards (server/http/import.routes.ts).
  api.use((req, res, next) => (req.path === '/import' ? next() : json(req, res, next)));
  // After the JSON body is read (the causal context must be set in the chain that runs the handlers).
  api.use(bookmarks());
  api.use(authenticate({ editors, sessions, publicOrigins: auth.publicOrigins, failedAttempts: signIns }));
  const routes = apiRoutes(options.store, {
    cypher: options.config.cypher ?? DEFAULT_CYPHER_LIMITS,
    editors,
    sessions,
    publicOrigins: auth.publicOrigins,
    log,
    importMaxBytes: options.config.importMaxBytes,
    heavy: new HeavyReads(options.store, readLimits, options.onHeavyRead),
  });
  mountRoutes(api, routes, guardsFor);
  api.use(docsRoutes(routes));
  api.use(apiNotFound());
  api.use(errorMiddleware(log));
  app.use('/api', api);

  if (options.webMiddleware) {
    app.use(options.webMiddleware);
  } else if (options.webDir && fs.existsSync(path.join(options.webDir, 'index.html'))) {
    const webDir = options.webDir;
    app.use(express.static(webDir, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForHtml }));
    // The explorer keeps its state in the URL: any other GET path opens it.
    app.get(/^\/(?!api\/).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(webDir, 'index.html'));
    });
  }
  app.use(errorMiddleware(log));
  return app;
}

function noCacheForHtml(res: express.Response, file: string): void {
  if (file.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
}
