/**
 * `npm run neo4j`: a Neo4j Community server in the foreground for local development, without Docker.
 *
 *   NEO4J_BOLT_PORT  Bolt port on 127.0.0.1 (default 7687)
 *   NEO4J_DATA_DIR   data directory (default ./data/neo4j, relative to the current directory)
 *   NEO4J_PASSWORD   if set, auth is on for user neo4j with this password; otherwise auth is off
 *
 * Prints `Neo4j <version> ready at bolt://127.0.0.1:<port>` on stdout when ready; everything else goes to
 * stderr. Ctrl-C / SIGTERM shut the database down cleanly.
 */
import { resolve } from 'node:path';
import { neo4jAvailability, startNeo4j } from './neo4j-server.ts';
import type { RunningNeo4j } from './neo4j-server.ts';

function fail(message: string): never {
  process.stderr.write(`neo4j: ${message}\n`);
  process.exit(1);
}

const portText = process.env.NEO4J_BOLT_PORT?.trim() || '7687';
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`NEO4J_BOLT_PORT is not a port: ${portText}`);
const dataDir = resolve(process.env.NEO4J_DATA_DIR?.trim() || 'data/neo4j');
const password = process.env.NEO4J_PASSWORD || undefined;

const availability = neo4jAvailability();
if (!availability.ok) fail(`cannot run Neo4j here: ${availability.reason ?? 'unknown reason'}`);

let server: RunningNeo4j | undefined;
let stopping = false;
// Keep the process alive while the server runs (startNeo4j does not hold the event loop open by itself).
const keepAlive = setInterval(() => {}, 1 << 30);

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`neo4j: ${signal}, stopping...\n`);
  try {
    await server?.stop();
    process.exit(0);
  } catch (e) {
    process.stderr.write(`neo4j: stop failed: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));

try {
  server = await startNeo4j({
    port,
    dataDir,
    ...(password !== undefined ? { password } : {}),
    timeoutMs: 300_000,
    onExit: ({ code, signal }) => {
      if (stopping) return;
      process.stderr.write(`neo4j: the server exited unexpectedly (code ${String(code)}, signal ${String(signal)})\n`);
      clearInterval(keepAlive);
      process.exit(code === 0 ? 1 : (code ?? 1));
    },
  });
} catch (e) {
  fail((e as Error).message);
}
if (stopping) {
  // A signal arrived while starting; shutdown() has no server to stop yet.
  await server.stop();
  process.exit(0);
}
process.stdout.write(`Neo4j ${server.version} ready at ${server.uri}\n`);
process.stderr.write(
  `neo4j: data ${server.dataDir}, auth ${password !== undefined ? 'on (user neo4j, password from NEO4J_PASSWORD)' : 'off'}; Ctrl-C to stop\n`,
);
