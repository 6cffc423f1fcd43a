/**
 * How search results are ranked, the same on every store: a store finds candidates its own way (an in-memory
 * trigram index, Neo4j's TEXT and full-text indexes) and ranks them with this.
 */
import type { GraphNode, Label } from '../schema/graph.schema.ts';
import type { SearchHit } from '../domain/graph-values.ts';
import { normaliseForSearch } from './text-normalise.ts';
import { oneEditApart, typoTerms, typoWords } from './typos.ts';

/** The node fields search looks at, strongest first. */
export const SEARCH_FIELDS = ['acronym', 'acronym_km', 'name_en', 'name_km', 'name_latin', 'code', 'id'] as const;
type SearchField = (typeof SEARCH_FIELDS)[number];

export const FIELD_WEIGHT: Readonly<Record<SearchField, number>> = {
  acronym: 1,
  acronym_km: 1,
  name_en: 1,
  name_km: 1,
  name_latin: 0.9,
  code: 0.9,
  id: 0.6,
};

const LABEL_ORDER: Record<Label, number> = { Programme: 0, Organisation: 1, AdminArea: 2, Topic: 3, Document: 4, Law: 5, Event: 6 };

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
 * The version of searchKey's rules. Bump it when a key changes for the same node (e.g. a new folding in
 * text-normalise.ts): a store that keeps keys (Neo4j) computes them again at its next start.
 * 2: Khmer variants folded (foldKhmerVariants).
 * 3: search cells (search-cells.ts) stored beside the key.
 * 4: word tokens for typos (typos.ts) among the cells.
 * 5: cells at every Khmer character (signs too), and longer text at field and word starts (search-cells.ts).
 */
export const SEARCH_KEY_VERSION = 5;

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

export const BASE = { exact: 100, prefix: 80, wordStart: 70, substring: 55, allTerms: 35, spread: 20 } as const;

/** Where each field of a search key starts and ends. */
function fieldBounds(key: string): number[] {
  const bounds = [0];
  let at = key.indexOf(FIELD_SEPARATOR);
  while (at !== -1) {
    bounds.push(at, at + 1);
    at = key.indexOf(FIELD_SEPARATOR, at + 1);
  }
  bounds.push(key.length);
  return bounds; // [start0, end0, start1, end1, …]
}

const NAME_EN_FIELD = SEARCH_FIELDS.indexOf('name_en');
const NAME_KM_FIELD = SEARCH_FIELDS.indexOf('name_km');

/**
 * Unit words that the seed's area names carry (seed/README.md, "The national gazetteer"): a province, the capital
 * and a municipality are named "Kandal Province" / ខេត្តកណ្តាល, so that the plain name "Kandal" / កណ្តាល ranks
 * them as an exact match, level with a commune of that plain name (and the larger unit then comes first).
 */
export const UNIT_SUFFIXES_EN: readonly string[] = [' province', ' capital', ' municipality'];
export const UNIT_PREFIXES_KM: readonly string[] = ['ខេត្ត', 'រាជធានី', 'ក្រុង'].map((word) => normaliseForSearch(word));

/** The bounds of a name field without its unit word, when the match lies inside them; else the field's own. */
function nameProper(key: string, start: number, end: number, at: number, length: number): [number, number] {
  for (const prefix of UNIT_PREFIXES_KM) {
    if (key.startsWith(prefix, start) && at >= start + prefix.length && end - start > prefix.length) return [start + prefix.length, end];
  }
  for (const suffix of UNIT_SUFFIXES_EN) {
    if (key.endsWith(suffix, end) && at + length <= end - suffix.length && end - start > suffix.length) return [start, end - suffix.length];
  }
  return [start, end];
}

/**
 * The score of a search key for a query and the index (in SEARCH_FIELDS) of the field that gave it, or undefined
 * when the key does not match. Finds the phrase's occurrences in the key itself (no splitting, no copies): an
 * exact field beats a field that starts with the phrase, then a word that starts with it, then a substring; among
 * equal kinds, the field the phrase covers most (the shortest) wins.
 */
