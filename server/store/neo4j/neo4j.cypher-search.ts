/**
 * The Neo4j store's search statements (neo4j.search.ts runs them): candidates from the TEXT, full-text and cells
 * indexes, and the containing areas of hits.
 */
import { MAX_PARENTS } from '../../search/search.ranking.ts';
import { ENTITY_LABEL, NAMES_FULLTEXT_INDEX, SEARCH_CELLS_INDEX } from './neo4j.cypher-names.ts';

/** Search candidates from the TEXT index: the key contains the longest term (index seek) and every other. */
export const SEARCH_CANDIDATES_TEXT = `MATCH (n:${ENTITY_LABEL})
WHERE n.search CONTAINS $term
  AND all(t IN $terms WHERE n.search CONTAINS t)
  AND ($labels IS NULL OR any(l IN labels(n) WHERE l IN $labels))
RETURN n {.id, .name_en, .name_km, .acronym, .level, .search} AS n, labels(n) AS labels LIMIT $max`;

/** What SEARCH_PARENTS gives for one node (`a` the node or an area above it), as a list on a search row. */
const parentsOf = (node: string) => `CASE WHEN ${node}:AdminArea THEN [(${node})-[:PART_OF*0..${MAX_PARENTS - 1}]->(a:${ENTITY_LABEL})-[r:PART_OF]->(p:${ENTITY_LABEL}:AdminArea) | {id: a.id, linkId: r.id, p: p {.id, .name_en, .name_km}}] END`;

const searchRow = (node: string) => `${node} {.id, .name_en, .name_km, .acronym, .level, .search} AS n, labels(${node}) AS labels, ${parentsOf(node)} AS parents`;
const inLabels = (node: string): string => `($labels IS NULL OR any(l IN labels(${node}) WHERE l IN $labels))`;

/**
 * Search candidates from the cells index (search-cells.ts, searchByCells), in one statement. First read: band after
 * band, `$queries` holding one Lucene query per band of cells (boosted prefix queries joined by OR), best band
 * first; rows stream in band order, best score first within a band, and LIMIT stops the reading after `$maxRows`.
 * When it stops there (the last row may tie with hundreds that rank in another order than the index's), a second
 * read: every node in a cell of `$cells` (the bands' cells: Lucene clause, boost, lowest score) whose boost is at
 * least the floor (tieFloor: the lowest score of the cells the last row's score is the boost of, less `$slack`),
 * at most `$maxAll`; its rows replace the first read's, each with the floor. Each row has its band, its score,
 * what ranking reads of the node and, for an area, what SEARCH_PARENTS would give for it. `$labels` keeps the
 * nodes of those labels (null: every node); without it the index keeps only the best `$maxRows` of a band
 * (Lucene's top-n collector) instead of scoring and sorting every match.
 */
const byCells = (labels: boolean) => `CALL () {
  UNWIND range(0, size($queries) - 1) AS band
  CALL db.index.fulltext.queryNodes('${SEARCH_CELLS_INDEX}', $queries[band]${labels ? '' : ', {limit: $maxRows}'}) YIELD node, score
  ${labels ? `WHERE ${inLabels('node')}
  ` : ''}RETURN band, score, node LIMIT $maxRows
}
WITH collect({band: band, score: score, node: node}) AS first
WITH first, CASE WHEN size(first) < $maxRows THEN null ELSE first[-1] END AS cut
WITH first, cut, CASE WHEN cut IS NULL THEN null ELSE reduce(f = cut.score - $slack, c IN $cells |
  CASE WHEN abs(c.boost - cut.score) <= $slack AND c.worst - $slack < f THEN c.worst - $slack ELSE f END) END AS floor
WITH first, cut, floor, [c IN $cells WHERE floor IS NOT NULL AND c.boost >= floor | c.clause] AS clauses
CALL (floor, clauses) {
  WITH clauses WHERE floor IS NOT NULL AND 0 < size(clauses) <= $maxClauses
  CALL db.index.fulltext.queryNodes('${SEARCH_CELLS_INDEX}', reduce(q = head(clauses), c IN tail(clauses) | q + ' OR ' + c)${labels ? '' : ', {limit: $maxAll}'}) YIELD node
  ${labels ? `WHERE ${inLabels('node')}
  ` : ''}WITH node LIMIT $maxAll
  RETURN count(node) > 0 AND count(node) < $maxAll AS complete, collect(node) AS more
}
WITH CASE WHEN complete AND size(more) > 0 THEN floor END AS floor, first, more, cut
UNWIND CASE WHEN floor IS NULL THEN first ELSE [node IN more | {band: cut.band, score: cut.score, node: node}] END AS row
WITH floor, row.band AS band, row.score AS score, row.node AS node
RETURN band, score, floor, ${searchRow('node')}`;

/** SEARCH_BY_CELLS with a label filter (`$labels`). */
export const SEARCH_BY_CELLS = byCells(true);

/** SEARCH_BY_CELLS for every label. */
export const SEARCH_BY_CELLS_TOP = byCells(false);

/**
 * Typo candidates from the cells index: `$query` is fuzzy queries (`_word~1`) on the word tokens of search-cells.ts,
 * joined by OR; each row has what ranking reads of the node.
 */
export const SEARCH_TYPO_CANDIDATES = `CALL db.index.fulltext.queryNodes('${SEARCH_CELLS_INDEX}', $query, {limit: $max}) YIELD node
WHERE $labels IS NULL OR any(l IN labels(node) WHERE l IN $labels)
RETURN node {.id, .name_en, .name_km, .acronym, .level, .search} AS n, labels(node) AS labels`;

/** Search candidates from the full-text index (English words and prefixes; `$query` is escaped Lucene syntax). */
export const SEARCH_CANDIDATES_FULLTEXT = `CALL db.index.fulltext.queryNodes('${NAMES_FULLTEXT_INDEX}', $query, {limit: $max}) YIELD node
WHERE $labels IS NULL OR any(l IN labels(node) WHERE l IN $labels)
RETURN node {.id, .name_en, .name_km, .acronym, .level, .search} AS n, labels(node) AS labels`;

/**
 * For search hits' containing areas (addParents in search.ranking.ts), in one statement: the PART_OF links to an
 * area from each of `$ids` and from every area up to MAX_PARENTS - 1 PART_OF steps above it, with the area at the
 * other end (what a hit shows of it).
 */
export const SEARCH_PARENTS = `UNWIND $ids AS id
MATCH (:${ENTITY_LABEL} {id: id})-[:PART_OF*0..${MAX_PARENTS - 1}]->(a:${ENTITY_LABEL})-[r:PART_OF]->(p:${ENTITY_LABEL}:AdminArea)
RETURN DISTINCT a.id AS id, r.id AS linkId, p {.id, .name_en, .name_km} AS p`;
