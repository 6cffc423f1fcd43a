import { describe, expect, it } from 'vitest';
import type { GraphLink } from '../../../server/schema/graph.schema.ts';
import { groupLinks } from '../../../web/src/lib/node-links.ts';
import { isDocumentId, isHttpUrl, propertyRows, shortUrl } from '../../../web/src/lib/node-properties.ts';

const dar = {
  label: 'Programme',
  id: 'dar',
  name_en: 'Decentralisation and Administrative Reform Programme',
  name_km: 'កម្មវិធីកំណែទម្រង់វិមជ្ឈការ និងរដ្ឋបាល',
  sources: ['https://www.giz.de/en/worldwide/17335.html'],
  acronym: 'DAR',
  start: '2016-05',
  summary_en: 'Supports sub-national administrations.',
  summary_km: 'គាំទ្រដល់រដ្ឋបាលថ្នាក់ក្រោមជាតិ។',
  url: 'https://www.giz.de/en/worldwide/17335.html',
  created_at: '2026-01-02T03:04:05.000Z',
  created_by: 'seed',
};

describe('side panel: properties', () => {
  it('puts identity first, pairs language versions (current language first), audit stamps last, sources out', () => {
    expect(propertyRows(dar, 'en').map((row) => row.key)).toEqual([
      'id', 'label', 'name_en', 'name_km', 'acronym', 'start', 'summary_en', 'summary_km', 'url', 'created_at', 'created_by',
    ]);
    expect(propertyRows(dar, 'km').map((row) => row.key).slice(0, 4)).toEqual(['id', 'label', 'name_km', 'name_en']);
  });

  it('tells how each value is shown', () => {
    const kinds = Object.fromEntries(propertyRows(dar).map((row) => [row.key, row.kind]));
    expect(kinds).toMatchObject({ label: 'label', url: 'url', summary_en: 'long', created_at: 'time', start: 'text' });
  });

  it('tells URLs from Document ids', () => {
    expect(isHttpUrl('https://ncdd.gov.kh/projects/eu-dar-kh/')).toBe(true);
    expect(isHttpUrl('javascript:alert(1)')).toBe(false);
    expect(isDocumentId('doc-dar-i')).toBe(true);
    expect(isDocumentId('javascript:alert(1)')).toBe(false);
    expect(shortUrl('https://www.giz.de/en/worldwide/17335.html')).toBe('giz.de/en/worldwide/17335.html');
    expect(shortUrl(`https://example.org/${'a'.repeat(100)}`, 30)).toHaveLength(30);
  });
});

describe('side panel: links', () => {
  const link = (id: string, type: GraphLink['type'], from: string, to: string): GraphLink => ({ id, type, from, to, sources: ['x'] });

  it('groups by type in schema order, outgoing before incoming, with the node at the other end', () => {
    const groups = groupLinks(
      [
        link('a', 'PARTNERS_WITH', 'dar', 'mcs'),
        link('b', 'SUCCEEDS', 'dar', 'eu-space'),
        link('c', 'PART_OF', 'dar-1', 'dar'),
        link('d', 'PARTNERS_WITH', 'dar', 'moi'),
        link('e', 'SUCCEEDS', 'later', 'dar'),
      ],
      'dar',
    );
    expect(groups.map((g) => `${g.type}:${g.direction}:${g.rows.map((r) => r.otherId).join(',')}`)).toEqual([
      'SUCCEEDS:out:eu-space',
      'SUCCEEDS:in:later',
      'PART_OF:in:dar-1',
      'PARTNERS_WITH:out:mcs,moi',
    ]);
  });
});
