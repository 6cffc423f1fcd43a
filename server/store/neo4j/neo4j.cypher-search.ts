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

/**
 * Search candidates from the cells index, band after band: `$queries` holds one Lucene query per band of cells
 * (boosted prefix queries joined by OR), best band first (search-cells.ts); each row has the index of its band,
 * its index score, what ranking reads of the node and, for an area, what SEARCH_PARENTS would give for it (so
 * that a search is one statement). Rows stream in band order, best score first within a band, and LIMIT stops
 * the reading. `$labels` keeps the nodes of those labels (null: every node).
 */
export const SEARCH_BY_CELLS = `UNWIND range(0, size($queries) - 1) AS band
CALL db.index.fulltext.queryNodes('${SEARCH_CELLS_INDEX}', $queries[band]) YIELD node, score
WHERE $labels IS NULL OR any(l IN labels(node) WHERE l IN $labels)
WITH band, score, node LIMIT $maxRows
RETURN band, score, node {.id, .name_en, .name_km, .acronym, .level, .search} AS n, labels(node) AS labels, ${parentsOf('node')} AS parents`;

/**
 * SEARCH_BY_CELLS for every label: the index itself keeps only the best `$maxRows` of a band (Lucene's top-n
 * collector) instead of scoring and sorting every match, which a label filter after it would not allow.
 */
export const SEARCH_BY_CELLS_TOP = `UNWIND range(0, size($queries) - 1) AS band
CALL db.index.fulltext.queryNodes('${SEARCH_CELLS_INDEX}', $queries[band], {limit: $maxRows}) YIELD node, score
WITH band, score, node LIMIT $maxRows
RETURN band, score, node {.id, .name_en, .name_km, .acronym, .level, .search} AS n, labels(node) AS labels, ${parentsOf('node')} AS parents`;

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
