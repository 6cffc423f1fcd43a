/**
 * How search results are ranked, the same on every store: a store finds candidates its own way (an in-memory
 * trigram index, Neo4j's TEXT and full-text indexes) and ranks them with this.
 */
import type { GraphNode, Label } from '../schema/graph.schema.ts';
import type { SearchHit } from '../store/graph-store.ts';
import { normaliseForSearch } from './text-normalise.ts';

/** The node fields search looks at, strongest first. */
export const SEARCH_FIELDS = ['acronym', 'acronym_km', 'name_en', 'name_km', 'name_latin', 'code', 'id'] as const;
type SearchField = (typeof SEARCH_FIELDS)[number];

const FIELD_WEIGHT: Record<SearchField, number> = {
  acronym: 1,
  acronym_km: 1,
  name_en: 1,
  name_km: 1,
  name_latin: 0.9,
  code: 0.9,
  id: 0.6,
};

const LABEL_ORDER: Record<Label, number> = { Programme: 0, Organisation: 1, AdminArea: 2, Topic: 3, Document: 4 };

/** Separates fields inside one search key; never appears in normalised text. */
export const FIELD_SEPARATOR = '\u0001';

export interface ParsedQuery {
  phrase: string;
  terms: string[];
}

export function parseQuery(q: string): ParsedQuery {
  const phrase = normaliseForSearch(q);
  const terms = [...new Set(phrase.split(' ').filter((t) => t.length > 0))];
  return { phrase, terms };
}

function fieldValue(node: GraphNode, field: SearchField): string | undefined {
  const value = (node as Record<string, unknown>)[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * One string holding every searchable field of a node, normalised and separated by FIELD_SEPARATOR, so that
 * "contains every term" can be tested on one string. Stored as the Neo4j `search` property too.
 */
export function searchKey(node: GraphNode): string {
  // One segment per field, in SEARCH_FIELDS order, empty when absent, so ranking can read fields back from it.
  return SEARCH_FIELDS.map((field) => {
    const value = fieldValue(node, field);
    return value === undefined ? '' : normaliseForSearch(value);
  }).join(FIELD_SEPARATOR);
}

/** True when the key holds every term of the query (the candidate test). */
export function keyMatches(key: string, query: ParsedQuery): boolean {
  return query.terms.length > 0 && query.terms.every((term) => key.includes(term));
}

function scoreField(text: string, query: ParsedQuery): number {
  const { phrase, terms } = query;
  let base: number;
  if (text === phrase) base = 100;
  else if (text.startsWith(phrase)) base = 80;
  else if (text.includes(` ${phrase}`)) base = 70;
  else if (text.includes(phrase)) base = 55;
  else if (terms.every((t) => text.includes(t))) base = 35;
  else return 0;
  // Among equal kinds of match, the name the query covers most (the shortest) wins.
  return base + (10 * phrase.length) / Math.max(text.length, phrase.length);
}

/** Scores a node for a query; undefined when it does not match. `key` is its searchKey when already known. */
export function scoreNode(node: GraphNode, query: ParsedQuery, key: string = searchKey(node)): SearchHit | undefined {
  let best = 0;
  let matched: SearchField | undefined;
  const values = key.split(FIELD_SEPARATOR);
  for (let i = 0; i < SEARCH_FIELDS.length; i++) {
    const field = SEARCH_FIELDS[i]!;
    const value = values[i];
    if (!value) continue;
    const score = scoreField(value, query) * FIELD_WEIGHT[field];
    if (score > best) {
      best = score;
      matched = field;
    }
  }
  if (matched === undefined) {
    // Terms spread over several fields (e.g. an acronym and a word of the name) still match, weakly.
    if (!keyMatches(key, query)) return undefined;
    best = 20;
    matched = 'name_en';
  }
  const hit: SearchHit = {
    id: node.id,
    label: node.label,
    name_en: node.name_en,
    name_km: node.name_km,
    score: Math.round(best * 100) / 100,
    matched,
  };
  const acronym = fieldValue(node, 'acronym');
  if (acronym !== undefined) hit.acronym = acronym;
  return hit;
}

/** Best first: score, then label (programmes before documents), then shorter English name, then id. */
export function compareHits(a: SearchHit, b: SearchHit): number {
  return (
    b.score - a.score ||
    LABEL_ORDER[a.label] - LABEL_ORDER[b.label] ||
    a.name_en.length - b.name_en.length ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Scores candidates and keeps the best `limit`, best first. */
export function rankCandidates(
  nodes: Iterable<GraphNode>,
  query: ParsedQuery,
  limit: number,
  keyOf: (node: GraphNode) => string = searchKey,
): SearchHit[] {
  const hits: SearchHit[] = [];
  for (const node of nodes) {
    const hit = scoreNode(node, query, keyOf(node));
    if (hit) hits.push(hit);
  }
  hits.sort(compareHits);
  return hits.slice(0, limit);
}
