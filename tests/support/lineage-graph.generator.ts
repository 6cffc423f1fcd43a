/**
 * A seeded graph made to exercise every rule of a lineage (server/services/lineage.service.ts): generations with
 * several predecessors each, phases and containers, a chain longer than the deepest lineage, a cycle, more
 * programmes within reach than a lineage holds (truncation), a container with more phases than one page holds,
 * programmes whose participant links fall beyond the first page of their outgoing links, and ties in the orders
 * (same start, no start, same organisation name). Same seed, same graph.
 */
import type { GraphLink, GraphNode } from '../../server/schema/graph.schema.ts';
import { rng } from '../bench/domain-graph.generator.ts';

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
