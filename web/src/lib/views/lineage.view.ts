/**
 * Lineage: programmes as bars on a year axis (x = their period), one row each, containers above their phases and
 * rows in order of start; under each bar the organisations that fund it, implement it and partner with it
 * (a chip per programme, so that each phase's participants sit beside it; selecting one highlights the same
 * organisation everywhere); succession drawn between bars; a year ruler and the time range as decorations.
 * The other arrangement lays the same graph out in layers along succession (dagre).
 */
import type { GraphLink, GraphNode, LinkType } from '../../../../server/schema/graph.schema.ts';
import { nodeName, nodeShortName, shorten, toEdgeElement, toNodeElement, withBreakHints, type ExplorerGraph, type GraphElement } from '../graph/elements.ts';
import { periodOf, type Period } from '../scene/scene-filter.ts';
import type { LineageAxis, YearRange } from '../scene/scene-state.ts';
import { decoration, degreeWeights, positionsKey, ruleExtras, type Point, type ViewModel, type ViewOptions } from './view-model.ts';

export const PX_PER_YEAR = 90;
export const ROW_HEIGHT = 100;
export const BAR_HEIGHT = 44;
export const CHIP_HEIGHT = 24;
const CHIP_GAP = 8;
/** Space between a bar and its chips (room for the Khmer bar's extra height and the connectors). */
const CHIP_DROP = 16;
const MIN_BAR = 64;

export interface LineageOptions extends ViewOptions {
  axis: LineageAxis;
  years: YearRange | null;
  /** The current year, fractional: where an ongoing programme ends. */
  now: number;
}

/** The relationship types drawn as chips under a programme, in this order. */
export const PARTICIPATION: readonly LinkType[] = ['FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH'];

export const ROLE_CLASS: Readonly<Partial<Record<LinkType, string>>> = {
  FUNDED_BY: 'role-funds',
  IMPLEMENTED_BY: 'role-implements',
  PARTNERS_WITH: 'role-partners',
};

interface Row {
  node: GraphNode;
  period: Period | undefined;
  /** Drawn period: the programme's own, else the span of its phases, else a slot before the axis. */
  from: number;
  to: number;
  dated: boolean;
}

/** "2016–2018", "2022–" (ongoing), or "?" when unknown. */
export function periodText(period: Period | undefined): string {
  if (!period) return '?';
  const from = Math.floor(period.from);
  if (period.ongoing) return `${from}–`;
  const to = Math.ceil(period.to) - 1;
  return to > from ? `${from}–${to}` : String(from);
}

/** Programmes in row order: containers before their phases, each level by start then name. */
export function lineageRows(graph: ExplorerGraph, now: number): Row[] {
  const programmes = [...graph.nodes.values()].filter((n) => n.label === 'Programme');
  const ids = new Set(programmes.map((p) => p.id));
  const phases = new Map<string, string[]>();
  const contained = new Set<string>();
  for (const link of graph.links.values()) {
    if (link.type !== 'PART_OF' || !ids.has(link.from) || !ids.has(link.to)) continue;
    phases.set(link.to, [...(phases.get(link.to) ?? []), link.from]);
    contained.add(link.from);
  }
  const own = new Map(programmes.map((p) => [p.id, periodOf(p, now)]));
  // A container without dates spans its phases.
  const span = new Map<string, { from: number; to: number } | undefined>();
  const spanOf = (id: string, seen = new Set<string>()): { from: number; to: number } | undefined => {
    if (span.has(id)) return span.get(id);
    const period = own.get(id);
    let result: { from: number; to: number } | undefined = period ? { from: period.from, to: period.to } : undefined;
    if (!result && !seen.has(id)) {
      seen.add(id);
      for (const phase of phases.get(id) ?? []) {
        const s = spanOf(phase, seen);
        if (s) result = result ? { from: Math.min(result.from, s.from), to: Math.max(result.to, s.to) } : { ...s };
      }
    }
    span.set(id, result);
    return result;
  };
  const byId = new Map(programmes.map((p) => [p.id, p]));
  const order = (a: string, b: string) =>
    (spanOf(a)?.from ?? Infinity) - (spanOf(b)?.from ?? Infinity) ||
    nodeName(byId.get(a)!, 'en').localeCompare(nodeName(byId.get(b)!, 'en'));
  const ordered: string[] = [];
  const visited = new Set<string>();
  const visit = (id: string) => {
    if (visited.has(id)) return;
    visited.add(id);
    ordered.push(id);
    for (const phase of (phases.get(id) ?? []).slice().sort(order)) visit(phase);
  };
  for (const id of programmes.map((p) => p.id).filter((id) => !contained.has(id)).sort(order)) visit(id);
  for (const id of programmes.map((p) => p.id).sort(order)) visit(id); // cycles of PART_OF, if any

  const dated = ordered.map((id) => spanOf(id)).filter((s): s is { from: number; to: number } => s !== undefined);
  const first = dated.length > 0 ? Math.min(...dated.map((s) => s.from)) : Math.floor(now);
  return ordered.map((id) => {
    const s = spanOf(id);
    return s
      ? { node: byId.get(id)!, period: own.get(id), from: s.from, to: s.to, dated: true }
      : { node: byId.get(id)!, period: undefined, from: Math.floor(first) - 1.5, to: Math.floor(first) - 0.25, dated: false };
  });
}

