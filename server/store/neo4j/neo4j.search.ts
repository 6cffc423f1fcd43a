/**
 * The Neo4j store's search, inside one read transaction that the store opens (neo4j.store.ts), one statement per
 * step: the best search cells first (server/search/search-cells.ts); the full candidate set only when they cannot
 * decide (a Latin phrase that starts inside a word, words in another order); typo matches when too few; the
 * containing areas of hits. Ranking is server/search/search.ranking.ts's, the embedded store's too; the Cypher is
 * in neo4j.cypher-search.ts, and user text reaches Lucene only escaped.
 */
import type { ManagedTransaction, Record as Neo4jRecord } from 'neo4j-driver';
import type { GraphNode } from '../../schema/graph.schema.ts';
import { cellBoost, MAX_QUERY_CELLS, type SearchCell, searchByCells, TIE_ROWS, TIE_SLACK, TYPO_WORD_TOKEN } from '../../search/search-cells.ts';
import { addParents, addTypos, type ParsedQuery } from '../../search/search.ranking.ts';
import type { SearchHit, SearchQuery } from '../graph-store.ts';
import {
  SEARCH_BY_CELLS,
  SEARCH_BY_CELLS_TOP,
  SEARCH_CANDIDATES_FULLTEXT,
  SEARCH_CANDIDATES_TEXT,
  SEARCH_PARENTS,
  SEARCH_TYPO_CANDIDATES,
} from './neo4j.cypher.ts';
import { int, labelOf, toPlain } from './neo4j.values.ts';

/** How many search candidates are ranked at most (as in the embedded store). */
const MAX_SEARCH_CANDIDATES = 5000;


/** The hits for `query`, whose text parsed is `parsed` (at least one term). */
export async function searchIn(tx: ManagedTransaction, parsed: ParsedQuery, query: SearchQuery): Promise<SearchHit[]> {
  const labels = query.labels && query.labels.length > 0 ? [...query.labels] : null;
  // PART_OF links to an area: by the id of the node they leave, by link id (SEARCH_PARENTS's rows). Cell rows
  // bring an area's parents with them, so most searches are one statement.
  const links = new Map<string, Map<string, GraphNode>>();
  const withParents = new Set<string>();
  const addLink = (id: string, linkId: string, parent: GraphNode) => {
    let from = links.get(id);
    if (!from) links.set(id, (from = new Map()));
    from.set(linkId, parent);
  };
  const exact = await searchByCells(
    parsed,
    query.limit,
    async (bands, rows) => {
      const clause = (cell: SearchCell) => `${escapeLucene(cell.prefix)}*^${cellBoost(cell)}`;
      const queries = bands.map((cells) => cells.map(clause).join(' OR '));
      const cells = bands.flat().map((cell) => ({ clause: clause(cell), boost: Number(cellBoost(cell)), worst: cell.worst }));
      const params = { queries, cells, maxRows: int(rows), maxAll: int(rows * TIE_ROWS), slack: TIE_SLACK, maxClauses: int(MAX_QUERY_CELLS) };
      const result = await tx.run(labels ? SEARCH_BY_CELLS : SEARCH_BY_CELLS_TOP, { ...params, labels });
      let floor: number | undefined;
      const read = result.records.map((record) => {
        const row = keyed(record);
        const parents = record.get('parents') as { id: string; linkId: string; p: unknown }[] | null;
        if (parents) {
          withParents.add(row.node.id);
          for (const link of parents) addLink(link.id, link.linkId, toPlain(link.p) as GraphNode);
        }
        floor = (record.get('floor') as number | null) ?? undefined;
        return { ...row, band: toPlain(record.get('band')) as number, score: record.get('score') as number };
      });
      return { rows: read, floor };
    },
    () => searchCandidates(tx, parsed, labels),
  );
  const hits = await addTypos(exact, parsed, query.limit, async (terms) => {
    const fuzzy = terms.map((term) => `${escapeLucene(TYPO_WORD_TOKEN + term)}~1`).join(' OR ');
    return (await tx.run(SEARCH_TYPO_CANDIDATES, { query: fuzzy, labels, max: int(MAX_SEARCH_CANDIDATES) })).records.map(keyed);
  });
  const areas = hits.filter((hit) => hit.label === 'AdminArea' && !withParents.has(hit.id)).map((hit) => hit.id);
  if (areas.length > 0) {
    for (const record of (await tx.run(SEARCH_PARENTS, { ids: areas })).records) {
      addLink(record.get('id') as string, record.get('linkId') as string, toPlain(record.get('p')) as GraphNode);
    }
  }
  return addParents(hits, async (ids) => new Map(ids.map((id) => [id, [...(links.get(id) ?? [])].map(([linkId, parent]) => ({ linkId, parent }))])));
}

/** A search row (what ranking reads of a node: SEARCH_BY_CELLS and the others) with its stored search key. */
function keyed(record: Neo4jRecord): { node: GraphNode; key: string } {
  // The row's properties are strings or null (SEARCH_BY_CELLS's projection): copied as they are, anything else made plain.
  const row = record.get('n') as Record<string, unknown>;
  const node: Record<string, unknown> = {};
  for (const key in row) {
    const value = row[key];
    node[key] = value === null || typeof value === 'string' ? value : toPlain(value);
  }
  node.label = labelOf(record.get('labels') as string[]);
  return { node: node as GraphNode, key: node.search as string };
}

/**
 * Every node whose key holds every term (at most MAX_SEARCH_CANDIDATES), from the TEXT index; the full-text index
 * adds word-prefix matches (which rank well) only when that many cut the TEXT index's answer short.
 */
async function searchCandidates(tx: ManagedTransaction, parsed: ParsedQuery, labels: string[] | null): Promise<{ node: GraphNode; key: string }[]> {
  const longest = [...parsed.terms].sort((a, b) => b.length - a.length)[0]!;
  const found = new Map<string, { node: GraphNode; key: string }>();
  const text = await tx.run(SEARCH_CANDIDATES_TEXT, { term: longest, terms: parsed.terms, labels, max: int(MAX_SEARCH_CANDIDATES) });
  for (const record of text.records) {
    const row = keyed(record);
    found.set(row.node.id, row);
  }
  if (text.records.length < MAX_SEARCH_CANDIDATES) return [...found.values()];
  const lucene = parsed.terms.map((term) => `${escapeLucene(term)}*`).join(' AND ');
  const fulltext = await tx.run(SEARCH_CANDIDATES_FULLTEXT, { query: lucene, labels, max: int(MAX_SEARCH_CANDIDATES) });
  for (const record of fulltext.records) {
    const row = keyed(record);
    if (!found.has(row.node.id)) found.set(row.node.id, row);
  }
  return [...found.values()];
}

/** Lucene query syntax: every special character escaped, so user text is only ever terms. */
function escapeLucene(term: string): string {
  return term.replace(/[+\-!(){}[\]^"~*?:\\/&|]/g, '\\$&');
}
