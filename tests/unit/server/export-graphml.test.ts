/** GraphML export of the labels that have a `kind` of their own (Programme, Law, Event). */
import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../../../server/schema/graph.schema.ts';
import { graphml } from '../../../server/services/export.service.ts';

describe('GraphML export', () => {
  it("keeps a node's label as `kind` and its own kind as `<label>_kind`", () => {
    const nodes: GraphNode[] = [
      { id: 'organic-law-2008', label: 'Law', name_en: 'Organic Law', name_km: 'ច្បាប់', kind: 'royal-kram', reference: 'NS/RKM/0508/017', sources: [] },
      { id: 'np-2', label: 'Programme', name_en: 'NP-2', name_km: 'កជទី២', kind: 'national-programme', identifiers: ['worldbank:P071146'], sources: [] },
      { id: 'dar', label: 'Programme', name_en: 'DAR', name_km: 'ឌីអេអរ', sources: [] },
    ];
    const xml = graphml({ nodes, links: [] });
    const node = (id: string) => xml.slice(xml.indexOf(`<node id="${id}">`), xml.indexOf('</node>', xml.indexOf(`<node id="${id}">`)));
    expect(node('organic-law-2008')).toContain('<data key="n_kind">Law</data>');
    expect(node('organic-law-2008')).toContain('<data key="n_law_kind">royal-kram</data>');
    expect(node('np-2')).toContain('<data key="n_kind">Programme</data>');
    expect(node('np-2')).toContain('<data key="n_programme_kind">national-programme</data>');
    expect(node('np-2')).toContain('<data key="n_identifiers">worldbank:P071146</data>');
    expect(node('dar')).not.toContain('programme_kind');
    expect(xml).toContain('<key id="n_law_kind" for="node" attr.name="law_kind" attr.type="string"/>');
  });
});
