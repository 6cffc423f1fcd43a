import { describe, expect, it } from 'vitest';
import type { GraphLink, GraphNode } from '../../server/schema/graph.schema.ts';
import { decodeSnapshot, encodeSnapshot } from '../../server/store/embedded/snapshot-codec.ts';

const nodes: GraphNode[] = [
  { id: 'mcs', label: 'Organisation', type: 'ministry', name_en: 'Ministry of Civil Service', name_km: 'ក្រសួងមុខងារសាធារណៈ', sources: [], acronym: 'MCS' },
  { id: 'kh-0206', label: 'AdminArea', level: 'district', name_en: 'Moung Ruessei', name_km: 'មោងឫស្សី', lat: 12.775758, lon: 103.4486415, sources: ['https://github.com/dwilkie/pumi'] },
  { id: 't', label: 'Topic', name_en: 'T "quoted"\n', name_km: 'ប្រធានបទ', sources: [] },
];
const links: GraphLink[] = [{ id: 'l1', type: 'LOCATED_IN', from: 'mcs', to: 'kh-0206', sources: ['https://x.org'], draft: false, amount: 1.5 }];

describe('the snapshot codec', () => {
  it('round-trips records exactly, sharing one key list per shape', () => {
    const text = encodeSnapshot({ seq: 7, nodes, links });
    const raw = JSON.parse(text);
    expect(raw.version).toBe(2);
    expect(raw.shapes.length).toBe(4);
    expect(decodeSnapshot(text)).toEqual({ seq: 7, nodes, links });
  });

  it('is smaller than the same records as objects', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ ...nodes[0]!, id: `n${i}` }));
    expect(encodeSnapshot({ seq: 1, nodes: many, links: [] }).length).toBeLessThan(JSON.stringify(many).length * 0.8);
  });

  it('still reads version 1 (plain objects)', () => {
    const v1 = JSON.stringify({ format: 'dar-kg-snapshot', version: 1, seq: 3, nodes, links });
    expect(decodeSnapshot(v1)).toEqual({ seq: 3, nodes, links });
  });

  it('refuses property names that are not plain identifiers (nothing from the file becomes code)', () => {
    const evil = JSON.stringify({ format: 'dar-kg-snapshot', version: 2, seq: 1, shapes: [['id: process.exit(1), x']], nodes: [[0, 'a']], links: [] });
    expect(() => decodeSnapshot(evil)).toThrow(/property names/);
  });

  it('refuses rows that do not match their shape, and other files', () => {
    const bad = JSON.stringify({ format: 'dar-kg-snapshot', version: 2, seq: 1, shapes: [['id', 'label']], nodes: [[0, 'a']], links: [] });
    expect(() => decodeSnapshot(bad)).toThrow(/node row 0/);
    expect(() => decodeSnapshot('{"hello":1}')).toThrow(/not a DAR Knowledge Graph snapshot/);
    expect(() => decodeSnapshot('{"format":"dar-kg-snapshot","version":9,"seq":1,"nodes":[],"links":[]}')).toThrow(/version 9/);
  });
});
