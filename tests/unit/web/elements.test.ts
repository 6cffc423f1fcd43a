import cytoscape from 'cytoscape';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphLink, GraphNode } from '../../../server/schema/graph.schema.ts';
import { loadMessages } from '../../../web/src/lib/i18n.ts';
import {
  EMPTY_GRAPH,
  buildElements,
  edgeId,
  mergeRecords,
  nodeCaption,
  nodeName,
  planSync,
  shorten,
  toEdgeElement,
  toNodeElement,
  withBreakHints,
  type DrawnElement,
  type GraphElement,
} from '../../../web/src/lib/graph/elements.ts';

// A small piece of the DAR graph, shaped as the API returns it.
const dar: GraphNode = {
  id: 'dar',
  label: 'Programme',
  name_en: 'Decentralisation and Administrative Reform Programme',
  name_km: 'កម្មវិធីកំណែទម្រង់វិមជ្ឈការ និងរដ្ឋបាល',
  acronym: 'DAR',
  sources: ['https://www.giz.de/en/worldwide/dar.html'],
};
const mcs: GraphNode = {
  id: 'mcs',
  label: 'Organisation',
  type: 'ministry',
  name_en: 'Ministry of Civil Service',
  name_km: 'ក្រសួងមុខងារសាធារណៈ',
  acronym: 'MCS',
  sources: [],
};
const ncdds: GraphNode = {
  id: 'ncdd-s',
  label: 'Organisation',
  type: 'national-committee',
  name_en: 'National Committee for Sub-National Democratic Development Secretariat',
  name_km: 'លេខាធិការដ្ឋានគណៈកម្មាធិការជាតិសម្រាប់ការអភិវឌ្ឍតាមបែបប្រជាធិបតេយ្យនៅថ្នាក់ក្រោមជាតិ',
  acronym: 'NCDD-S',
  acronym_km: 'លគអ',
  sources: [],
};
const owso: GraphNode = {
  id: 'one-window-service',
  label: 'Topic',
  name_en: 'One Window Service',
  name_km: 'ការិយាល័យច្រកចេញចូលតែមួយ',
  sources: [],
};

const partners: GraphLink = {
  id: 'dar-partners-mcs',
  type: 'PARTNERS_WITH',
  from: 'dar',
  to: 'mcs',
  sources: ['https://www.giz.de/en/worldwide/dar.html'],
  role: 'partner ministry',
};
const partnersNcdd: GraphLink = {
  id: 'dar-partners-ncdd-s',
  type: 'PARTNERS_WITH',
  from: 'dar',
  to: 'ncdd-s',
  sources: ['dar-progress-report-2020'],
};
const about: GraphLink = { id: 'dar-about-owso', type: 'ABOUT', from: 'dar', to: 'one-window-service', sources: [], draft: true };

const stripHints = (text: string) => text.replaceAll('\u200B', '');


// Khmer's messages are loaded on demand (i18n-km.ts), as the explorer does before it shows Khmer.
beforeAll(() => loadMessages('km'));

describe('mergeRecords', () => {
  it('adds nodes and the links between them', () => {
    const { graph, addedNodes, addedLinks } = mergeRecords(EMPTY_GRAPH, [dar, mcs], [partners]);
    expect([...graph.nodes.keys()]).toEqual(['dar', 'mcs']);
    expect([...graph.links.keys()]).toEqual(['dar-partners-mcs']);
    expect(addedNodes).toEqual(['dar', 'mcs']);
    expect(addedLinks).toEqual(['dar-partners-mcs']);
  });

  it('never duplicates a node or a link, whether it comes twice in one page or again later', () => {
    const first = mergeRecords(EMPTY_GRAPH, [dar, mcs, mcs], [partners, partners]);
    expect(first.graph.nodes.size).toBe(2);
    expect(first.graph.links.size).toBe(1);
    expect(first.addedNodes).toEqual(['dar', 'mcs']);

    const again = mergeRecords(first.graph, [mcs, ncdds], [partners, partnersNcdd]);
    expect(again.graph.nodes.size).toBe(3);
    expect(again.graph.links.size).toBe(2);
    expect(again.addedNodes).toEqual(['ncdd-s']);
    expect(again.addedLinks).toEqual(['dar-partners-ncdd-s']);
  });

  it('replaces a record with the newer one and leaves the old graph untouched', () => {
    const before = mergeRecords(EMPTY_GRAPH, [dar, mcs], []).graph;
    const renamed = { ...mcs, name_en: 'Ministry of Civil Service (MCS)' };
    const after = mergeRecords(before, [renamed], []).graph;
    expect(after.nodes.get('mcs')?.name_en).toBe('Ministry of Civil Service (MCS)');
    expect(before.nodes.get('mcs')?.name_en).toBe('Ministry of Civil Service');
  });

  it('drops a link whose other end is not in the graph', () => {
    const { graph, addedLinks } = mergeRecords(EMPTY_GRAPH, [dar], [partners]);
    expect(graph.links.size).toBe(0);
    expect(addedLinks).toEqual([]);
  });
});

