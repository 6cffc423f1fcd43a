/**
 * The shared suites on a REAL Neo4j Community started by tests/neo4j-server: the same list, in the same order, as
 * tests/stores/embedded.test.ts runs on the embedded store, then what only Neo4j has (tests/neo4j/neo4j-only.suite.ts:
 * the console, migrations, every Cypher statement EXPLAINed, the same answers as the embedded store). One file, so
 * the suites run one after another on one server (Community has one user database; each suite empties it).
 */
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNeo4j } from '../neo4j-server/neo4j-server.ts';
import { describeApiCore } from '../api/api-core.suite.ts';
import { describeEditingApi } from '../api/editing.suite.ts';
import { describeInputRules } from '../api/input-rules.suite.ts';
import { describeLineageLandscape } from '../api/lineage-landscape.suite.ts';
import { describeReconciliation } from '../api/reconcile.suite.ts';
import { describeResearchApi } from '../api/research.suite.ts';
import { describeVersionsApi } from '../api/versions.suite.ts';
import { describeCompareApi } from '../api/compare.suite.ts';
import { describeStoriesApi } from '../api/stories.suite.ts';
import { describeStoreContract } from '../contract/store-contract.suite.ts';
import { describeHeavyReadLimits } from '../heavy-reads/heavy-read-limits.suite.ts';
import { describeInjection } from '../security/injection.suite.ts';
import { describeNeo4jOnly } from '../neo4j/neo4j-only.suite.ts';
import { adminDriver, neo4jRequirement, openEmptyNeo4jStore, skipNeo4j, startTestNeo4j } from '../neo4j/neo4j-fixture.ts';

/** The Neo4j line the product targets (docker-compose: neo4j:5.26-community). */
const NEO4J_LINE = '5.26';

neo4jRequirement('Neo4j half');

let server: RunningNeo4j | undefined;
let driver: Driver | undefined;

function running(): { server: RunningNeo4j; driver: Driver } {
  if (!server || !driver) throw new Error('Neo4j did not start (see beforeAll)');
  return { server, driver };
}

const openEmpty = () => openEmptyNeo4jStore(running().server, running().driver);

describe.skipIf(skipNeo4j)(`Neo4j half (Neo4j ${NEO4J_LINE} Community, real server)`, () => {
  beforeAll(async () => {
    server = await startTestNeo4j();
    driver = adminDriver(server);
    console.log(`Neo4j half: running on Neo4j ${server.version} at ${server.uri}`);
  });
  afterAll(async () => {
    await driver?.close();
    await server?.stop();
  });

  it(`runs Neo4j ${NEO4J_LINE}`, () => {
    expect(running().server.version.startsWith(`${NEO4J_LINE}.`)).toBe(true);
  });

  describeStoreContract(`Neo4j ${NEO4J_LINE}`, openEmpty);

  describeApiCore(`Neo4j ${NEO4J_LINE}`, openEmpty);

  describeResearchApi(`Neo4j ${NEO4J_LINE}`, openEmpty);

  describeLineageLandscape(`Neo4j ${NEO4J_LINE}`, openEmpty);

  describeVersionsApi(`Neo4j ${NEO4J_LINE}`, openEmpty);

  describeCompareApi(`Neo4j ${NEO4J_LINE}`, openEmpty);

  describeEditingApi(`Neo4j ${NEO4J_LINE}`, openEmpty);

  describeStoriesApi(`Neo4j ${NEO4J_LINE}`, openEmpty);

  describeInputRules(`Neo4j ${NEO4J_LINE}`, openEmpty);

  describeInjection(`Neo4j ${NEO4J_LINE}`, openEmpty);

  describeHeavyReadLimits(`Neo4j ${NEO4J_LINE}`, openEmpty);

  describeReconciliation(`Neo4j ${NEO4J_LINE}`, openEmpty);

  describeNeo4jOnly(`Neo4j ${NEO4J_LINE}`, { running, openEmpty });
});
