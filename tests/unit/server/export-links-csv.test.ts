/** links.csv of the server's CSV export: Gephi's Source/Target/Label columns, encoded (formulas defused) like every cell. */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { GraphLink } from '../../../server/schema/graph.schema.ts';
import { linksCsv } from '../../../server/services/export.service.ts';

describe('linksCsv', () => {
  it('repeats from/to/type as Source/Target/Label after them, defusing formulas there too', () => {
    // Ids cannot hold such text (the schema refuses it); the encoder defuses it all the same.
    const links = [
      { id: 'l1', type: 'ABOUT', from: 'a', to: 'b', sources: ['https://example.org/x'] },
      { id: 'l2', type: 'ABOUT', from: "=HYPERLINK(\"http://evil\")", to: "-2+3+cmd|' /C calc'!A0", sources: [] },
    ] as unknown as GraphLink[];
    const text = linksCsv(links);
    expect(text.split('\r\n')[0]).toBe('\uFEFFid,type,from,to,Source,Target,Label,sources');
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows[0]).toMatchObject({ from: 'a', to: 'b', Source: 'a', Target: 'b', Label: 'ABOUT', sources: 'https://example.org/x' });
    expect(rows[1]!.Source).toBe("'=HYPERLINK(\"http://evil\")");
    expect(rows[1]!.Target).toBe("'-2+3+cmd|' /C calc'!A0");
    expect([rows[1]!.Source, rows[1]!.Target]).toEqual([rows[1]!.from, rows[1]!.to]);
  });
});
