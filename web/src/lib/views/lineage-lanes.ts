/**
 * The pure arithmetic of the Lineage view at the size of the whole field (~40 programmes over 40 years): which
 * swimlane a programme goes in (the chain being followed, then national programmes and plans, funds, donor
 * projects), the chains a user can follow, packing bars into as few rows as their periods allow, fitting a
 * bar's name inside it or after it, and staggering law and election markers on the year axis so that their
 * captions do not overlap. No DOM, no Cytoscape: tested headless.
 */
import type { GraphNode } from '../../../../server/schema/graph.schema.ts';
import type { ExplorerGraph } from '../graph/elements.ts';
import type { Lang } from '../i18n.ts';

/** Swimlanes from top to bottom. `chain`: the programmes of the chain followed (the anchor's). */
export const LANES = ['chain', 'national', 'fund', 'donor', 'other'] as const;
export type LaneKey = (typeof LANES)[number];

export function isLaneKey(value: unknown): value is LaneKey {
  return typeof value === 'string' && (LANES as readonly string[]).includes(value);
}

/** The lane of a programme by its kind (Programme.kind); programmes without one go to `other`. */
export function laneOfKind(kind: string | undefined): Exclude<LaneKey, 'chain'> {
  switch (kind) {
    case 'national-programme':
    case 'implementation-plan':
      return 'national';
    case 'fund':
      return 'fund';
    case 'donor-project':
      return 'donor';
    default:
      return 'other';
  }
}

/** The link types that make programmes one chain: succession, and phases with their programme. */
const CHAIN_TYPES = new Set(['SUCCEEDS', 'PART_OF']);

function programmeIds(graph: ExplorerGraph): Set<string> {
  return new Set([...graph.nodes.values()].filter((n) => n.label === 'Programme').map((n) => n.id));
}

/**
 * The chains of programmes in a graph: the groups that SUCCEEDS and PART_OF join (either way), each with its
 * head (the latest to start, the one a user would follow back from). In order of the chain's first start; a
 * programme on its own is a chain of one.
 */
