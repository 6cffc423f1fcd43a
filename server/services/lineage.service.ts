/**
 * A programme's lineage: predecessors and successors along SUCCEEDS (the later points at the earlier), with phases
 * and containers along PART_OF and the donor projects that support a national programme along SUPPORTS (either
 * way), ordered by generation and start; for each programme its kind, period, funders, implementers and partners
 * with roles; and the laws and events (elections) dated within the lineage's years, as markers for its year axis.
 * As an ordered list (a table) and as graph elements (a view).
 */
import { Invalid, NotFound } from '../domain/errors.ts';
import type { GraphLink, GraphNode, LinkType } from '../schema/graph.schema.ts';
import type { Lineage, LineageMarker, LineageProgramme, Participant } from '../http/api.contract.ts';
import type { GraphReader } from '../store/version-view.ts';
import type { LineageDirection, LineageRecords, NeighbourQuery } from '../store/graph-store.ts';

export type { LineageDirection } from '../store/graph-store.ts';
/** The answer's types are the API contract's (server/http/api.contract.ts, from LineageResponse). */
export type { Lineage, LineageMarker, Participant };
export type LineageEntry = LineageProgramme;

/** How many links of one programme are read at most per page: per step of the walk, and to find its participants. */
const PARTICIPANT_LINKS = 500;
/** How many programmes a lineage holds at most. */
export const LINEAGE_MAX_PROGRAMMES = 500;
/** The links that make an organisation a programme's funder, implementer or partner. */
const PARTICIPANT_TYPES = ['FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH'] as const satisfies readonly LinkType[];

/** How many laws and events are read at most for the markers. */
export const LINEAGE_MAX_MARKERS = 1000;

/** The pages the walk reads at a programme: SUCCEEDS out and in, PART_OF and SUPPORTS either way, and its outgoing links. */
type PageKind = 'succeedsOut' | 'succeedsIn' | 'partOf' | 'supports' | 'participants';

/** A programme's first links of one kind by link id, and the nodes at their other ends (by id; it may hold more). */
interface Page {
  links: readonly GraphLink[];
  nodes: ReadonlyMap<string, GraphNode>;
}

/** Where the walk's pages come from: the store's neighbour pages one by one, or a store's lineage records. */
type PageReader = (id: string, kind: PageKind) => Promise<Page>;

const NEIGHBOUR_PAGES: Record<PageKind, NeighbourQuery> = {
  succeedsOut: { type: 'SUCCEEDS', direction: 'out', limit: PARTICIPANT_LINKS },
  succeedsIn: { type: 'SUCCEEDS', direction: 'in', limit: PARTICIPANT_LINKS },
  partOf: { type: 'PART_OF', direction: 'both', limit: PARTICIPANT_LINKS },
  supports: { type: 'SUPPORTS', direction: 'both', limit: PARTICIPANT_LINKS },
  participants: { direction: 'out', limit: PARTICIPANT_LINKS },
};

