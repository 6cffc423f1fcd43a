/**
 * The W3C Reconciliation Service API 0.2 (the version OpenRefine 3.x speaks) over the graph's nodes: the manifest,
 * reconciliation of names (Khmer or English) to node ids, suggest for entities, types and properties, an HTML
 * preview, and data extension (a node's properties and linked nodes as new columns). The HTTP side is
 * server/http/reconcile.routes.ts; the JSON shapes are checked against the specification's own schemas in
 * tests/api/reconcile.suite.ts.
 *
 * Candidates come from the store's own search (the same ranking as GET /api/search, on either store). A candidate's
 * score is its search score (100 for an exact name, acronym or code; bonuses above 100 cut) averaged with 100 for
 * each query property it has and 0 for each it lacks (a query without text: its properties alone); it is a `match` when that score is 100 and no other candidate reaches it (two
 * namesake communes are never matched automatically).
 */
import { z } from 'zod';
import { Invalid } from '../domain/errors.ts';
import { LABELS, LABEL_NAMES, LINK_TYPE_NAMES, type Label, type LinkType } from '../schema/graph.model.ts';
import type { GraphNode } from '../schema/graph.schema.ts';
import { normaliseForSearch } from '../search/text-normalise.ts';
import type { GraphStore, SearchHit } from '../store/graph-store.ts';

/** How many queries one batch may hold (OpenRefine sends 10 at a time) and candidates one query may ask for. */
export const RECONCILE_MAX_BATCH = 50;
export const RECONCILE_MAX_CANDIDATES = 25;
const DEFAULT_CANDIDATES = 5;

const KHMER = /[\u1780-\u17FF\u19E0-\u19FF]/u;

// ------------------------------------------------------------------------------------------ request shapes

const PropertyValue = z.union([z.string(), z.number(), z.boolean(), z.object({ id: z.string(), name: z.string().optional() })]);

const ReconcileQuery = z
  .object({
    query: z.string().max(500).optional(),
    type: z.union([z.string(), z.array(z.string())]).optional(),
    limit: z.number().int().min(1).optional(),
    properties: z.array(z.object({ pid: z.string(), v: z.union([PropertyValue, z.array(PropertyValue)]) })).max(20).optional(),
    type_strict: z.enum(['any', 'should', 'all']).optional(),
  })
  .strict();
export type ReconcileQuery = z.infer<typeof ReconcileQuery>;

const ReconcileBatch = z.record(z.string().max(100), ReconcileQuery);

const ExtendQuery = z
  .object({
    ids: z.array(z.string()).min(1).max(RECONCILE_MAX_BATCH * 4),
    properties: z.array(z.object({ id: z.string(), settings: z.record(z.string(), z.unknown()).optional() })).min(1).max(30),
  })
  .strict();
export type ExtendQuery = z.infer<typeof ExtendQuery>;

/** Reads the `queries` (or `extend`) parameter: JSON text as OpenRefine sends it, or an already parsed object. */
function parseJsonParameter<S extends z.ZodType>(name: string, raw: unknown, schema: S): z.infer<S> {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new Invalid(`"${name}" is not JSON: ${(error as Error).message}`, { parameter: name }, 'invalid_parameter');
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = [name, ...issue.path.map(String)].join('.');
    throw new Invalid(`"${at}": ${issue.message}`, { parameter: at }, 'invalid_parameter');
  }
  return parsed.data;
}

export function parseQueries(raw: unknown): Record<string, ReconcileQuery> {
  const batch = parseJsonParameter('queries', raw, ReconcileBatch);
  const keys = Object.keys(batch);
  if (keys.length > RECONCILE_MAX_BATCH) {
    throw new Invalid(`"queries" holds ${keys.length} queries; at most ${RECONCILE_MAX_BATCH} in one batch`, { parameter: 'queries' }, 'invalid_parameter');
  }
  for (const key of keys) {
    const q = batch[key]!;
    if (!q.query?.trim() && !(q.properties && q.properties.length > 0)) {
      throw new Invalid(`"queries.${key}": give a "query" or at least one property`, { parameter: `queries.${key}` }, 'invalid_parameter');
    }
    for (const type of typesOf(q)) checkType(type, `queries.${key}.type`);
  }
  return batch;
}

export function parseExtend(raw: unknown): ExtendQuery {
  return parseJsonParameter('extend', raw, ExtendQuery);
}

function typesOf(q: ReconcileQuery): string[] {
  return q.type === undefined ? [] : Array.isArray(q.type) ? q.type : [q.type];
}

function isLabel(value: string): value is Label {
  return (LABELS as readonly string[]).includes(value);
}

