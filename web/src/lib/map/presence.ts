/**
 * The map's colouring, from the graph the scene shows (after the time slider and filters): how many programmes
 * work in each area, or where one programme or organisation works. Areas are matched by gazetteer code (the node's
 * `code`, else the `kh-<code>` of its id), and codes nest (02 ⊃ 0201 ⊃ 020101), so the roll-up needs no PART_OF
 * links. Pure.
 *
 * How counts roll up: an area counts the distinct programmes that work (WORKS_IN) in it or anywhere inside it — a
 * province counts every programme of its districts and communes, once each. A programme that works in a whole
 * province is counted for the province, not for each of its districts (it is not known to work in each of them).
 */
import type { GraphNode } from '../../../../server/schema/graph.schema.ts';
import type { ExplorerGraph } from '../graph/elements.ts';

/** The gazetteer code of an area node: its `code`, else the digits of a `kh-<code>` id. */
export function areaCode(node: GraphNode | undefined): string | undefined {
  if (node?.label !== 'AdminArea') return undefined;
  if (node.code) return node.code;
  const match = /^kh-(\d{2,8})$/.exec(node.id);
  return match?.[1];
}

/** The code itself and every code it lies in: 020101 → 02, 0201, 020101. */
export function codeAndParents(code: string): string[] {
  const out: string[] = [];
  for (let n = 2; n <= code.length; n += 2) out.push(code.slice(0, n));
  return out;
}

/** Per area code: the programmes working in it or inside it. */
export function programmesByArea(graph: ExplorerGraph): Map<string, Set<string>> {
  const byArea = new Map<string, Set<string>>();
  for (const link of graph.links.values()) {
    if (link.type !== 'WORKS_IN') continue;
    const programme = graph.nodes.get(link.from);
    const code = areaCode(graph.nodes.get(link.to));
    if (programme?.label !== 'Programme' || !code) continue;
    for (const c of codeAndParents(code)) {
      const set = byArea.get(c) ?? new Set<string>();
      set.add(programme.id);
      byArea.set(c, set);
    }
  }
  return byArea;
}

/**
 * The programmes working in the whole of an area: in it, or in an area holding it (not only in part of it). Shown
 * beside the colours of what is inside, since they are not counted for each district or commune.
 */
export function wholeAreaProgrammes(graph: ExplorerGraph, code: string): Set<string> {
  const holders = new Set(codeAndParents(code));
  const out = new Set<string>();
  for (const link of graph.links.values()) {
    if (link.type !== 'WORKS_IN' || graph.nodes.get(link.from)?.label !== 'Programme') continue;
    const target = areaCode(graph.nodes.get(link.to));
    if (target && holders.has(target)) out.add(link.from);
  }
  return out;
}

/** One class of the legend: areas whose count is in [min, max]. */
export interface CountClass {
  min: number;
  max: number;
  colour: string;
}

/** Sequential blues (ColorBrewer Blues, colour-blind safe); areas with none are the base grey. */
export const NONE_COLOUR = '#eceff2';
const BLUES = ['#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];

/**
 * The legend's classes: fixed (1, 2, 3–4, 5–9, 10 or more), so that a colour means the same count in every area,
 * year range and level, and the time slider visibly changes the map.
 */
export const COUNT_CLASSES: readonly CountClass[] = [
  { min: 1, max: 1, colour: BLUES[0]! },
  { min: 2, max: 2, colour: BLUES[1]! },
  { min: 3, max: 4, colour: BLUES[2]! },
  { min: 5, max: 9, colour: BLUES[3]! },
  { min: 10, max: Infinity, colour: BLUES[4]! },
];

export function countColour(count: number, classes: readonly CountClass[] = COUNT_CLASSES): string {
  if (count <= 0) return NONE_COLOUR;
  return classes.find((c) => count >= c.min && count <= c.max)?.colour ?? NONE_COLOUR;
}

export function classText(c: CountClass): string {
  return c.max === Infinity ? `${c.min}+` : c.min === c.max ? String(c.min) : `${c.min}–${c.max}`;
}

/** Where one programme or organisation works: in the whole area, or in part of it. */
export type Reach = 'here' | 'part';
export const REACH_COLOUR: Record<Reach, string> = { here: '#d55e00', part: '#f5c49c' };

const ORGANISATION_ROLES = new Set(['FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH']);

/**
 * The areas a node works in, by code: a programme (with its phases and components, PART_OF) through WORKS_IN; an
 * organisation through the programmes it funds, implements or partners (and where it is located, LOCATED_IN).
 */
export function workedAreas(graph: ExplorerGraph, id: string): Set<string> {
  const node = graph.nodes.get(id);
  const programmes = new Set<string>();
  const codes = new Set<string>();
  if (node?.label === 'Programme') programmes.add(id);
  for (const link of graph.links.values()) {
    if (node?.label === 'Organisation' && link.to === id && ORGANISATION_ROLES.has(link.type)) programmes.add(link.from);
    if (node?.label === 'Organisation' && link.from === id && link.type === 'LOCATED_IN') {
      const code = areaCode(graph.nodes.get(link.to));
      if (code) codes.add(code);
    }
  }
  // Phases and components of the programmes, at any depth.
  let grew = true;
  while (grew) {
    grew = false;
    for (const link of graph.links.values()) {
      if (link.type === 'PART_OF' && programmes.has(link.to) && !programmes.has(link.from) && graph.nodes.get(link.from)?.label === 'Programme') {
        programmes.add(link.from);
        grew = true;
      }
    }
  }
  for (const link of graph.links.values()) {
    if (link.type !== 'WORKS_IN' || !programmes.has(link.from)) continue;
    const code = areaCode(graph.nodes.get(link.to));
    if (code) codes.add(code);
  }
  return codes;
}

/** How far a node reaches into an area: `here` when it works in the area or in an area holding it, `part` when only inside it. */
export function reachOf(code: string, worked: ReadonlySet<string>): Reach | undefined {
  for (const c of codeAndParents(code)) if (worked.has(c)) return 'here';
  for (const w of worked) if (w.length > code.length && w.startsWith(code)) return 'part';
  return undefined;
}
