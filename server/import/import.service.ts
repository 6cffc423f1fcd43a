/**
 * One import pipeline for three formats — IATI activity XML, our own JSON export, and our seed CSV files — with a
 * dry run (what would be created, updated, unchanged, and what conflicts) and an all-or-nothing apply through
 * the store's upsert (one durable write on the embedded store, one transaction on Neo4j), so re-applying the same
 * file changes nothing.
 */
import path from 'node:path';
import { Conflict, Invalid } from '../domain/errors.ts';
import { checkLinkEndpoints, LinkSchema, NodeSchema, formatIssues, type GraphLink, type GraphNode, type Label } from '../schema/graph.schema.ts';
import { nameKeys } from '../store/change-plan.ts';
import { hasKhmer, normaliseForSearch } from '../search/text-normalise.ts';
import { isGazetteerCsv, parseGazetteerCsv } from '../seed/gazetteer.ts';
import { NODE_FILES, LINKS_FILE, parseLinkCsv, parseNodeCsv } from '../seed/seed-files.ts';
import { readJsonExport } from '../services/export.service.ts';
import type { Actor, GraphStore, WriteResult } from '../store/graph-store.ts';
import { putChanges } from '../store/upsert.ts';
import { sameRecord } from '../store/record-compare.ts';
import { mapIati, type ExistingGraph } from './iati.mapping.ts';
import { parseIati } from './iati.parser.ts';

export type ImportFormat = 'iati-xml' | 'json-export' | 'seed-csv' | 'gazetteer-csv';

export const IMPORT_SAMPLE = 20;
export const DEFAULT_IMPORT_MAX_BYTES = 50 * 1024 * 1024;
/** Existing nodes read at most to find duplicates by name. */
const CONTEXT_MAX_NODES = 200_000;

export interface ImportConflict {
  kind: 'same-name-different-id' | 'forbidden-link' | 'missing-endpoint' | 'label-change';
  id: string;
  message: string;
}

export interface ImportPlan {
  file: string;
  format: ImportFormat;
  nodes: GraphNode[];
  links: GraphLink[];
  counts: { created: number; updated: number; unchanged: number; conflicts: number };
  /** The first few of each, to show before applying. */
  samples: { created: string[]; updated: string[]; conflicts: ImportConflict[] };
  /** What was not imported, by reason (unknown or unused elements, unmatched references). */
  skipped: Record<string, number>;
  /** What was kept with a flag, by what (stubs of activities not imported yet, document links as written). */
  kept?: Record<string, number>;
  activities?: number;
  /** Imported nodes without a Khmer name (their name_km repeats another language). */
  khmerFallbacks: number;
  /** Imported areas without a Latin name in the gazetteer (their name_en repeats the Khmer name). */
  englishFallbacks?: number;
}

export interface ImportInput {
  file: string;
  bytes: Buffer;
}

export function detectFormat(file: string, bytes: Buffer): ImportFormat {
  const ext = path.extname(file).toLowerCase();
  const start = bytes.subarray(0, 200).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (ext === '.xml' || start.startsWith('<')) return 'iati-xml';
  if (ext === '.json' || start.startsWith('{')) return 'json-export';
  if (ext === '.csv') return isGazetteerCsv(bytes.subarray(0, 400).toString('utf8')) ? 'gazetteer-csv' : 'seed-csv';
  throw new Invalid(`${file}: unknown format; import takes IATI activity XML (.xml), a DAR Knowledge Graph JSON export (.json), a seed CSV file or a gazetteer CSV file with Pumi's columns (.csv)`);
}

function decodeUtf8(file: string, bytes: Buffer): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('\u0000')) throw new Invalid(`${file} is not a text file`);
  return text;
}

