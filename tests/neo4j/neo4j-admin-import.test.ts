/**
 * The path for much larger loads (README, "Bulk loads"): Neo4j's offline importer, `neo4j-admin database import
 * full`, run from the launcher's own Maven classpath (org.neo4j:neo4j brings org.neo4j:neo4j-import-tool), builds
 * the store files from CSV with the server stopped; the app then starts on that database, creates its constraints
 * and indexes and computes the search and name keys. The graph read back is the one written, and search finds it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Neo4jStore } from '../../server/store/neo4j/neo4j.store.ts';
import { ensureLauncherBuilt, type RunningNeo4j } from '../neo4j-server/neo4j-server.ts';
import { generateDomainGraph } from '../support/graph-generator.ts';
import { adminDriver, neo4jRequirement, skipNeo4j, startTestNeo4j, storeConfig } from './neo4j-fixture.ts';

neo4jRequirement('neo4j-admin database import');

const NODE_COLUMNS = [
  ['name_en', 'string'], ['name_km', 'string'], ['sources', 'string[]'], ['acronym', 'string'], ['start', 'string'], ['end', 'string'],
  ['type', 'string'], ['level', 'string'], ['code', 'string'], ['lat', 'double'], ['lon', 'double'], ['category', 'string'], ['year', 'long'],
] as const;

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = Array.isArray(value) ? value.join('|') : String(value);
  return `"${text.replace(/"/g, '""')}"`;
}

describe.skipIf(skipNeo4j)('neo4j-admin database import from CSV, then the app on that database (real Neo4j)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'neo4j-import-'));
  let server: RunningNeo4j | undefined;
  let store: Neo4jStore | undefined;
  afterAll(async () => {
    await store?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports nodes and links; the app reads them back whole and finds them by search', async () => {
    const graph = generateDomainGraph({ nodes: 300, links: 900 });
    for (const record of [...graph.nodes, ...graph.links]) for (const s of record.sources ?? []) expect(s).not.toContain('|');
    const data = join(dir, 'data');
    const home = join(dir, 'home');
    mkdirSync(join(home, 'conf'), { recursive: true });
    writeFileSync(join(home, 'conf', 'neo4j.conf'), `server.directories.data=${data}\n`);
    const nodeKeys = new Set(graph.nodes.flatMap((n) => Object.keys(n)));
    for (const key of nodeKeys) expect(['id', 'label', ...NODE_COLUMNS.map(([k]) => k)]).toContain(key);
    writeFileSync(
      join(dir, 'nodes.csv'),
      [
        ['id:ID', ':LABEL', ...NODE_COLUMNS.map(([k, t]) => `${k}:${t}`)].join(','),
        ...graph.nodes.map((n) => [cell(n.id), cell(`Entity|${n.label}`), ...NODE_COLUMNS.map(([k]) => cell((n as Record<string, unknown>)[k]))].join(',')),
      ].join('\n'),
    );
    for (const link of graph.links) expect(Object.keys(link).sort()).toEqual(expect.arrayContaining(['from', 'id', 'to', 'type']));
    writeFileSync(
      join(dir, 'links.csv'),
      [':START_ID,:END_ID,:TYPE,id,sources:string[]', ...graph.links.map((l) => [cell(l.from), cell(l.to), cell(l.type), cell(l.id), cell(l.sources)].join(','))].join('\n'),
    );
    const classpath = await ensureLauncherBuilt(() => {});
    const run = spawnSync(
      'java',
      [
        '-Xmx512m', '-cp', classpath.join(delimiter), 'org.neo4j.cli.AdminTool', 'database', 'import', 'full',
        `--nodes=${join(dir, 'nodes.csv')}`, `--relationships=${join(dir, 'links.csv')}`,
        '--array-delimiter=|', '--ignore-empty-strings=true', '--max-off-heap-memory=256m', '--threads=2', `--report-file=${join(dir, 'import.report')}`, 'neo4j',
      ],
      { env: { ...process.env, NEO4J_HOME: home, NEO4J_CONF: join(home, 'conf') }, encoding: 'utf8', timeout: 600_000 },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout, run.stdout.slice(-3000)).toMatch(/IMPORT DONE[^]*Imported:\s+300 nodes\s+900 relationships/);

    server = await startTestNeo4j({ dataDir: data, timeoutMs: 300_000 });
    const admin = adminDriver(server);
    const count = async () => Number((await admin.executeQuery('MATCH (n:Entity) RETURN count(n) AS c')).records[0]!.get('c'));
    const before = await count();
    store = await Neo4jStore.connect(storeConfig(server, { connectTimeoutMs: 60_000 }), () => {});
    const after = await count();
    await admin.close();
    expect([before, after]).toEqual([300, 300]);
    const back = await store.exportAll();
    const byId = <T extends { id: string }>(list: readonly T[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(byId(back.nodes)).toEqual(byId(graph.nodes));
    expect(byId(back.links)).toEqual(byId(graph.links));
    const target = graph.nodes[7]!;
    const found = await store.search({ q: target.name_en, limit: 50 });
    expect(found.map((hit) => hit.id)).toContain(target.id);
  }, 900_000); // a JVM import and a Neo4j start on a busy machine: a hang guard, not a speed claim
});
