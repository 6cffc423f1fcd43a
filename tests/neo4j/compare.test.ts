/**
 * GET /api/compare on a real Neo4j: the same suite as on the embedded store (tests/api/compare.suite.ts), so both
 * stores give the same answer. A file of its own (its own server) to keep neo4j.test.ts as it is.
 */
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe } from 'vitest';
import type { RunningNeo4j } from '../neo4j-server/neo4j-server.ts';
import { describeCompareApi } from '../api/compare.suite.ts';
import { adminDriver, neo4jRequirement, openEmptyNeo4jStore, skipNeo4j, startTestNeo4j } from './neo4j-fixture.ts';

neo4jRequirement('Comparing periods and versions on Neo4j');

describe.skipIf(skipNeo4j)('comparing periods and versions (real Neo4j)', () => {
  let server: RunningNeo4j | undefined;
  let driver: Driver | undefined;
  beforeAll(async () => {
    server = await startTestNeo4j({ timeoutMs: 300_000 }); // a busy machine starts a JVM slowly
    driver = adminDriver(server);
  }, 400_000);
  afterAll(async () => {
    await driver?.close();
    await server?.stop();
  });

  describeCompareApi('Neo4j', () => {
    if (!server || !driver) throw new Error('Neo4j did not start (see beforeAll)');
    return openEmptyNeo4jStore(server, driver);
  });
});