export async function lineage(store: GraphReader, id: string, direction: LineageDirection, depth: number): Promise<Lineage> {
  // A store that can read the whole walk at once (Neo4j: one round trip instead of one per page) hands over the
  // pages; the walk below replays over them, so the answer is the same as through neighbour pages.
  const records = store.lineageRecords
    ? await store.lineageRecords(id, {
        direction,
        depth,
        linksPerPage: PARTICIPANT_LINKS,
        maxProgrammes: LINEAGE_MAX_PROGRAMMES,
        participantTypes: PARTICIPANT_TYPES,
      })
    : undefined;
  const start = records ? records.start : await store.getNode(id);
  if (!start) throw new NotFound(`no node with id "${id}"`, { id });
  if (start.label !== 'Programme') {
    throw new Invalid(`path parameter "id": lineage is for programmes; "${id}" is a ${start.label}`, { parameter: 'id' }, 'invalid_parameter');
  }
  const read: PageReader = records ? recordPages(records) : neighbourPages(store);

  // Breadth-first over programmes: SUCCEEDS in the asked direction, PART_OF (phases and containers) and SUPPORTS
  // (donor projects and national programmes) both ways.
  const programmes = new Map<string, GraphNode>([[id, start]]);
  const lineageLinks = new Map<string, GraphLink>();
  let frontier = [id];
  let truncated = false;
  for (let hop = 0; hop < depth && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const current of frontier) {
      const pages = await Promise.all([
        direction !== 'forward' ? read(current, 'succeedsOut') : undefined,
        direction !== 'back' ? read(current, 'succeedsIn') : undefined,
        read(current, 'partOf'),
        read(current, 'supports'),
      ]);
      for (const page of pages) {
        if (!page) continue;
        for (const link of page.links) {
          const other = page.nodes.get(link.from === current ? link.to : link.from);
          if (!other || other.label !== 'Programme') continue;
          lineageLinks.set(link.id, link);
          if (programmes.has(other.id)) continue;
          if (programmes.size >= LINEAGE_MAX_PROGRAMMES) {
            truncated = true;
            continue;
          }
          programmes.set(other.id, other);
          next.push(other.id);
        }
      }
    }
    frontier = next;
  }
  const links = [...lineageLinks.values()].filter((l) => programmes.has(l.from) && programmes.has(l.to));

  // Participants of each programme, gathered in the programmes' order (not in the order the pages arrive).
  const participantNodes = new Map<string, GraphNode>();
  const participantLinks: GraphLink[] = [];
  const entries = new Map<string, LineageEntry>();
  const participantPages = await Promise.all([...programmes.keys()].map((programme) => read(programme, 'participants')));
  [...programmes.values()].forEach((programme, i) => {
    const page = participantPages[i]!;
    const entry = entryOf(programme);
    for (const link of page.links) {
      const bucket =
        link.type === 'FUNDED_BY' ? entry.funders : link.type === 'IMPLEMENTED_BY' ? entry.implementers : link.type === 'PARTNERS_WITH' ? entry.partners : undefined;
      const org = page.nodes.get(link.to);
      if (!bucket || !org) continue;
      bucket.push(participant(org, link));
      participantNodes.set(org.id, org);
      participantLinks.push(link);
    }
    for (const list of [entry.funders, entry.implementers, entry.partners]) list.sort((a, b) => a.name_en.localeCompare(b.name_en));
    entries.set(programme.id, entry);
  });
  for (const link of links) {
    const from = entries.get(link.from)!;
    const to = entries.get(link.to)!;
    if (link.type === 'SUCCEEDS') {
      from.predecessors.push(link.to);
      to.successors.push(link.from);
    } else if (link.type === 'SUPPORTS') {
      from.supports.push(link.to);
      to.supportedBy.push(link.from);
    } else {
      from.partOf.push(link.to);
      to.phases.push(link.from);
    }
  }
  assignGenerations(entries);
  const ordered = [...entries.values()].sort(
    (a, b) =>
      a.generation - b.generation ||
      (a.start ?? '9999').localeCompare(b.start ?? '9999') ||
      (a.end ?? '9999').localeCompare(b.end ?? '9999') ||
      a.id.localeCompare(b.id),
  );
  for (const e of ordered) for (const list of [e.predecessors, e.successors, e.partOf, e.phases, e.supports, e.supportedBy]) list.sort();
  const years = yearsOf(ordered);
  const dated = years ? await markersIn(store, years) : { nodes: [], truncated: false };
  return {
    id,
    direction,
    depth,
    programmes: ordered,
    markers: dated.nodes.map(marker),
    years,
    elements: {
      nodes: [...programmes.values(), ...participantNodes.values(), ...dated.nodes],
      links: [...links, ...participantLinks].sort((a, b) => a.id.localeCompare(b.id)),
    },
    truncated: truncated || dated.truncated,
  };
}

const yearOf = (date: string | undefined) => (date && /^\d{4}/.test(date) ? Number(date.slice(0, 4)) : undefined);

/**
 * The years a lineage covers: from the earliest start to the latest end; a programme without an end counts to
 * this year when it is active or planned (as the explorer draws it), else to its start year.
 */
export function yearsOf(entries: readonly LineageEntry[], now = new Date().getUTCFullYear()): { from: number; to: number } | null {
  let from = Infinity;
  let to = -Infinity;
  for (const e of entries) {
    const start = yearOf(e.start);
    if (start === undefined) continue;
    const end = yearOf(e.end) ?? (e.status === 'completed' || e.status === 'cancelled' ? start : Math.max(start, now));
    from = Math.min(from, start);
    to = Math.max(to, end);
  }
  return Number.isFinite(from) ? { from, to } : null;
}

