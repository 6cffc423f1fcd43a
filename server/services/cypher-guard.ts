/**
 * The read-only Cypher console's first gate, before Neo4j's own check (EXPLAIN must report query type "r"):
 * refuses what a read-only query has no business doing even when the planner calls it a read — loading files,
 * several statements, switching databases, admin commands, and procedures that write or reveal the system.
 * Checks run on the text with comments and string literals blanked out, so a word inside a string never trips
 * them and a word hidden in a comment never slips by.
 */
import { Invalid } from '../domain/errors.ts';

export const CYPHER_MAX_CHARS = 20_000;

/** db.* procedures that only read the graph's own schema or the full-text index. */
const ALLOWED_DB_PROCEDURES = new Set([
  'db.labels',
  'db.relationshiptypes',
  'db.propertykeys',
  'db.schema.visualization',
  'db.schema.nodetypeproperties',
  'db.schema.reltypeproperties',
  'db.index.fulltext.querynodes',
  'db.index.fulltext.queryrelationships',
]);

const ADMIN_START = /^\s*(SHOW|CREATE\s+(OR\s+REPLACE\s+)?(USER|ROLE|DATABASE|COMPOSITE|ALIAS|INDEX|CONSTRAINT|FULLTEXT|TEXT|RANGE|POINT|LOOKUP|VECTOR)|DROP|ALTER|GRANT|DENY|REVOKE|START|STOP|TERMINATE|ENABLE|DEALLOCATE|REALLOCATE|DRYRUN|RENAME)\b/i;

/** The query with comments removed and the insides of string literals and quoted names replaced by spaces. */
export function blankLiterals(query: string): string {
  let out = '';
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    const next = query[i + 1];
    if (c === '/' && next === '/') {
      while (i < query.length && query[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = query.indexOf('*/', i + 2);
      i = end === -1 ? query.length : end + 2;
      out += ' ';
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      out += c;
      i++;
      while (i < query.length && query[i] !== c) {
        if (query[i] === '\\' && c !== '`') i++;
        out += ' ';
        i++;
      }
      if (i < query.length) out += c;
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Throws Invalid (400) saying why the query is refused; returns the query to send (trailing ';' removed). */
export function guardReadOnlyCypher(query: string): string {
  if (query.length > CYPHER_MAX_CHARS) throw new Invalid(`the query is longer than ${CYPHER_MAX_CHARS} characters`, { parameter: 'query' }, 'cypher_refused');
  const bare = blankLiterals(query);
  const trimmed = bare.trim().replace(/;\s*$/, '');
  if (trimmed.length === 0) throw new Invalid('the query is empty', { parameter: 'query' }, 'cypher_refused');
  const refuse = (why: string): never => {
    throw new Invalid(`refused: ${why}`, { parameter: 'query' }, 'cypher_refused');
  };
  if (trimmed.includes(';')) refuse('one statement at a time');
  if (/\bLOAD\s+CSV\b/i.test(trimmed)) refuse('LOAD CSV reads files and URLs; the console only reads the graph');
  if (/^\s*USE\b|\bUSE\s+[A-Za-z`]/i.test(trimmed)) refuse('USE switches databases; the console reads the configured database only');
  if (ADMIN_START.test(trimmed)) refuse('administration and schema commands are not allowed in the console');
  if (/\bIN\s+TRANSACTIONS\b/i.test(trimmed)) refuse('CALL … IN TRANSACTIONS is for writes');
  const calls = [...trimmed.matchAll(/\bCALL\s+([A-Za-z_][\w.]*)\s*\(/gi)].map((m) => m[1]!.toLowerCase());
  // Procedures called without parentheses (CALL db.labels YIELD …) count too.
  calls.push(...[...trimmed.matchAll(/\bCALL\s+([A-Za-z_][\w.]*)\s+(YIELD\b|$)/gi)].map((m) => m[1]!.toLowerCase()));
  for (const name of calls) {
    if (name.startsWith('apoc.')) refuse(`APOC procedures (${name}) are not allowed in the console`);
    if (name.startsWith('dbms.')) refuse(`${name} reveals or changes the system`);
    if (name.startsWith('db.') && !ALLOWED_DB_PROCEDURES.has(name)) refuse(`${name} is not one of the read-only db procedures allowed (${[...ALLOWED_DB_PROCEDURES].join(', ')})`);
    if (!name.startsWith('db.')) refuse(`procedure ${name} is not allowed in the console`);
  }
  return query.trim().replace(/;\s*$/, '');
}
