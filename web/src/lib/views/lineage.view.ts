/**
 * Lineage: programmes as bars on a year axis (x = their period), one row each, containers above their phases and
 * rows in order of start; under each bar the organisations that fund it, implement it and partner with it
 * (a chip per programme, so that each phase's participants sit beside it; selecting one highlights the same
 * organisation everywhere); succession drawn between bars; a year ruler and the time range as decorations.
 * The other arrangement lays the same graph out in layers along succession (dagre).
 * Over 400 lines as one job: the one view model of Lineage (its lanes are in lineage-lanes.ts).
 */
import type { GraphLink, GraphNode, LinkType } from '../../../../server/schema/graph.schema.ts';
import { nodeName, nodeShortName, shorten, toEdgeElement, toNodeElement, withBreakHints, type ExplorerGraph, type GraphElement } from '../graph/elements.ts';
import { periodOf, type Period } from '../scene/scene-filter.ts';
import type { LineageAxis, YearRange } from '../scene/scene-state.ts';
import { translate, type MessageKey } from '../i18n.ts';
import { barLabelPlace, followedChain, LANES, laneOfKind, placeMarkers, rowPacker, supportedBy, textWidth, type LaneKey } from './lineage-lanes.ts';
import { decoration, degreeWeights, positionsKey, ruleExtras, type LaneSummary, type Point, type ViewModel, type ViewOptions } from './view-model.ts';

export const PX_PER_YEAR = 90;
/** A bar holds two lines of name and its period; Khmer lines are taller (as style.ts draws them). */
export const BAR_HEIGHTS = { en: 56, km: 78 } as const;
/** Rows: the bar, the chips under it, a gap. */
export const ROW_HEIGHTS = { en: 106, km: 128 } as const;
/** The English sizes (the seed's tests use them). */
export const ROW_HEIGHT = ROW_HEIGHTS.en;
export const BAR_HEIGHT = BAR_HEIGHTS.en;
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
  /** The programme whose chain goes in the first lane (the anchor). */
  follow?: string;
  /** Lanes drawn folded: their name and count only. */
  folded?: readonly LaneKey[];
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

/** Height of a lane's header line (its name and count) above its first row. */
export const LANE_HEADER = 40;
/** Vertical step between levels of markers under the year axis, and how many levels there are at most. */
export const MARKER_STEP = 26;
export const MARKER_LEVELS = 4;
/** Free space kept between two bars (with their captions and chips) that share a row. */
const ROW_GAP = 28;
/** The zoom below which the view is not fitted to the screen on opening (captions would be too small to read). */
export const READABLE_ZOOM = 0.85;

/** The lane a programme row belongs to: the chain followed, else by its kind. */
function laneOf(node: GraphNode, chain: ReadonlySet<string>): LaneKey {
  return chain.has(node.id) ? 'chain' : laneOfKind((node as { kind?: string }).kind);
}

/** A law or an event with a date, as a marker on the year axis (undefined when it has no usable date). */
function markerYear(node: GraphNode): number | undefined {
  if (node.label !== 'Law' && node.label !== 'Event') return undefined;
  return periodOf({ start: (node as { date?: string }).date, status: 'completed' }, 0)?.from;
}

/** Caption sizes of markers (style.ts: the view's text size). */
export const MARKER_FONT = { en: 12, km: 13 } as const;

/** How wide a marker is drawn with its caption: the symbol, the gap and the text. */
export function markerWidth(node: GraphNode, lang: 'en' | 'km'): number {
  return textWidth(markerCaption(node, lang), lang, MARKER_FONT[lang]) + 24;
}

/** The caption of a marker: a law's reference-free short name, an election's name; short. */
export function markerCaption(node: GraphNode, lang: 'en' | 'km'): string {
  return shorten(nodeShortName(node, lang), lang === 'km' ? 30 : 40);
}

