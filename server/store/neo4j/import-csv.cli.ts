/**
 * `npm run neo4j:import-csv -- <export.json | DATA_DIR> <out dir> [--into <Neo4j data dir>]`: the path for loads
 * much larger than the app's bulk load (README, "Bulk loads"). Reads our JSON export (GET /api/export?format=json)
 * or an embedded store's DATA_DIR, writes the CSV files of Neo4j's offline importer (neo4j.admin-csv.ts) and prints
 * the `neo4j-admin database import full` command for them. With `--into`, runs that importer itself — the one on the
 * development launcher's Maven classpath (tests/neo4j-server, `npm run neo4j`) — into that data directory, which
 * must not hold a database yet; then `NEO4J_DATA_DIR=<dir> npm run neo4j` serves it and the app starts on it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { delimiter } from 'node:path';
import type { GraphLink, GraphNode } from '../../schema/graph.schema.ts';
import { readJsonExport } from '../../services/export.service.ts';
import { EmbeddedStore } from '../embedded/embedded.store.ts';
import { adminImportArgs, writeAdminCsv } from './neo4j.admin-csv.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);

async function readGraph(source: string): Promise<{ nodes: GraphNode[]; links: GraphLink[] }> {
  if (fs.statSync(source).isDirectory()) {
    const store = await EmbeddedStore.open({ dataDir: source });
    try {
      return await store.exportAll();
    } finally {
      await store.close();
    }
  }
  return readJsonExport(fs.readFileSync(source, 'utf8'));
}

/** Runs the importer from the launcher's classpath into `dataDir` (database `neo4j`); returns its report lines. */
export async function runAdminImport(args: readonly string[], dataDir: string, workDir: string): Promise<string> {
  const { ensureLauncherBuilt } = await import('../../../tests/neo4j-server/neo4j-server.ts');
  const classpath = await ensureLauncherBuilt(log);
  const home = path.join(workDir, 'neo4j-home');
  fs.mkdirSync(path.join(home, 'conf'), { recursive: true });
  fs.writeFileSync(path.join(home, 'conf', 'neo4j.conf'), `server.directories.data=${dataDir}\n`);
  const run = spawnSync(
    process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java',
    [process.env.NEO4J_IMPORT_HEAP ? `-Xmx${process.env.NEO4J_IMPORT_HEAP}` : '-Xmx1g', '-cp', classpath.join(delimiter), 'org.neo4j.cli.AdminTool', ...args.slice(0, -1), `--report-file=${path.join(workDir, 'import.report')}`, args.at(-1)!],
    { env: { ...process.env, NEO4J_HOME: home, NEO4J_CONF: path.join(home, 'conf') }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const out = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.status !== 0) throw new Error(`the importer failed (exit ${String(run.status)}):\n${out.slice(-3000)}`);
  return out;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const into = argv.indexOf('--into');
  const dataDir = into >= 0 ? argv[into + 1] : undefined;
  const positional = argv.filter((_, i) => into < 0 || (i !== into && i !== into + 1));
  if (positional.length !== 2 || positional.some((a) => a.startsWith('-')) || (into >= 0 && !dataDir)) {
    log('usage: npm run neo4j:import-csv -- <export.json | DATA_DIR> <out dir> [--into <Neo4j data dir>]');
    return 64;
  }
  // `npm run` works in the project's folder; relative paths are meant from where the command was typed.
  const here = (p: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
  const [source, outDir] = positional.map(here) as [string, string];
  const graph = await readGraph(source);
  const files = writeAdminCsv(graph, outDir);
  const args = adminImportArgs(files);
  console.log(`wrote ${files.counts.nodes} nodes and ${files.counts.links} links for neo4j-admin into ${outDir}`);
  if (!dataDir) {
    console.log('import them into a new database with the Neo4j server stopped:');
    console.log(`  neo4j-admin ${args.join(' ')}`);
    console.log('(or run this command again with --into <Neo4j data dir> to use the development launcher\'s importer)');
    return 0;
  }
  const target = here(dataDir);
  if (fs.existsSync(path.join(target, 'databases', 'neo4j'))) {
    log(`${target} already holds a database "neo4j"; the importer writes only into a new one (stop Neo4j, move it away)`);
    return 2;
  }
  const report = await runAdminImport(args, target, outDir);
  console.log(report.split('\n').filter((line) => /IMPORT DONE|Imported:|nodes|relationships|properties/.test(line)).slice(-6).join('\n'));
  console.log(`done: NEO4J_DATA_DIR=${target} npm run neo4j serves it; the app then starts on it (NEO4J_URI=bolt://127.0.0.1:7687)`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      log(`neo4j:import-csv: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
