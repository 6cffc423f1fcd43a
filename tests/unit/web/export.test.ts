/** The scene's files (CSV, JSON) and keyboard moves, headless; and that every schema value has its UI name. */
import { describe, expect, it } from 'vitest';
import { ADMIN_LEVELS, ORGANISATION_TYPES, PROGRAMME_STATUSES } from '../../../server/schema/graph.model.ts';
import type { GraphLink, GraphNode } from '../../../server/schema/graph.schema.ts';
import { EMPTY_GRAPH, mergeRecords } from '../../../web/src/lib/graph/elements.ts';
import { BOM, csvCell, documentsCsv, exportFileName, linksCsv, nodesCsv, sceneJson } from '../../../web/src/lib/export/scene-export.ts';
import { nearestInDirection } from '../../../web/src/lib/graph/keyboard-nav.ts';
import { DETAIL_COLOURS, DETAIL_VALUES } from '../../../web/src/lib/graph/style.ts';
import { isMessageKey } from '../../../web/src/lib/i18n.ts';
import { KM } from '../../../web/src/lib/i18n-km.ts';
import { HOSTILE_TEXT } from '../../security/injection.suite.ts';
import { csvCell as serverCsvCell } from '../../../server/domain/csv-cell.ts';

const dar: GraphNode = {
  id: 'dar',
  label: 'Programme',
  name_en: 'Decentralisation and Administrative Reform Programme',
  name_km: 'កម្មវិធីកំណែទម្រង់វិមជ្ឈការ និងរដ្ឋបាល',
  acronym: 'DAR',
  start: '2016-05',
  end: '2022-04',
  status: 'completed',
  sources: ['https://www.giz.de/en/worldwide/17335.html'],
};
const mcs: GraphNode = { id: 'mcs', label: 'Organisation', type: 'ministry', name_en: 'Ministry of Civil Service, "MCS"', name_km: 'ក្រសួងមុខងារសាធារណៈ', sources: [] };
const link: GraphLink = { id: 'dar-partners-mcs', type: 'PARTNERS_WITH', from: 'dar', to: 'mcs', role: 'lead, executing agency', sources: ['https://a.example/1', 'doc-x'] };
const graph = mergeRecords(EMPTY_GRAPH, [dar, mcs], [link]).graph;

describe('CSV', () => {
  it('quotes commas, quotes and line breaks (RFC 4180), and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-2.5')).toBe('-2.5');
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(['a', 'b'])).toBe('a | b');
  });

  it('defuses every hostile string of the security suite exactly as the server does (one rule)', () => {
    for (const [what, text] of Object.entries(HOSTILE_TEXT)) {
      const cell = csvCell(text);
      expect(cell, what).toBe(serverCsvCell(text));
      // Unquoted, the cell never starts with a character a spreadsheet reads as a formula.
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
      expect(/^[=+\-@\t\r]/.test(unquoted), what).toBe(false);
    }
    expect(csvCell(HOSTILE_TEXT.formulaMinus)).toBe(`'${HOSTILE_TEXT.formulaMinus}`);
  });

  it('writes the nodes and links of the scene with a BOM, names in the language asked for', () => {
    const nodes = nodesCsv(graph, 'km');
    expect(nodes.startsWith(BOM)).toBe(true);
    const rows = nodes.slice(1).trimEnd().split('\r\n');
    expect(rows[0]).toBe('id,label,kind,name,name_en,name_km,acronym,detail,start,end,links_in_scene,sources');
    expect(rows[1]).toBe(
      'dar,Programme,កម្មវិធី,កម្មវិធីកំណែទម្រង់វិមជ្ឈការ និងរដ្ឋបាល,Decentralisation and Administrative Reform Programme,កម្មវិធីកំណែទម្រង់វិមជ្ឈការ និងរដ្ឋបាល,DAR,completed,2016-05,2022-04,1,https://www.giz.de/en/worldwide/17335.html',
    );
    expect(rows[2]).toContain('"Ministry of Civil Service, ""MCS"""');
    const links = linksCsv(graph, 'en').slice(1).trimEnd().split('\r\n');
    expect(links).toHaveLength(2);
    expect(links[1]).toBe('dar-partners-mcs,PARTNERS_WITH,partners with,dar,Decentralisation and Administrative Reform Programme,mcs,"Ministry of Civil Service, ""MCS""","lead, executing agency",,,false,https://a.example/1 | doc-x');
  });

  it('writes the document library one row per document and producer', () => {
    const rows = documentsCsv(
      {
        groups: [
          {
            producer: { id: 'dar', name_en: 'DAR', name_km: 'ឌីអេអ' },
            categories: [{ category: 'DAR-I', category_en: 'Reports', category_km: 'របាយការណ៍', documents: [{ id: 'doc-1', name_en: 'One', name_km: 'មួយ', year: 2020, sources: [] }] }],
          },
        ],
      },
      'km',
    )
      .slice(1)
      .trimEnd()
      .split('\r\n');
    expect(rows[1]).toBe('dar,ឌីអេអ,DAR-I,របាយការណ៍,doc-1,មួយ,One,មួយ,2020,,,');
  });
});

describe('JSON and file names', () => {
  it('holds the link that reopens the scene, and its nodes and links', () => {
    const body = JSON.parse(sceneJson(graph, { href: 'http://x/?v=lineage', view: 'lineage', at: new Date('2026-01-02T03:04:05Z') })) as Record<string, unknown>;
    expect(body).toMatchObject({ scene: 'http://x/?v=lineage', view: 'lineage', exported_at: '2026-01-02T03:04:05.000Z' });
    expect((body.nodes as unknown[]).length).toBe(2);
    expect((body.links as unknown[]).length).toBe(1);
    expect(exportFileName('map', 'kh-02', 'png', new Date('2026-01-02T00:00:00Z'))).toBe('dar-kg-map-kh-02-2026-01-02.png');
    expect(exportFileName('documents', null, 'csv', new Date('2026-01-02T00:00:00Z'))).toBe('dar-kg-documents-2026-01-02.csv');
  });
});

describe('keyboard: the arrows move to the nearest node that way', () => {
  const from = { id: 'a', x: 0, y: 0 };
  const others = [
    { id: 'right-near', x: 50, y: 10 },
    { id: 'right-far', x: 300, y: 0 },
    { id: 'up', x: 5, y: -80 },
    { id: 'diagonal', x: 60, y: 70 },
  ];
  it('prefers near and straight, and ignores what is more than 60° off', () => {
    expect(nearestInDirection(from, others, 'ArrowRight')).toBe('right-near');
    expect(nearestInDirection(from, others, 'ArrowUp')).toBe('up');
    expect(nearestInDirection(from, others, 'ArrowDown')).toBe('diagonal');
    expect(nearestInDirection(from, others, 'ArrowLeft')).toBeUndefined();
  });
});

describe('schema values in the UI', () => {
  it('has a colour and a name in both languages for every value the "colour by detail" rule uses', () => {
    const values = [...ORGANISATION_TYPES, ...PROGRAMME_STATUSES, ...ADMIN_LEVELS];
    expect(Object.values(DETAIL_VALUES).flat().sort()).toEqual([...values].sort());
    for (const value of values) {
      expect(DETAIL_COLOURS[`d-${value}`], `colour of ${value}`).toMatch(/^#[0-9a-f]{6}$/);
      expect(isMessageKey(`detail.${value}`), `UI name of ${value}`).toBe(true);
      expect(KM[`detail.${value}` as keyof typeof KM]).toMatch(/[\u1780-\u17FF]/);
    }
  });
});
