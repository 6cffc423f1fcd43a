/**
 * `npm run backup -- <dir>`: a consistent copy of the embedded store's DATA_DIR while the server runs, loaded to
 * check it (its counts are printed). `npm run restore -- <dir>`: puts one back, with the server stopped.
 * DATA_DIR comes from the environment or `.env` (ENV_FILE), as for `npm start`. For the Neo4j store (NEO4J_URI
 * set) both say what to use instead (README, "Backup and restore"). See server/store/embedded/backup.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_DATA_DIR } from '../config.ts';
import { DomainError } from '../domain/errors.ts';
import { backupDataDir, restoreDataDir, type BackupManifest } from './embedded/backup.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);

function counts(manifest: Pick<BackupManifest, 'stats'>): string {
  const list = (o: Record<string, number | undefined>) =>
    Object.entries(o)
      .filter(([, n]) => (n ?? 0) > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  return `  nodes: ${list(manifest.stats.nodes) || 'none'}\n  links: ${list(manifest.stats.links) || 'none'}`;
}

async function main(): Promise<number> {
  const [mode, given, ...rest] = process.argv.slice(2);
  if ((mode !== 'backup' && mode !== 'restore') || !given || given.startsWith('-') || rest.length > 0) {
    log('usage: npm run backup -- <new or empty folder>     (while the server runs or not)');
    log('       npm run restore -- <backup folder>          (with the server stopped)');
    log('DATA_DIR is read from the environment or .env, as for npm start.');
    return 64;
  }
  const envFile = process.env.ENV_FILE ?? '.env';
  if (envFile !== 'off' && fs.existsSync(envFile)) process.loadEnvFile(envFile);
  if (process.env.NEO4J_URI) {
    log(`NEO4J_URI is set: the data is in Neo4j, which this command does not ${mode}.`);
    log('Use `neo4j-admin database dump` / `load` (Neo4j stopped), or GET /api/export?format=cypher (or json) while it runs;');
    log('see README, "Backup and restore". The editors (DATA_DIR/users.json) are a file to copy.');
    return 2;
  }
  const dataDir = path.resolve(process.env.DATA_DIR || DEFAULT_DATA_DIR);
  // `npm run` works in the project's folder; a relative folder is meant from where the command was typed.
  const dir = path.resolve(process.env.INIT_CWD ?? process.cwd(), given);
  if (mode === 'backup') {
    const result = await backupDataDir(dataDir, dir, log);
    console.log(`backed up ${dataDir} as of write ${result.seq} into ${dir}, loaded and checked:`);
    console.log(`  ${result.nodes} nodes, ${result.links} links (schema version ${result.schema_version})`);
    console.log(counts(result));
    return 0;
  }
  const result = await restoreDataDir(dir, dataDir, log);
  console.log(`restored ${dir} (write ${result.seq}, made ${result.manifest.created_at}) into ${dataDir}, loaded and checked:`);
  console.log(`  ${result.nodes} nodes, ${result.links} links`);
  console.log(counts(result.manifest));
  if (result.replaced) console.log(`the files it replaced are kept in ${result.replaced}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`error: ${error instanceof DomainError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
