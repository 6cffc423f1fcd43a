import { describe, expect, it } from 'vitest';
import { Invalid } from '../../server/domain/errors.ts';
import { blankLiterals, guardReadOnlyCypher } from '../../server/services/cypher-guard.ts';

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

  it('blanks strings and comments but keeps the shape', () => {
    expect(blankLiterals("RETURN 'a;b' // x;\n")).toBe("RETURN '   ' \n");
    expect(blankLiterals('RETURN "it\\"s" /* c */ + 1')).toBe('RETURN "    "   + 1');
  });
});
