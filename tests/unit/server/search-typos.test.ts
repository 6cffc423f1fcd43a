/**
 * Typo tolerance (server/search/typos.ts, scoreTypo and addTypos in search.ranking.ts), on the ranking alone, on
 * the embedded store's index, and on the word tokens the Neo4j store's fuzzy query reads (search-cells.ts).
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { GraphNode } from '../../../server/schema/graph.schema.ts';
import { cellsProperty, cellTokensOfKey, TYPO_WORD_TOKEN } from '../../../server/search/search-cells.ts';
import { addTypos, parseQuery, rankCandidates, rankKeyed, scoreKey, scoreTypo, searchKey, TYPO_FACTOR } from '../../../server/search/search.ranking.ts';
import { oneEditApart, typoTerms, typoWords } from '../../../server/search/typos.ts';
import { EmbeddedStore } from '../../../server/store/embedded/embedded.store.ts';
import { TrigramIndex } from '../../../server/store/embedded/trigram-index.ts';
import { generateDomainGraph } from '../../support/graph-generator.ts';
import { tempDir } from '../../support/temp-dir.ts';

const node = (id: string, name_en: string, extra: Partial<GraphNode> = {}): GraphNode =>
  ({ id, label: 'Organisation', name_en, name_km: 'ក្រសួង', sources: [], ...extra }) as GraphNode;

/** What a store gives: every match as typed, then typo matches, from every node (no index). */
const search = (nodes: GraphNode[], q: string, limit = 10) => {
  const query = parseQuery(q);
  const keyed = nodes.map((n) => ({ node: n, key: searchKey(n) }));
  return addTypos(rankKeyed(keyed, query, limit), query, limit, async () => keyed);
};

describe('one edit apart (Damerau–Levenshtein distance 1)', () => {
  it('is one letter wrong, missing, extra or two neighbours swapped, and nothing else', () => {
    for (const [a, b] of [
      ['ministry', 'ninistry'], // wrong
      ['ministry', 'ministrx'],
      ['ministry', 'minstry'], // missing
      ['ministry', 'inistry'],
      ['ministry', 'ministr'],
      ['ministry', 'ministrry'], // extra
      ['ministry', 'xministry'],
      ['ministry', 'imnistry'], // swapped
      ['ministry', 'ministyr'],
    ]) {
      expect(oneEditApart(a!, b!), `${a} ${b}`).toBe(true);
      expect(oneEditApart(b!, a!), `${b} ${a}`).toBe(true);
    }
    for (const [a, b] of [
      ['ministry', 'ministry'], // equal
      ['ministry', 'mnstry'], // two missing
      ['ministry', 'minitsyr'], // two swaps
      ['ministry', 'ministryxx'],
      ['ministry', 'nimistry'], // a swap of letters apart
      ['service', 'servise s'],
    ]) {
      expect(oneEditApart(a!, b!), `${a} ${b}`).toBe(false);
    }
  });

  it('corrects words of five letters a–z or more only; words of a key are runs of four letters or more', () => {
    expect(typoTerms(['ministry', 'civl', 'civil', 'kh02', 'ក្រសួង', 'décor'])).toEqual(['ministry', 'civil']);
    expect(typoWords('ministry of civil service\u0001kh-0203 one-window\u0001ក្រសួង')).toEqual(['ministry', 'civil', 'service', 'window']);
  });
});

