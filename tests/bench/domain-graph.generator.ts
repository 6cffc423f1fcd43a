/**
 * A seeded generator of graphs shaped like the DAR domain (programmes in lineages with phases, organisations
 * funding, implementing and partnering, an admin-area hierarchy, documents and topics), with English and Khmer
 * names, for benchmarks. Same seed, same graph.
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
  const source = (i: number) => [`https://example.org/source/${i % 997}`];

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
