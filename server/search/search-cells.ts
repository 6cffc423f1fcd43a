/**
 * Search "cells": how a store with a term index (Neo4j's full-text index, Lucene) finds the best search hits
 * without reading every node that contains the query.
 *
 * scoreKey (search.ranking.ts) scores a node by the best occurrence of the query's phrase in one of its fields:
 * the score depends only on the field, the kind of occurrence (at the field's start, at a word's start, inside a
 * word) and the field's length. A cell is one such (field, kind, length bucket); every node carries one token
 * per place where a phrase may occur, `<field><kind><bucket>:<text from there>`, so that "the phrase occurs there"
 * is a prefix query on tokens of one cell. The query side lists the cells from the highest score they can give
 * down; a store reads the nodes of the best cells first and stops as soon as it holds `limit` hits that score
 * more than anything in the cells it has not read (see cellRounds). The hits are then ranked by rankKeyed, as on
 * every store, so the answer is the same as ranking every node that matches.
 *
 * Places indexed: a field's start, every word start (after a space) and every Khmer character (Khmer is written
 * without spaces, so a Khmer query may start anywhere, even on a vowel sign or a subscript). A Latin query that
 * starts inside a word ("ervice") is not in any cell: such occurrences score below 65 (a substring), and a store
 * reads the full candidate set when cells above that do not give enough hits (SearchCellPlan.uncovered).
 *
 * A token keeps WORD_CELL_TEXT_CHARS of text at a field's or a word's start (so that a phrase of several words,
 * "provincial commune", is told apart from every name that only starts with its first word) and CELL_TEXT_CHARS
 * inside a Khmer word (one token per character: kept short).
 */
import type { GraphNode } from '../schema/graph.schema.ts';
import type { SearchHit } from '../store/graph-store.ts';
import {
  BASE,
  FIELD_SEPARATOR,
  FIELD_WEIGHT,
  type ParsedQuery,
  rankKeyed,
  SEARCH_FIELDS,
  searchKey,
  UNIT_PREFIXES_KM,
  UNIT_SUFFIXES_EN,
} from './search.ranking.ts';
import { typoWords } from './typos.ts';

/** How much text after a place inside a word a token keeps; a longer phrase is looked up by its first CELL_TEXT_CHARS. */
export const CELL_TEXT_CHARS = 10;
/** The same at a field's start and a word's start (kinds 's' and 'w'). */
export const WORD_CELL_TEXT_CHARS = 24;

/** Tokens hold no space (so that a whitespace analyzer keeps each whole): a space in their text is this. */
const TOKEN_SPACE = FIELD_SEPARATOR;
const tokenText = (text: string) => text.replaceAll(' ', TOKEN_SPACE);

export type Kind = 's' | 'w' | 'm';

/** How much text a token of a kind keeps. */
export const textChars = (kind: Kind): number => (kind === 'm' ? CELL_TEXT_CHARS : WORD_CELL_TEXT_CHARS);

/**
 * Length buckets: lengths up to 16 have one each; then each bucket's longest is at most 1/8 longer than its
 * shortest, up to 256; then one bucket. Few buckets make few cells (a short index query); the scores within one
 * bucket differ little (10 × phrase / length), so a bound taken from its shortest stays close.
 */
const BUCKET_MAXES: readonly number[] = (() => {
  const maxes: number[] = [];
  for (let length = 1; length <= 16; length++) maxes.push(length);
  while (maxes[maxes.length - 1]! < 256) {
    const min = maxes[maxes.length - 1]! + 1;
    maxes.push(Math.min(256, Math.floor(min * 1.125)));
  }
  maxes.push(Infinity);
  return maxes;
})();
const BUCKETS = BUCKET_MAXES.length;
/** The bucket of each length up to 256 (index: length). */
const BUCKET_OF: readonly number[] = (() => {
  const of = [0];
  for (let bucket = 1; bucket <= BUCKETS; bucket++) while (of.length <= Math.min(256, BUCKET_MAXES[bucket - 1]!)) of.push(bucket);
  return of;
})();

export function lengthBucket(length: number): number {
  return length <= 256 ? BUCKET_OF[length]! : BUCKETS;
}
function bucketMin(bucket: number): number {
  return bucket === 1 ? 1 : BUCKET_MAXES[bucket - 2]! + 1;
}
function bucketMax(bucket: number): number {
  return BUCKET_MAXES[bucket - 1]!;
}

