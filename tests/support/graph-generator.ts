/**
 * The seeded graph generators of the tests and the benches. Same seed, same graph.
 * - generateDomainGraph: graphs of any size shaped like the DAR domain (programmes in lineages with phases,
 *   organisations funding, implementing and partnering, an admin-area hierarchy, documents and topics), with
 *   English and Khmer names: the benches, the large-scene e2e, the parity and heavy-read tests.
 * - generateLineageGraph: a graph made to exercise every rule of a lineage (see its section below).
 */
import type { GraphLink, GraphNode, Label, LinkType } from '../../server/schema/graph.schema.ts';

export interface GeneratedGraph {
  nodes: GraphNode[];
  links: GraphLink[];
}

/** mulberry32: small, fast, good enough for shaping test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EN_WORDS = [
  'service', 'delivery', 'district', 'council', 'reform', 'administration', 'governance', 'accountability', 'civic', 'engagement',
  'health', 'education', 'water', 'sanitation', 'planning', 'finance', 'budget', 'capacity', 'development', 'support',
  'public', 'local', 'provincial', 'national', 'citizen', 'office', 'window', 'ombudsman', 'performance', 'management',
  'decentralisation', 'deconcentration', 'programme', 'project', 'commune', 'municipal', 'social', 'rural', 'urban', 'climate',
];
const KM_WORDS = [
  'សេវា', 'ការផ្តល់', 'ស្រុក', 'ក្រុមប្រឹក្សា', 'កំណែទម្រង់', 'រដ្ឋបាល', 'អភិបាលកិច្ច', 'គណនេយ្យភាព', 'ពលរដ្ឋ', 'ការចូលរួម',
  'សុខាភិបាល', 'អប់រំ', 'ទឹក', 'អនាម័យ', 'ផែនការ', 'ហិរញ្ញវត្ថុ', 'ថវិកា', 'សមត្ថភាព', 'អភិវឌ្ឍន៍', 'គាំទ្រ',
  'សាធារណៈ', 'មូលដ្ឋាន', 'ខេត្ត', 'ជាតិ', 'ប្រជាពលរដ្ឋ', 'ការិយាល័យ', 'ច្រកចេញចូល', 'អមបុដ្ឋមេន', 'លទ្ធផល', 'ការគ្រប់គ្រង',
  'វិមជ្ឈការ', 'វិសហមជ្ឈការ', 'កម្មវិធី', 'គម្រោង', 'ឃុំ', 'ក្រុង', 'សង្គម', 'ជនបទ', 'ទីក្រុង', 'អាកាសធាតុ',
];

export interface GeneratorOptions {
  nodes: number;
  links: number;
  seed?: number;
}

/** Label shares of the nodes and type shares of the links. */
const NODE_SHARE: [Label, number][] = [
  ['Programme', 0.1],
  ['Organisation', 0.2],
  ['AdminArea', 0.15],
  ['Document', 0.45],
  ['Topic', 0.1],
];