async function existingGraph(store: GraphStore): Promise<{ graph: ExistingGraph; byName: Map<string, GraphNode> }> {
  const view = await store.subgraph({ labels: ['Programme', 'Organisation', 'AdminArea'], types: [], depth: 1, limit: CONTEXT_MAX_NODES });
  const graph: ExistingGraph = { programmesByIati: new Map(), orgsByRef: new Map(), orgsByName: new Map(), areasByCode: new Map(), areasByName: new Map() };
  const byName = new Map<string, GraphNode>();
  for (const node of view.nodes) {
    for (const key of nameKeys(node)) byName.set(`${node.label}|${key.value}`, node);
    if (node.label === 'Programme' && node.iati_identifier) graph.programmesByIati.set(node.iati_identifier, node.id);
    if (node.label === 'Organisation') {
      if (node.iati_ref) graph.orgsByRef.set(node.iati_ref, node.id);
      graph.orgsByName.set(normaliseForSearch(node.name_en), node.id);
      if (node.acronym) graph.orgsByName.set(normaliseForSearch(node.acronym), node.id);
    }
    if (node.label === 'AdminArea') {
      if (node.code) graph.areasByCode.set(node.code, node.id);
      graph.areasByName.set(normaliseForSearch(node.name_en), node.id);
      if (node.name_latin) graph.areasByName.set(normaliseForSearch(node.name_latin), node.id);
    }
  }
  return { graph, byName };
}

/** Reads and maps the file, compares it with the store, and says what applying it would do. Writes nothing. */
export async function planImport(store: GraphStore, input: ImportInput, maxBytes = DEFAULT_IMPORT_MAX_BYTES): Promise<ImportPlan> {
  const { file, bytes } = input;
  if (bytes.length > maxBytes) {
    throw new Invalid(`${file} is ${(bytes.length / 1048576).toFixed(1)} MB, over the import limit of ${(maxBytes / 1048576).toFixed(0)} MB (IMPORT_MAX_BYTES)`);
  }
  if (bytes.length === 0) throw new Invalid(`${file} is empty`);
  const format = detectFormat(file, bytes);
  const text = decodeUtf8(file, bytes);
  const context = await existingGraph(store);
  let nodes: GraphNode[];
  let links: GraphLink[];
  let skipped: Record<string, number> = {};
  let activities: number | undefined;
  let englishFallbacks: number | undefined;
  let kept: Record<string, number> | undefined;
  let citations: Map<string, string[]> | undefined;
  if (format === 'iati-xml') {
    const mapped = mapIati(parseIati(text, file), file, context.graph);
    ({ nodes, links, skipped, activities } = mapped);
    kept = mapped.kept;
    citations = mapped.citations;
  } else if (format === 'json-export') {
    ({ nodes, links } = readJsonExport(text));
  } else if (format === 'gazetteer-csv') {
    // Areas by code; a row's parent may be in the file or already in the graph (villages → their communes).
    const gazetteer = parseGazetteerCsv(text, file, new Set(context.graph.areasByCode.keys()));
    ({ nodes, links } = gazetteer);
    englishFallbacks = gazetteer.englishFallbacks;
  } else {
    const base = path.basename(file).toLowerCase();
    const label = (Object.entries(NODE_FILES) as [Label, string][]).find(([, name]) => path.basename(name) === base)?.[0];
    if (label) {
      nodes = parseNodeCsv(text, label, file);
      links = [];
    } else if (base === path.basename(LINKS_FILE)) {
      nodes = [];
      links = parseLinkCsv(text, file);
    } else {
      throw new Invalid(`${file}: a seed CSV file is named after what it holds: ${[...Object.values(NODE_FILES).map((f) => path.basename(f)), path.basename(LINKS_FILE)].join(', ')}`);
    }
  }
  // Every record through the schema (text cleaned, then checked: empty and control characters refused); every
  // refused record is reported, by id, and nothing is imported.
  const problems: string[] = [];
  nodes = nodes.map((node, i) => {
    const parsed = NodeSchema.safeParse(node);
    if (parsed.success) return parsed.data as GraphNode;
    problems.push(`node ${node.id ?? i}: ${formatIssues(parsed.error)}`);
    return node;
  });
  links = links.map((link, i) => {
    const parsed = LinkSchema.safeParse(link);
    if (parsed.success) return parsed.data as GraphLink;
    problems.push(`link ${link.id ?? i}: ${formatIssues(parsed.error)}`);
    return link;
  });
  if (problems.length > 0) {
    throw new Invalid(`${file}: ${problems.length} record(s) refused, nothing imported: ${problems.slice(0, IMPORT_SAMPLE).join('; ')}`, {
      file,
      refused: problems.length,
      problems: problems.slice(0, IMPORT_SAMPLE),
    });
  }
  const plan = await compare(store, { file, format, nodes, links, skipped, activities, citations }, context.byName);
  if (englishFallbacks !== undefined) plan.englishFallbacks = englishFallbacks;
  if (kept && Object.keys(kept).length > 0) plan.kept = kept;
  return plan;
}