/**
 * Fields of the same weight share cells (a token names the weight's class, not the field): scores differ only by
 * weight, and ranking finds the field itself. Classes by weight, highest first.
 */
const CLASS_WEIGHTS: readonly number[] = [...new Set(SEARCH_FIELDS.map((field) => FIELD_WEIGHT[field]))].sort((a, b) => b - a);
const CLASS_OF_FIELD: readonly number[] = SEARCH_FIELDS.map((field) => CLASS_WEIGHTS.indexOf(FIELD_WEIGHT[field]));

/**
 * Khmer characters a query may start with anywhere in a word: the Khmer block (U+1780–U+17FF), letters, vowel
 * signs, the subscript sign and the other signs alike. A phrase that starts with another character is looked up
 * like a Latin one.
 */
const isKhmer = (code: number) => code >= 0x1780 && code <= 0x17ff;

const NAME_EN_FIELD = SEARCH_FIELDS.indexOf('name_en');
const NAME_KM_FIELD = SEARCH_FIELDS.indexOf('name_km');

const token = (field: number, kind: Kind, length: number, text: string) => `${CLASS_OF_FIELD[field]}${kind}${lengthBucket(length)}:${tokenText(text)}`;

/**
 * The tokens of one field's value: for each indexed place, its kind and the length scoreKey measures the field by
 * for an occurrence there (a name without its unit word, as nameProper does, when the occurrence lies inside).
 */
function fieldTokens(field: number, value: string, out: Set<string>): void {
  const length = value.length;
  if (length === 0) return;
  const named = field === NAME_EN_FIELD || field === NAME_KM_FIELD;
  // As nameProper: an occurrence after a Khmer unit word measures the name from after that word.
  const prefix = named ? UNIT_PREFIXES_KM.find((p) => value.startsWith(p) && length > p.length) : undefined;
  const suffix = named ? UNIT_SUFFIXES_EN.find((s) => value.endsWith(s) && length > s.length) : undefined;
  const kindAt = (at: number, start: number): Kind => (at === start ? 's' : value.charCodeAt(at - 1) === 32 ? 'w' : 'm');
  for (let at = 0; at < length; at++) {
    const code = value.charCodeAt(at);
    const indexed = at === 0 || value.charCodeAt(at - 1) === 32 || isKhmer(code) || (prefix !== undefined && at === prefix.length);
    if (!indexed) continue;
    if (prefix !== undefined && at >= prefix.length) {
      const kind = kindAt(at, prefix.length);
      out.add(token(field, kind, length - prefix.length, value.slice(at, at + textChars(kind))));
      continue;
    }
    const kind = kindAt(at, 0);
    out.add(token(field, kind, length, value.slice(at, at + textChars(kind))));
    // As nameProper: an occurrence that ends before an English unit word measures the name without it.
    if (suffix !== undefined && at < length - suffix.length) {
      const end = length - suffix.length;
      out.add(token(field, kind, end, value.slice(at, Math.min(end, at + textChars(kind)))));
    }
  }
}

/** The cell tokens of a search key (searchKey's fields, in SEARCH_FIELDS order). */
export function cellTokensOfKey(key: string): string[] {
  const out = new Set<string>();
  key.split(FIELD_SEPARATOR).forEach((value, field) => fieldTokens(field, value, out));
  return [...out];
}

/** The cell tokens of a node. */
export function searchCells(node: GraphNode): string[] {
  return cellTokensOfKey(searchKey(node));
}

/** Word tokens (typos.ts) start with this, which no cell token starts with (they start with a digit). */
export const TYPO_WORD_TOKEN = '_';

/**
 * The cell tokens of a search key and its word tokens (TYPO_WORD_TOKEN and a word a typo may be corrected to), as
 * one string separated by spaces (a store's whitespace-analysed property). A word token is more than one edit from
 * every cell token, so a fuzzy query (`_word~1`) finds word tokens only.
 */
export function cellsProperty(key: string): string {
  return [...cellTokensOfKey(key), ...typoWords(key).map((word) => TYPO_WORD_TOKEN + word)].join(' ');
}

export interface SearchCell {
  /** Tokens of this cell that start with the phrase start with this. */
  prefix: string;
  /** The highest score a node found only through this cell can have. */
  best: number;
  /** The lowest score an occurrence of the phrase at one of this cell's places has (the bucket's longest field). */
  worst: number;
}

export interface SearchCellPlan {
  /** Best first. */
  cells: SearchCell[];
  /** Occurrences no cell holds score below this (0: every occurrence is in a cell). */
  uncovered: number;
}