export function generateDomainGraph({ nodes: nodeCount, links: linkCount, seed = 42 }: GeneratorOptions): GeneratedGraph {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const words = (n: number) => {
    const en: string[] = [];
    const km: string[] = [];
    for (let i = 0; i < n; i++) {
      const w = Math.floor(random() * EN_WORDS.length);
      en.push(EN_WORDS[w]!);
      km.push(KM_WORDS[w]!);
    }
    return { en: en.join(' '), km: km.join('') };
  };
  // 997 source lists, shared (not one new list per record): at 1M nodes / 3M links the graph is held once, compactly.
  const sourceLists = Array.from({ length: 997 }, (_, i) => [`https://example.org/source/${i}`]);
  const source = (i: number) => sourceLists[i % 997]!;

  const nodes: GraphNode[] = [];
  const byLabel: Record<Label, string[]> = { Programme: [], Organisation: [], AdminArea: [], Document: [], Topic: [], Law: [], Event: [] };
  for (const [label, share] of NODE_SHARE) {
    const count = label === 'Topic' ? nodeCount - nodes.length : Math.round(nodeCount * share);
    for (let i = 0; i < count; i++) {
      const id = `${label.toLowerCase()}-${i}`;
      const { en, km } = words(2 + Math.floor(random() * 4));
      const base = { id, name_en: `${en} ${i}`, name_km: `${km} ${i}`, sources: source(i) };
      let node: GraphNode;
      switch (label) {
        case 'Programme': {
          const start = 1995 + Math.floor(random() * 28);
          node = { ...base, label, acronym: `P${i}`, start: String(start), end: String(start + 2 + Math.floor(random() * 5)) };
          break;
        }
        case 'Organisation':
          node = { ...base, label, type: pick(['ministry', 'development-agency', 'civil-society', 'sub-national-administration', 'private'] as const), acronym: `O${i}` };
          break;
        case 'AdminArea':
          node = { ...base, label, level: i < 25 ? 'province' : i < 200 ? 'district' : 'commune', code: String(1000 + i), lat: 10 + random() * 4, lon: 102 + random() * 5 };
          break;
        case 'Document':
          node = { ...base, label, category: `CAT-${i % 12}`, year: 2000 + (i % 25) };
          break;
        case 'Topic':
          node = { ...base, label };
          break;
        case 'Law':
          node = { ...base, label, kind: 'sub-decree', date: String(2000 + (i % 25)) };
          break;
        case 'Event':
          node = { ...base, label, kind: 'commune-election', date: String(2002 + 5 * (i % 5)) };
          break;
      }
      nodes.push(node);
      byLabel[label].push(id);
    }
  }

  const links: GraphLink[] = [];
  const seen = new Set<string>();
  const add = (type: LinkType, from: string, to: string) => {
    const key = `${type}|${from}|${to}`;
    if (from === to || seen.has(key)) return false;
    seen.add(key);
    links.push({ id: `l${links.length}`, type, from, to, sources: source(links.length) });
    return true;
  };
  const P = byLabel.Programme;
  // Lineages: chains of 3–8 programmes, each succeeding the one before; some phases PART_OF a parent.
  for (let i = 0; i < P.length; ) {
    const chain = 3 + Math.floor(random() * 6);
    for (let j = 1; j < chain && i + j < P.length; j++) {
      add('SUCCEEDS', P[i + j]!, P[i + j - 1]!);
      if (random() < 0.3) add('PART_OF', P[i + j]!, P[i]!);
    }
    i += chain;
  }
  // Admin hierarchy: districts in provinces, communes in districts.
  const A = byLabel.AdminArea;
  for (let i = 25; i < A.length; i++) add('PART_OF', A[i]!, A[i < 200 ? i % 25 : 25 + (i % 175)]!);
  // The rest by shares until the link count is reached.
  const shares: [LinkType, Label, Label, number][] = [
    ['FUNDED_BY', 'Programme', 'Organisation', 0.12],
    ['IMPLEMENTED_BY', 'Programme', 'Organisation', 0.08],
    ['PARTNERS_WITH', 'Programme', 'Organisation', 0.14],
    ['WORKS_IN', 'Programme', 'AdminArea', 0.2],
    ['LOCATED_IN', 'Organisation', 'AdminArea', 0.06],
    ['PRODUCED', 'Programme', 'Document', 0.18],
    ['ABOUT', 'Document', 'Topic', 0.17],
    ['PART_OF', 'Organisation', 'Organisation', 0.05],
  ];
  const total = shares.reduce((a, s) => a + s[3], 0);
  // A few hubs (big funders, the capital province) so degree is skewed as in real data.
  const endpoint = (label: Label) => {
    const list = byLabel[label];
    return random() < 0.2 ? list[Math.floor(random() * Math.min(50, list.length))]! : pick(list);
  };
  let guard = 0;
  while (links.length < linkCount && guard++ < linkCount * 3) {
    let r = random() * total;
    const share = shares.find((s) => (r -= s[3]) < 0) ?? shares[0]!;
    add(share[0], endpoint(share[1]), endpoint(share[2]));
  }
  return { nodes, links };
}

// ---------------------------------------------------------------------------------------------------------------
// A lineage graph
//
// A seeded graph made to exercise every rule of a lineage (server/services/lineage.service.ts): generations with
// several predecessors each, phases and containers, a chain longer than the deepest lineage, a cycle, more
// programmes within reach than a lineage holds (truncation), a container with more phases than one page holds,
// programmes whose participant links fall beyond the first page of their outgoing links, and ties in the orders
// (same start, no start, same organisation name). Same seed, same graph.