/** A type of this service is one of the graph's labels; anything else is a 400 naming the parameter. */
function checkType(type: string, parameter: string): void {
  if (!isLabel(type)) throw new Invalid(`"${parameter}": "${type}" is not a type of this service (${LABELS.join(', ')})`, { parameter }, 'invalid_parameter');
}

// ------------------------------------------------------------------------------------------ the service

export interface ManifestOptions {
  /** Where the service is reached, e.g. "https://dar.example.org" (PUBLIC_ORIGIN, or the request's own). */
  origin: string;
}

/** Properties a reconciliation query may compare, and data extension may fetch, besides the linked nodes. */
const VALUE_PROPERTIES = ['name_en', 'name_km', 'name_latin', 'acronym', 'acronym_km', 'code', 'level', 'kind', 'status', 'start', 'end', 'date', 'iati_identifier', 'identifiers', 'url'] as const;
type ValueProperty = (typeof VALUE_PROPERTIES)[number];

const VALUE_PROPERTY_NAMES: Record<ValueProperty, string> = {
  name_en: 'Name (English)',
  name_km: 'Name (Khmer)',
  name_latin: 'Name (Latin transcription)',
  acronym: 'Acronym',
  acronym_km: 'Acronym (Khmer)',
  code: 'Gazetteer code',
  level: 'Administrative level',
  kind: 'Kind',
  status: 'Status',
  start: 'Start',
  end: 'End',
  date: 'Date',
  iati_identifier: 'IATI identifier',
  identifiers: 'Identifiers (scheme:value)',
  url: 'Web page',
};

/** Linked nodes as extension properties: `<TYPE>` follows links out of the node, `<TYPE>:in` into it. */
function linkProperty(id: string): { type: LinkType; direction: 'out' | 'in' } | undefined {
  const [type, direction] = id.split(':') as [string, string | undefined];
  if (!(type in LINK_TYPE_NAMES) || (direction !== undefined && direction !== 'in')) return undefined;
  return { type: type as LinkType, direction: direction === 'in' ? 'in' : 'out' };
}

function propertyName(id: string): string | undefined {
  if ((VALUE_PROPERTIES as readonly string[]).includes(id)) return VALUE_PROPERTY_NAMES[id as ValueProperty];
  const link = linkProperty(id);
  if (!link) return undefined;
  return link.direction === 'out' ? LINK_TYPE_NAMES[link.type].en : `${LINK_TYPE_NAMES[link.type].en} (the other way)`;
}

function allPropertyIds(): string[] {
  return [...VALUE_PROPERTIES, ...Object.keys(LINK_TYPE_NAMES).flatMap((type) => [type, `${type}:in`])];
}

export function manifest({ origin }: ManifestOptions): Record<string, unknown> {
  const service = `${origin}/api/reconcile`;
  return {
    versions: ['0.2'],
    name: 'DAR Knowledge Graph (Cambodia D&D reform)',
    identifierSpace: `${origin}/api/nodes/`,
    schemaSpace: `${origin}/api/openapi.json`,
    documentation: `${origin}/api/docs`,
    view: { url: `${origin}/?f={{id}}` },
    defaultTypes: LABELS.map((label) => ({ id: label, name: LABEL_NAMES[label].en })),
    suggest: {
      entity: { service_url: service, service_path: '/suggest/entity' },
      type: { service_url: service, service_path: '/suggest/type' },
      property: { service_url: service, service_path: '/suggest/property' },
    },
    preview: { url: `${service}/preview?id={{id}}`, width: 420, height: 140 },
    extend: {
      propose_properties: { service_url: service, service_path: '/properties' },
      property_settings: [],
    },
  };
}

export interface Candidate {
  id: string;
  name: string;
  description: string;
  score: number;
  match: boolean;
  type: { id: string; name: string }[];
  features: { id: string; value: number | boolean }[];
}

