/**
 * The read-only Cypher console's first gate: a friendly message for what a read-only query has no business doing
 * — loading files, several statements, switching databases, admin commands, and procedures that write or reveal
 * the system. It is NOT the security boundary: text can be spelled in ways a pattern does not foresee. The
 * boundary is the plan Neo4j makes of the query (server/store/neo4j/neo4j.console-plan.ts: no LOAD CSV, only the
 * procedures and functions allowed here, only read operators on the configured database), then a read
 * transaction. Checks here run on the text with comments and string literals blanked out, every character Neo4j
 * takes as whitespace made a space, and quoted names unquoted, so a word inside a string never trips them and a
 * word hidden in a comment, odd whitespace or backticks never slips by.
 */
import { Invalid } from '../domain/errors.ts';

export const CYPHER_MAX_CHARS = 20_000;

/** db.* procedures that only read the graph's own schema or the full-text index (lower case). */
export const ALLOWED_DB_PROCEDURES: ReadonlySet<string> = new Set([
  'db.labels',
  'db.relationshiptypes',
  'db.propertykeys',
  'db.schema.visualization',
  'db.schema.nodetypeproperties',
  'db.schema.reltypeproperties',
  'db.index.fulltext.querynodes',
  'db.index.fulltext.queryrelationships',
]);

/**
 * What Neo4j 5.26's lexer takes as whitespace between two tokens (measured on the real server: `EXPLAIN
 * LOAD<c>CSV …` parses for exactly these): JavaScript's `\s` but U+FEFF, plus U+001C–U+001F.
 */
export const NEO4J_WHITESPACE = /[\t\n\v\f\r \u001c-\u001f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;

/** A leading `CYPHER 5`, `CYPHER runtime=slotted` … (query options), which the checks below look past. */
const CYPHER_OPTIONS = /^\s*CYPHER\b(\s+\d+(\.\d+)?)?(\s+[A-Za-z_]\w*\s*=\s*[A-Za-z_]\w*)*/i;

const ADMIN_START = /^\s*(SHOW|CREATE\s+(OR\s+REPLACE\s+)?(USER|ROLE|DATABASE|COMPOSITE|ALIAS|INDEX|CONSTRAINT|FULLTEXT|TEXT|RANGE|POINT|LOOKUP|VECTOR)|DROP|ALTER|GRANT|DENY|REVOKE|START|STOP|TERMINATE|ENABLE|DEALLOCATE|REALLOCATE|DRYRUN|RENAME)\b/i;

/**
 * The text the checks read: comments and string literals blanked (blankLiterals), Neo4j's whitespace made spaces,
 * a quoted name (`dbms`) replaced by the name when it is a plain word, and the parts of a dotted name joined
 * (`dbms . listConfig` → `dbms.listConfig`).
 */
export function checkedText(query: string): string {
  const unquoted = blankLiterals(query, { keepPlainNames: true }).replace(NEO4J_WHITESPACE, ' ');
  return unquoted.replace(/\s*\.\s*(?=[A-Za-z_])/g, '.').replace(CYPHER_OPTIONS, ' ');
}

/**
 * The query with comments replaced by a space and the insides of string literals and quoted names replaced by
 * spaces; with keepPlainNames, a quoted name that is a plain word (`dbms`) is kept as the bare word.
 */
export function blankLiterals(query: string, options: { keepPlainNames?: boolean } = {}): string {
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
    if (c === '`' && options.keepPlainNames) {
      const end = query.indexOf('`', i + 1);
      const name = end === -1 ? '' : query.slice(i + 1, end);
      if (/^[A-Za-z_]\w*$/.test(name)) {
        out += name;
        i = end + 1;
        continue;
      }
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
  const bare = checkedText(query);
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
