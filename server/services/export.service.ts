/**
 * Exports of the whole graph or a view: JSON (nodes + links; re-importable), CSV (nodes.csv and links.csv in a
 * zip), GraphML (Gephi, Cytoscape desktop, yEd) and a Cypher script that recreates the graph in an empty Neo4j
 * (written by server/store/neo4j/neo4j.export-script.ts: only the Neo4j folder writes Cypher).
 */
import { strToU8, zipSync } from 'fflate';
import { z } from 'zod';
import { csvCell, LIST_SEPARATOR } from '../domain/csv-cell.ts';
import { Invalid } from '../domain/errors.ts';
import {
  LinkSchema,
  NodeSchema,
  formatIssues,
  type GraphLink,
  type GraphNode,
} from '../schema/graph.schema.ts';
import { cypherScript } from '../store/neo4j/neo4j.export-script.ts';

export const EXPORT_FORMATS = ['json', 'csv', 'graphml', 'cypher'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFile {
  contentType: string;
  filename: string;
  body: string | Uint8Array;
}

export interface GraphData {
  nodes: GraphNode[];
  links: GraphLink[];
}

export const EXPORT_FORMAT_NAME = 'dar-kg-export';

export function exportGraph(data: GraphData, format: ExportFormat, now = new Date()): ExportFile {
  const stamp = now.toISOString().slice(0, 10);
  switch (format) {
    case 'json':
      return {
        contentType: 'application/json; charset=utf-8',
        filename: `dar-kg-${stamp}.json`,
        body: JSON.stringify({ format: EXPORT_FORMAT_NAME, version: 1, exported_at: now.toISOString(), ...data }, null, 1),
      };
    case 'csv':
      return {
        contentType: 'application/zip',
        filename: `dar-kg-${stamp}-csv.zip`,
        body: zipSync({ 'nodes.csv': strToU8(nodesCsv(data.nodes)), 'links.csv': strToU8(linksCsv(data.links)) }),
      };
    case 'graphml':
      return { contentType: 'application/graphml+xml; charset=utf-8', filename: `dar-kg-${stamp}.graphml`, body: graphml(data) };
    case 'cypher':
      return { contentType: 'text/plain; charset=utf-8', filename: `dar-kg-${stamp}.cypher`, body: cypherScript(data) };
  }
}

// ------------------------------------------------------------------------------------------ JSON

const ExportFileSchema = z.object({
  format: z.literal(EXPORT_FORMAT_NAME, { error: `not a DAR Knowledge Graph export (format must be "${EXPORT_FORMAT_NAME}")` }),
  version: z.literal(1),
  nodes: z.array(z.unknown()),
  links: z.array(z.unknown()),
});

/** Reads our own JSON export back, every record checked against the schema (errors name the record). */
export function readJsonExport(text: string): GraphData {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Invalid(`the file is not valid JSON: ${(error as Error).message}`);
  }
  const file = ExportFileSchema.safeParse(raw);
  if (!file.success) throw new Invalid(formatIssues(file.error));
  const nodes = file.data.nodes.map((record, i) => {
    const parsed = NodeSchema.safeParse(record);
    if (!parsed.success) throw new Invalid(`nodes[${i}]: ${formatIssues(parsed.error)}`, { record: i });
    return parsed.data;
  });
  const links = file.data.links.map((record, i) => {
    const parsed = LinkSchema.safeParse(record);
    if (!parsed.success) throw new Invalid(`links[${i}]: ${formatIssues(parsed.error)}`, { record: i });
    return parsed.data;
  });
  return { nodes, links };
}

// ------------------------------------------------------------------------------------------ CSV

/** Keys in a stable order: the given first, then the rest alphabetically. */
function columnsOf(records: readonly object[], first: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) seen.add(key);
  const rest = [...seen].filter((k) => !first.includes(k)).sort();
  return [...first, ...rest];
}

function toCsv(records: readonly object[], first: readonly string[]): string {
  const columns = columnsOf(records, first);
  const lines = [columns.join(',')];
  for (const record of records) lines.push(columns.map((c) => csvCell((record as Record<string, unknown>)[c])).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function nodesCsv(nodes: readonly GraphNode[]): string {
  return toCsv(nodes, ['id', 'label', 'name_en', 'name_km']);
}

/**
 * `Source` and `Target` repeat `from` and `to` under the names Gephi's spreadsheet import (and other edge-list
 * readers) look for; `from` and `to` stay for everyone who reads them already. Gephi also takes `id` as the edge's
 * id and `type` as its direction (anything but "undirected" is directed) rather than as an attribute, so `Label`
 * repeats the type as well: the edge's label there, as in the GraphML export.
 */
export function linksCsv(links: readonly GraphLink[]): string {
  return toCsv(
    links.map((link) => ({ ...link, Source: link.from, Target: link.to, Label: link.type })),
    ['id', 'type', 'from', 'to', 'Source', 'Target', 'Label', 'sources'],
  );
}

// ------------------------------------------------------------------------------------------ GraphML

function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

type KeyType = 'string' | 'double' | 'boolean';

function keysOf(records: readonly object[]): Map<string, KeyType> {
  const keys = new Map<string, KeyType>();
  for (const record of records) {
    for (const [key, value] of Object.entries(record)) {
      if (value === undefined) continue;
      const type: KeyType = typeof value === 'number' ? 'double' : typeof value === 'boolean' ? 'boolean' : 'string';
      const known = keys.get(key);
      keys.set(key, known && known !== type ? 'string' : type);
    }
  }
  return keys;
}

function dataValue(value: unknown): string {
  return xml(Array.isArray(value) ? value.join(LIST_SEPARATOR) : String(value));
}

export function graphml({ nodes, links }: GraphData): string {
  // `label` is what Gephi and yEd show on a node: the English name. Our label (Programme …) is `kind`, so a
  // node's own `kind` property (a programme's, a law's, an event's) is written as `<label>_kind`, e.g. `law_kind`.
  const nodeRecords = nodes.map((node) => {
    const { label, ...rest } = node;
    const { kind: own, ...others } = rest as typeof rest & { kind?: string };
    return { kind: label, label: rest.name_en, ...others, ...(own !== undefined ? { [`${label.toLowerCase()}_kind`]: own } : {}) };
  });
  const linkRecords = links.map(({ from: _from, to: _to, type, ...rest }) => ({ type, label: type, ...rest }));
  const nodeKeys = keysOf(nodeRecords);
  const linkKeys = keysOf(linkRecords);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
  ];
  for (const [key, type] of nodeKeys) out.push(`  <key id="n_${xml(key)}" for="node" attr.name="${xml(key)}" attr.type="${type}"/>`);
  for (const [key, type] of linkKeys) out.push(`  <key id="e_${xml(key)}" for="edge" attr.name="${xml(key)}" attr.type="${type}"/>`);
  out.push('  <graph id="dar-kg" edgedefault="directed">');
  for (const node of nodeRecords) {
    out.push(`    <node id="${xml(node.id)}">`);
    for (const [key, value] of Object.entries(node)) if (value !== undefined) out.push(`      <data key="n_${xml(key)}">${dataValue(value)}</data>`);
    out.push('    </node>');
  }
  links.forEach((link, i) => {
    out.push(`    <edge id="${xml(link.id)}" source="${xml(link.from)}" target="${xml(link.to)}">`);
    for (const [key, value] of Object.entries(linkRecords[i]!)) if (value !== undefined) out.push(`      <data key="e_${xml(key)}">${dataValue(value)}</data>`);
    out.push('    </edge>');
  });
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}