/** One query's candidates, best first. */
async function reconcileOne(store: GraphStore, q: ReconcileQuery): Promise<Candidate[]> {
  const limit = Math.min(q.limit ?? DEFAULT_CANDIDATES, RECONCILE_MAX_CANDIDATES);
  const labels = typesOf(q).filter(isLabel);
  const wanted = (q.properties ?? []).map((p) => ({ pid: p.pid, values: (Array.isArray(p.v) ? p.v : [p.v]).map(propertyValueText) }));
  for (const w of wanted) {
    if (!propertyName(w.pid) || linkProperty(w.pid)) {
      throw new Invalid(`property "${w.pid}" cannot be compared; use one of ${VALUE_PROPERTIES.join(', ')}`, { parameter: 'properties.pid' }, 'invalid_parameter');
    }
  }
  // A query without text searches by its first property value (e.g. a gazetteer code).
  const text = q.query?.trim() || wanted.flatMap((w) => w.values)[0] || '';
  const inKhmer = KHMER.test(text);
  // Fetch a few more than asked, so that property checks can promote a lower search hit.
  const hits = await store.search({ q: text, limit: Math.min(limit * 3, 75), ...(labels.length > 0 ? { labels } : {}) });
  const nodes = new Map((await store.getNodes(hits.map((h) => h.id))).map((n) => [n.id, n]));
  const scored = hits.map((hit) => {
    const node = nodes.get(hit.id);
    // Search adds small bonuses above 100 (the larger unit of namesakes first): a name matched exactly is 100 here.
    // A query without text is scored on its properties alone.
    const named = Boolean(q.query?.trim());
    const nameScore = Math.min(100, hit.score);
    const features: Candidate['features'] = named ? [{ id: 'name', value: nameScore }] : [];
    let total = named ? nameScore : 0;
    for (const w of wanted) {
      const has = node !== undefined && nodeHas(node, w.pid as ValueProperty, w.values);
      features.push({ id: w.pid, value: has });
      total += has ? 100 : 0;
    }
    const score = Math.round((total / ((named ? 1 : 0) + wanted.length)) * 10) / 10;
    return { hit, node, score, features };
  });
  scored.sort((a, b) => b.score - a.score); // stable: the search's order among equals
  const top = scored.slice(0, limit);
  const best = top[0]?.score ?? 0;
  const alone = top.filter((c) => c.score === best).length === 1;
  return top.map(({ hit, node, score, features }) => ({
    id: hit.id,
    name: inKhmer ? hit.name_km || hit.name_en : hit.name_en || hit.name_km,
    description: describe(hit, node, inKhmer),
    score,
    match: score >= 100 && score === best && alone,
    type: [{ id: hit.label, name: LABEL_NAMES[hit.label][inKhmer ? 'km' : 'en'] }],
    features,
  }));
}

export async function reconcile(store: GraphStore, batch: Record<string, ReconcileQuery>): Promise<Record<string, { result: Candidate[] }>> {
  const out: Record<string, { result: Candidate[] }> = {};
  for (const [key, q] of Object.entries(batch)) out[key] = { result: await reconcileOne(store, q) };
  return out;
}

function propertyValueText(v: z.infer<typeof PropertyValue>): string {
  return typeof v === 'object' ? v.id : String(v);
}

function nodeHas(node: GraphNode, pid: ValueProperty, values: string[]): boolean {
  const raw = (node as Record<string, unknown>)[pid];
  const have = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]).map((v) => normaliseForSearch(String(v)));
  return values.some((v) => have.includes(normaliseForSearch(v)));
}

/** What tells namesakes apart: an area's level and the areas it lies in; otherwise the kind, acronym and period. */
function describe(hit: SearchHit, node: GraphNode | undefined, inKhmer: boolean): string {
  const lang = inKhmer ? 'km' : 'en';
  const parts: string[] = [LABEL_NAMES[hit.label][lang]];
  const other = inKhmer ? hit.name_en : hit.name_km;
  if (other) parts.push(other);
  const record = (node ?? {}) as Record<string, unknown>;
  if (hit.level) parts.push(hit.level);
  if (hit.parents && hit.parents.length > 0) parts.push(hit.parents.map((p) => (inKhmer ? p.name_km || p.name_en : p.name_en || p.name_km)).join(' · '));
  if (typeof record.acronym === 'string' && record.acronym) parts.push(record.acronym);
  if (typeof record.start === 'string' || typeof record.end === 'string') parts.push(`${record.start ?? '…'}–${record.end ?? '…'}`);
  return parts.join(' — ');
}

/** Suggest for entities: names that start with (or contain) the prefix, best first, paged by `cursor`. */
export async function suggestEntities(store: GraphStore, prefix: string, cursor: number, type?: string): Promise<{ result: { id: string; name: string; description: string; notable: { id: string; name: string }[] }[] }> {
  if (type !== undefined) checkType(type, 'type');
  if (!prefix.trim()) return { result: [] };
  const pageSize = 10;
  const hits = await store.search({ q: prefix, limit: Math.min(cursor + pageSize, 200), ...(type ? { labels: [type as Label] } : {}) });
  const inKhmer = KHMER.test(prefix);
  return {
    result: hits.slice(cursor, cursor + pageSize).map((hit) => ({
      id: hit.id,
      name: inKhmer ? hit.name_km || hit.name_en : hit.name_en || hit.name_km,
      description: describe(hit, undefined, inKhmer),
      notable: [{ id: hit.label, name: LABEL_NAMES[hit.label][inKhmer ? 'km' : 'en'] }],
    })),
  };
}

