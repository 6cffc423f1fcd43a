import { describe, expect, it } from 'vitest';
import {
  LABELS,
  LINK_ENDPOINTS,
  LINK_TYPES,
  LinkSchema,
  NODE_SCHEMAS,
  NodeSchema,
  allowedLinkTypes,
  checkLinkEndpoints,
  formatIssues,
} from '../../../server/schema/graph.schema.ts';

describe('the schema module', () => {
  it('has a node schema per label and endpoints per link type, all using known labels', () => {
    expect(Object.keys(NODE_SCHEMAS).sort()).toEqual([...LABELS].sort());
    expect(Object.keys(LINK_ENDPOINTS).sort()).toEqual([...LINK_TYPES].sort());
    for (const pairs of Object.values(LINK_ENDPOINTS)) {
      for (const [from, to] of pairs) {
        expect(LABELS).toContain(from);
        expect(LABELS).toContain(to);
      }
    }
  });

  it('requires both names on every node', () => {
    const result = NodeSchema.safeParse({ id: 'x', label: 'Topic', name_en: 'X' });
    expect(result.success).toBe(false);
    expect(formatIssues(result.error!)).toMatch(/name_km/);
  });

  it('accepts a full programme and rejects a bad date and an unknown label', () => {
    const ok = NodeSchema.safeParse({
      id: 'dar-2', label: 'Programme', name_en: 'DAR phase 2', name_km: 'DAR ដំណាក់កាលទី២', start: '2019-05', end: '2022-04', sources: ['https://phnompenhpost.com/x'],
    });
    expect(ok.success).toBe(true);
    expect(NodeSchema.safeParse({ id: 'p', label: 'Programme', name_en: 'P', name_km: 'ក', start: '2019-13' }).success).toBe(false);
    expect(NodeSchema.safeParse({ id: 'p', label: 'Person', name_en: 'P', name_km: 'ក' }).success).toBe(false);
  });

  it('requires ids to be slugs', () => {
    expect(NodeSchema.safeParse({ id: 'Bad Id', label: 'Topic', name_en: 'T', name_km: 'ក' }).success).toBe(false);
    expect(NodeSchema.safeParse({ id: '../etc', label: 'Topic', name_en: 'T', name_km: 'ក' }).success).toBe(false);
  });

  it('requires a source on a link unless it is a draft', () => {
    const base = { id: 'l', type: 'FUNDED_BY', from: 'dar', to: 'bmz' };
    expect(LinkSchema.safeParse(base).success).toBe(false);
    expect(LinkSchema.safeParse({ ...base, draft: true }).success).toBe(true);
    expect(LinkSchema.safeParse({ ...base, sources: ['https://www.giz.de/en/worldwide/17335.html'] }).success).toBe(true);
    expect(LinkSchema.safeParse({ ...base, sources: ['dar-i-reports'] }).success).toBe(true);
    expect(LinkSchema.safeParse({ ...base, sources: ['javascript:alert(1)'] }).success).toBe(false);
  });

  it('knows which types go between which labels', () => {
    expect(allowedLinkTypes('Programme', 'Organisation').sort()).toEqual(['FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH']);
    expect(allowedLinkTypes('Programme', 'Programme').sort()).toEqual(['PART_OF', 'RELATED_TO', 'SUCCEEDS', 'SUPPORTS']);
    expect(allowedLinkTypes('Organisation', 'Law')).toEqual(['ESTABLISHED_BY']);
    expect(allowedLinkTypes('Programme', 'Law')).toEqual(['ESTABLISHED_BY']);
    expect(checkLinkEndpoints('FUNDED_BY', 'Programme', 'Organisation')).toBeNull();
    expect(checkLinkEndpoints('FUNDED_BY', 'Organisation', 'Programme')).toMatch(/Programme → Organisation/);
    expect(checkLinkEndpoints('SUPPORTS', 'Programme', 'Organisation')).toMatch(/Programme → Programme/);
  });

  it('knows a programme\'s kind and its identifiers per scheme', () => {
    const programme = { id: 'rilgp', label: 'Programme', name_en: 'RILGP', name_km: 'ក', kind: 'donor-project', identifiers: ['worldbank:P071146', 'undp:CMB/95/011'] };
    expect(NodeSchema.safeParse(programme).success).toBe(true);
    expect(NodeSchema.safeParse({ ...programme, kind: 'basket' }).success).toBe(false);
    const badScheme = NodeSchema.safeParse({ ...programme, identifiers: ['imf:123'] });
    expect(badScheme.success).toBe(false);
    expect(formatIssues(badScheme.error!)).toMatch(/identifiers\.0: must be "<scheme>:<value>" with a scheme among worldbank, adb/);
    expect(NodeSchema.safeParse({ ...programme, identifiers: ['worldbank:'] }).success).toBe(false);
    expect(NodeSchema.safeParse({ ...programme, identifiers: ['P071146'] }).success).toBe(false);
  });

  it('has laws and events with a kind and a partial date', () => {
    const law = { id: 'organic-law', label: 'Law', name_en: 'Organic Law', name_km: 'ច្បាប់', kind: 'royal-kram', date: '2008-05', reference: 'NS/RKM/0508/017' };
    expect(NodeSchema.safeParse(law).success).toBe(true);
    expect(NodeSchema.safeParse({ ...law, kind: undefined }).success).toBe(false);
    expect(NodeSchema.safeParse({ ...law, date: '2008-13' }).success).toBe(false);
    const event = { id: 'ce-2017', label: 'Event', name_en: 'Commune elections 2017', name_km: 'ការបោះឆ្នោត', kind: 'commune-election', date: '2017-06-04', seats: 11572, communes: 1646 };
    expect(NodeSchema.safeParse(event).success).toBe(true);
    expect(NodeSchema.safeParse({ ...event, seats: 1.5 }).success).toBe(false);
    expect(NodeSchema.safeParse({ ...event, kind: 'referendum' }).success).toBe(false);
  });
});