async function compare(
  store: GraphStore,
  input: {
    file: string;
    format: ImportFormat;
    nodes: GraphNode[];
    links: GraphLink[];
    skipped: Record<string, number>;
    activities?: number;
    citations?: Map<string, string[]>;
  },
  byName: Map<string, GraphNode>,
): Promise<ImportPlan> {
  const counts = { created: 0, updated: 0, unchanged: 0, conflicts: 0 };
  const samples: ImportPlan['samples'] = { created: [], updated: [], conflicts: [] };
  const conflict = (c: ImportConflict) => {
    counts.conflicts++;
    if (samples.conflicts.length < IMPORT_SAMPLE) samples.conflicts.push(c);
  };
  const count = (kind: 'created' | 'updated' | 'unchanged', id: string) => {
    counts[kind]++;
    if (kind !== 'unchanged' && samples[kind].length < IMPORT_SAMPLE) samples[kind].push(id);
  };
  const existingNodes = new Map((await store.getNodes(input.nodes.map((n) => n.id))).map((n) => [n.id, n]));
  const labels = new Map<string, Label>();
  const nodes: GraphNode[] = [];
  for (const imported of input.nodes) {
    const existing = existingNodes.get(imported.id);
    labels.set(imported.id, imported.label);
    if (existing && existing.label !== imported.label) {
      conflict({ kind: 'label-change', id: imported.id, message: `${imported.id} exists as a ${existing.label}, the file has a ${imported.label}` });
      continue;
    }
    if (!existing) {
      // By name key (NFKC, case, invisibles, look-alikes): the English name, and the Khmer one when it is Khmer (an
      // import without Khmer repeats the English name there). Namesake areas (a commune named like its district) are
      // not duplicates.
      const keys = nameKeys(imported).filter((k) => k.field === 'name_en' || hasKhmer(imported.name_km));
      const found = keys
        .map((k) => ({ field: k.field, twin: byName.get(`${imported.label}|${k.value}`) }))
        .find((t) => t.twin && t.twin.id !== imported.id && !areNamesakeAreas(imported, t.twin));
      if (found?.twin) {
        conflict({ kind: 'same-name-different-id', id: imported.id, message: `${imported.label} "${imported[found.field]}" already exists as ${found.twin.id}` });
        continue;
      }
      nodes.push(imported);
      count('created', imported.id);
      continue;
    }
    const merged = merge(existing, imported);
    if (sameRecord(existing, merged)) count('unchanged', imported.id);
    else {
      nodes.push(merged);
      count('updated', imported.id);
    }
  }
  // Nodes of the graph the file also states: they gain its citations (sources only; nothing else changes).
  const cited = [...(input.citations?.keys() ?? [])].filter((id) => !labels.has(id));
  for (const existing of await store.getNodes(cited)) {
    const merged = { ...existing, sources: [...new Set([...existing.sources, ...input.citations!.get(existing.id)!])] } as GraphNode;
    if (sameRecord(existing, merged)) count('unchanged', existing.id);
    else {
      nodes.push(merged);
      count('updated', existing.id);
    }
  }
  const linkIds = input.links.map((l) => l.id);
  const existingLinks = new Map<string, GraphLink>();
  for (const link of await store.getLinks(linkIds)) existingLinks.set(link.id, link);
  const endpointIds = [...new Set(input.links.flatMap((l) => [l.from, l.to]).filter((id) => !labels.has(id)))];
  for (const node of await store.getNodes(endpointIds)) labels.set(node.id, node.label);
  const links: GraphLink[] = [];
  for (const imported of input.links) {
    const from = labels.get(imported.from);
    const to = labels.get(imported.to);
    if (!from || !to) {
      conflict({ kind: 'missing-endpoint', id: imported.id, message: `link ${imported.id}: node ${from ? imported.to : imported.from} is neither in the file nor in the graph` });
      continue;
    }
    const problem = checkLinkEndpoints(imported.type, from, to);
    if (problem) {
      conflict({ kind: 'forbidden-link', id: imported.id, message: `link ${imported.id}: ${problem}` });
      continue;
    }
    const existing = existingLinks.get(imported.id);
    if (!existing) {
      links.push(imported);
      count('created', imported.id);
    } else {
      const merged = merge(existing, imported);
      if (sameRecord(existing, merged)) count('unchanged', imported.id);
      else {
        links.push(merged);
        count('updated', imported.id);
      }
    }
  }
  const khmerFallbacks = input.nodes.filter((n) => !hasKhmer(n.name_km)).length;
  return { file: input.file, format: input.format, nodes, links, counts, samples, skipped: input.skipped, activities: input.activities, khmerFallbacks };
}

