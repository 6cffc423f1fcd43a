/**
 * Search through cells (server/search/search-cells.ts), as the Neo4j store runs it over its full-text index: the
 * same hits, in the same order, as ranking every node that matches, on graphs where queries match hundreds of
 * nodes of every kind (prefixes, word starts, Khmer substrings, unit words, several words).
 */
import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../../../server/schema/graph.schema.ts';
import { type CellBand, type CellRead, cellBoost, type Kind, cellTokensOfKey, planCells, searchByCells, textChars, TIE_ROWS, tieFloor } from '../../../server/search/search-cells.ts';
import { keyMatches, parseQuery, rankKeyed, scoreKey, searchKey } from '../../../server/search/search.ranking.ts';
import { generateDomainGraph, rng, tiedNamesGraph } from '../../support/graph-generator.ts';

/** Nodes as a store with a term index keeps them: key and cell tokens, looked up by token prefix (sorted tokens). */
function cellStore(nodes: GraphNode[]) {
  const rows = nodes.map((node) => {
    const key = searchKey(node);
    return { node, key, tokens: cellTokensOfKey(key) };
  });
  const index = rows.flatMap((row, i) => row.tokens.map((t) => [t, i] as const)).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const firstAtLeast = (prefix: string) => {
    let lo = 0;
    let hi = index.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (index[mid]![0] < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let reads = 0;
  let readAlls = 0;
  return {
    rows,
    get reads() {
      return reads;
    },
    get readAlls() {
      return readAlls;
    },
    /** As the Neo4j store reads (SEARCH_BY_CELLS); `ties`: with its second read of every node down to the tie floor. */
    readCells: (ties: boolean) => async (bands: CellBand[], maxRows: number): Promise<CellRead> => {
      reads++;
      const inCell = (cell: CellBand[number]) => {
        const found = new Set<number>();
        for (let i = firstAtLeast(cell.prefix); i < index.length && index[i]![0].startsWith(cell.prefix); i++) found.add(index[i]![1]);
        return found;
      };
      const out: { band: number; score: number; node: GraphNode; key: string }[] = [];
      for (let band = 0; band < bands.length && out.length < maxRows; band++) {
        // As the index does: each node scored by the sum of the boosts of the cells it is in, best first.
        const scores = new Map<number, number>();
        for (const cell of bands[band]!) {
          for (const i of inCell(cell)) scores.set(i, Math.fround((scores.get(i) ?? 0) + Math.fround(Number(cellBoost(cell)))));
        }
        for (const [i, score] of [...scores].sort((a, b) => b[1] - a[1])) {
          if (out.length === maxRows) break;
          out.push({ band, score, node: rows[i]!.node, key: rows[i]!.key });
        }
      }
      if (!ties || out.length < maxRows) return { rows: out };
      // As Neo4j's second read: at most TIE_ROWS times the first's rows, else the first read alone.
      const cut = out[out.length - 1]!;
      const floor = tieFloor(bands.flat(), cut.score);
      const again = new Set<number>();
      for (const cell of bands.flat()) if (Number(cellBoost(cell)) >= floor) for (const i of inCell(cell)) again.add(i);
      if (again.size >= maxRows * TIE_ROWS) return { rows: out };
      return { rows: [...again].map((i) => ({ band: cut.band, score: cut.score, node: rows[i]!.node, key: rows[i]!.key })), floor };
    },
    readAll: (query: ReturnType<typeof parseQuery>) => async () => {
      readAlls++;
      return rows.filter((r) => keyMatches(r.key, query));
    },
  };
}

function areas(): GraphNode[] {
  const names: [string, string][] = [
    ['Kandal Province', 'ខេត្តកណ្តាល'],
    ['Kandal Stueng', 'កណ្ដាលស្ទឹង'],
    ['Phnom Penh Capital', 'រាជធានីភ្នំពេញ'],
    ['Battambang Municipality', 'ក្រុងបាត់ដំបង'],
    ['Battambang Province', 'ខេត្តបាត់ដំបង'],
    ['Battambang', 'បាត់ដំបង'],
    ['Province', 'ខេត្ត'],
    ['Kandal', 'កណ្តាល'],
  ];
  return names.map(([name_en, name_km], i) => ({ id: `area-${i}`, label: 'AdminArea', level: 'province', name_en, name_km, code: String(100 + i), sources: [] }) as GraphNode);
}

describe('search through cells', () => {
  const graph = generateDomainGraph({ nodes: 3000, links: 10 });
  const nodes = [...graph.nodes, ...areas()];
  const store = cellStore(nodes);

  const brute = (q: string, limit: number) => {
    const query = parseQuery(q);
    return rankKeyed(store.rows.filter((r) => keyMatches(r.key, query)), query, limit);
  };
  const viaCells = (q: string, limit: number, ties = true) => {
    const query = parseQuery(q);
    return searchByCells(query, limit, store.readCells(ties), store.readAll(query));
  };

  it('every occurrence that scores at least `uncovered` is in a cell whose bound is not below its score', () => {
    const random = rng(3);
    const keys = store.rows.map((r) => r.key);
    let checked = 0;
    for (let i = 0; i < 200; i++) {
      const source = keys[Math.floor(random() * keys.length)]!.split('\u0001').filter(Boolean);
      const field = source[Math.floor(random() * source.length)]!;
      const start = Math.floor(random() * field.length);
      const q = field.slice(start, start + 1 + Math.floor(random() * 14)).trim();
      const query = parseQuery(q);
      if (query.terms.length === 0) continue;
      const plan = planCells(query);
      const bounds = new Map(plan.cells.map((c) => [c.prefix, c.best]));
      const text = (kind: string) => query.phrase.slice(0, textChars(kind as Kind)).replaceAll(' ', '\u0001');
      for (const row of store.rows) {
        const scored = scoreKey(row.key, query);
        if (!scored || scored.score <= plan.uncovered) continue;
        // The best cell holding one of the row's tokens: its head (field, kind, bucket) and the phrase's start.
        let best = -1;
        for (const token of row.tokens) {
          const head = token.slice(0, token.indexOf(':') + 1);
          const prefix = head + text(head.charAt(1));
          if (token.startsWith(prefix)) best = Math.max(best, bounds.get(prefix) ?? -1);
        }
        expect(Math.round(best * 100) / 100, `"${q}" in ${row.node.id} (score ${scored.score})`).toBeGreaterThanOrEqual(scored.score);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('gives the hits and the order of ranking every match, for the bench kinds of query and more', async () => {
    const random = rng(11);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const queries = [
      'servic', 'service', 'service delivery', 'delivery service', 'kandal', 'កណ្តាល', 'កណ្ដាល', 'battambang', 'province',
      'ខេត្ត', 'ខេត្តបាត់ដំបង', 'បាត់ដំបង', 'p12', 'document-12', 'ervice', 'e', 'ក', 'zzqxw', '12', 'council reform 1',
      // Khmer starting on a vowel sign or a subscript; phrases longer than a token inside a word.
      'ំទ្រ', '្រុក', 'ិកា', 'ា', '្', 'provincial commune', 'management capacity building', 'ក្រុមប្រឹក្សាកំណែទម្រង់',
    ];
    for (let i = 0; i < 25; i++) {
      const n = pick(graph.nodes);
      queries.push(n.name_en.split(' ')[0]!.slice(0, 6), n.name_km.slice(0, 8), n.name_km.slice(3, 9), `${n.name_en.split(' ')[0]} ${n.name_en.split(' ')[1] ?? ''}`.trim());
    }
    for (const q of queries) {
      for (const limit of [1, 10, 20]) {
        for (const ties of [true, false]) expect(await viaCells(q, limit, ties), `"${q}" limit ${limit} ties ${ties}`).toEqual(brute(q, limit));
      }
    }
  });

  it('reads cells once for two common words and for Khmer starting on a sign, never every match (issue 14)', async () => {
    // Two words that ten names hold as a phrase (with fewer, every node holding both words must be ranked).
    const twoWords = graph.nodes
      .map((n) => n.name_en.split(' ').slice(0, 2).join(' '))
      .filter((q) => q.includes(' ') && q.length <= 24 && (brute(q, 10)[9]?.score ?? 0) > planCells(parseQuery(q)).uncovered);
    const signs = graph.nodes.map((n) => n.name_km.slice(2, 7)).filter((q) => !/^[\u1780-\u17B3]/.test(q));
    expect(twoWords.length).toBeGreaterThan(10);
    expect(signs.length).toBeGreaterThan(10);
    for (const q of [...twoWords.slice(0, 30), ...signs.slice(0, 30)]) {
      const before = { reads: store.reads, all: store.readAlls };
      const hits = await viaCells(q, 10);
      expect(hits.length, q).toBeGreaterThan(0);
      expect(store.readAlls - before.all, `"${q}" read every match`).toBe(0);
      expect(store.reads - before.reads, `"${q}" reads`).toBe(1);
    }
  });

  it('reads cells once for common words and Khmer prefixes', async () => {
    for (const q of ['servic', 'សេវា', 'ក្រុមប្រ', 'ការផ្តល់']) {
      const before = store.reads;
      const hits = await viaCells(q, 10);
      expect(hits).toHaveLength(10);
      expect(store.reads - before, q).toBe(1);
    }
  });
});

describe('search through cells among thousands of names that tie (the 100k bench graph in small, issue 14)', () => {
  const nodes = tiedNamesGraph(3000);
  const store = cellStore(nodes);
  const queries = [...new Set([0, 1, 2, 3, 17, 422, 1234, 2999].flatMap((i) => {
    const n = nodes[i]!;
    const words = n.name_en.split(' ');
    return [words[0]!.slice(0, 6), `${words[0]} ${words[1]}`, n.name_km.slice(0, 8), n.name_km.slice(2, 7)];
  }))];

  it('reads once, reading again the nodes that tie in the same statement, and ranks as ranking every match', async () => {
    let moreThanOnce = 0;
    for (const q of queries) {
      const query = parseQuery(q);
      const brute = rankKeyed(store.rows.filter((r) => keyMatches(r.key, query)), query, 20);
      for (const limit of [10, 20]) {
        let before = store.reads;
        expect(await searchByCells(query, limit, store.readCells(true), store.readAll(query)), `"${q}" ${limit}`).toEqual(brute.slice(0, limit));
        expect(store.reads - before, `"${q}" ${limit} reads`).toBe(1);
        before = store.reads;
        expect(await searchByCells(query, limit, store.readCells(false), store.readAll(query))).toEqual(brute.slice(0, limit));
        if (store.reads - before > 1) moreThanOnce++;
      }
    }
    // Without the second read, the first read's last row ties and the index's order decides nothing: more reads.
    expect(moreThanOnce).toBeGreaterThanOrEqual(5);
  });
});
