/**
 * A DATA_DIR written by the version before schema versions (schema 1: tests/fixtures/schema-v1, made by that
 * version's code, see make-v1.ts there) opens with this version: every node, link, audit entry and id is kept,
 * the folder records schema version 3 (both steps, 1 → 2 → 3, are additive), and records of the new model can be
 * written. A folder of version 2 opens and records 3, nothing rewritten. A folder of a newer version is refused and
 * left unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptData } from '../../server/domain/errors.ts';
import { SCHEMA_VERSION, type GraphLink, type GraphNode } from '../../server/schema/graph.schema.ts';
import type { AuditEntry } from '../../server/store/graph-store.ts';
import { SCHEMA_FILE } from '../../server/store/embedded/data-dir.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { rewritesRecords, upgradesFrom, upgradeNode } from '../../server/store/schema-upgrades.ts';
import { tempDir } from '../support/temp-dir.ts';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'schema-v1');
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'expected.json'), 'utf8')) as {
  nodes: GraphNode[];
  links: GraphLink[];
  audit: AuditEntry[];
};

const open: EmbeddedStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close().catch(() => undefined);
});

function copyFixture(): string {
  const dir = tempDir();
  for (const file of fs.readdirSync(path.join(FIXTURE, 'data-dir'))) fs.copyFileSync(path.join(FIXTURE, 'data-dir', file), path.join(dir, file));
  return dir;
}

const byId = <T extends { id: string }>(records: readonly T[]) => [...records].sort((a, b) => (a.id < b.id ? -1 : 1));

describe('the embedded store opens a DATA_DIR of schema version 1', () => {
  it('keeps every node, link, audit entry and id, and records the schema version', async () => {
    expect(SCHEMA_VERSION).toBe(3);
    const dir = copyFixture();
    expect(fs.existsSync(path.join(dir, SCHEMA_FILE))).toBe(false);
    const logged: string[] = [];
    const store = await EmbeddedStore.open({ dataDir: dir, log: (line) => logged.push(line) });
    open.push(store);
    expect(await store.schemaVersion()).toBe(3);
    expect(JSON.parse(fs.readFileSync(path.join(dir, SCHEMA_FILE), 'utf8'))).toEqual({ format: 'dar-kg-schema', version: 3 });
    expect(logged.join('\n')).toMatch(/upgraded .* from schema version 1 to 3/);

    const all = await store.exportAll();
    expect(expected.nodes.length).toBeGreaterThan(20);
    expect(byId(all.nodes)).toEqual(byId(expected.nodes));
    expect(byId(all.links)).toEqual(byId(expected.links));
    const audit = await store.listAudit({ limit: 1000 });
    expect(audit).toEqual(expected.audit);
    expect(audit.map((entry) => entry.seq)).toEqual([4, 3, 2, 1]);

    // The new model is writable at once: a law and the body it established.
    await store.upsert(
      {
        nodes: [{ id: 'rd-2008', label: 'Law', name_en: 'Royal Decree', name_km: 'ព្រះរាជក្រឹត្យ', kind: 'royal-decree', date: '2008-12-31', sources: [] }],
        links: [{ id: 'ncdd-established-by-rd-2008', type: 'ESTABLISHED_BY', from: 'ncdd', to: 'rd-2008', sources: ['https://ncdd.gov.kh/en/about-ncdd/overview'] }],
      },
      { name: 'test' },
    );
    await store.close();
    open.pop();

    // Opened again: nothing to upgrade, nothing lost.
    const again = await EmbeddedStore.open({ dataDir: dir, log: (line) => logged.push(line) });
    open.push(again);
    expect(logged.filter((line) => /upgraded/.test(line))).toHaveLength(1);
    expect((await again.exportAll()).nodes).toHaveLength(expected.nodes.length + 1);
    expect((await again.listAudit({ limit: 1000 })).slice(1)).toEqual(expected.audit);
    expect((await again.getLink('ncdd-established-by-rd-2008'))?.to).toBe('rd-2008');
  });

  it('opens a folder of version 2 and records 3, every file but schema.json as it was', async () => {
    const dir = copyFixture();
    fs.writeFileSync(path.join(dir, SCHEMA_FILE), `${JSON.stringify({ format: 'dar-kg-schema', version: 2 })}\n`);
    const files = () => Object.fromEntries(fs.readdirSync(dir).filter((f) => f !== SCHEMA_FILE && f !== 'lock').map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    const before = files();
    const logged: string[] = [];
    const store = await EmbeddedStore.open({ dataDir: dir, log: (line) => logged.push(line) });
    open.push(store);
    expect(await store.schemaVersion()).toBe(3);
    expect(JSON.parse(fs.readFileSync(path.join(dir, SCHEMA_FILE), 'utf8'))).toEqual({ format: 'dar-kg-schema', version: 3 });
    expect(logged.join('\n')).toMatch(/upgraded .* from schema version 2 to 3/);
    // Additive: no record rewritten, no snapshot written.
    expect(files()).toEqual(before);
    expect(byId((await store.exportAll()).nodes)).toEqual(byId(expected.nodes));
    expect(await store.listAudit({ limit: 1000 })).toEqual(expected.audit);
  });

  it('records the current version in a new folder', async () => {
    const dir = tempDir();
    const store = await EmbeddedStore.open({ dataDir: dir });
    open.push(store);
    expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(JSON.parse(fs.readFileSync(path.join(dir, SCHEMA_FILE), 'utf8')).version).toBe(SCHEMA_VERSION);
  });

  it('refuses a folder written by a newer version, and changes nothing', async () => {
    const dir = copyFixture();
    fs.writeFileSync(path.join(dir, SCHEMA_FILE), JSON.stringify({ format: 'dar-kg-schema', version: 4 }));
    const before = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    const error = await EmbeddedStore.open({ dataDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptData);
    expect((error as Error).message).toMatch(/newer version .*schema version 4; this version knows up to 3/);
    const after = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    expect(after).toEqual(before);
  });

  it('refuses a damaged schema file', async () => {
    const dir = copyFixture();
    fs.writeFileSync(path.join(dir, SCHEMA_FILE), '{"version": "two"}');
    await expect(EmbeddedStore.open({ dataDir: dir })).rejects.toThrow(/schema\.json is damaged/);
  });
});

describe('the upgrade steps', () => {
  it('run from the stored version to the current one, and keep version-1 records as they are', () => {
    expect(upgradesFrom(1, 'x').map((step) => step.to)).toEqual([2, 3]);
    expect(upgradesFrom(2, 'x').map((step) => step.to)).toEqual([3]);
    expect(upgradesFrom(3, 'x')).toEqual([]);
    expect(() => upgradesFrom(4, 'x')).toThrow(/schema version 4; this version knows up to 3/);
    // Version 3 (a Neo4j bulk load's audit entry may keep its changes in :AuditPart nodes) rewrites nothing.
    expect(upgradesFrom(2, 'x')[0]).toEqual({ to: 3, summary: expect.stringMatching(/:AuditPart/) });
    expect(rewritesRecords(upgradesFrom(2, 'x'))).toBe(false);
    expect(() => upgradesFrom(0, 'x')).toThrow(/not a version/);
    const node = expected.nodes[0]!;
    expect(upgradeNode(node, upgradesFrom(1, 'x'))).toEqual(node);
  });
});
