import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../../../server/schema/graph.schema.ts';
import { keyMatches, parseQuery, rankCandidates, searchKey } from '../../../server/search/search.ranking.ts';

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

describe('areas among namesakes', () => {
  const area = (id: string, level: 'province' | 'municipality' | 'district' | 'commune' | 'village', name_en: string, name_km: string, name_latin = name_en): GraphNode => ({
    id,
    label: 'AdminArea',
    level,
    code: id.slice(3),
    name_en,
    name_km,
    name_latin,
    sources: [],
  });
  // Ids chosen so that id order alone would put the commune and the village first.
  const areas = [
    area('kh-010101', 'commune', 'Samraong', 'សំរោង'),
    area('kh-01010101', 'village', 'Samraong', 'សំរោង'),
    area('kh-2204', 'district', 'Samraong', 'សំរោង'),
    area('kh-22', 'province', 'Samraong Province', 'ខេត្តសំរោង', 'Samraong'),
    area('kh-2205', 'municipality', 'Samraong Municipality', 'ក្រុងសំរោង', 'Samraong'),
  ];

  it('puts the larger unit first at equal scores, the unit word of a province or municipality not counting', () => {
    for (const q of ['Samraong', 'សំរោង']) {
      const hits = rankCandidates(areas, parseQuery(q), 10);
      expect(hits.map((h) => h.id), q).toEqual(['kh-22', 'kh-2204', 'kh-2205', 'kh-010101', 'kh-01010101']);
      expect(hits.map((h) => h.level), q).toEqual(['province', 'district', 'municipality', 'commune', 'village']);
    }
  });

  it('still ranks the full name with its unit word first', () => {
    expect(rankCandidates(areas, parseQuery('Samraong Province'), 10)[0]!.id).toBe('kh-22');
    expect(rankCandidates(areas, parseQuery('ក្រុងសំរោង'), 10)[0]!.id).toBe('kh-2205');
  });
});
