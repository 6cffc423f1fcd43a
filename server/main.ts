/**
 * Starts DAR Knowledge Graph: checks the configuration, opens the store (seeding it when empty), builds the
 * explorer when needed, listens, and closes everything cleanly on SIGTERM/SIGINT.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RequestHandler } from 'express';
import { createApp } from './app.ts';
import { EditorDirectory } from './auth/editors.ts';
import { Sessions } from './auth/sessions.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DomainError } from './domain/errors.ts';
import { createLogger, lineLog, type LogLine } from './http/logger.ts';
import { seedStore } from './seed/seed.service.ts';
import { openStore } from './store/open-store.ts';
import { WEB_DIST, buildWeb, webBuildIsCurrent } from './web-build.ts';

export interface StartOptions {
  /** Development: serve the explorer through Vite's middleware with hot reload. */
  webMiddleware?: RequestHandler;
  /** Development: pretty log lines (pino-pretty), and Vite's own requests left out of the access log. */
  devLogs?: boolean;
}

/**
 * Settings from a dotenv file (`ENV_FILE`, default `.env` in the working folder; `off` reads none), e.g. the
 * credentials file Aura hands out. Variables already in the environment win over the file.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env.ENV_FILE ?? '.env';
  if (file === 'off' || !fs.existsSync(file)) return undefined;
  process.loadEnvFile(file);
  return file;
}

export async function start(options: StartOptions = {}): Promise<void> {
  const envFile = loadEnvFile();
  const config = loadConfig();
  // One logger for the access log and the server's own lines (server/http/logger.ts).
  const logger = createLogger({ level: config.logLevel, pretty: options.devLogs === true });
  const log: LogLine = lineLog(logger);
  if (envFile) log(`settings read from ${path.resolve(envFile)} (the environment wins over it)`);
  const store = await openStore(config, log);
  let editors: EditorDirectory;
  let sessions: Sessions;
  try {
    editors = loadEditors(config.auth.editorTokens, config.dataDir, log);
    sessions = openSessions(config.dataDir, config.auth.sessionSecret, editors);
    if (config.neo4j && !config.auth.sessionSecret) {
      log(`sessions are signed with ${config.dataDir}/session.secret: app processes that serve the same Neo4j without sharing DATA_DIR need one SESSION_SECRET (README, "Editing")`);
    }
    if (config.seedOnEmpty && (await store.countNodes()) === 0) {
      const result = await seedStore(store, config.seedDir);
      log(`seeded an empty ${store.kind} store from ${config.seedDir}: ${result.nodes} nodes, ${result.links} links`);
    }
    if (!options.webMiddleware && config.webBuild === 'auto' && !webBuildIsCurrent()) await buildWeb(log);
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }

  const app = createApp({
    store,
    config,
    editors,
    sessions,
    webDir: WEB_DIST,
    webMiddleware: options.webMiddleware,
    logger,
    log,
    // In development Vite serves each module of the explorer: only the API's requests are logged.
    ...(options.devLogs ? { accessLogIgnore: (req) => !req.url?.startsWith('/api') } : {}),
  });
  const server: Server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`DAR Knowledge Graph listening on http://${config.host}:${port} (store: ${store.kind})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: closing`);
    server.close();
    server.closeAllConnections();
    await store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * The editors: EDITOR_TOKENS, else DATA_DIR/users.json; when neither exists, one admin is created and its token
 * handed out this once (announceFirstAdmin; only its hash is stored).
 */
function loadEditors(editorTokens: string | undefined, dataDir: string, log: LogLine): EditorDirectory {
  try {
    return EditorDirectory.load({
      editorTokens,
      dataDir,
      announce: (token, file) => announceFirstAdmin(token, file, { isTTY: process.stdout.isTTY === true, print: (text) => console.log(text) }),
      onReloadError: (message) => log(`editors: ${message}`, 'warn'),
    });
  } catch (error) {
    throw new ConfigError(`editors: ${(error as Error).message}`);
  }
}

/** The explorer's signed sessions: SESSION_SECRET or DATA_DIR/session.secret; counters in DATA_DIR/sessions.json. */
function openSessions(dataDir: string, sessionSecret: string | undefined, editors: EditorDirectory): Sessions {
  try {
    return Sessions.open({ dataDir, editors, ...(sessionSecret ? { sessionSecret } : {}) });
  } catch (error) {
    throw new ConfigError(`sessions: ${(error as Error).message}`);
  }
}

/** Where the first admin's token goes when the server's output is not a terminal (a log a service manager keeps). */
export const FIRST_ADMIN_TOKEN_FILE = 'first-admin-token.txt';

/**
 * Hands out the first admin's token once: printed when stdout is a terminal (someone is watching it), else written
 * to DATA_DIR/first-admin-token.txt (0600) and only that path printed, so that the token never lands in a log.
 */
export function announceFirstAdmin(token: string, usersFile: string, out: { isTTY: boolean; print: (text: string) => void }): void {
  const intro = 'No editors were configured, so one admin was created (only its token\'s hash is kept in';
  const after = [
    'Sign in from the explorer with it, or send it on API writes as "Authorization: Bearer <token>".',
    'Add editors in that file, or set EDITOR_TOKENS="name:token,name:token:admin" (see README, "Editing").',
    '',
  ];
  if (out.isTTY) {
    out.print(['', intro, `${usersFile}). Its token, shown this once:`, '', `    ${token}`, '', ...after].join('\n'));
    return;
  }
  const file = path.join(path.dirname(usersFile), FIRST_ADMIN_TOKEN_FILE);
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  out.print(
    [
      '',
      intro,
      `${usersFile}). The output is not a terminal, so its token is not printed: it was written to`,
      '',
      `    ${file}`,
      '',
      '(readable by this user only). Read it, keep it somewhere safe, and delete that file.',
      ...after,
    ].join('\n'),
  );
}

function fail(error: unknown): never {
  if (error instanceof ConfigError || error instanceof DomainError) console.error(`error: ${error.message}`);
  else console.error(error);
  process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  start().catch(fail);
}

export { fail };