/** The cells a query's phrase may be found in, best first. */
export function planCells(query: ParsedQuery): SearchCellPlan {
  const { phrase } = query;
  const length = phrase.length;
  const text = tokenText(phrase.slice(0, CELL_TEXT_CHARS));
  const wordText = tokenText(phrase.slice(0, WORD_CELL_TEXT_CHARS));
  const cells: SearchCell[] = [];
  // Tokens inside a word ('m') start with a Khmer letter: a phrase that does not is never in one.
  const inside = length > 0 && isKhmer(phrase.charCodeAt(0));
  for (let klass = 0; klass < CLASS_WEIGHTS.length; klass++) {
    const weight = CLASS_WEIGHTS[klass]!;
    for (let bucket = 1; bucket <= BUCKETS; bucket++) {
      const max = bucketMax(bucket);
      if (max < length) continue;
      const min = Math.max(bucketMin(bucket), length);
      // At the start: exact when the field is as long as the phrase, else a prefix.
      const start = min === length ? BASE.exact + 10 : BASE.prefix + (10 * length) / Math.max(min, length);
      // The same at the bucket's longest (10 × phrase / Infinity is 0): a lower bound of the cell's scores.
      const startWorst = max === length ? BASE.exact + 10 : BASE.prefix + (10 * length) / max;
      cells.push({ prefix: `${klass}s${bucket}:${wordText}`, best: start * weight, worst: startWorst * weight });
      if (max < length + 1) continue;
      const inner = Math.max(min, length + 1);
      cells.push({
        prefix: `${klass}w${bucket}:${wordText}`,
        best: (BASE.wordStart + (10 * length) / inner) * weight,
        worst: (BASE.wordStart + (10 * length) / max) * weight,
      });
      if (inside) {
        cells.push({
          prefix: `${klass}m${bucket}:${text}`,
          best: (BASE.substring + (10 * length) / inner) * weight,
          worst: (BASE.substring + (10 * length) / max) * weight,
        });
      }
    }
  }
  cells.sort((a, b) => b.best - a.best || (a.prefix < b.prefix ? -1 : 1));
  let uncovered = 0;
  // A phrase that does not start with a Khmer character may occur inside a word, where no token is: a substring.
  if (length > 0 && !isKhmer(phrase.charCodeAt(0))) uncovered = BASE.substring + 10;
  // Every term, not as one phrase: at most allTerms + 10.
  if (phrase.includes(' ')) uncovered = Math.max(uncovered, BASE.allTerms + 10);
  return { cells, uncovered };
}

/** Rows the first read of cells returns at most: `limit` times this plus a margin; each further read doubles. */
const ROWS_PER_HIT = 4;
const ROWS_MARGIN = 32;
/**
 * The best cells are read one a band (one index query each): a query of several cells scores a node by the sum of
 * the boosts of the cells it is in (Lucene sums the clauses of an OR), so a node with the phrase in two places (a
 * name that repeats a word) would come before nodes that score more, and the read would go on past them. Cell by
 * cell, a node comes first in its best cell: rows come in the order of their bounds, and a read stops in the cell it
 * needs. After SINGLE_CELLS, the rest in one band (a query that reads that far reads few rows a cell: one query, not
 * hundreds). Measured on the 100k bench graph (issue 14): with 16 or more, every search of the bench is one
 * statement; with 8, 1.9 (English) and 1.4 (Khmer); each one-cell query costs an index call (48: a Khmer search's
 * p50 went up by a third).
 */
const SINGLE_CELLS = 24;
/** Cells in one index query at most (Lucene allows 1024 clauses). */
export const MAX_QUERY_CELLS = 500;
/** Index scores are 32-bit floats: a bound taken from one is raised by this. */
const SCORE_SLACK = 0.001;

/** A band of cells read as one index query, each cell boosted by its bound. */
export type CellBand = SearchCell[];

/** The plan's cells that can score above `uncovered`, best first, in bands: SINGLE_CELLS of one, then of MAX_QUERY_CELLS. */
export function cellBands(plan: SearchCellPlan): CellBand[] {
  const cells = plan.cells.filter((cell) => cell.best > plan.uncovered);
  const bands: CellBand[] = [];
  for (let i = 0; i < cells.length; ) {
    const size = i < SINGLE_CELLS ? 1 : MAX_QUERY_CELLS;
    bands.push(cells.slice(i, i + size));
    i += size;
  }
  return bands;
}

