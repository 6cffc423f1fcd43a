/**
 * CSV files for Neo4j's offline importer (`neo4j-admin database import full`), the path for loads much larger than a
 * bulk load through the app (README, "Bulk loads"): the graph as the Neo4j store writes it — the same properties,
 * the search and name keys computed here (neo4j.values.ts), every node labelled `Entity` and its own label — plus the
 * store's own schema-version and write-lock nodes, so that the app starting on the result has nothing to compute.
 * Written a few thousand lines at a time: a graph of millions of records is never one string.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SCHEMA_VERSION, type GraphLink, type GraphNode } from '../../schema/graph.schema.ts';
import { SEARCH_KEY_VERSION } from '../../search/search.ranking.ts';
import { ENTITY_LABEL, SCHEMA_VERSION_ID, SCHEMA_VERSION_LABEL, WRITE_LOCK_ID, WRITE_LOCK_LABEL } from './neo4j.cypher.ts';
import { linkToRow, nodeToRow } from './neo4j.values.ts';

/** Lists (sources, labels) are split on this by the importer (`--array-delimiter`). */
export const ARRAY_DELIMITER = '|';
const LINES_PER_WRITE = 5000;

export interface AdminCsvFiles {
  /** The files, in the importer's argument order. */
  nodes: string[];
  relationships: string[];
  /** Whether a value holds a line break (then the importer needs `--multiline-fields=true`). */
  multiline: boolean;
  counts: { nodes: number; links: number };
}

type Kind = 'string' | 'string[]' | 'long' | 'double' | 'boolean';

/** The importer's type of each property, from the values: lists of strings, whole numbers, numbers, booleans. */
function kindsOf(rows: Iterable<Record<string, unknown>>): Map<string, Kind> {
  const kinds = new Map<string, Kind>();
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      if (value === undefined || value === null) continue;
      const kind: Kind = Array.isArray(value)
        ? 'string[]'
        : typeof value === 'boolean'
          ? 'boolean'
          : typeof value === 'number' || typeof value === 'bigint' || isInt(value)
            ? Number.isInteger(Number(value)) && key !== 'lat' && key !== 'lon'
              ? 'long'
              : 'double'
            : 'string';
      const seen = kinds.get(key);
      if (seen === undefined || seen === kind) kinds.set(key, kind);
      else if ((seen === 'long' && kind === 'double') || (seen === 'double' && kind === 'long')) kinds.set(key, 'double');
      else throw new Error(`property "${key}" holds values of two kinds (${seen} and ${kind}); the importer needs one`);
    }
  }
  return kinds;
}

function isInt(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'low' in value && 'high' in value;
}

function cell(value: unknown, key: string): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    for (const item of value) {
      if (String(item).includes(ARRAY_DELIMITER)) throw new Error(`a value of "${key}" holds "${ARRAY_DELIMITER}", the importer's list delimiter: ${JSON.stringify(item)}`);
    }
    return quote(value.map(String).join(ARRAY_DELIMITER));
  }
  return quote(isInt(value) ? String(Number(value)) : String(value));
}

const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;

class LineWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w');
  }
  line(text: string): void {
    this.buffer.push(text);
    if (this.buffer.length >= LINES_PER_WRITE) this.flush();
  }
  flush(): void {
    if (this.buffer.length > 0) fs.writeSync(this.fd, `${this.buffer.join('\n')}\n`);
    this.buffer = [];
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/** Writes nodes.csv, links.csv and store.csv (the store's own nodes) into `dir`. */
export function writeAdminCsv(graph: { nodes: readonly GraphNode[]; links: readonly GraphLink[] }, dir: string): AdminCsvFiles {
  fs.mkdirSync(dir, { recursive: true });
  let multiline = false;
  const text = (line: string) => {
    if (!multiline && /[\r\n]/.test(line)) multiline = true;
    return line;
  };

  // Nodes: two passes over the graph (types, then lines), one row converted at a time.
  const nodeKinds = kindsOf((function* () {
    for (const node of graph.nodes) yield nodeToRow(node).props;
  })());
  nodeKinds.delete('id');
  const nodeKeys = [...nodeKinds.keys()].sort();
  const nodes = new LineWriter(path.join(dir, 'nodes.csv'));
  nodes.line(['id:ID', ':LABEL', ...nodeKeys.map((k) => `${k}:${nodeKinds.get(k)}`)].join(','));
  for (const node of graph.nodes) {
    const props = nodeToRow(node).props;
    nodes.line(text([quote(node.id), quote(`${ENTITY_LABEL}${ARRAY_DELIMITER}${node.label}`), ...nodeKeys.map((k) => cell(props[k], k))].join(',')));
  }
  nodes.close();

  const linkKinds = kindsOf((function* () {
    for (const link of graph.links) yield linkToRow(link).props;
  })());
  const linkKeys = [...linkKinds.keys()].sort();
  const links = new LineWriter(path.join(dir, 'links.csv'));
  links.line([':START_ID', ':END_ID', ':TYPE', ...linkKeys.map((k) => `${k}:${linkKinds.get(k)}`)].join(','));
  for (const link of graph.links) {
    const props = linkToRow(link).props;
    links.line(text([quote(link.from), quote(link.to), quote(link.type), ...linkKeys.map((k) => cell(props[k], k))].join(',')));
  }
  links.close();

  // The store's own nodes, in their own id space: the schema version and the write lock with the search-key version
  // (so the app neither upgrades nor re-keys what it finds).
  const store = new LineWriter(path.join(dir, 'store.csv'));
  store.line(':ID(store),:LABEL,id,version:long,search_key_version:long,seq:long');
  store.line(`"schema-version",${quote(SCHEMA_VERSION_LABEL)},${quote(SCHEMA_VERSION_ID)},${SCHEMA_VERSION},,`);
  store.line(`"write-lock",${quote(WRITE_LOCK_LABEL)},${quote(WRITE_LOCK_ID)},,${SEARCH_KEY_VERSION},0`);
  store.close();

  return { nodes: [nodes.file, store.file], relationships: [links.file], multiline, counts: { nodes: graph.nodes.length, links: graph.links.length } };
}

/** The importer's arguments for `files` (after `neo4j-admin` or the AdminTool class), into `database`. */
export function adminImportArgs(files: AdminCsvFiles, database = 'neo4j'): string[] {
  return [
    'database', 'import', 'full',
    ...files.nodes.map((file) => `--nodes=${file}`),
    ...files.relationships.map((file) => `--relationships=${file}`),
    `--array-delimiter=${ARRAY_DELIMITER}`,
    '--ignore-empty-strings=true',
    ...(files.multiline ? ['--multiline-fields=true'] : []),
    database,
  ];
}
