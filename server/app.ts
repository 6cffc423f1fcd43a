/**
 * Builds the Express app (what tests call); only server/main.ts listens. One process serves the API under /api
 * and the built explorer (web/dist) on the same port.
 */
import fs from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { type Express, type RequestHandler } from 'express';
import { STATE_CHANGING, authenticate, requireRole, requireSignIn } from './auth/auth.middleware.ts';
import { EditorDirectory } from './auth/editors.ts';
import { rateLimiter } from './auth/rate-limit.ts';
import { Sessions } from './auth/sessions.ts';
import { DEFAULT_AUTH, DEFAULT_CYPHER_LIMITS, DEFAULT_READ_LIMITS, type Config } from './config.ts';
import { apiNotFound, errorMiddleware } from './http/errors.middleware.ts';
import { apiRoutes } from './http/api.routes.ts';
import { bookmarks } from './http/bookmark.middleware.ts';
import { docsRoutes } from './http/docs.routes.ts';
import { reconcileCors } from './http/reconcile.routes.ts';
import { accessLog, lineLog, silentLogger, type AccessLogOptions, type LogLine, type Logger } from './http/logger.ts';
import { precompressedAssets } from './http/precompressed.ts';
import { accessOf, mountRoutes, type ApiRoute } from './http/route-registry.ts';
import { embedFraming, securityHeaders } from './http/security.middleware.ts';
import { HeavyReads } from './services/heavy-reads/heavy-reads.ts';
import type { GraphStore } from './store/graph-store.ts';

export interface AppOptions {
  store: GraphStore;
  config: Pick<Config, 'requestBodyLimit'> & Partial<Pick<Config, 'cypher' | 'auth' | 'trustProxy' | 'importMaxBytes' | 'reads' | 'embedAllowedOrigins'>>;
  /** Who may write (and, with READS_REQUIRE_SIGN_IN, read); nobody when absent. */
  editors?: EditorDirectory;
  /** The explorer's signed sessions (of these editors); when absent, a random secret and counters in memory. */
  sessions?: Sessions;
  /** Folder of the built explorer; not served when absent. */
  webDir?: string;
  /** Serves the explorer in development (Vite's middleware) instead of webDir. */
  webMiddleware?: RequestHandler;
  /** The access log and, unless `log` is given, the server's own lines (server/http/logger.ts); silent when absent. */
  logger?: Logger;
  /** Requests left out of the access log (still given a request id). */
  accessLogIgnore?: AccessLogOptions['ignore'];
  /** The server's own lines (audit, internal errors); through `logger` when absent. */
  log?: LogLine;
  /** Called when a heavy read starts computing (not for cached answers); tests count and hold them. */
  onHeavyRead?: (kind: string) => void | Promise<void>;
}

export function createApp(options: AppOptions): Express {
  const logger = options.logger ?? silentLogger();
  const log = options.log ?? lineLog(logger);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', options.config.trustProxy ?? false);
  app.use(accessLog(logger, { ignore: options.accessLogIgnore }));
  app.use(securityHeaders());
  app.use(embedFraming(options.config.embedAllowedOrigins ?? []));
  // gzip or brotli (as the client accepts) for API answers and the explorer's files (its assets precompressed by the
  // build: precompressed.ts); zip exports are left as they are, answers under 1 kB too.
  app.use(compression());

  const auth = options.config.auth ?? DEFAULT_AUTH;
  const editors = options.editors ?? EditorDirectory.none();
  const sessions = options.sessions ?? Sessions.inMemory(editors);
  // Per client address (IPv6: per /56) and per process: server/auth/rate-limit.ts.
  const signIns = rateLimiter({ limit: auth.signInsPerMinute, identifier: 'sign-in', what: 'sign-in attempts' });
  const writes = rateLimiter({ limit: auth.writesPerMinute, identifier: 'writes', what: 'writes' });
  const readLimits = options.config.reads ?? DEFAULT_READ_LIMITS;
  const reads = rateLimiter({ limit: readLimits.readsPerMinute, identifier: 'reads', what: 'reads' });
  /** Each route's guards, from its declared access (route-registry.ts). */
  const guardsFor = (route: ApiRoute): RequestHandler[] => {
    const access = accessOf(route);
    if (access === 'open') return [];
    if (access === 'sign-in') return [signIns];
    if (access === 'read') return [reads, ...(auth.readsRequireSignIn ? [requireSignIn()] : [])];
    const limit = STATE_CHANGING.has(route.method.toUpperCase()) ? [writes] : [];
    return [...limit, requireRole(...access)];
  };

  const api = express.Router();
  const json = express.json({ limit: options.config.requestBodyLimit });
  // OpenRefine calls the reconciliation service from its own page (CORS, errors included) and sends queries as a form.
  api.use('/reconcile', reconcileCors);
  // An import's body is the file itself, read by its route after the guards (server/http/import.routes.ts).
  api.use((req, res, next) => (req.path === '/import' ? next() : json(req, res, next)));
  api.use('/reconcile', express.urlencoded({ extended: false, limit: options.config.requestBodyLimit }));
  // After the JSON body is read and the reconciliation form (the causal context must be set in the chain that runs the handlers).
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
    app.use(precompressedAssets(webDir, { maxAge: '1h' }));
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
  // The page, the service worker and the app manifest are checked on every visit, so a new build is picked up.
  if (file.endsWith('.html') || file.endsWith(`${path.sep}sw.js`) || file.endsWith('.webmanifest')) res.setHeader('Cache-Control', 'no-cache');
}