function matchesPrefix(prefix: string, ...names: string[]): boolean {
  const p = normaliseForSearch(prefix);
  return p === '' || names.some((n) => normaliseForSearch(n).includes(p));
}

export function suggestTypes(prefix: string): { result: { id: string; name: string; description: string }[] } {
  return {
    result: LABELS.filter((label) => matchesPrefix(prefix, label, LABEL_NAMES[label].en, LABEL_NAMES[label].km)).map((label) => ({
      id: label,
      name: LABEL_NAMES[label].en,
      description: LABEL_NAMES[label].km,
    })),
  };
}

export function suggestProperties(prefix: string): { result: { id: string; name: string }[] } {
  return { result: allPropertyIds().filter((id) => matchesPrefix(prefix, id, propertyName(id)!)).map((id) => ({ id, name: propertyName(id)! })) };
}

/** Data extension: the properties worth proposing for a type (all of them; the link types that type has). */
export function proposeProperties(type: string | undefined, limit: number | undefined): { type?: string; limit?: number; properties: { id: string; name: string }[] } {
  if (type !== undefined) checkType(type, 'type');
  const ids = allPropertyIds();
  const properties = ids.map((id) => ({ id, name: propertyName(id)! })).slice(0, limit ?? ids.length);
  return { ...(type ? { type } : {}), ...(limit ? { limit } : {}), properties };
}

type ExtendCell = { str: string } | { int: number } | { float: number } | { id: string; name: string };

/** Data extension: for each id, each property's values (text, numbers, or linked nodes by id and name). */
export async function extend(store: GraphStore, query: ExtendQuery): Promise<{ meta: { id: string; name: string }[]; rows: Record<string, Record<string, ExtendCell[]>> }> {
  for (const p of query.properties) {
    if (!propertyName(p.id)) throw new Invalid(`"extend.properties": "${p.id}" is not a property of this service`, { parameter: 'extend.properties' }, 'invalid_parameter');
  }
  const nodes = new Map((await store.getNodes(query.ids)).map((n) => [n.id, n]));
  const rows: Record<string, Record<string, ExtendCell[]>> = {};
  for (const id of query.ids) {
    const node = nodes.get(id);
    const row: Record<string, ExtendCell[]> = {};
    for (const p of query.properties) {
      if (!node) {
        row[p.id] = [];
        continue;
      }
      const link = linkProperty(p.id);
      if (link) {
        const page = await store.neighbours(id, { type: link.type, direction: link.direction, limit: 100 });
        row[p.id] = page.nodes.map((n) => ({ id: n.id, name: n.name_en || n.name_km }));
      } else {
        const raw = (node as Record<string, unknown>)[p.id];
        const values = Array.isArray(raw) ? raw : raw === undefined || raw === null || raw === '' ? [] : [raw];
        row[p.id] = values.map((v): ExtendCell => (typeof v === 'number' ? (Number.isInteger(v) ? { int: v } : { float: v }) : { str: String(v) }));
      }
    }
    rows[id] = row;
  }
  return { meta: query.properties.map((p) => ({ id: p.id, name: propertyName(p.id)! })), rows };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The preview OpenRefine shows in a small frame: both names, the type, the key facts, a link to the explorer. */
export function previewHtml(node: GraphNode, origin: string): string {
  const record = node as Record<string, unknown>;
  const facts = (['acronym', 'code', 'level', 'kind', 'status', 'start', 'end', 'date'] as const)
    .filter((key) => typeof record[key] === 'string' || typeof record[key] === 'number')
    .map((key) => `<li>${escapeHtml(VALUE_PROPERTY_NAMES[key])}: ${escapeHtml(String(record[key]))}</li>`)
    .join('');
  const sources = Array.isArray(record.sources) ? record.sources.length : 0;
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>',
    escapeHtml(node.name_en || node.name_km),
    '</title></head><body>',
    `<p><strong>${escapeHtml(node.name_en)}</strong><br><span lang="km">${escapeHtml(node.name_km)}</span></p>`,
    `<p>${escapeHtml(LABEL_NAMES[node.label].en)} · <span lang="km">${escapeHtml(LABEL_NAMES[node.label].km)}</span> · ${sources} source${sources === 1 ? '' : 's'}</p>`,
    facts ? `<ul>${facts}</ul>` : '',
    `<p><a href="${escapeHtml(`${origin}/?f=${encodeURIComponent(node.id)}`)}" target="_blank" rel="noopener">${escapeHtml(node.id)}</a></p>`,
    '</body></html>',
  ].join('');
}