/** A cell's boost in an index query: its bound, rounded up (so never below it). */
export function cellBoost(cell: SearchCell): string {
  return (Math.ceil(cell.best * 10_000) / 10_000).toFixed(4);
}

/**
 * How far below the last row of a full first read a store reads every node again, when that row ties: the lowest
 * score of the cells whose boost is that row's score (so that the whole cell is read, down to its bucket's longest
 * field), or that score, less TIE_SLACK (index scores are 32-bit floats, scores are rounded to hundredths).
 */
export const TIE_SLACK = 0.015;
/** A store's second read (CellRead.floor) reads at most this many times the first read's rows, else gives the first read alone. */
export const TIE_ROWS = 8;

/** The floor a store reads every node down to after a full first read whose last row scored `cut` (see searchByCells). */
export function tieFloor(cells: readonly SearchCell[], cut: number): number {
  let floor = cut - TIE_SLACK;
  for (const cell of cells) {
    if (Math.abs(Number(cellBoost(cell)) - cut) <= TIE_SLACK && cell.worst - TIE_SLACK < floor) floor = cell.worst - TIE_SLACK;
  }
  return floor;
}

/** What a store's read of cells gives (searchByCells). */
export interface CellRead {
  /** Rows: the index of the band each was found in, its index score (first read), the node and its search key. */
  rows: { band: number; score: number; node: GraphNode; key: string }[];
  /**
   * Undefined: `rows` are the first read alone. A number: the first read was full (`maxRows` rows) and the store
   * then read, in the same statement, every node in a cell of the bands given whose boost (cellBoost) is at least
   * this floor (tieFloor of the last row's score); `rows` are those nodes (band: the last row's band).
   */
  floor?: number;
}

/** Rounded as scoreKey rounds. */
const hundredths = (score: number) => Math.round(score * 100) / 100;

/**
 * The best `limit` hits through cells. `readCells(bands, maxRows)` reads the bands in the order given, each as one
 * query that finds the nodes with a token starting with one of its cells' prefixes and scores each by the sum of
 * the boosts (cellBoost) of the cells it is in, best score first; each row has the index of its band and that
 * score; it stops after `maxRows` rows. `readAll` returns every node whose key holds every term (when cells cannot
 * decide). Gives what rankKeyed gives over every matching node: a node not read scores at most the last row's
 * score (its best cell is in a band read in full, or its score counts that cell's boost), so reading stops as soon
 * as `limit` hits score more than that.
 *
 * Hits that tie on score are ranked by label, level, name and id, which is not the index's order, so a first read
 * that ends inside a cell of hundreds of equal scores cannot decide. A store that reads again in the same
 * statement (CellRead.floor) every node with a cell at or above a floor below that cell spares the round trip: a
 * node not read then has every cell below the floor, so it scores at most the floor (rounded), and the hits are
 * decided when `limit` of them score more.
 */
export async function searchByCells(
  query: ParsedQuery,
  limit: number,
  readCells: (bands: CellBand[], maxRows: number) => Promise<CellRead>,
  readAll: () => Promise<{ node: GraphNode; key: string }[]>,
): Promise<SearchHit[]> {
  const plan = planCells(query);
  const bands = cellBands(plan);
  const found = new Map<string, { node: GraphNode; key: string }>();
  let from = 0;
  let maxRows = limit * ROWS_PER_HIT + ROWS_MARGIN;
  while (from < bands.length) {
    const { rows, floor } = await readCells(bands.slice(from), maxRows);
    for (const row of rows) found.set(row.node.id, { node: row.node, key: row.key });
    const ranked = rankKeyed([...found.values()], query, limit);
    if (floor !== undefined) {
      if (ranked.length >= limit && ranked[limit - 1]!.score > Math.max(hundredths(floor), plan.uncovered)) return ranked;
      from += rows[0]?.band ?? 0;
      maxRows *= 2;
      continue;
    }
    const last = rows.length < maxRows ? undefined : rows[rows.length - 1]!;
    // Rounded as scores are: a node not read scores at most its best cell's bound, which may round up.
    const bound = last === undefined ? 0 : hundredths(last.score + SCORE_SLACK);
    if (ranked.length >= limit && ranked[limit - 1]!.score > Math.max(bound, plan.uncovered)) return ranked;
    // Every cell that can score above what no cell holds is read: with nothing uncovered, every match was read.
    if (last === undefined) {
      if (plan.uncovered === 0) return ranked;
      break;
    }
    from += last.band;
    maxRows *= 2;
  }
  return rankKeyed(await readAll(), query, limit);
}
