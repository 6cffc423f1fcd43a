import { describe, expect, it } from 'vitest';
import type { GraphLink, GraphNode } from '../../../server/schema/graph.schema.ts';
import fs from 'node:fs';
import { readSnapshot, writeSnapshot } from '../../../server/store/embedded/data-dir.ts';
import { decodeSnapshot, encodeSnapshot, encodeSnapshotChunks } from '../../../server/store/embedded/snapshot-codec.ts';
import { tempDir } from '../../support/temp-dir.ts';

const nodes: GraphNode[] = [
  { id: 'mcs', label: 'Organisation', type: 'ministry', name_en: 'Ministry of Civil Service', name_km: 'ក្រសួងមុខងារសាធារណៈ', sources: [], acronym: 'MCS' },
  { id: 'kh-0206', label: 'AdminArea', level: 'district', name_en: 'Moung Ruessei', name_km: 'មោងឫស្សី', lat: 12.775758, lon: 103.4486415, sources: ['https://github.com/dwilkie/pumi'] },
  { id: 't', label: 'Topic', name_en: 'T "quoted"\n', name_km: 'ប្រធានបទ', sources: [] },
];
const links: GraphLink[] = [{ id: 'l1', type: 'LOCATED_IN', from: 'mcs', to: 'kh-0206', sources: ['https://x.org'], draft: false, amount: 1.5 }];

describe('the snapshot codec', () => {
  it('round-trips records exactly, sharing one key list per shape', () => {
    const text = encodeSnapshot({ seq: 7, nodes, links });
    const lines = text.trimEnd().split('\n');
    const header = JSON.parse(lines[0]!);
    expect(header).toMatchObject({ version: 3, seq: 7, nodes: 3, links: 1 });
    expect(header.shapes.length).toBe(4);
    expect(lines).toHaveLength(1 + 3 + 1); // a header, then a line per record
    expect(decodeSnapshot(text)).toEqual({ seq: 7, nodes, links });
    expect(decodeSnapshot(Buffer.from(text))).toEqual({ seq: 7, nodes, links });
  });

  it('comes in pieces of whole lines, never as one string (a 1M-node graph is longer than V8 strings may be)', () => {
    const many = Array.from({ length: 2_500 }, (_, i) => ({ ...nodes[i % 3]!, id: `n${i}` }));
    const manyLinks = Array.from({ length: 1_200 }, (_, i) => ({ ...links[0]!, id: `l${i}`, from: `n${i}`, to: `n${i + 1}` }));
    const stories = [{ id: 's1', title_en: 'A story', title_km: 'រឿង', steps: [] }] as unknown as NonNullable<Parameters<typeof encodeSnapshot>[0]['stories']>;
    const data = { seq: 9, nodes: many, links: manyLinks, stories };
    const chunks = [...encodeSnapshotChunks(data, 1_000)];
    // A header, then 3,701 lines in pieces of at most 1,000.
    expect(chunks).toHaveLength(1 + 4);
    for (const chunk of chunks) {
      expect(chunk.endsWith('\n')).toBe(true);
      expect(chunk.split('\n').length - 1).toBeLessThanOrEqual(1_000);
    }
    expect(chunks.join('')).toBe(encodeSnapshot(data));
    expect(decodeSnapshot(chunks.join(''))).toEqual(data);
  });

  it('is written piece by piece and read back the same (writeSnapshot, readSnapshot)', async () => {
    const dir = tempDir('dar-kg-snapshot-pieces-');
    try {
      const many = Array.from({ length: 25_001 }, (_, i) => ({ ...nodes[i % 3]!, id: `n${i}` }));
      await writeSnapshot(dir, { seq: 3, nodes: many, links });
      expect(await readSnapshot(dir)).toEqual({ seq: 3, nodes: many, links });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is smaller than the same records as objects', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ ...nodes[0]!, id: `n${i}` }));
    expect(encodeSnapshot({ seq: 1, nodes: many, links: [] }).length).toBeLessThan(JSON.stringify(many).length * 0.8);
  });

  it('still reads version 1 (plain objects) and version 2 (rows in one document)', () => {
    const v1 = JSON.stringify({ format: 'dar-kg-snapshot', version: 1, seq: 3, nodes, links });
    expect(decodeSnapshot(v1)).toEqual({ seq: 3, nodes, links });
    const v2 = JSON.stringify({ format: 'dar-kg-snapshot', version: 2, seq: 4, shapes: [['id', 'label', 'name_en', 'name_km', 'sources']], nodes: [[0, 't', 'Topic', 'T', 'ត', []]], links: [] });
    expect(decodeSnapshot(v2)).toEqual({ seq: 4, nodes: [{ id: 't', label: 'Topic', name_en: 'T', name_km: 'ត', sources: [] }], links: [] });
  });

  it('refuses a version 3 file that is cut short or has a broken line, naming the line', () => {
    const text = encodeSnapshot({ seq: 7, nodes, links });
    const cut = text.split('\n').slice(0, 3).join('\n') + '\n';
    expect(() => decodeSnapshot(cut)).toThrow(/ends after 2 of 4 records/);
    const broken = text.replace('"kh-0206"', '"kh-0206');
    expect(() => decodeSnapshot(broken)).toThrow(/line 3/);
  });

  it('refuses property names that are not plain identifiers (nothing from the file becomes code)', () => {
    const evil = JSON.stringify({ format: 'dar-kg-snapshot', version: 2, seq: 1, shapes: [['id: process.exit(1), x']], nodes: [[0, 'a']], links: [] });
    expect(() => decodeSnapshot(evil)).toThrow(/property names/);
    const evil3 = `${JSON.stringify({ format: 'dar-kg-snapshot', version: 3, seq: 1, shapes: [['id: process.exit(1), x']], nodes: 1, links: 0 })}\n[0,"a"]\n`;
    expect(() => decodeSnapshot(evil3)).toThrow(/property names/);
  });

  it('refuses rows that do not match their shape, and other files', () => {
    const bad = JSON.stringify({ format: 'dar-kg-snapshot', version: 2, seq: 1, shapes: [['id', 'label']], nodes: [[0, 'a']], links: [] });
    expect(() => decodeSnapshot(bad)).toThrow(/node row 0 does not match/);
    expect(() => decodeSnapshot('{"hello":1}')).toThrow(/not a DAR Knowledge Graph snapshot/);
    expect(() => decodeSnapshot('{"format":"dar-kg-snapshot","version":9,"seq":1,"nodes":[],"links":[]}')).toThrow(/version 9/);
  });
});