export function scoreKey(key: string, query: ParsedQuery): { score: number; field: number } | undefined {
  const { phrase, terms } = query;
  if (phrase.length === 0) return undefined;
  let best = 0;
  let bestField = -1;
  let bounds: number[] | undefined;
  for (let at = key.indexOf(phrase); at !== -1; at = key.indexOf(phrase, at + 1)) {
    bounds ??= fieldBounds(key);
    let i = 0;
    while (bounds[2 * i + 1]! < at) i++;
    let start = bounds[2 * i]!;
    let end = bounds[2 * i + 1]!;
    if (i === NAME_EN_FIELD || i === NAME_KM_FIELD) [start, end] = nameProper(key, start, end, at, phrase.length);
    const base =
      at === start ? (at + phrase.length === end ? BASE.exact : BASE.prefix) : key.charCodeAt(at - 1) === 32 ? BASE.wordStart : BASE.substring;
    const score = (base + (10 * phrase.length) / Math.max(end - start, phrase.length)) * FIELD_WEIGHT[SEARCH_FIELDS[i]!];
    if (score > best) {
      best = score;
      bestField = i;
    }
  }
  if (bestField === -1) {
    if (!keyMatches(key, query)) return undefined;
    // Every term, but not as one phrase: in one field (words in another order), or spread over several.
    const values = key.split(FIELD_SEPARATOR);
    best = BASE.spread;
    bestField = SEARCH_FIELDS.indexOf('name_en');
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (!value || !terms.every((t) => value.includes(t))) continue;
      const score = (BASE.allTerms + (10 * phrase.length) / Math.max(value.length, phrase.length)) * FIELD_WEIGHT[SEARCH_FIELDS[i]!];
      if (score > best) {
        best = score;
        bestField = i;
      }
    }
  }
  return { score: Math.round(best * 100) / 100, field: bestField };
}

/**
 * A typo match scores this share of what the corrected query would score: at most 110 × 0.15 = 16.5, below every
 * match without a typo (BASE.spread, 20, is the lowest), so typo hits only ever follow the others.
 */
export const TYPO_FACTOR = 0.15;
/** Corrections tried per node at most (one per combination of corrected words). */
const MAX_CORRECTIONS = 16;

/**
 * The score of a key that does not match the query but would with typos corrected (typos.ts): each query term is
 * in the key, or may be corrected and is one edit from a word of the key. Scores as scoreKey scores the best
 * corrected query, times TYPO_FACTOR; undefined when the key matches as it is or not even with corrections.
 */
export function scoreTypo(key: string, query: ParsedQuery): { score: number; field: number } | undefined {
  const correctable = typoTerms(query.terms);
  if (correctable.length === 0 || keyMatches(key, query)) return undefined;
  let words: string[] | undefined;
  const options: string[][] = [];
  for (const term of query.terms) {
    if (key.includes(term)) {
      options.push([term]);
      continue;
    }
    if (!correctable.includes(term)) return undefined;
    words ??= typoWords(key);
    const near = words.filter((word) => oneEditApart(term, word));
    if (near.length === 0) return undefined;
    options.push(near);
  }
  let best: { score: number; field: number } | undefined;
  const choice = options.map(() => 0);
  for (let tried = 0; tried < MAX_CORRECTIONS; tried++) {
    const fix = new Map(query.terms.map((term, i) => [term, options[i]![choice[i]!]!]));
    const phrase = query.phrase
      .split(' ')
      .map((word) => fix.get(word) ?? word)
      .join(' ');
    const scored = scoreKey(key, { phrase, terms: [...new Set(phrase.split(' '))] });
    if (scored && (!best || scored.score > best.score)) best = scored;
    // The next combination (like counting, the last term fastest).
    let i = choice.length - 1;
    for (; i >= 0; i--) {
      choice[i] = choice[i]! + 1;
      if (choice[i]! < options[i]!.length) break;
      choice[i] = 0;
    }
    if (i < 0) break;
  }
  return best && { score: Math.round(best.score * TYPO_FACTOR * 100) / 100, field: best.field };
}

function hitOf(node: GraphNode, scored: { score: number; field: number }): SearchHit {
  const hit: SearchHit = {
    id: node.id,
    label: node.label,
    name_en: node.name_en,
    name_km: node.name_km,
    score: scored.score,
    matched: SEARCH_FIELDS[scored.field]!,
  };
  const acronym = fieldValue(node, 'acronym');
  if (acronym !== undefined) hit.acronym = acronym;
  if (node.label === 'AdminArea') hit.level = node.level;
  return hit;
}

/** Areas at equal scores: the larger unit first (a district before its namesake commune or village). */
const LEVEL_ORDER: Readonly<Record<string, number>> = {
  country: 0,
  region: 1,
  province: 2,
  municipality: 3,
  district: 3,
  commune: 4,
  village: 5,
};
const levelRank = (hit: SearchHit) => (hit.level === undefined ? 0 : (LEVEL_ORDER[hit.level] ?? 6));

/** How many containing areas a hit lists at most (village → commune → district → province). */
export const MAX_PARENTS = 4;