describe('names and captions', () => {
  it('uses the name in the language asked for, else the other one, else the id', () => {
    expect(nodeName(mcs, 'en')).toBe('Ministry of Civil Service');
    expect(nodeName(mcs, 'km')).toBe('ក្រសួងមុខងារសាធារណៈ');
    expect(nodeName({ id: 'x', name_en: 'Only English', name_km: '' }, 'km')).toBe('Only English');
    expect(nodeName({ id: 'x', name_en: ' ', name_km: '' }, 'en')).toBe('x');
  });

  it('draws long names as their acronym', () => {
    expect(nodeCaption(dar, 'en')).toBe('DAR');
    expect(nodeCaption(mcs, 'en')).toBe('Ministry of Civil Service');
    expect(stripHints(nodeCaption(ncdds, 'km'))).toBe('លគអ');
  });

  it('puts wrap hints between Khmer words only, and they draw as nothing', () => {
    const caption = nodeCaption(owso, 'km');
    expect(stripHints(caption)).toBe('ការិយាល័យច្រកចេញចូលតែមួយ');
    expect(caption).toContain('\u200B');
    expect(withBreakHints('Ministry of Civil Service')).toBe('Ministry of Civil Service');
    // A hint never lands inside a cluster: each piece starts with a consonant or independent vowel.
    for (const piece of caption.split('\u200B')) expect(piece).toMatch(/^[\u1780-\u17B3]/);
  });

  it('cuts very long names without breaking a Khmer cluster', () => {
    const long = 'ការិយាល័យច្រកចេញចូលតែមួយ'.repeat(4);
    const short = shorten(long, 20);
    expect(short.endsWith('…')).toBe(true);
    expect(long.startsWith(short.slice(0, -1))).toBe(true);
    expect(short.slice(0, -1)).not.toMatch(/\u17D2$/); // never ends on a coeng (subscript sign)
    expect(shorten('short', 20)).toBe('short');
  });

  it('adds a "+N more" line in the current language', () => {
    expect(nodeCaption(mcs, 'en', 7)).toBe('Ministry of Civil Service\n+7 more');
    expect(stripHints(nodeCaption(mcs, 'km', 7))).toBe('ក្រសួងមុខងារសាធារណៈ\n+7 ទៀត');
  });
});