/**
 * The caption of a chip: the acronym in the language, else the (Latin) acronym — GIZ or BMZ read the same in a
 * Khmer text and a chip has little room — else the name, short. The full name is in the panel and the list.
 */
export function chipCaption(node: GraphNode, lang: 'en' | 'km'): string {
  const record = node as { acronym?: string; acronym_km?: string };
  const acronym = (lang === 'km' ? (record.acronym_km ?? record.acronym) : record.acronym)?.trim();
  return acronym || shorten(nodeName(node, lang), lang === 'km' ? 16 : 22);
}

let graphemes: Intl.Segmenter | undefined;

/** Rough width of a one-line caption in model pixels (Khmer glyphs are wider). */
export function captionWidth(text: string, lang: 'en' | 'km'): number {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let clusters = 0;
  for (const _ of graphemes.segment(text)) clusters += 1;
  return Math.ceil(clusters * (lang === 'km' ? 10.5 : 7.2)) + 18;
}

export function lineageView(graph: ExplorerGraph, options: LineageOptions): ViewModel {
  return options.axis === 'succession' ? successionView(graph, options) : yearsView(graph, options);
}

function participations(graph: ExplorerGraph): Map<string, GraphLink[]> {
  const byProgramme = new Map<string, GraphLink[]>();
  for (const link of graph.links.values()) {
    if (!PARTICIPATION.includes(link.type)) continue;
    const org = graph.nodes.get(link.to);
    if (!org || graph.nodes.get(link.from)?.label !== 'Programme') continue;
    byProgramme.set(link.from, [...(byProgramme.get(link.from) ?? []), link]);
  }
  const name = (link: GraphLink) => nodeName(graph.nodes.get(link.to)!, 'en');
  for (const links of byProgramme.values()) {
    links.sort((a, b) => PARTICIPATION.indexOf(a.type) - PARTICIPATION.indexOf(b.type) || name(a).localeCompare(name(b)));
  }
  return byProgramme;
}

