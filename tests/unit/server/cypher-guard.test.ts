import { describe, expect, it } from 'vitest';
import { Invalid } from '../../../server/domain/errors.ts';
import { blankLiterals, guardReadOnlyCypher } from '../../../server/services/cypher-guard.ts';

describe('the Cypher console guard', () => {
  it.each([
    'MATCH (n:Programme) RETURN n.name_en LIMIT 5',
    'MATCH p = (:Programme {id: $id})-[:SUCCEEDS*]->() RETURN p;',
    "MATCH (n) WHERE n.name_en = 'LOAD CSV; DROP' RETURN n",
    'CALL db.labels() YIELD label RETURN label',
    "CALL db.index.fulltext.queryNodes('entity_names', 'civil') YIELD node RETURN node",
    '// a comment with CALL apoc.x()\nMATCH (n) RETURN count(n)',
  ])('lets a read through: %s', (query) => {
    expect(() => guardReadOnlyCypher(query)).not.toThrow();
  });

  it.each([
    ['LOAD CSV FROM "file:///etc/passwd" AS row RETURN row', /LOAD CSV/],
    ['MATCH (n) RETURN n; MATCH (m) DETACH DELETE m', /one statement/],
    ['CALL dbms.components()', /dbms.components/],
    ['CALL dbms.security.listUsers()', /dbms/],
    ['CALL db.createLabel("X")', /db.createlabel/],
    ['CALL apoc.cypher.runWrite("CREATE (n)", {})', /APOC/],
    ['CALL db.labels YIELD label RETURN label UNION CALL dbms.listConfig YIELD name RETURN name', /dbms/],
    ['SHOW USERS', /administration/],
    ['CREATE USER eve SET PASSWORD "x"', /administration/],
    ['DROP DATABASE neo4j', /administration/],
    ['GRANT ALL ON DATABASE * TO PUBLIC', /administration/],
    ['USE system SHOW USERS', /USE switches/],
    ['MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS', /IN TRANSACTIONS/],
    ['/* hidden */ LOAD /* gap */ CSV FROM "x" AS r RETURN r', /LOAD CSV/],
    ['   ', /empty/],
  ])('refuses %s', (query, why) => {
    let error: unknown;
    try {
      guardReadOnlyCypher(query);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Invalid).code).toBe('cypher_refused');
    expect((error as Error).message).toMatch(why);
  });

  it.each([
    ['U+001C', '\u001c'],
    ['U+001D', '\u001d'],
    ['U+001E', '\u001e'],
    ['U+001F', '\u001f'],
    ['U+00A0', '\u00a0'],
    ['U+2028', '\u2028'],
    ['U+3000', '\u3000'],
    ['vertical tab', '\u000b'],
  ])('takes %s as whitespace like Neo4j does (LOAD CSV, CALL, SHOW, USE)', (_name, ws) => {
    const refused = (query: string, why: RegExp) => expect(() => guardReadOnlyCypher(query), JSON.stringify(query)).toThrow(why);
    refused(`LOAD${ws}CSV FROM 'http://127.0.0.1:9/x' AS r RETURN r`, /LOAD CSV/);
    refused(`CALL${ws}dbms.listConfig()`, /dbms/);
    refused(`SHOW${ws}USERS`, /administration/);
    refused(`USE${ws}system SHOW USERS`, /USE switches/);
  });

  it.each([
    ['CALL dbms/**/.listConfig()', /dbms.listconfig/],
    ['CALL dbms /* x */ . listConfig() YIELD name RETURN name', /dbms.listconfig/],
    ['CALL `dbms`.`listConfig`()', /dbms.listconfig/],
    ['CALL `db`.createLabel("X")', /db.createlabel/],
    ['CYPHER 5 SHOW USERS', /administration/],
    ['CYPHER runtime=slotted SHOW DATABASES', /administration/],
    ['CYPHER 5 USE system SHOW USERS', /USE switches/],
    ['CYPHER runtime=slotted LOAD CSV FROM "http://x" AS r RETURN r', /LOAD CSV/],
    ['SHOW SETTINGS', /administration/],
    ["TERMINATE TRANSACTIONS 'neo4j-transaction-1'", /administration/],
  ])('refuses a walk-around spelling: %s', (query, why) => {
    expect(() => guardReadOnlyCypher(query)).toThrow(why);
  });

  it('blanks strings and comments but keeps the shape', () => {
    expect(blankLiterals("RETURN 'a;b' // x;\n")).toBe("RETURN '   ' \n");
    expect(blankLiterals('RETURN "it\\"s" /* c */ + 1')).toBe('RETURN "    "   + 1');
  });
});