describe('elements', () => {
  const graph = mergeRecords(EMPTY_GRAPH, [dar, mcs, ncdds, owso], [partners, partnersNcdd, about]).graph;

  it('maps a node record to a node element, classed by label', () => {
    const element = toNodeElement(mcs, 'en');
    expect(element).toEqual({
      group: 'nodes',
      data: { id: 'mcs', ref: 'mcs', label: 'Organisation', caption: 'Ministry of Civil Service', name: 'Ministry of Civil Service', more: 0 },
      classes: 'Organisation',
    });
    expect(toNodeElement(mcs, 'en', 3).classes).toBe('Organisation has-more');
    // A view may draw a copy of the node (its own id, the real one as ref), with its own classes and caption.
    const chip = toNodeElement(mcs, 'en', 0, { id: 'mcs@dar', classes: ['chip'], caption: 'MCS', data: { w: 40 } });
    expect(chip.data).toMatchObject({ id: 'mcs@dar', ref: 'mcs', caption: 'MCS', w: 40 });
    expect(chip.classes).toBe('Organisation chip');
  });

  it('maps a link to a directed edge with its own id space and the type name in the language', () => {
    const edge = toEdgeElement(partners, 'en');
    expect(edge.data).toMatchObject({ id: edgeId('dar-partners-mcs'), source: 'dar', target: 'mcs', caption: 'partners with', draft: false });
    expect(edge.data.id).not.toBe('dar-partners-mcs');
    expect(toEdgeElement(partners, 'km').data.caption).toBe('ជាដៃគូជាមួយ');
    expect(toEdgeElement(about, 'en').classes).toBe('ABOUT draft');
  });

  it('builds nodes then edges, with the "more" counts given', () => {
    const elements = buildElements(graph, 'en', new Map([['dar', 12]]));
    expect(elements.filter((e) => e.group === 'nodes').map((e) => e.data.id)).toEqual(['dar', 'mcs', 'ncdd-s', 'one-window-service']);
    expect(elements.filter((e) => e.group === 'edges')).toHaveLength(3);
    expect(elements.find((e) => e.data.id === 'dar')?.data.caption).toBe('DAR\n+12 more');
  });

  it('switches every caption to Khmer, and the switch is only updates', () => {
    const en = buildElements(graph, 'en');
    const km = buildElements(graph, 'km');
    const captions = (elements: GraphElement[]) =>
      Object.fromEntries(elements.map((e) => [e.data.id, stripHints(String(e.data.caption))]));
    expect(captions(km)).toMatchObject({
      dar: 'កម្មវិធីកំណែទម្រង់វិមជ្ឈការ និងរដ្ឋបាល',
      mcs: 'ក្រសួងមុខងារសាធារណៈ',
      [edgeId('dar-partners-mcs')]: 'ជាដៃគូជាមួយ',
    });
    expect(captions(en)).toMatchObject({ dar: 'DAR', mcs: 'Ministry of Civil Service' });

    const drawn = new Map<string, DrawnElement>(en.map((e) => [e.data.id, { data: e.data, classes: e.classes }]));
    const plan = planSync(drawn, km);
    expect(plan.add).toEqual([]);
    expect(plan.remove).toEqual([]);
    expect(plan.update).toHaveLength(en.length);
    expect(planSync(drawn, en)).toEqual({ add: [], remove: [], update: [] });
  });

  it('replaces an edge whose ends changed (Cytoscape cannot move them)', () => {
    const before = toEdgeElement(partners, 'en');
    const drawn = new Map<string, DrawnElement>([[before.data.id, { data: before.data, classes: before.classes }]]);
    const moved = toEdgeElement({ ...partners, to: 'ncdd-s' }, 'en');
    expect(planSync(drawn, [moved])).toEqual({ add: [moved], remove: [before.data.id], update: [] });
  });

  it('keeps a headless Cytoscape graph in line with the model, without duplicates', () => {
    const cy = cytoscape({ headless: true, styleEnabled: false });
    const apply = (elements: GraphElement[]) => {
      const drawn = new Map<string, DrawnElement>();
      cy.elements().forEach((e) => {
        drawn.set(e.id(), { data: e.data() as Record<string, unknown>, classes: e.classes().join(' ') });
      });
      const plan = planSync(drawn, elements);
      cy.batch(() => {
        for (const id of plan.remove) cy.getElementById(id).remove();
        for (const { id, data, classes } of plan.update) cy.getElementById(id).data(data).classes(classes);
        cy.add(plan.add);
      });
      return plan;
    };

    const first = mergeRecords(EMPTY_GRAPH, [dar, mcs], [partners]).graph;
    expect(apply(buildElements(first, 'en')).add).toHaveLength(3);
    const second = mergeRecords(first, [mcs, ncdds, owso], [partners, partnersNcdd, about]).graph;
    const plan = apply(buildElements(second, 'en', new Map([['dar', 5]])));
    expect(plan.add.map((e) => e.data.id).sort()).toEqual(
      ['ncdd-s', 'one-window-service', edgeId('dar-partners-ncdd-s'), edgeId('dar-about-owso')].sort(),
    );
    expect(plan.update.map((u) => u.id)).toEqual(['dar']);
    expect(cy.nodes()).toHaveLength(4);
    expect(cy.edges()).toHaveLength(3);
    expect(cy.getElementById('dar').hasClass('has-more')).toBe(true);

    apply(buildElements(second, 'km'));
    expect(stripHints(cy.getElementById('mcs').data('caption'))).toBe('ក្រសួងមុខងារសាធារណៈ');
    expect(cy.getElementById('dar').hasClass('has-more')).toBe(false);
    expect(cy.getElementById('mcs').outgoers()).toHaveLength(0);
    expect(cy.getElementById('dar').outgoers('node')).toHaveLength(3);
    cy.destroy();
  });
});
