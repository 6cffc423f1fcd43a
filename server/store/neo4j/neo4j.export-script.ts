/**
 * The Cypher export (GET /api/export?format=cypher): a script for cypher-shell (`cypher-shell -f file`) or Neo4j
 * Browser that recreates the graph in an empty Neo4j 5 database. It lives here because this folder is the only
 * place that writes Cypher. Statements are batched: one `UNWIND [...] AS row CREATE ...` per label or link type
 * and EXPORT_BATCH records, one record per line, so the national seed's ~4,000 records load in a few dozen
 * statements rather than one round trip each. Labels and types come only from the schema's allow-list; every
 * value is an escaped literal (a script cannot carry parameters).
 */
import { Invalid } from '../../domain/errors.ts';
import { LABELS, LINK_TYPES, type GraphLink, type GraphNode } from '../../schema/graph.schema.ts';
import { ENTITY_ID_CONSTRAINT, ENTITY_LABEL } from './neo4j.cypher.ts';

/**
 * Records per UNWIND statement. Neo4j parses a literal list slowly (it cannot cache the plan of a script's
 * literals): on the national seed's areas, 1 record per statement took 42 s for 400 nodes, 20 took 16 s, 100 took
 * 15 s (a loaded machine, same run); beyond 100 nothing more is gained and statements get long.
 */
export const EXPORT_BATCH = 100;

function cypherString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r').replace(/\n/g, '\\n')}'`;
}

function cypherValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(cypherValue).join(', ')}]`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  return cypherString(String(value));
}

function cypherMap(record: object, skip: readonly string[]): string {
  const entries = Object.entries(record).filter(([key, value]) => value !== undefined && !skip.includes(key));
  return `{${entries.map(([key, value]) => `\`${key.replace(/`/g, '``')}\`: ${cypherValue(value)}`).join(', ')}}`;
}

function* batches<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** One UNWIND statement over `rows` (already Cypher maps), a row per line, ending with `;`. */
function unwind(rows: readonly string[], body: string): string {
  return `UNWIND [\n${rows.join(',\n')}\n] AS row\n${body};`;
}

/**
 * Constraints, then nodes (a statement per label and batch), then links (per type and batch, ends found by the
 * :Entity(id) constraint's index). `CREATE`, not `MERGE`: the script is for an empty database.
 */
export function cypherScript({ nodes, links }: { nodes: readonly GraphNode[]; links: readonly GraphLink[] }): string {
  const allowedLabels = new Set<string>(LABELS);
  const allowedTypes = new Set<string>(LINK_TYPES);
  const byLabel = new Map<string, string[]>();
  for (const node of nodes) {
    if (!allowedLabels.has(node.label)) throw new Invalid(`node ${node.id} has a label outside the schema`);
    const rows = byLabel.get(node.label) ?? byLabel.set(node.label, []).get(node.label)!;
    rows.push(cypherMap(node, ['label']));
  }
  const byType = new Map<string, string[]>();
  for (const link of links) {
    if (!allowedTypes.has(link.type)) throw new Invalid(`link ${link.id} has a type outside the schema`);
    const rows = byType.get(link.type) ?? byType.set(link.type, []).get(link.type)!;
    rows.push(`{from: ${cypherString(link.from)}, to: ${cypherString(link.to)}, props: ${cypherMap(link, ['type', 'from', 'to'])}}`);
  }
  const out = [
    '// DAR Knowledge Graph export: run in an empty Neo4j 5 database, e.g. cypher-shell -f this-file',
    `// ${nodes.length} nodes and ${links.length} links in UNWIND statements of up to ${EXPORT_BATCH} records, one record per line`,
    `CREATE CONSTRAINT ${ENTITY_ID_CONSTRAINT} IF NOT EXISTS FOR (n:${ENTITY_LABEL}) REQUIRE n.id IS UNIQUE;`,
  ];
  for (const label of LABELS) {
    for (const part of batches(byLabel.get(label) ?? [], EXPORT_BATCH)) {
      out.push(unwind(part, `CREATE (n:${ENTITY_LABEL}:${label}) SET n = row`));
    }
  }
  for (const type of LINK_TYPES) {
    for (const part of batches(byType.get(type) ?? [], EXPORT_BATCH)) {
      out.push(
        unwind(part, `MATCH (a:${ENTITY_LABEL} {id: row.from})\nMATCH (b:${ENTITY_LABEL} {id: row.to})\nCREATE (a)-[r:${type}]->(b) SET r = row.props`),
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * The statements of a script written by `cypherScript`, as cypher-shell reads them: split at a `;` that ends a
 * line (no literal holds a raw line break: they are escaped), comment lines dropped.
 */
export function scriptStatements(script: string): string[] {
  return script
    .split(/;\n/)
    .map((statement) => statement.split('\n').filter((line) => !line.startsWith('//')).join('\n').trim())
    .filter((statement) => statement.length > 0);
}