/** Two areas with gazetteer codes are two places even when they share a name (Banan district, Banan village). */
function areNamesakeAreas(a: GraphNode, b: GraphNode): boolean {
  return a.label === 'AdminArea' && b.label === 'AdminArea' && !!a.code && !!b.code && a.code !== b.code;
}

/**
 * The stored record updated by the imported one: the file's values win, except that a Khmer name is never
 * replaced by one without Khmer (IATI rarely has Khmer; staff add it), and sources are merged.
 */
function merge<T extends GraphNode | GraphLink>(existing: T, imported: T): T {
  const out = { ...existing, ...imported } as Record<string, unknown>;
  const e = existing as Record<string, unknown>;
  for (const key of ['name_km', 'summary_km', 'role_km', 'category_km']) {
    if (typeof e[key] === 'string' && hasKhmer(e[key] as string) && !(typeof out[key] === 'string' && hasKhmer(out[key] as string))) out[key] = e[key];
  }
  out.sources = [...new Set([...((e.sources as string[]) ?? []), ...((imported as { sources?: string[] }).sources ?? [])])];
  return out as T;
}

/** Applies a plan all or nothing; refused (nothing written) while it has conflicts. */
export async function applyImport(store: GraphStore, plan: ImportPlan, actor: Actor): Promise<WriteResult & { audit: string | null }> {
  if (plan.counts.conflicts > 0) {
    throw new Conflict(`${plan.file} has ${plan.counts.conflicts} conflict(s); nothing was imported. First: ${plan.samples.conflicts[0]?.message}`, {
      conflicts: plan.samples.conflicts,
    });
  }
  if (plan.nodes.length === 0 && plan.links.length === 0) return { created: 0, updated: 0, unchanged: plan.counts.unchanged, audit: null };
  const result = await store.applyChanges(putChanges(plan), { actor, action: 'import' });
  return { created: result.created, updated: result.updated, unchanged: result.unchanged + plan.counts.unchanged, audit: result.entry?.id ?? null };
}

/** What a client is shown of a plan: everything but the records themselves. */
export function planSummary(plan: ImportPlan): Omit<ImportPlan, 'nodes' | 'links'> {
  const { nodes: _nodes, links: _links, ...summary } = plan;
  return summary;
}