describe('typo matches', () => {
  const nodes = [
    node('mcs', 'Ministry of Civil Service', { acronym: 'MCS' }),
    node('moi', 'Ministry of Interior'),
    node('ncdd', 'National Committee for Sub-National Democratic Development'),
    node('civ', 'Civil Society Alliance'),
    node('svc', 'Service Delivery Unit'),
    node('min', 'Minister Office'),
  ];

  it('find the name for one wrong, missing, extra or swapped letter in a word', async () => {
    for (const q of ['ninistry of interior', 'minstry of interior', 'ministrry of interior', 'mniistry of interior', 'ministry of intreior']) {
      expect((await search(nodes, q)).map((h) => h.id), q).toEqual(['moi']);
    }
    expect((await search(nodes, 'civil servise')).map((h) => h.id)).toEqual(['mcs']);
    expect((await search(nodes, 'democratik')).map((h) => h.id)).toEqual(['ncdd']);
  });

  it('rank below every match as typed, ordered among themselves as the corrected query would be', async () => {
    // "servise" is no name's word as typed; "service" is in two: the one whose name it starts first.
    const hits = await search(nodes, 'servise');
    expect(hits.map((h) => h.id)).toEqual(['svc', 'mcs']);
    const corrected = rankCandidates(nodes, parseQuery('service'), 10);
    expect(hits.map((h) => h.score)).toEqual(corrected.map((h) => Math.round(h.score * TYPO_FACTOR * 100) / 100));
    expect(hits[0]!.matched).toBe('name_en');
    // "minister" as typed matches one node, and "ministry" is two edits from it: no typo hits.
    expect((await search(nodes, 'minister')).map((h) => h.id)).toEqual(['min']);
    // A query that matches some names as typed and others with a typo: the typed ones first, whatever their score.
    const mixed = await search([...nodes, node('lit', 'Ministery')], 'ministery');
    expect(mixed.map((h) => h.id)).toEqual(['lit', 'min', 'moi', 'mcs']); // "minister office" covers most, then the shorter
    expect(mixed[0]!.score).toBeGreaterThan(20);
    for (const typo of mixed.slice(1)) expect(typo.score).toBeLessThanOrEqual(110 * TYPO_FACTOR);
  });

  it('are added only when the matches as typed are fewer than the limit', async () => {
    const many = Array.from({ length: 12 }, (_, i) => node(`s${i}`, `Servise ${i}`));
    const hits = await search([...nodes, ...many], 'servise', 10);
    expect(hits).toHaveLength(10);
    expect(hits.every((h) => /^s\d+$/.test(h.id))).toBe(true);
    expect((await search([...nodes, ...many.slice(0, 9)], 'servise', 10)).map((h) => h.id).slice(9)).toEqual(['svc']);
  });

  it('forgive no typo in words under five letters, two typos in one word, or Khmer', async () => {
    expect(await search(nodes, 'civl service')).toEqual([]);
    expect(await search(nodes, 'mnstry')).toEqual([]);
    expect(await search(nodes, 'ក្រសូង')).toEqual([]);
    expect(scoreTypo(searchKey(nodes[0]!), parseQuery('ministry'))).toBeUndefined(); // matches as typed
    expect(scoreKey(searchKey(nodes[0]!), parseQuery('minstry'))).toBeUndefined();
  });
});

describe('typo candidates', () => {
  it('the embedded index finds every node with a word one edit away, after writes too', () => {
    const index = new TrigramIndex();
    index.build([
      ['mcs', 'ministry of civil service'],
      ['moi', 'ministry of interior'],
    ]);
    index.set('svc', 'service delivery');
    const ids = (terms: string[]) => index.typoCandidates(terms, 100).map((c) => c.id).sort();
    expect(ids(['servise'])).toEqual(['mcs', 'svc']);
    expect(ids(['minstry', 'delivary'])).toEqual(['mcs', 'moi', 'svc']);
    index.set('svc', 'support unit');
    index.delete('mcs');
    expect(ids(['servise'])).toEqual([]);
    expect(ids(['suport'])).toEqual(['svc']);
  });

  it("Neo4j's word tokens: one per word, and none within one edit of a cell token", () => {
    const graph = generateDomainGraph({ nodes: 150, links: 2 });
    for (const n of graph.nodes) {
      const key = searchKey(n);
      const tokens = cellsProperty(key).split(' ');
      const words = tokens.filter((t) => t.startsWith(TYPO_WORD_TOKEN));
      expect(words).toEqual(typoWords(key).map((w) => TYPO_WORD_TOKEN + w));
      for (const cell of cellTokensOfKey(key)) {
        expect(cell.startsWith(TYPO_WORD_TOKEN)).toBe(false);
        for (const word of words) expect(oneEditApart(cell, word), `${cell} ${word}`).toBe(false);
      }
    }
  });

  describe('the embedded store', () => {
    const dir = tempDir('dar-kg-typos-');
    let store: EmbeddedStore | undefined;
    afterAll(async () => {
      await store?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('searches with typos, by label, and forgets renamed words', async () => {
      store = await EmbeddedStore.open({ dataDir: dir });
      await store.upsert(
        { nodes: [node('mcs', 'Ministry of Civil Service'), { id: 'edu', label: 'Topic', name_en: 'Civil Service Reform', name_km: 'កំណែទម្រង់', sources: [] } as GraphNode] },
        { name: 'test' },
      );
      expect((await store.search({ q: 'civil servise', limit: 10 })).map((h) => h.id)).toEqual(['edu', 'mcs']);
      expect((await store.search({ q: 'civil servise', limit: 10, labels: ['Topic'] })).map((h) => h.id)).toEqual(['edu']);
      await store.upsert({ nodes: [node('mcs', 'Ministry of Labour')] }, { name: 'test' });
      expect((await store.search({ q: 'civil servise', limit: 10 })).map((h) => h.id)).toEqual(['edu']);
      expect((await store.search({ q: 'labor', limit: 10 })).map((h) => h.id)).toEqual(['mcs']); // a missing letter
      expect((await store.search({ q: 'labr', limit: 10 })).map((h) => h.id)).toEqual([]); // four letters: not corrected
      expect((await store.search({ q: 'labuor', limit: 10 })).map((h) => h.id)).toEqual(['mcs']);
    });
  });
});