/**
 * Gives each area hit its containing areas, nearest first: from the area, the PART_OF link to an area with the
 * smallest link id, and so on up, at most MAX_PARENTS steps, never twice the same area. `parentsOf` returns,
 * for each asked id, its PART_OF links to areas (any order) with the area at the other end; the same rule on
 * every store, so they give the same chains.
 */
export async function addParents(
  hits: SearchHit[],
  parentsOf: (ids: string[]) => Promise<Map<string, { linkId: string; parent: GraphNode }[]>>,
): Promise<SearchHit[]> {
  const chains = new Map<string, GraphNode[]>();
  const at = new Map<string, string>(); // hit id → the area whose parent is asked next
  for (const hit of hits) {
    if (hit.label !== 'AdminArea') continue;
    chains.set(hit.id, []);
    at.set(hit.id, hit.id);
  }
  for (let step = 0; step < MAX_PARENTS && at.size > 0; step++) {
    const found = await parentsOf([...new Set(at.values())]);
    for (const [hitId, current] of [...at]) {
      const options = [...(found.get(current) ?? [])].sort((a, b) => (a.linkId < b.linkId ? -1 : a.linkId > b.linkId ? 1 : 0));
      const chain = chains.get(hitId)!;
      const next = options[0]?.parent;
      if (!next || next.id === hitId || chain.some((p) => p.id === next.id)) {
        at.delete(hitId);
        continue;
      }
      chain.push(next);
      at.set(hitId, next.id);
    }
  }
  for (const hit of hits) {
    const chain = chains.get(hit.id);
    if (chain && chain.length > 0) hit.parents = chain.map((p) => ({ id: p.id, name_en: p.name_en, name_km: p.name_km }));
  }
  return hits;
}

/** Scores a node for a query; undefined when it does not match. `key` is its searchKey when already known. */
export function scoreNode(node: GraphNode, query: ParsedQuery, key: string = searchKey(node)): SearchHit | undefined {
  const scored = scoreKey(key, query);
  return scored ? hitOf(node, scored) : undefined;
}

/**
 * Best first: score, then label (programmes before documents), then an area's level (district before commune),
 * then shorter English name, then id.
 */
export function compareHits(a: SearchHit, b: SearchHit): number {
  return (
    b.score - a.score ||
    LABEL_ORDER[a.label] - LABEL_ORDER[b.label] ||
    levelRank(a) - levelRank(b) ||
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
  const keyed: { node: GraphNode; key: string }[] = [];
  for (const node of nodes) keyed.push({ node, key: keyOf(node) });
  return rankKeyed(keyed, query, limit);
}

/**
 * Like rankCandidates for candidates whose search keys are at hand: a bounded selection, not a sort of all.
 * `score` is scoreKey (matches as typed) or scoreTypo (matches with a typo corrected).
 */
export function rankKeyed(
  candidates: readonly { node: GraphNode; key: string }[],
  query: ParsedQuery,
  limit: number,
  score: (key: string, query: ParsedQuery) => { score: number; field: number } | undefined = scoreKey,
): SearchHit[] {
  const top: SearchHit[] = [];
  for (const { node, key } of candidates) {
    const scored = score(key, query);
    if (!scored) continue;
    if (top.length >= limit && scored.score < top[top.length - 1]!.score) continue;
    const hit = hitOf(node, scored);
    if (top.length >= limit && compareHits(hit, top[top.length - 1]!) >= 0) continue;
    let i = top.length;
    while (i > 0 && compareHits(hit, top[i - 1]!) < 0) i--;
    top.splice(i, 0, hit);
    if (top.length > limit) top.pop();
  }
  return top;
}

/**
 * Completes the hits of a query (every match as typed, best first, at most `limit`) with typo matches when there
 * are fewer than `limit`: `typoCandidates` returns at least every node with a word one edit from a correctable
 * term (typos.ts); they are ranked by scoreTypo, below every hit as typed. The same on every store.
 */
export async function addTypos(
  hits: SearchHit[],
  query: ParsedQuery,
  limit: number,
  typoCandidates: (terms: string[]) => Promise<{ node: GraphNode; key: string }[]>,
): Promise<SearchHit[]> {
  const terms = typoTerms(query.terms);
  if (hits.length >= limit || terms.length === 0) return hits;
  const seen = new Set(hits.map((hit) => hit.id));
  const candidates = (await typoCandidates(terms)).filter((c) => !seen.has(c.node.id));
  return [...hits, ...rankKeyed(candidates, query, limit - hits.length, scoreTypo)];
}