function yearsView(graph: ExplorerGraph, options: LineageOptions): ViewModel {
  const { lang } = options;
  const rows = lineageRows(graph, options.now);
  const elements: GraphElement[] = [];
  const positions = new Map<string, Point>();
  const weights = options.size === 'degree' ? degreeWeights(graph) : undefined;
  if (rows.length === 0) return { elements, layout: { kind: 'preset', positions }, layoutKey: 'lineage:empty', nodeCount: 0, linkCount: 0 };

  const firstYear = Math.floor(Math.min(...rows.map((r) => r.from)));
  const lastYear = Math.ceil(Math.max(...rows.map((r) => r.to)));
  const x = (year: number) => (year - firstYear) * PX_PER_YEAR;
  const drawn = new Set<string>();
  let links = 0;

  const participants = participations(graph);
  rows.forEach((row, index) => {
    const y = index * ROW_HEIGHT;
    const left = x(row.from);
    const width = Math.max(MIN_BAR, x(row.to) - left);
    const { classes, data } = ruleExtras(row.node, options, undefined);
    // Two lines of name at most in a bar (Khmer lines are taller), then the period.
    const caption = `${withBreakHints(shorten(nodeShortName(row.node, lang), lang === 'km' ? 36 : 48))}\n${periodText(row.period)}`;
    elements.push(
      toNodeElement(row.node, lang, 0, {
        classes: ['bar', ...(row.dated && row.period ? [] : ['undated']), ...(row.period?.ongoing ? ['ongoing'] : []), ...classes],
        data: { ...data, w: Math.round(width), tw: Math.max(40, Math.round(width - 14)) },
        caption,
      }),
    );
    positions.set(row.node.id, { x: left + width / 2, y });
    drawn.add(row.node.id);

    let chipX = left;
    for (const link of participants.get(row.node.id) ?? []) {
      const org = graph.nodes.get(link.to)!;
      const id = `${org.id}@${row.node.id}:${link.type}`;
      const chipText = chipCaption(org, lang);
      const w = captionWidth(chipText, lang);
      const rules = ruleExtras(org, options, weights);
      elements.push(
        toNodeElement(org, lang, 0, {
          id,
          classes: ['chip', ROLE_CLASS[link.type]!, ...rules.classes.filter((c) => c !== 'sized')],
          data: { w },
          caption: chipText,
        }),
      );
      positions.set(id, { x: chipX + w / 2, y: y + BAR_HEIGHT / 2 + CHIP_DROP + CHIP_HEIGHT / 2 });
      chipX += w + CHIP_GAP;
      elements.push(toEdgeElement(link, lang, { target: id, classes: ['to-chip'] }));
      drawn.add(org.id);
      links += 1;
    }
  });

  // Succession between bars; a phase's link to its programme is drawn as a bracket along the rows it spans.
  const rowOf = new Map(rows.map((row, index) => [row.node.id, index]));
  const phasesOf = new Map<string, number[]>();
  for (const link of graph.links.values()) {
    if (!positions.has(link.from) || !positions.has(link.to)) continue;
    if (link.type === 'SUCCEEDS') elements.push(toEdgeElement(link, lang, { classes: ['succession'] }));
    else if (link.type === 'PART_OF') {
      elements.push(toEdgeElement(link, lang, { classes: ['membership'] }));
      phasesOf.set(link.to, [...(phasesOf.get(link.to) ?? []), rowOf.get(link.from)!]);
    } else continue;
    links += 1;
  }
  for (const [container, phaseRows] of phasesOf) {
    const first = rowOf.get(container)!;
    const last = Math.max(...phaseRows);
    const row = rows[first]!;
    const id = `bracket:${container}`;
    const height = (Math.max(last, first) - first) * ROW_HEIGHT;
    elements.push(decoration(id, '', ['bracket'], { h: Math.max(height, 8) }));
    positions.set(id, { x: x(row.from) - 14, y: first * ROW_HEIGHT + height / 2 });
  }

  // The year ruler: a label above the rows and a faint line down through them for every year.
  const top = -BAR_HEIGHT / 2 - 40;
  const bottom = (rows.length - 1) * ROW_HEIGHT + BAR_HEIGHT / 2 + CHIP_DROP + CHIP_HEIGHT + 12;
  for (let year = firstYear; year <= lastYear; year++) {
    elements.push(decoration(`year:${year}`, String(year), ['tick']));
    positions.set(`year:${year}`, { x: x(year), y: top });
    elements.push(decoration(`year-line:${year}`, '', ['tick-line'], { h: Math.round(bottom - top - 16) }));
    positions.set(`year-line:${year}`, { x: x(year), y: (top + 16 + bottom) / 2 });
  }
  if (options.years) {
    const from = Math.max(options.years.from, firstYear);
    const to = Math.min(options.years.to + 1, lastYear);
    if (to > from) {
      elements.push(decoration('year-band', '', ['year-band'], { w: Math.round(x(to) - x(from)), h: Math.round(bottom - top) }));
      positions.set('year-band', { x: (x(from) + x(to)) / 2, y: (top + bottom) / 2 });
    }
  }
  return {
    elements,
    layout: { kind: 'preset', positions },
    layoutKey: `lineage:years:${positionsKey(positions)}`,
    nodeCount: drawn.size,
    linkCount: links,
  };
}

function successionView(graph: ExplorerGraph, options: LineageOptions): ViewModel {
  const weights = options.size === 'degree' ? degreeWeights(graph) : undefined;
  const elements: GraphElement[] = [];
  for (const node of graph.nodes.values()) {
    const { classes, data } = ruleExtras(node, options, weights);
    elements.push(toNodeElement(node, options.lang, 0, { classes, data }));
  }
  for (const link of graph.links.values()) {
    elements.push(toEdgeElement(link, options.lang, { classes: link.type === 'SUCCEEDS' ? ['succession-layered'] : [] }));
  }
  const ids = [...graph.nodes.keys()].sort().join(',');
  return {
    elements,
    layout: { kind: 'dagre' },
    layoutKey: `lineage:succession:${ids.length}:${ids.slice(0, 200)}`,
    nodeCount: graph.nodes.size,
    linkCount: graph.links.size,
  };
}
