/**
 * The Cypher console's gates on a REAL Neo4j (issue 19, items 1 and 2): what Neo4j PLANS decides, not the text.
 * Every spelling that walked around the old text guard (Unicode whitespace Neo4j accepts, comments between name
 * parts, backticks, a CYPHER prefix) is refused, both through the API and by the store alone (the plan gate
 * without the text guard in front of it), and a local HTTP server counts whether the database ever fetched the
 * URL a LOAD CSV names. The console is for signed-in editors: the audit trail and the write lock are not open.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Driver } from 'neo4j-driver';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { EditorDirectory } from '../../server/auth/editors.ts';
import { Invalid } from '../../server/domain/errors.ts';
import type { Neo4jStore } from '../../server/store/neo4j/neo4j.store.ts';
import * as cypher from '../../server/store/neo4j/neo4j.cypher.ts';
import type { RunningNeo4j } from '../neo4j-server/neo4j-server.ts';
import { TEST_EDITOR_TOKENS, TEST_EDITORS } from '../support/app-fixture.ts';
import { loadSeed } from '../support/seed-fixture.ts';
import { adminDriver, neo4jRequirement, openEmptyNeo4jStore, skipNeo4j, startTestNeo4j } from './neo4j-fixture.ts';

neo4jRequirement('Cypher console on Neo4j');

/** Characters Neo4j 5.26's lexer takes as whitespace between two keywords (measured: EXPLAIN LOAD<c>CSV parses). */
const NEO4J_WHITESPACE: [string, string][] = [
  ['U+001C', '\u001c'],
  ['U+001D', '\u001d'],
  ['U+001E', '\u001e'],
  ['U+001F', '\u001f'],
  ['tab', '\t'],
  ['vertical tab', '\u000b'],
  ['form feed', '\f'],
  ['carriage return', '\r'],
  ['U+00A0 no-break space', '\u00a0'],
  ['U+1680 ogham space', '\u1680'],
  ['U+2003 em space', '\u2003'],
  ['U+2028 line separator', '\u2028'],
  ['U+2029 paragraph separator', '\u2029'],
  ['U+202F narrow no-break space', '\u202f'],
  ['U+205F medium mathematical space', '\u205f'],
  ['U+3000 ideographic space', '\u3000'],
];

const editor = { Authorization: `Bearer ${TEST_EDITORS.alice}` };

let server: RunningNeo4j | undefined;
let driver: Driver | undefined;