/** The laws and events dated within the years, by date then id (read from the store by label, capped). */
async function markersIn(store: GraphReader, years: { from: number; to: number }): Promise<{ nodes: GraphNode[]; truncated: boolean }> {
  const found = await store.subgraph({ labels: ['Law', 'Event'], types: ['ESTABLISHED_BY'], depth: 0, limit: LINEAGE_MAX_MARKERS });
  const dateOf = (n: GraphNode) => (n as { date?: string }).date;
  const nodes = found.nodes
    .filter((n) => (n.label === 'Law' || n.label === 'Event') && (yearOf(dateOf(n)) ?? -Infinity) >= years.from && (yearOf(dateOf(n)) ?? Infinity) <= years.to)
    .sort((a, b) => dateOf(a)!.localeCompare(dateOf(b)!) || a.id.localeCompare(b.id));
  return { nodes, truncated: found.truncated };
}

function marker(node: GraphNode): LineageMarker {
  const record = node as GraphNode & { kind: string; date: string; reference?: string; url?: string };
  const out: LineageMarker = {
    id: node.id,
    label: node.label as 'Law' | 'Event',
    kind: record.kind,
    date: record.date,
    name_en: node.name_en,
    name_km: node.name_km,
    sources: node.sources,
  };
  if (record.reference) out.reference = record.reference;
  if (record.url) out.url = record.url;
  return out;
}

/** Pages read from the store one at a time (a call each). */
function neighbourPages(store: GraphReader): PageReader {
  return async (id, kind) => {
    const page = await store.neighbours(id, NEIGHBOUR_PAGES[kind]);
    return { links: page.links, nodes: new Map(page.nodes.map((n) => [n.id, n])) };
  };
}

/**
 * Pages taken from a store's lineage records. They hold every page the walk reads; one missing is a store's bug,
 * refused rather than answered with a shorter lineage.
 */
function recordPages(records: LineageRecords): PageReader {
  const nodes = new Map<string, GraphNode>();
  for (const node of [...(records.start ? [records.start] : []), ...records.nodes]) if (!nodes.has(node.id)) nodes.set(node.id, node);
  const steps = new Map(records.pages.map((p) => [p.at, p]));
  const participants = new Map(records.participants.map((p) => [p.at, p.links]));
  return async (id, kind) => {
    const links = kind === 'participants' ? participants.get(id) : steps.get(id)?.[kind];
    if (!links) throw new Error(`the store's lineage records lack the ${kind} page of "${id}"`);
    return { links, nodes };
  };
}

function entryOf(p: GraphNode): LineageEntry {
  const programme = p as Extract<GraphNode, { label: 'Programme' }>;
  const entry: LineageEntry = {
    id: p.id,
    name_en: p.name_en,
    name_km: p.name_km,
    generation: 0,
    predecessors: [],
    successors: [],
    partOf: [],
    phases: [],
    supports: [],
    supportedBy: [],
    funders: [],
    implementers: [],
    partners: [],
  };
  if (programme.acronym) entry.acronym = programme.acronym;
  if (programme.kind) entry.kind = programme.kind;
  if (programme.start) entry.start = programme.start;
  if (programme.end) entry.end = programme.end;
  if (programme.status) entry.status = programme.status;
  return entry;
}

function participant(org: GraphNode, link: GraphLink): Participant {
  const out: Participant = { id: org.id, name_en: org.name_en, name_km: org.name_km, link: link.id, sources: link.sources };
  const acronym = (org as { acronym?: string }).acronym;
  if (acronym) out.acronym = acronym;
  if (link.role) out.role = link.role;
  if (link.role_km) out.role_km = link.role_km;
  if (link.amount !== undefined) out.amount = link.amount;
  if (link.currency) out.currency = link.currency;
  return out;
}

/**
 * Generation = 1 + the latest generation among the programmes it succeeds (0 when none); a container (a
 * programme with phases) sits at the earliest generation of its phases unless its own predecessors say later.
 */
function assignGenerations(entries: Map<string, LineageEntry>): void {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const gen = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle in the data: stop rather than loop
    visiting.add(id);
    const entry = entries.get(id)!;
    let g = 0;
    for (const p of entry.predecessors) if (entries.has(p)) g = Math.max(g, gen(p) + 1);
    if (entry.predecessors.length === 0 && entry.phases.length > 0) {
      g = Math.min(...entry.phases.filter((p) => entries.has(p)).map(gen));
    }
    visiting.delete(id);
    memo.set(id, g);
    return g;
  };
  for (const entry of entries.values()) entry.generation = gen(entry.id);
}
