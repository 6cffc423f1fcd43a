import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import { neo4jAvailability, startNeo4j } from './neo4j-server.ts';
import type { RunningNeo4j } from './neo4j-server.ts';

const availability = neo4jAvailability();
const required = process.env.REQUIRE_NEO4J === '1';
if (!availability.ok) {
  const banner = `NEO4J SKIPPED: the real Neo4j server cannot run here (${availability.reason ?? 'unknown reason'}); install Java 17+ and Maven`;
  console.warn(`\n${'!'.repeat(banner.length)}\n${banner}\n${'!'.repeat(banner.length)}\n`);
}

const TIMEOUT = 180_000;
const servers: RunningNeo4j[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe('neo4j-server (real Neo4j Community via the Java launcher)', () => {
  if (required) {
    it('is available (REQUIRE_NEO4J=1)', () => {
      expect(availability.reason ?? '', 'Neo4j is required here but cannot run').toBe('');
      expect(availability.ok).toBe(true);
    });
  }

  it.skipIf(!availability.ok)(
    'starts, answers Bolt queries, and keeps its data across a restart',
    async () => {
      const password = 'test-password-1';
      const server = await startNeo4j({ password, log: () => {} });
      servers.push(server);
      expect(server.version).toMatch(/^5\.26\.\d+$/);
      expect(server.uri).toBe(`bolt://127.0.0.1:${server.port}`);

      const open = () => neo4j.driver(server.uri, neo4j.auth.basic('neo4j', password));
      let driver = open();
      try {
        const info = await driver.getServerInfo();
        expect(info.agent).toBe(`Neo4j/${server.version}`);
        await driver.executeQuery('CREATE CONSTRAINT survivor_id IF NOT EXISTS FOR (n:Survivor) REQUIRE n.id IS UNIQUE');
        const created = await driver.executeQuery('CREATE (n:Survivor {id: $id}) RETURN n.id AS id', { id: 'a1' });
        expect(created.records[0]?.get('id')).toBe('a1');
        const explained = await driver.executeQuery('EXPLAIN MATCH (n:Survivor) RETURN n');
        expect(explained.summary.queryType).toBe('r');
        expect(explained.records).toHaveLength(0);
      } finally {
        await driver.close();
      }

      const wrong = neo4j.driver(server.uri, neo4j.auth.basic('neo4j', 'not-the-password'));
      try {
        await expect(wrong.executeQuery('RETURN 1')).rejects.toMatchObject({ code: 'Neo.ClientError.Security.Unauthorized' });
      } finally {
        await wrong.close();
      }

      await server.restart();
      driver = open();
      try {
        const found = await driver.executeQuery('MATCH (n:Survivor) RETURN n.id AS id');
        expect(found.records.map((r) => r.get('id'))).toEqual(['a1']);
      } finally {
        await driver.close();
      }

      await server.stop();
    },
    TIMEOUT,
  );
});
