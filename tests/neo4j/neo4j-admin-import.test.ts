/**
 * The path for much larger loads (README, "Bulk loads"): `npm run neo4j:import-csv` turns our JSON export into the
 * CSV files of Neo4j's offline importer and, with --into, runs `neo4j-admin database import full` from the
 * launcher's own Maven classpath (org.neo4j:neo4j brings org.neo4j:neo4j-import-tool), which builds the store files
 * with the server stopped; the app then starts on that database and creates its constraints and indexes. The graph
 * read back is the one written, and search finds it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Neo4jStore } from '../../server/store/neo4j/neo4j.store.ts';
import type { RunningNeo4j } from '../neo4j-server/neo4j-server.ts';
import { SCHEMA_VERSION } from '../../server/schema/graph.schema.ts';
import { exportGraph } from '../../server/services/export.service.ts';
import { generateDomainGraph } from '../support/graph-generator.ts';
import { adminDriver, neo4jRequirement, skipNeo4j, startTestNeo4j, storeConfig } from './neo4j-fixture.ts';

neo4jRequirement('neo4j-admin database import');

const ROOT = join(import.meta.dirname, '..', '..');

describe.skipIf(skipNeo4j)('npm run neo4j:import-csv: our export as neo4j-admin CSV, imported, then the app on that database (real Neo4j)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'neo4j-import-'));
  let server: RunningNeo4j | undefined;
  let store: Neo4jStore | undefined;
  afterAll(async () => {
    await store?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('converts a JSON export, imports it; the app reads the graph back whole, finds it by search and has nothing to compute', async () => {
    const generated = generateDomainGraph({ nodes: 300, links: 900 });
    // Values the CSV must carry as they are: quotes, commas, a leading formula character, Khmer.
    const nodes = generated.nodes.map((n, i) => (i === 3 ? { ...n, name_en: '"Quoted", with a comma =1+1', name_km: 'ឃុំ "ក"' } : n));
    const graph = { nodes, links: generated.links };
    const exported = join(dir, 'export.json');
    writeFileSync(exported, exportGraph(graph, 'json').body as string);
    const data = join(dir, 'data');
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'server/store/neo4j/import-csv.cli.ts'), exported, join(dir, 'csv'), '--into', data],
      { cwd: ROOT, env: { ...process.env, NEO4J_IMPORT_HEAP: '512m' }, encoding: 'utf8', timeout: 600_000 },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/wrote 300 nodes and 900 links/);
    expect(run.stdout, run.stdout.slice(-3000)).toMatch(/IMPORT DONE[^]*Imported:\s+302 nodes\s+900 relationships/);
    // Without --into it prints the command for a Neo4j installation's neo4j-admin.
    const printed = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'server/store/neo4j/import-csv.cli.ts'), exported, join(dir, 'csv2')], { cwd: ROOT, encoding: 'utf8' });
    expect(printed.status, printed.stderr).toBe(0);
    expect(printed.stdout).toContain(`neo4j-admin database import full --nodes=${join(dir, 'csv2', 'nodes.csv')} --nodes=${join(dir, 'csv2', 'store.csv')} --relationships=${join(dir, 'csv2', 'links.csv')} --array-delimiter=| --ignore-empty-strings=true neo4j`);

    server = await startTestNeo4j({ dataDir: data, timeoutMs: 300_000 });
    const admin = adminDriver(server);
    // The keys the app computes are there already (the app's start finds nothing to back-fill or re-key).
    const keyless = async () =>
      Number((await admin.executeQuery('MATCH (n:Entity) WHERE n.search IS NULL OR n.search_cells IS NULL OR n.name_keys IS NULL RETURN count(n) AS c')).records[0]!.get('c'));
    expect(await keyless()).toBe(0);
    // …nor anything to upgrade: store.csv recorded the current schema version.
    const recorded = await admin.executeQuery('MATCH (v:SchemaVersion) RETURN v.version AS version');
    expect(recorded.records.map((r) => Number(r.get('version')))).toEqual([SCHEMA_VERSION]);
    store = await Neo4jStore.connect(storeConfig(server, { connectTimeoutMs: 60_000 }), () => {});
    const count = Number((await admin.executeQuery('MATCH (n:Entity) RETURN count(n) AS c')).records[0]!.get('c'));
    await admin.close();
    expect(count).toBe(300);
    expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
    const back = await store.exportAll();
    const byId = <T extends { id: string }>(list: readonly T[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(byId(back.nodes)).toEqual(byId(graph.nodes));
    expect(byId(back.links)).toEqual(byId(graph.links));
    const target = graph.nodes[7]!;
    expect((await store.search({ q: target.name_en, limit: 50 })).map((hit) => hit.id)).toContain(target.id);
    expect((await store.search({ q: 'Quoted', limit: 5 })).map((hit) => hit.id)).toContain(graph.nodes[3]!.id);
    // The write lock carries on from the import: the next write is audited as ever.
    await store.upsert({ nodes: [{ ...target, name_en: `${target.name_en} renamed` }] }, { name: 'after-import' });
    expect((await store.listAudit({ limit: 5 })).map((e) => e.by)).toEqual(['after-import']);
  }, 900_000); // a JVM import and a Neo4j start on a busy machine: a hang guard, not a speed claim
});