function yearsView(graph: ExplorerGraph, options: LineageOptions): ViewModel {
  const { lang } = options;
  const rows = lineageRows(graph, options.now);
  const elements: GraphElement[] = [];
  const positions = new Map<string, Point>();
  const weights = options.size === 'degree' ? degreeWeights(graph) : undefined;
  if (rows.length === 0) return { elements, layout: { kind: 'preset', positions }, layoutKey: 'lineage:empty', nodeCount: 0, linkCount: 0 };
  const BAR_HEIGHT = BAR_HEIGHTS[lang];
  const ROW_HEIGHT = ROW_HEIGHTS[lang];

  // Laws and elections within the programmes' years (dated rows only: undated ones sit before the axis).
  const datedRows = rows.filter((r) => r.dated);
  const span = datedRows.length > 0 ? { from: Math.floor(Math.min(...datedRows.map((r) => r.from))), to: Math.ceil(Math.max(...datedRows.map((r) => r.to))) } : undefined;
  const markers = [...graph.nodes.values()]
    .map((node) => ({ node, year: markerYear(node) }))
    .filter((m): m is { node: GraphNode; year: number } => m.year !== undefined && span !== undefined && m.year >= span.from && m.year < span.to)
    .sort((a, b) => a.year - b.year || a.node.id.localeCompare(b.node.id));
  const firstYear = Math.floor(Math.min(...rows.map((r) => r.from)));
  const lastYear = Math.ceil(Math.max(...rows.map((r) => r.to)));
  const x = (year: number) => (year - firstYear) * PX_PER_YEAR;
  const drawn = new Set<string>();
  let links = 0;
  const participants = participations(graph);
  const chain = followedChain(graph, options.follow ?? '');
  const folded = new Set(options.folded ?? []);
  const textSize = lang === 'km' ? 15 : 13;

  // What each bar needs: its extent, where its name goes, its chips.
  const laid = rows.map((row) => {
    const left = x(row.from);
    const width = Math.max(MIN_BAR, x(row.to) - left);
    const name = nodeShortName(row.node, lang);
    const place = barLabelPlace(textWidth(name, lang, textSize), width);
    const after = place === 'after' ? `${shorten(name, lang === 'km' ? 40 : 52)}  ${periodText(row.period)}` : '';
    const afterWidth = after ? textWidth(after, lang, textSize) + 12 : 0;
    const chips = (participants.get(row.node.id) ?? []).map((link) => {
      const org = graph.nodes.get(link.to)!;
      const caption = chipCaption(org, lang);
      return { link, org, caption, w: captionWidth(caption, lang) };
    });
    const chipsWidth = chips.reduce((sum, c) => sum + c.w + CHIP_GAP, 0);
    return { row, left, width, name, place, after, right: left + Math.max(width + afterWidth, chipsWidth), chips, lane: laneOf(row.node, chain) };
  });

  // Lanes top to bottom; in each, bars packed into rows (a phase below its programme).
  const laneRows = new Map<string, { lane: LaneKey; row: number }>();
  const lanes: LaneSummary[] = [];
  const laneTops: { key: LaneKey; top: number; height: number; count: number; folded: boolean; left: number }[] = [];
  const markerLevels = placeMarkers(
    markers.map((m) => ({ x: x(m.year), width: markerWidth(m.node, lang) })),
    MARKER_LEVELS,
  );
  const usedLevels = Math.max(0, ...markerLevels.map((m) => m.level + 1));
  const yearY = -BAR_HEIGHT / 2 - 40 - usedLevels * MARKER_STEP;
  let top = yearY + 32 + usedLevels * MARKER_STEP;
  const supported = supportedBy(graph);
  const containerOf = new Map<string, string>();
  for (const link of graph.links.values()) if (link.type === 'PART_OF') containerOf.set(link.from, link.to);
  const supportStart = (id: string) => (supported.get(id) as { start?: string } | undefined)?.start ?? '9999';
  for (const key of LANES) {
    const inLane = laid.filter((item) => item.lane === key);
    if (inLane.length === 0) continue;
    const isFolded = folded.has(key);
    lanes.push({ key, count: inLane.length, folded: isFolded });
    if (isFolded) {
      laneTops.push({ key, top, height: LANE_HEADER, count: inLane.length, folded: true, left: Math.min(...inLane.map((item) => item.left)) });
      top += LANE_HEADER + 12;
      continue;
    }
    // Donor projects side by side with the national programme they support (in its order), then by start.
    const ordered = key === 'donor' ? inLane.slice().sort((a, b) => supportStart(a.row.node.id).localeCompare(supportStart(b.row.node.id)) || laid.indexOf(a) - laid.indexOf(b)) : inLane;
    // One at a time: a container comes before its phases, and a phase goes below the row its container took.
    const rowOfId = new Map<string, number>();
    const place = rowPacker(ROW_GAP);
    const packed = ordered.map((item) => {
      const container = containerOf.get(item.row.node.id);
      const above = container !== undefined ? rowOfId.get(container) : undefined;
      const row = place({ left: item.left, right: item.right, minRow: above !== undefined ? above + 1 : 0 });
      rowOfId.set(item.row.node.id, row);
      return row;
    });
    const rowCount = Math.max(...packed) + 1;
    const rowsTop = top + LANE_HEADER;
    ordered.forEach((item, i) => laneRows.set(item.row.node.id, { lane: key, row: packed[i]! }));
    laneTops.push({ key, top, height: LANE_HEADER + rowCount * ROW_HEIGHT, count: inLane.length, folded: false, left: Math.min(...inLane.map((item) => item.left)) });
    for (const item of ordered) positions.set(item.row.node.id, { x: 0, y: rowsTop + BAR_HEIGHT / 2 + laneRows.get(item.row.node.id)!.row * ROW_HEIGHT });
    top += LANE_HEADER + rowCount * ROW_HEIGHT + 12;
  }
  const bottom = top;

  for (const item of laid) {
    const { row, left, width } = item;
    const at = positions.get(row.node.id);
    if (!at) continue; // in a folded lane
    const y = at.y;
    const { classes, data } = ruleExtras(row.node, options, undefined);
    const caption = item.place === 'inside' ? `${withBreakHints(shorten(item.name, lang === 'km' ? 36 : 48))}\n${periodText(row.period)}` : item.after;
    elements.push(
      toNodeElement(row.node, lang, 0, {
        classes: [
          'bar',
          ...(item.place === 'after' ? ['label-after'] : []),
          ...(item.lane === 'chain' ? ['followed'] : []),
          ...(row.dated && row.period ? [] : ['undated']),
          ...(row.period?.ongoing ? ['ongoing'] : []),
          ...classes,
        ],
        data: { ...data, w: Math.round(width), tw: Math.max(40, Math.round(width - 14)), mx: item.place === 'inside' ? insideMargin(item.name, width, lang, textSize) : 0 },
        caption,
      }),
    );
    positions.set(row.node.id, { x: left + width / 2, y });
    drawn.add(row.node.id);

    let chipX = left;
    for (const { link, org, caption: chipText, w } of item.chips) {
      const id = `${org.id}@${row.node.id}:${link.type}`;
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
  }

  // Lanes: a faint band each, its name and count above its earliest bar (where the eye is when reading it).
  const laneLeft = x(firstYear) - 30;
  const laneRight = x(lastYear) + 30;
  laneTops.forEach((lane, index) => {
    const band = `lane:${lane.key}`;
    elements.push(decoration(band, '', ['lane', index % 2 === 0 ? 'lane-even' : 'lane-odd'], { w: Math.round(laneRight - laneLeft), h: Math.round(lane.height) }));
    positions.set(band, { x: (laneLeft + laneRight) / 2, y: lane.top + lane.height / 2 });
    const title = `lane-title:${lane.key}`;
    elements.push(decoration(title, `${translate(lang, LANE_TITLE[lane.key])} (${lane.count})${lane.folded ? ' …' : ''}`, ['lane-title']));
    positions.set(title, { x: Math.max(laneLeft + 10, lane.left - 10), y: lane.top + 16 });
  });

  // Succession between bars; a phase's link to its programme is drawn as a bracket along the rows it spans;
  // a donor project's support of a national programme as a faint dotted line.
  const phasesOf = new Map<string, number[]>();
  for (const link of graph.links.values()) {
    if (!drawn.has(link.from) || !drawn.has(link.to) || !positions.has(link.from) || !positions.has(link.to)) continue;
    if (link.type === 'SUCCEEDS') elements.push(toEdgeElement(link, lang, { classes: ['succession'] }));
    else if (link.type === 'SUPPORTS') elements.push(toEdgeElement(link, lang, { classes: ['support'] }));
    else if (link.type === 'PART_OF') {
      elements.push(toEdgeElement(link, lang, { classes: ['membership'] }));
      phasesOf.set(link.to, [...(phasesOf.get(link.to) ?? []), positions.get(link.from)!.y]);
    } else continue;
    links += 1;
  }
  for (const [container, phaseYs] of phasesOf) {
    const first = positions.get(container)!;
    const last = Math.max(...phaseYs);
    const row = rows.find((r) => r.node.id === container)!;
    const id = `bracket:${container}`;
    const height = Math.max(last - first.y, 0);
    elements.push(decoration(id, '', ['bracket'], { h: Math.max(height, 8) }));
    positions.set(id, { x: x(row.from) - 14, y: first.y + height / 2 });
  }

  // The year ruler: a label above everything and a faint line down through the lanes for every year.
  for (let year = firstYear; year <= lastYear; year++) {
    elements.push(decoration(`year:${year}`, String(year), ['tick']));
    positions.set(`year:${year}`, { x: x(year), y: yearY });
    elements.push(decoration(`year-line:${year}`, '', ['tick-line'], { h: Math.round(bottom - yearY - 16) }));
    positions.set(`year-line:${year}`, { x: x(year), y: (yearY + 16 + bottom) / 2 });
  }
  // Laws and elections: a marker under the ruler at its date (the real node: selecting it opens its sources),
  // captions staggered so that none overlaps another, and a guide line down through the lanes.
  markers.forEach(({ node, year }, i) => {
    const { level, caption: captioned } = markerLevels[i]!;
    const kindClass = node.label === 'Law' ? 'marker-law' : 'marker-event';
    const caption = captioned ? markerCaption(node, lang) : '';
    elements.push(toNodeElement(node, lang, 0, { classes: ['marker', kindClass], caption }));
    const y = yearY + 30 + level * MARKER_STEP;
    positions.set(node.id, { x: x(year), y });
    const guide = `marker-line:${node.id}`;
    elements.push(decoration(guide, '', ['marker-line', kindClass], { h: Math.max(8, Math.round(bottom - y - 8)) }));
    positions.set(guide, { x: x(year), y: (y + 8 + bottom) / 2 });
    drawn.add(node.id);
  });
  if (options.years) {
    const from = Math.max(options.years.from, firstYear);
    const to = Math.min(options.years.to + 1, lastYear);
    if (to > from) {
      elements.push(decoration('year-band', '', ['year-band'], { w: Math.round(x(to) - x(from)), h: Math.round(bottom - yearY) }));
      positions.set('year-band', { x: (x(from) + x(to)) / 2, y: (yearY + bottom) / 2 });
    }
  }
  // Opening at a zoom where captions can be read: the followed chain's first bar, the ruler above it.
  const chainLefts = laid.filter((item) => item.lane === 'chain' && positions.has(item.row.node.id)).map((item) => item.left);
  const startX = chainLefts.length > 0 ? Math.min(...chainLefts) : 0;
  return {
    elements,
    layout: { kind: 'preset', positions, start: { zoom: READABLE_ZOOM, at: { x: Math.max(laneLeft, startX - PX_PER_YEAR), y: yearY - 24 } } },
    layoutKey: `lineage:years:${positionsKey(positions)}`,
    nodeCount: drawn.size,
    linkCount: links,
    lanes,
  };
}

/**
 * How far left a name inside its bar is moved so that it starts at the bar's left end (plus padding) rather than
 * in its middle: on a bar of decades (CARERE 1992–) the name is then where the reader's eye is, at its start.
 */
export function insideMargin(name: string, width: number, lang: 'en' | 'km', size: number): number {
  const block = Math.min(textWidth(name, lang, size), width - 14);
  return Math.min(0, Math.round(-(width / 2) + block / 2 + 10));
}

const LANE_TITLE: Readonly<Record<LaneKey, MessageKey>> = {
  chain: 'lineage.lane.chain',
  national: 'lineage.lane.national',
  fund: 'lineage.lane.fund',
  donor: 'lineage.lane.donor',
  other: 'lineage.lane.other',
};

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
