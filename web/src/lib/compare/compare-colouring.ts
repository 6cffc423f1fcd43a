/**
 * Comparing two periods in Explore and Partnerships (issue 17): what the scene asks of GET /api/compare, and the
 * colours of its answer on the drawing — a node or link only in the first period, only in the second, in both;
 * what is in neither fades. Pure (the fetch is in api.ts).
 */
import type { StylesheetJson } from 'cytoscape';
import type { PeriodComparison, VersionComparison } from '../api.ts';
import type { ComparePeriods, SceneState, ViewName, YearRange } from '../scene/scene-state.ts';
import type { ViewModel } from '../views/view-model.ts';

export type Membership = 'a' | 'b' | 'both';

/** The views that compare periods. */
export const COMPARE_VIEWS: readonly ViewName[] = ['explore', 'partnerships'];

/**
 * Dark enough to stand out as a border on every label's fill (blue programmes, orange organisations …) and told
 * apart with colour blindness (the brown–teal ends of ColorBrewer's BrBG, and a dark purple; both also double).
 */
export const COMPARE_COLOURS: Readonly<Record<Membership, string>> = { a: '#8c510a', b: '#01665e', both: '#542788' };

/** The default comparison a first click opens. */
export const DEFAULT_COMPARISON: ComparePeriods = { a: { from: 2008, to: 2012 }, b: { from: 2018, to: 2022 } };

export function rangeParam(range: YearRange): string {
  return range.from === range.to ? String(range.from) : `${range.from}-${range.to}`;
}

/** The view as GET /api/compare names it, or null when the scene compares nothing. */
export function compareView(state: SceneState): 'explore' | 'partnerships' | null {
  if (!state.compare || !COMPARE_VIEWS.includes(state.view)) return null;
  return state.view === 'partnerships' ? 'partnerships' : 'explore';
}

/** True when the scene shows the comparison panel (two periods or two versions, in a view that compares). */
export function comparePanelShown(state: SceneState): boolean {
  return COMPARE_VIEWS.includes(state.view) && (Boolean(state.compare) || Boolean(state.compareVersions));
}

/** The key of the comparison a scene asks for (null: none). */
export function compareKey(state: SceneState): string | null {
  const view = compareView(state);
  return view && state.compare ? `${view}|${rangeParam(state.compare.a)}|${rangeParam(state.compare.b)}` : null;
}

/** The key of the comparison of two versions a scene asks for (null: none). */
export function versionsKey(state: SceneState): string | null {
  return state.compareVersions && COMPARE_VIEWS.includes(state.view) ? `${state.compareVersions.from},${state.compareVersions.to}` : null;
}

export const COMPARE_CLASS: Readonly<Record<Membership, string>> = { a: 'cmp-a', b: 'cmp-b', both: 'cmp-both' };

/**
 * The drawing with each graph node and link classed by its membership (cmp-a, cmp-b, cmp-both), and what is in
 * neither period classed cmp-none. Decorations keep their classes.
 */
export function colourByComparison(model: ViewModel, answer: PeriodComparison | undefined): ViewModel {
  if (!answer) return model;
  const nodes = new Map(answer.nodes.map((n) => [n.id, n.in]));
  const links = new Map(answer.links.map((l) => [l.id, l.in]));
  const elements = model.elements.map((element) => {
    if (element.group === 'nodes' && element.data.ref === '') return element;
    const membership = element.group === 'nodes' ? nodes.get(element.data.ref) : links.get(element.data.linkId);
    const added = membership ? COMPARE_CLASS[membership] : 'cmp-none';
    return { ...element, classes: element.classes ? `${element.classes} ${added}` : added };
  });
  return { ...model, elements };
}

/**
 * Two versions compared: what was added is marked as only in the second (cmp-b, teal), what was changed as in both
 * (cmp-both, purple, double); the rest stays as it is (removed records are not drawn).
 */
export function colourByVersions(model: ViewModel, answer: VersionComparison | undefined): ViewModel {
  if (!answer) return model;
  const marks = new Map<string, string>();
  for (const record of answer.added) marks.set(`${record.entity}|${record.id}`, COMPARE_CLASS.b);
  for (const record of answer.changed) marks.set(`${record.entity}|${record.id}`, COMPARE_CLASS.both);
  const elements = model.elements.map((element) => {
    if (element.group === 'nodes' && element.data.ref === '') return element;
    const added = element.group === 'nodes' ? marks.get(`node|${element.data.ref}`) : marks.get(`link|${element.data.linkId}`);
    if (!added) return element;
    return { ...element, classes: element.classes ? `${element.classes} ${added}` : added };
  });
  return { ...model, elements };
}

/** Cytoscape rules: after the label and role colours, before selection and paths (which still stand out). */
export const COMPARE_NODE_RULES: StylesheetJson = [
  ...(Object.entries(COMPARE_CLASS) as [Membership, string][]).map(([membership, cls]) => ({
    selector: `node.${cls}`,
    style: { 'border-color': COMPARE_COLOURS[membership], 'border-width': 6, 'border-style': membership === 'both' ? ('double' as const) : ('solid' as const) },
  })),
  { selector: 'node.cmp-none', style: { opacity: 0.25 } },
];

export const COMPARE_EDGE_RULES: StylesheetJson = [
  ...(Object.entries(COMPARE_CLASS) as [Membership, string][]).map(([membership, cls]) => ({
    selector: `edge.${cls}`,
    style: { 'line-color': COMPARE_COLOURS[membership], 'target-arrow-color': COMPARE_COLOURS[membership], width: 2.5, opacity: 1 },
  })),
  { selector: 'edge.cmp-none', style: { opacity: 0.15 } },
];