/** Generations of the wide lineage, and programmes per generation: ten steps either way reach more than 500. */
const GENERATIONS = 40;
const PER_GENERATION = 30;
/** Phases of the one big container: more than the 500 links a page holds. */
const BIG_PHASES = 520;
/** A chain longer than the deepest lineage (depth 10). */
const CHAIN = 25;
/** Documents of the programmes whose first 500 outgoing links are (nearly) all PRODUCED. */
const HEAVY_DOCUMENTS = 510;
const ORGANISATIONS = 40;

export interface LineageGraph {
  nodes: GraphNode[];
  links: GraphLink[];
  /** Programmes to start lineages from: every kind of place in the graph. */
  starts: string[];
}

const pad = (n: number, width = 3) => String(n).padStart(width, '0');

export function generateLineageGraph(seed = 7): LineageGraph {
  const random = rng(seed);
  const below = (n: number) => Math.floor(random() * n);
  const nodes: GraphNode[] = [];
  const links: GraphLink[] = [];
  const source = (i: number) => [`https://example.org/lineage/${i % 101}`];
  const programme = (id: string, start?: number, end?: number): void => {
    const node: GraphNode = { id, label: 'Programme', name_en: `Programme ${id}`, name_km: `កម្មវិធី ${id}`, sources: source(nodes.length) };
    if (start !== undefined) node.start = String(start);
    if (end !== undefined) node.end = String(end);
    if (below(4) === 0) node.acronym = id.toUpperCase();
    if (below(3) === 0) node.status = 'completed';
    nodes.push(node);
  };
  const link = (id: string, type: GraphLink['type'], from: string, to: string, extra: Partial<GraphLink> = {}): void => {
    links.push({ id, type, from, to, sources: source(links.length), ...extra });
  };

  // Organisations; some share an English name, so participants tie when sorted by name.
  const orgs: string[] = [];
  for (let i = 0; i < ORGANISATIONS; i++) {
    const id = `org-${pad(i, 2)}`;
    orgs.push(id);
    nodes.push({
      id,
      label: 'Organisation',
      type: i % 3 === 0 ? 'ministry' : 'development-agency',
      name_en: `Organisation ${i % 13}`,
      name_km: `អង្គការ ${i}`,
      ...(i % 2 === 0 ? { acronym: `O${i}` } : {}),
      sources: source(i),
    });
  }
  /** A programme's funders, implementers and partners, with amounts and roles on some. */
  const participants = (p: string, count: number): void => {
    for (let j = 0; j < count; j++) {
      const org = orgs[below(orgs.length)]!;
      const kind = below(3);
      if (kind === 0) link(`${p}-funded-${j}`, 'FUNDED_BY', p, org, below(2) ? { amount: 1000 * (1 + below(900)), currency: 'EUR' } : {});
      else if (kind === 1) link(`${p}-implemented-${j}`, 'IMPLEMENTED_BY', p, org);
      else link(`${p}-partner-${j}`, 'PARTNERS_WITH', p, org, below(2) ? { role: 'lead executing agency', role_km: 'ភ្នាក់ងារប្រតិបត្តិ' } : {});
    }
  };

  // The wide lineage: each programme succeeds one to three of the generation before; some have phases.
  for (let g = 0; g < GENERATIONS; g++) {
    for (let k = 0; k < PER_GENERATION; k++) {
      const id = `g${pad(g, 2)}-${pad(k, 2)}`;
      const start = below(10) === 0 ? undefined : 1980 + g + below(2);
      programme(id, start, start === undefined ? undefined : start + 2 + below(2));
      participants(id, below(4));
      if (g > 0) {
        const predecessors = new Set(Array.from({ length: 1 + below(3) }, () => below(PER_GENERATION)));
        for (const p of predecessors) link(`${id}-succeeds-${pad(p, 2)}`, 'SUCCEEDS', id, `g${pad(g - 1, 2)}-${pad(p, 2)}`);
      }
      if (below(8) === 0) {
        for (let j = 0; j < 1 + below(3); j++) {
          const phase = `${id}-phase-${j}`;
          programme(phase, start === undefined ? undefined : start + j);
          participants(phase, below(3));
          link(`${phase}-part-of`, 'PART_OF', phase, id);
          if (j > 0) link(`${phase}-succeeds`, 'SUCCEEDS', phase, `${id}-phase-${j - 1}`);
        }
      }
    }
  }

  // One container with more phases than a page holds; the phases a chain, each succeeding the one before.
  programme('big', 2000, 2030);
  participants('big', 3);
  for (let i = 0; i < BIG_PHASES; i++) {
    const id = `big-${pad(i)}`;
    programme(id, 2000 + (i % 7));
    link(`${id}-part-of-big`, 'PART_OF', id, 'big');
    if (i > 0) link(`${id}-succeeds`, 'SUCCEEDS', id, `big-${pad(i - 1)}`);
  }
  // Its first phase also follows the wide lineage's last generation.
  link('big-000-succeeds-wide', 'SUCCEEDS', 'big-000', `g${pad(GENERATIONS - 1, 2)}-00`);

  // A chain longer than any depth, with a few programmes that start in the same year (then by end, then by id).
  for (let i = 0; i < CHAIN; i++) {
    programme(`chain-${pad(i, 2)}`, 1990 + Math.floor(i / 3), i % 2 === 0 ? 1995 + i : undefined);
    participants(`chain-${pad(i, 2)}`, 2);
    if (i > 0) link(`chain-${pad(i, 2)}-succeeds`, 'SUCCEEDS', `chain-${pad(i, 2)}`, `chain-${pad(i - 1, 2)}`);
  }

  // A cycle of succession (bad data a lineage must still answer), with a phase.
  for (const id of ['cycle-a', 'cycle-b', 'cycle-c', 'cycle-phase']) programme(id, 2010);
  link('cycle-a-succeeds-c', 'SUCCEEDS', 'cycle-a', 'cycle-c');
  link('cycle-b-succeeds-a', 'SUCCEEDS', 'cycle-b', 'cycle-a');
  link('cycle-c-succeeds-b', 'SUCCEEDS', 'cycle-c', 'cycle-b');
  link('cycle-phase-part-of-a', 'PART_OF', 'cycle-phase', 'cycle-a');

  // Participants beyond the first page of outgoing links: `heavy` has 510 documents whose links sort before its
  // funders' (none read); `heavy-2` has 498, which with its SUCCEEDS link leave room for one funder of three.
  for (let i = 0; i < HEAVY_DOCUMENTS; i++) {
    nodes.push({ id: `doc-${pad(i)}`, label: 'Document', name_en: `Report ${i}`, name_km: `របាយការណ៍ ${i}`, category: 'REPORT', sources: source(i) });
  }
  for (const [id, documents] of [['heavy', HEAVY_DOCUMENTS], ['heavy-2', 498]] as const) {
    programme(id, 2015);
    for (let i = 0; i < documents; i++) link(`${id}-a-produced-${pad(i)}`, 'PRODUCED', id, `doc-${pad(i)}`);
    for (let j = 0; j < 3; j++) link(`${id}-z-funded-${j}`, 'FUNDED_BY', id, orgs[j]!, { amount: 100 * (j + 1), currency: 'USD' });
    link(`${id}-succeeds-chain`, 'SUCCEEDS', id, 'chain-24');
  }

  const starts = [
    'g00-00', 'g05-07', 'g19-12', 'g20-03', 'g39-29', 'g39-00',
    ...nodes.filter((n) => n.id.includes('-phase-')).slice(0, 4).map((n) => n.id),
    'big', 'big-000', 'big-259', 'big-519',
    'chain-00', 'chain-12', 'chain-24',
    'cycle-a', 'cycle-phase',
    'heavy', 'heavy-2',
  ];
  return { nodes, links, starts };
}

/**
 * `count` nodes of generateDomainGraph named as the 100k-node bench graph names them, in small (issue 14): few first
 * words (each starts a quarter of the names, 2,500 names a word at 100k), one to three more words and a number, so
 * that the best search cells of a common word hold far more names than a page of hits, tying on score, and rank by
 * label, level, name and id.
 */
export function tiedNamesGraph(count: number): GraphNode[] {
  const random = rng(9);
  const firsts = [0, 1, 2, 34]; // service, delivery, district, commune
  return generateDomainGraph({ nodes: count, links: 1, seed: 5 }).nodes.map((node, i) => {
    const words = [firsts[i % firsts.length]!];
    const more = 1 + Math.floor(random() * 3);
    for (let w = 0; w < more; w++) words.push(Math.floor(random() * EN_WORDS.length));
    return {
      ...node,
      name_en: `${words.map((w) => EN_WORDS[w]).join(' ')} ${i % 700}`,
      name_km: `${words.map((w) => KM_WORDS[w]).join('')} ${i % 700}`,
    };
  });
}