export function chainsOf(graph: ExplorerGraph): { head: string; members: string[] }[] {
  const ids = programmeIds(graph);
  const parent = new Map<string, string>([...ids].map((id) => [id, id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(id, root);
    return root;
  };
  for (const link of graph.links.values()) {
    if (!CHAIN_TYPES.has(link.type) || !ids.has(link.from) || !ids.has(link.to)) continue;
    parent.set(find(link.from), find(link.to));
  }
  const groups = new Map<string, string[]>();
  for (const id of ids) groups.set(find(id), [...(groups.get(find(id)) ?? []), id]);
  const start = (id: string) => (graph.nodes.get(id) as { start?: string } | undefined)?.start ?? '';
  const contained = new Set([...graph.links.values()].filter((l) => l.type === 'PART_OF' && ids.has(l.to)).map((l) => l.from));
  return [...groups.values()]
    .map((members) => {
      members.sort((a, b) => start(a).localeCompare(start(b)) || a.localeCompare(b));
      // The head: the latest to start among those that are not a phase of another (else the latest of all).
      const candidates = members.filter((id) => !contained.has(id));
      const pool = candidates.length > 0 ? candidates : members;
      const head = pool.reduce((best, id) => (start(id) > start(best) || (start(id) === start(best) && id > best) ? id : best));
      return { head, members };
    })
    .sort((a, b) => (start(a.members[0]!) || '9999').localeCompare(start(b.members[0]!) || '9999') || a.head.localeCompare(b.head));
}

/** The programmes of the chain that `id` belongs to (empty when `id` is not a programme of the graph). */
export function followedChain(graph: ExplorerGraph, id: string): Set<string> {
  return new Set(chainsOf(graph).find((chain) => chain.members.includes(id))?.members ?? []);
}

/** The national programme a donor project supports (the earliest-starting, when several), if any. */
export function supportedBy(graph: ExplorerGraph): Map<string, GraphNode> {
  const out = new Map<string, GraphNode>();
  for (const link of graph.links.values()) {
    if (link.type !== 'SUPPORTS') continue;
    const target = graph.nodes.get(link.to);
    if (!target || target.label !== 'Programme') continue;
    const known = out.get(link.from) as { start?: string } | undefined;
    if (!known || ((target as { start?: string }).start ?? '9999') < (known.start ?? '9999')) out.set(link.from, target);
  }
  return out;
}

/** A bar to pack: its drawn extent on the x axis (bar, outside caption and chips) and the first row it may take. */
export interface PackItem {
  left: number;
  right: number;
  minRow?: number;
}

/**
 * First-fit packing of intervals into rows, one item at a time: each takes the first row (not above its
 * `minRow`) where it overlaps nothing already there, keeping `gap` pixels free between neighbours. Stateful, so
 * that an item's `minRow` may depend on where earlier items went (a phase below its programme).
 */
export function rowPacker(gap: number): (item: PackItem) => number {
  const rows: { left: number; right: number }[][] = [];
  return (item) => {
    for (let row = item.minRow ?? 0; ; row++) {
      const taken = (rows[row] ??= []);
      if (taken.every((other) => item.right + gap <= other.left || other.right + gap <= item.left)) {
        taken.push({ left: item.left, right: item.right });
        return row;
      }
    }
  };
}

/** rowPacker over a list, in its order. */
export function packRows(items: readonly PackItem[], gap: number): number[] {
  return items.map(rowPacker(gap));
}

/** A marker on the year axis: where it points (x) and how wide its caption is. */
export interface MarkerItem {
  x: number;
  width: number;
}

/** Where a marker goes: its level under the year axis, and whether its caption is drawn. */
export interface MarkerPlace {
  level: number;
  caption: boolean;
}

/**
 * Levels of markers under the year axis. Each marker, left to right, takes the first of `levels` levels where
 * its caption (from x to x + width) overlaps nothing placed before; else the first level where its symbol alone
 * (`symbol` wide) has room, without caption (its name is in the panel and the list); else an extra level
 * (`levels`) below the others, symbol only. Nothing placed overlaps anything else on its level.
 */
export function placeMarkers(items: readonly MarkerItem[], levels: number, gap = 8, symbol = 20): MarkerPlace[] {
  const order = items.map((_, i) => i).sort((a, b) => items[a]!.x - items[b]!.x || a - b);
  const ends = Array.from({ length: levels + 1 }, () => -Infinity);
  const out = new Array<MarkerPlace>(items.length);
  for (const i of order) {
    const item = items[i]!;
    const left = item.x - symbol / 2;
    const withCaption = ends.slice(0, levels).findIndex((end) => end + gap <= left);
    if (withCaption >= 0) {
      out[i] = { level: withCaption, caption: true };
      ends[withCaption] = item.x + item.width;
      continue;
    }
    const alone = ends.findIndex((end) => end + gap <= left);
    const level = alone >= 0 ? alone : levels;
    out[i] = { level, caption: false };
    ends[level] = Math.max(ends[level]!, item.x + symbol / 2);
  }
  return out;
}

let graphemes: Intl.Segmenter | undefined;

/** Rough width in model pixels of a one-line text at the view's caption size (Khmer clusters are wider). */
export function textWidth(text: string, lang: Lang, size = 12): number {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let latin = 0;
  let khmer = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (/[\u1780-\u17FF]/.test(segment)) khmer += 1;
    else latin += 1;
  }
  void lang;
  // Measured in Chromium with Khmer OS fonts: Latin ~0.55–0.6 em a character, Khmer ~1.0–1.1 em a cluster.
  return Math.ceil((latin * 0.6 + khmer * 1.1) * size);
}

/**
 * Where a bar's name goes: inside when it fits in two lines within the bar (with padding), else after the bar
 * on one line, so that a short bar never shows a name cut to a few letters.
 */
export function barLabelPlace(nameWidth: number, barWidth: number, padding = 16): 'inside' | 'after' {
  const line = barWidth - padding;
  if (line < 60) return 'after';
  // Two lines never fill completely (words wrap early): allow 85 % of two lines.
  return nameWidth <= line * 2 * 0.85 ? 'inside' : 'after';
}