describe.skipIf(skipNeo4j)('the Cypher console on a real Neo4j: gated on the plan, for editors', () => {
  let handle: { store: Neo4jStore; dispose(): Promise<void> };
  let app: Express;
  /** A web server only the database could call: every request it gets is a fetch a LOAD CSV made. */
  let bait: http.Server;
  let hits: string[] = [];
  let baitUrl = '';
  const limits = { timeoutMs: 5000, maxRows: 50 };

  beforeAll(async () => {
    server = await startTestNeo4j({ timeoutMs: 360_000 });
    driver = adminDriver(server);
    handle = await openEmptyNeo4jStore(server, driver);
    await handle.store.upsert(await loadSeed(), { name: 'seed' });
    app = createApp({ store: handle.store, config: { requestBodyLimit: '1mb', cypher: limits }, editors: EditorDirectory.fromEnv(TEST_EDITOR_TOKENS), log: () => {} });
    bait = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      res.setHeader('Content-Type', 'text/csv');
      res.end('a,b\n1,2\n');
    });
    await new Promise<void>((resolve) => bait.listen(0, '127.0.0.1', resolve));
    baitUrl = `http://127.0.0.1:${(bait.address() as AddressInfo).port}`;
  }, 400_000); // a JVM start and the seed, on a shared machine that may be busy
  afterAll(async () => {
    await new Promise((resolve) => bait?.close(resolve));
    await handle?.dispose();
    await driver?.close();
    await server?.stop();
  });

  const post = (query: string, headers: Record<string, string> = editor) => request(app).post('/api/cypher').set(headers).send({ query });
  /** The store alone: the plan gate with no text guard in front of it. */
  const storeRefusal = async (query: string): Promise<Invalid> => {
    let error: unknown;
    try {
      await handle.store.cypher(query, {}, limits);
    } catch (e) {
      error = e;
    }
    expect(error, `the store ran: ${JSON.stringify(query)}`).toBeInstanceOf(Invalid);
    expect((error as Invalid).code, `${JSON.stringify(query)}: ${(error as Error).message}`).toBe('cypher_refused');
    return error as Invalid;
  };

  it('the bait server answers (so a zero count below means the database never fetched)', async () => {
    const res = await fetch(`${baitUrl}/self-check`);
    expect(await res.text()).toMatch(/^a,b/);
    expect(hits).toEqual(['/self-check']);
    hits = [];
  });

  it.each(NEO4J_WHITESPACE)('refuses LOAD<%s>CSV from a URL, through the API and by the plan alone; nothing is fetched', async (name, ws) => {
    const query = `LOAD${ws}CSV FROM '${baitUrl}/load-${encodeURIComponent(name)}' AS r RETURN r`;
    const res = await post(query);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('cypher_refused');
    expect(res.body.error.message).toMatch(/LOAD CSV/);
    const byPlan = await storeRefusal(query);
    expect(byPlan.message).toMatch(/LOAD CSV/);
    const hidden = await storeRefusal(`CYPHER runtime=slotted CALL { LOAD${ws}CSV WITH HEADERS FROM '${baitUrl}/sub-${encodeURIComponent(name)}' AS r RETURN r } RETURN r`);
    expect(hidden.message).toMatch(/LOAD CSV/);
    expect(hits).toEqual([]);
  });

  it('refuses LOAD CSV of a file:/// URL and behind a CYPHER prefix, by the plan alone too', async () => {
    for (const query of ["LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r", `CYPHER 5 LOAD CSV FROM '${baitUrl}/cypher-5' AS r RETURN r`, `CYPHER runtime=slotted LOAD CSV FROM '${baitUrl}/slotted' AS r RETURN r`, `LOAD/**/CSV FROM '${baitUrl}/comment' AS r RETURN r`]) {
      const res = await post(query);
      expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.code).toBe('cypher_refused');
      await storeRefusal(query);
    }
    expect(hits).toEqual([]);
  });

  it('refuses procedures not on the allow-list however they are spelled, and names them', { timeout: 120_000 }, async () => {
    const spellings: [string, RegExp][] = [
      ['CALL dbms/**/.listConfig()', /dbms\.listConfig/],
      ['CALL `dbms`.`listConfig`()', /dbms\.listConfig/],
      ['CALL dbms\u001c.\u001clistConfig()', /dbms\.listConfig/],
      ['CYPHER 5 CALL dbms.components()', /dbms\.components/],
      ['CYPHER runtime=slotted CALL dbms.components() YIELD name RETURN name', /dbms\.components/],
      ['CALL db.labels() YIELD label RETURN label UNION CALL `db`.`info`() YIELD name RETURN name AS label', /db\.info/],
      ["MATCH (n:Programme) WHERE EXISTS { CALL db/**/.stats.retrieve('GRAPH COUNTS') YIELD data RETURN data } RETURN n.id", /db\.stats\.retrieve/],
      ['CALL db.clearQueryCaches()', /db\.clearQueryCaches/],
      ["CALL db.index.vector.queryNodes('x', 1, [1.0]) YIELD node RETURN node", /db\.index\.vector\.queryNodes/],
    ];
    for (const [query, name] of spellings) {
      const res = await post(query);
      expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.code, query).toBe('cypher_refused');
      const byPlan = await storeRefusal(query);
      expect(byPlan.message, query).toMatch(name);
    }
  });

  it('refuses admin and system commands, SHOW and TERMINATE, and USE of another database', { timeout: 180_000 }, async () => {
    const commands = [
      'SHOW SETTINGS',
      'SHOW TRANSACTIONS',
      "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
      'SHOW PROCEDURES',
      'SHOW FUNCTIONS',
      'SHOW INDEXES',
      'CYPHER 5 SHOW USERS',
      'CYPHER runtime=slotted SHOW DATABASES',
      '/* x */ SHOW\u001cUSERS',
      'USE system SHOW USERS',
      'USE\u001csystem SHOW USERS',
      'CYPHER 5 USE system CALL dbms.showCurrentUser()',
    ];
    for (const query of commands) {
      const res = await post(query);
      expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.code, `${query}: ${JSON.stringify(res.body)}`).toMatch(/^cypher_(refused|invalid)$/);
      let error: unknown;
      try {
        await handle.store.cypher(query, {}, limits);
      } catch (e) {
        error = e;
      }
      expect(error, query).toBeInstanceOf(Invalid);
      expect((error as Invalid).code, `${query}: ${(error as Error).message}`).toMatch(/^cypher_(refused|invalid)$/);
    }
    // The ones Neo4j can plan on this database are refused by the plan (not just failing to parse).
    for (const query of ['SHOW SETTINGS', 'SHOW TRANSACTIONS', "TERMINATE TRANSACTIONS 'neo4j-transaction-1'", 'SHOW FUNCTIONS', 'CYPHER 5 SHOW USERS']) {
      await storeRefusal(query);
    }
  });

  it('refuses functions that are not on the allow-list, wherever they sit in the plan', async () => {
    for (const query of ['MATCH (n:Programme) RETURN graph.byName(n.id) AS g', 'MATCH (n:Programme) WITH n WHERE linenumber() > 0 RETURN n']) {
      const res = await post(query);
      expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.code, `${query}: ${JSON.stringify(res.body)}`).toMatch(/^cypher_(refused|invalid)$/);
    }
    // linenumber() plans outside LOAD CSV, so it stands for any function off the list: each place an expression
    // can sit in a plan (projection, filter, index seek value, sort key, aggregation, subqueries, path predicates,
    // a procedure's arguments, UNWIND, CASE, comprehensions, map projections) must expose it.
    const places = [
      'RETURN linenumber() AS x',
      'MATCH (n:Programme) WHERE n.id = toString(linenumber()) RETURN n',
      "MATCH (n:Entity {id: toString(linenumber())}) RETURN n",
      'MATCH (n:Programme) RETURN n.id ORDER BY linenumber() + size(n.id)',
      'MATCH (n:Programme) RETURN n.status, collect(linenumber()) AS l',
      'MATCH (n:Programme) RETURN n.id, EXISTS { MATCH (n)-->(m) WHERE m.x = linenumber() } AS e',
      'MATCH (n:Programme) CALL (n) { MATCH (n)-->(m) RETURN max(linenumber()) AS x } RETURN n.id, x',
      "MATCH p = (a:Entity {id: 'isd'})-[r:SUCCEEDS*1..3]->(b) WHERE all(x IN relationships(p) WHERE x.y <> linenumber()) RETURN p",
      "MATCH (a:Entity {id: 'isd'}) ((m)-[:SUCCEEDS]->(n) WHERE m.z <> linenumber()){1,3} (b) RETURN b.id",
      "MATCH p = SHORTEST 1 (a:Entity {id: 'isd'})-[:SUCCEEDS]-+(b:Entity) WHERE size(b.id) > linenumber() RETURN p",
      "CALL db.index.fulltext.queryNodes('" + cypher.NAMES_FULLTEXT_INDEX + "', toString(linenumber())) YIELD node RETURN node.id",
      'UNWIND [linenumber()] AS x RETURN x',
      'MATCH (n:Programme) RETURN CASE WHEN n.id = $id THEN linenumber() ELSE 0 END AS c',
      'MATCH (n:Programme) RETURN [(n)-->(m) WHERE m.q = linenumber() | m.id] AS out, n{.id, l: linenumber()} AS m',
      'MATCH (n:Programme) WITH n, count { (n)--() } AS d WHERE d > linenumber() RETURN n.id',
      'MATCH (n:Programme) RETURN n.id SKIP 0 LIMIT 3 UNION MATCH (n:Topic) RETURN toString(linenumber()) AS `n.id`',
    ];
    for (const query of places) {
      let error: unknown;
      try {
        await handle.store.cypher(query, { id: 'dar' }, limits);
      } catch (e) {
        error = e;
      }
      expect(error, `the store ran: ${query}`).toBeInstanceOf(Invalid);
      expect((error as Invalid).code, `${query}: ${(error as Error).message}`).toBe('cypher_refused');
      expect((error as Error).message, query).toMatch(/linenumber/);
    }
  }, 180_000); // many round trips; a ceiling for a busy machine, not a speed limit

  it('still runs the reads a researcher needs: MATCH, paths, subqueries, functions, db.labels and the full-text index', async () => {
    const allowed = [
      'MATCH (n:Programme) RETURN n.id ORDER BY n.id',
      'CALL db.labels() YIELD label RETURN label',
      'CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType',
      "CALL db.index.fulltext.queryNodes('" + cypher.NAMES_FULLTEXT_INDEX + "', 'civil') YIELD node, score RETURN node.id, score",
      "MATCH p = allShortestPaths((a:Entity {id: 'mcs'})-[*..6]-(b:Entity {id: 'eu-space'})) RETURN p",
      "MATCH (a:Entity {id: 'isd'}) ((m)-[:SUCCEEDS]->(n)){1,3} (b) RETURN b.id",
      "MATCH (a:Entity) OPTIONAL MATCH (a)-[:SUCCEEDS]->(b) WITH a, b UNWIND [1, 2] AS x RETURN DISTINCT a.id, x, CASE WHEN b IS NULL THEN 0 ELSE 1 END AS k ORDER BY a.id SKIP 1 LIMIT 10",
      'MATCH (a:Programme) RETURN a.id, [(a)-->(c) | c.id] AS out, COLLECT { MATCH (a)--(d) RETURN d.id } AS near, COUNT { (a)--() } AS degree, EXISTS { (a)-[:SUCCEEDS]->() } AS succeeds',
      "MATCH (a:Entity) WHERE toLower(a.name_en) CONTAINS 'reform' AND size(labels(a)) > 0 RETURN a.id, toUpper(left(a.name_en, 3)) AS head, coalesce(a.start, date('2000-01-01')) AS start, elementId(a) IS NOT NULL AS has, all(l IN labels(a) WHERE l <> '') AS ok",
      'MATCH (a:Entity)-[r]->(b:Entity) RETURN type(r) AS t, count(*) AS n, collect(DISTINCT b.id)[0..3] AS some ORDER BY n DESC',
      'RETURN reduce(s = 0, x IN range(1, 10) | s + abs(x)) AS total, point.distance(point({x: 1, y: 2}), point({x: 4, y: 6})) AS d, duration.between(date(\'2020-01-01\'), date(\'2021-01-01\')).months AS m',
      'CALL { MATCH (n:Programme) RETURN n LIMIT 2 UNION MATCH (n:Topic) RETURN n LIMIT 2 } RETURN n.id',
      // Plans with the planner's own expressions in them (degree checks, constants, index names): not functions.
      'MATCH (a:Entity) WHERE COUNT { (a)<--() } >= 2 AND COUNT { (a)-->() } < 3 RETURN a.id',
      "MATCH (a:Entity) WHERE a.start IS NOT NULL AND date() > date('2015-01-01') RETURN a.id, datetime().year AS y",
      "MATCH (a:Entity {id: 'dar'}) RETURN a",
      "MATCH ()-[r:SUCCEEDS {id: 'x'}]->() RETURN r",
      "MATCH (a:Entity) WHERE a.search CONTAINS 'reform' RETURN a.id",
      "MATCH (a:Entity) WHERE elementId(a) = '4:x:1' OR id(a) = 1 RETURN a",
      'MATCH (a:Entity&!Programme) RETURN a{.id, .name_en} AS m LIMIT 3',
      'CALL db.schema.visualization() YIELD nodes RETURN size(nodes)',
    ];
    for (const query of allowed) {
      const res = await post(query);
      expect(res.status, `${query}: ${JSON.stringify(res.body).slice(0, 500)}`).toBe(200);
    }
  }, 180_000);

  it('is for signed-in editors: anonymous requests get 401, so the audit trail and the write lock are not open', async () => {
    const audit = 'MATCH (e:' + cypher.AUDIT_LABEL + ') RETURN e.by, e.before, e.after';
    const parts = 'MATCH (p:' + cypher.AUDIT_PART_LABEL + ') RETURN p.entry, p.before, p.after';
    for (const query of [audit, parts, 'MATCH (w:' + cypher.WRITE_LOCK_LABEL + ') RETURN w', 'MATCH (n) RETURN n LIMIT 5', 'RETURN 1']) {
      const res = await post(query, {});
      expect(res.status, `${query}: ${JSON.stringify(res.body).slice(0, 500)}`).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
      expect(JSON.stringify(res.body)).not.toMatch(/"by"|before|after/);
    }
    // A wrong token is no better than none.
    expect((await post(audit, { Authorization: 'Bearer not-a-real-token-0123456789' })).status).toBe(401);
    // The same trail is what GET /api/audit shows an editor, so an editor may read it here too.
    const signedIn = await post(audit);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(signedIn.body.rows.length).toBeGreaterThan(0);
  });
});
