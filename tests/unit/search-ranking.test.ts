import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../../server/schema/graph.schema.ts';
import { keyMatches, parseQuery, rankCandidates, searchKey } from '../../server/search/search.ranking.ts';

const org = (id: string, name_en: string, name_km: string, acronym?: string): GraphNode => ({
  id,
  label: 'Organisation',
  type: 'ministry',
  name_en,
  name_km,
  acronym,
  sources: [],
});

const nodes: GraphNode[] = [
  org('mcs', 'Ministry of Civil Service', 'ក្រសួងមុខងារសាធារណៈ', 'MCS'),
  org('moi', 'Ministry of Interior', 'ក្រសួងមហាផ្ទៃ', 'MoI'),
  org('civil-society-network', 'Civil society service network', 'បណ្ដាញសង្គមស៊ីវិល'),
];

describe('search ranking', () => {
  it('parses the query into a normalised phrase and distinct terms', () => {
    expect(parseQuery('  Civil\u200B  SERVICE civil ')).toEqual({ phrase: 'civil service civil', terms: ['civil', 'service'] });
    expect(parseQuery('\u200B').terms).toEqual([]);
  });

  it('builds one key of every searchable field and matches all terms in it', () => {
    const key = searchKey(nodes[0]!);
    expect(key).toContain('ministry of civil service');
    expect(key).toContain('ក្រសួងមុខងារសាធារណៈ');
    expect(keyMatches(key, parseQuery('mcs ក្រសួង'))).toBe(true);
    expect(keyMatches(key, parseQuery('mcs interior'))).toBe(false);
  });

  it('puts a phrase match before a match of scattered words', () => {
    const hits = rankCandidates(nodes, parseQuery('civil service'), 10);
    expect(hits.map((h) => h.id)).toEqual(['mcs', 'civil-society-network']);
    expect(hits[0]!.matched).toBe('name_en');
  });

  it('puts an exact acronym first', () => {
    expect(rankCandidates(nodes, parseQuery('moi'), 10)[0]!.id).toBe('moi');
  });

  it('finds a Khmer word inside a name written without spaces', () => {
    const hits = rankCandidates(nodes, parseQuery('មុខងារសាធារណៈ'), 10);
    expect(hits.map((h) => h.id)).toEqual(['mcs']);
    expect(hits[0]!.matched).toBe('name_km');
  });

  it('keeps only the best `limit`', () => {
    expect(rankCandidates(nodes, parseQuery('ministry'), 1)).toHaveLength(1);
  });
});
