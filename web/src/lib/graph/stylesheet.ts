/**
 * The Cytoscape stylesheet of the drawn graph, from the looks of style.ts: loaded with the graph engine
 * (engine.ts), so the first screen's code leaves it out (issue 18).
 * Over 400 lines as one job: the one stylesheet, kept whole so that its rules' order (later wins) can be read.
 */
import type { StylesheetJson } from 'cytoscape';
import { LABELS, type Label } from '../../../../server/schema/graph.model.ts';
import type { Lang } from '../i18n.ts';
import type { ViewName } from '../scene/scene-state.ts';
import { COMPARE_EDGE_RULES, COMPARE_NODE_RULES } from '../compare/compare-colouring.ts';
import { DETAIL_COLOURS, DRAFT_COLOUR, EDGE_COLOUR, EDGE_HIGHLIGHT, EDIT_COLOUR, INK, LABEL_LOOK, MARKER_LOOK, PATH_COLOUR, ROLE_LOOK, SELECTED_COLOUR } from './style.ts';

/** Khmer stacks vowels and subscript consonants above and below the line: a little larger, more leading. */
const TEXT: Readonly<Record<Lang, { size: number; lineHeight: number; maxWidth: string; bar: number; barFont: number }>> = {
  en: { size: 12, lineHeight: 1.3, maxWidth: '130px', bar: 56, barFont: 13 },
  km: { size: 13, lineHeight: 1.55, maxWidth: '150px', bar: 78, barFont: 15 },
};

/**
 * Shapes in a large scene: those the WebGL renderer draws directly (signed distance fields) rather than as
 * textures, which would cost a texture upload per shape; colour still tells the labels apart.
 */
export const LARGE_SHAPE: Readonly<Record<Label, 'ellipse' | 'round-rectangle' | 'rectangle'>> = {
  Programme: 'ellipse',
  Organisation: 'round-rectangle',
  AdminArea: 'rectangle',
  Document: 'ellipse',
  Topic: 'rectangle',
  Law: 'round-rectangle',
  Event: 'ellipse',
};

/** Lineage: period bars, participant chips, the ruler, brackets of phases and the time range. */
function lineageRules(text: (typeof TEXT)[Lang], roleChips: StylesheetJson): StylesheetJson {
  return [
    {
      selector: 'node.bar',
      style: {
        shape: 'round-rectangle',
        width: 'data(w)',
        height: text.bar,
        'text-valign': 'center',
        'text-margin-y': 0,
        'text-max-width': 'data(tw)',
        // A data mapper, which Cytoscape accepts here though its types list only numbers.
        'text-margin-x': 'data(mx)' as unknown as number,
        'text-justification': 'left',
        'font-size': text.barFont,
        color: '#ffffff',
        'font-weight': 600,
        'text-background-opacity': 0,
        'text-outline-width': 0,
        'z-index': 5,
      },
    },
    // A name that does not fit in its bar goes after it, on one line, in ink.
    {
      selector: 'node.bar.label-after',
      style: {
        'text-halign': 'right',
        'text-valign': 'center',
        'text-margin-x': 8,
        'text-wrap': 'none',
        'text-max-width': '1000px',
        color: INK,
        'font-weight': 600,
        'text-background-opacity': 0.85,
        'text-background-color': '#ffffff',
      },
    },
    { selector: 'node.bar.followed', style: { 'border-width': 3, 'border-color': '#0b2e4a' } },
    { selector: 'node.bar.undated', style: { 'border-style': 'dashed', 'background-opacity': 0.55, color: INK } },
    { selector: 'node.bar.ongoing', style: { 'border-style': 'dashed', 'border-width': 3 } },
    {
      selector: 'node.chip',
      style: {
        shape: 'round-rectangle',
        width: 'data(w)',
        height: 24,
        'background-color': '#ffffff',
        'border-width': 2,
        'text-valign': 'center',
        'text-margin-y': 0,
        'text-wrap': 'none',
        'font-size': text.size - 1,
        'text-background-opacity': 0,
        'z-index': 5,
      },
    },
    ...roleChips,
    {
      selector: 'node.deco',
      style: { events: 'no', 'border-width': 0, 'text-background-opacity': 0, 'overlay-opacity': 0, 'z-index': 0 },
    },
    {
      selector: 'node.tick',
      style: { width: 1, height: 1, 'background-opacity': 0, 'text-valign': 'center', 'text-margin-y': 0, 'font-size': 17, color: '#3b4856', 'font-weight': 600 },
    },
    { selector: 'node.tick-line', style: { width: 1, height: 'data(h)', shape: 'rectangle', 'background-color': '#c4ccd5', 'background-opacity': 0.7, label: '' } },
    { selector: 'node.bracket', style: { width: 3, height: 'data(h)', shape: 'rectangle', 'background-color': '#1b4f79', 'background-opacity': 0.5, label: '' } },
    {
      selector: 'node.lane',
      style: { shape: 'rectangle', width: 'data(w)', height: 'data(h)', 'background-color': '#1f6fb2', label: '', 'z-index': 0 },
    },
    { selector: 'node.lane-even', style: { 'background-opacity': 0.05 } },
    { selector: 'node.lane-odd', style: { 'background-opacity': 0.11 } },
    {
      selector: 'node.lane-title',
      style: {
        width: 1,
        height: 1,
        'background-opacity': 0,
        'text-valign': 'center',
        'text-halign': 'right',
        'text-wrap': 'none',
        'text-max-width': '1000px',
        'font-size': text.barFont + 1,
        'font-weight': 700,
        color: '#0b2e4a',
        'z-index': 1,
      },
    },
    {
      selector: 'node.marker',
      style: {
        shape: 'diamond',
        width: 16,
        height: 16,
        'border-width': 2,
        'text-valign': 'center',
        'text-halign': 'right',
        'text-margin-x': 5,
        'text-margin-y': 0,
        'text-wrap': 'none',
        'text-max-width': '1000px',
        'font-size': text.size,
        'z-index': 6,
      },
    },
    { selector: 'node.marker.marker-law', style: { 'background-color': MARKER_LOOK.law, 'border-color': '#0d3b57' } },
    { selector: 'node.marker.marker-event', style: { shape: 'star', 'background-color': '#f0c419', 'border-color': MARKER_LOOK.event, width: 18, height: 18 } },
    { selector: 'node.marker-line', style: { width: 1.5, height: 'data(h)', shape: 'rectangle', 'background-opacity': 0.35, label: '' } },
    { selector: 'node.marker-line.marker-law', style: { 'background-color': MARKER_LOOK.law } },
    { selector: 'node.marker-line.marker-event', style: { 'background-color': MARKER_LOOK.event } },
    {
      selector: 'node.year-band',
      style: { shape: 'rectangle', width: 'data(w)', height: 'data(h)', 'background-color': '#1f6fb2', 'background-opacity': 0.07, label: '' },
    },
  ];
}

/** Lineage's links: succession between bars (the arrow at the later one), chips' links left to their place. */
const LINEAGE_EDGE_RULES: StylesheetJson = [
    {
      selector: 'edge.succession',
      style: {
        'curve-style': 'straight',
        'source-endpoint': '-50% 0%',
        'target-endpoint': '50% 0%',
        'target-arrow-shape': 'none',
        'source-arrow-shape': 'triangle',
        width: 2.5,
        'line-color': '#1b4f79',
        'source-arrow-color': '#1b4f79',
        'z-index': 3,
      },
    },
    {
      selector: 'edge.support',
      style: {
        'curve-style': 'straight',
        'line-style': 'dotted',
        width: 1.5,
        'line-color': MARKER_LOOK.supports,
        'line-opacity': 0.45,
        'target-arrow-shape': 'none',
        'z-index': 2,
        label: '',
      },
    },
    // A chip sits under its programme with its role's colour: the link itself need not be drawn.
    { selector: 'edge.to-chip', style: { display: 'none' } },
    { selector: 'edge.succession-layered', style: { width: 2.5, 'line-color': '#1b4f79', 'target-arrow-color': '#1b4f79' } },

];

/** Map: the province as a shaded region behind its areas; areas elsewhere dotted. */
const MAP_RULES: StylesheetJson = [
    {
      selector: 'node.region',
      style: {
        shape: 'round-rectangle',
        width: 'data(w)',
        height: 'data(h)',
        'background-opacity': 0.07,
        'border-width': 2,
        'border-style': 'dashed',
        'text-valign': 'top',
        'text-margin-y': 30,
        'font-size': 18,
        'font-weight': 600,
        'text-max-width': '600px',
        'z-index': 0,
      },
    },
    { selector: 'node.elsewhere', style: { 'border-style': 'dotted', 'border-width': 3 } },

];

/**
 * The stylesheet of a large scene: few rules with few properties (each element is matched against each rule,
 * and styling 35,000 elements is most of what opening a large scene costs), shapes the WebGL renderer draws
 * directly, haystack edges (no control points), and names only for what is selected, its neighbours and paths.
 */
function largeStylesheet(fontFamily: string, lang: Lang, detail: boolean): StylesheetJson {
  const text = TEXT[lang];
  return [
    {
      selector: 'node',
      style: {
        label: '',
        'font-family': fontFamily,
        'font-size': text.size,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-wrap': 'wrap',
        'text-max-width': text.maxWidth,
        'border-width': 0,
        'overlay-opacity': 0,
      },
    },
    ...LABELS.map((label) => {
      const look = LABEL_LOOK[label];
      const size = Math.round(look.size * 0.55);
      return { selector: `node.${label}`, style: { 'background-color': look.colour, shape: LARGE_SHAPE[label], width: size, height: size } };
    }),
    ...(detail ? Object.entries(DETAIL_COLOURS).map(([name, colour]) => ({ selector: `node.${name}`, style: { 'background-color': colour } })) : []),
    { selector: 'node.sized', style: { width: 'mapData(weight, 0, 1, 14, 60)', height: 'mapData(weight, 0, 1, 14, 60)' } },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': SELECTED_COLOUR, 'z-index': 10 } },
    {
      selector: 'node:selected, node.neighbour, node.same-ref, node.on-path',
      style: { label: 'data(caption)', color: INK, 'text-background-color': '#ffffff', 'text-background-opacity': 0.85, 'text-background-padding': '2px' },
    },
    {
      selector: 'edge',
      style: { 'curve-style': 'haystack', 'haystack-radius': 0, width: 0.6, 'line-color': EDGE_COLOUR, opacity: 0.5, 'overlay-opacity': 0 },
    },
    ...Object.entries(ROLE_LOOK).map(([type, look]) => ({ selector: `edge.${type}`, style: { 'line-color': look.colour } })),
    { selector: 'edge.highlight', style: { width: 2, opacity: 1, 'z-index': 9 } },
    { selector: '.off-path', style: { opacity: 0.15 } },
    { selector: 'node.on-path', style: { 'border-width': 3, 'border-color': PATH_COLOUR, 'z-index': 11 } },
    { selector: 'edge.on-path', style: { 'line-color': PATH_COLOUR, width: 3, opacity: 1, 'z-index': 11 } },
  ];
}

export interface SheetOptions {
  /** A large scene: plainer and cheaper to draw (no label backgrounds, straight edges, few labels, simple shapes). */
  large?: boolean;
  /** Only this view's rules (all when absent). */
  view?: ViewName;
  /** With the "colour by detail" rules (default true). */
  detail?: boolean;
}

/**
 * The Cytoscape stylesheet. Links show their type only when hovered or `labelled` (the view labels the links of
 * a selected node that has few), so that a busy graph stays readable.
 */
export function graphStylesheet(fontFamily: string, lang: Lang, options: SheetOptions = {}): StylesheetJson {
  const { large = false, view, detail = true } = options;
  if (large) return largeStylesheet(fontFamily, lang, detail);
  // Every element is matched against every rule: a view gets only the rules it can use.
  const lineage = view === undefined || view === 'lineage';
  const map = view === undefined || view === 'map';
  const text = TEXT[lang];
  const byLabel: StylesheetJson = LABELS.map((label) => {
    const look = LABEL_LOOK[label];
    const size = large ? Math.round(look.size * 0.6) : look.size;
    const shape = large ? LARGE_SHAPE[label] : look.shape;
    return {
      selector: `node.${label}`,
      style: { 'background-color': look.colour, 'border-color': look.border, shape, width: size, height: size },
    };
  });
  const byDetail: StylesheetJson = Object.entries(DETAIL_COLOURS).map(([name, colour]) => ({
    selector: `node.${name}`,
    style: { 'background-color': colour },
  }));
  const byRole = Object.entries(ROLE_LOOK).map(([type, look]) => ({
    selector: `edge.${type}`,
    style: {
      'line-color': look.colour,
      'target-arrow-color': look.colour,
      'source-arrow-color': look.colour,
      width: large ? 1 : 2,
      'line-style': look.dash.length > 0 ? 'dashed' : 'solid',
      ...(look.dash.length > 0 ? { 'line-dash-pattern': [...look.dash] } : {}),
    },
  })) satisfies StylesheetJson;
  const roleChips: StylesheetJson = Object.entries(ROLE_LOOK).map(([type, look]) => ({
    selector: `node.chip.role-${type === 'FUNDED_BY' ? 'funds' : type === 'IMPLEMENTED_BY' ? 'implements' : 'partners'}`,
    style: { 'border-color': look.colour },
  }));

  return [
    {
      selector: 'node',
      style: {
        // A large scene names only what is selected, its neighbours and paths (a texture per label otherwise).
        label: large ? '' : 'data(caption)',
        'font-family': fontFamily,
        'font-size': text.size,
        color: INK,
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 5,
        'text-wrap': 'wrap',
        'text-max-width': text.maxWidth,
        'line-height': text.lineHeight,
        'text-background-color': '#ffffff',
        'text-background-opacity': large ? 0 : 0.85,
        'text-background-padding': '2px',
        'text-background-shape': 'roundrectangle',
        'min-zoomed-font-size': large ? 9 : 5,
        'border-width': large ? 1 : 2,
        'border-opacity': 1,
        'overlay-opacity': 0,
      },
    },
    ...byLabel,
    ...(detail ? byDetail : []),
    {
      selector: 'node.sized',
      style: { width: 'mapData(weight, 0, 1, 26, 96)', height: 'mapData(weight, 0, 1, 26, 96)' },
    },
    { selector: 'node.has-more', style: { 'border-style': large ? 'solid' : 'dashed', 'border-width': 3 } },
    { selector: 'node.pinned', style: { 'border-style': large ? 'solid' : 'double', 'border-width': 6 } },
    ...COMPARE_NODE_RULES,

    ...(lineage ? lineageRules(text, roleChips) : []),
    ...(map ? MAP_RULES : []),
    {
      selector: 'node:selected',
      style: { 'border-width': 4, 'border-color': SELECTED_COLOUR, 'border-style': 'solid', 'font-weight': 'bold', 'z-index': 10 },
    },
    { selector: 'node.same-ref', style: { 'border-width': 4, 'border-color': SELECTED_COLOUR } },
    { selector: 'node.neighbour', style: { 'z-index': 5 } },
    ...(large ? [{ selector: 'node:selected, node.neighbour, node.same-ref, node.on-path', style: { label: 'data(caption)' } }] : []),
    {
      selector: 'edge',
      style: {
        'curve-style': large ? 'straight' : 'bezier',
        width: large ? 0.8 : 1.5,
        'line-color': EDGE_COLOUR,
        'target-arrow-shape': large ? 'none' : 'triangle',
        'target-arrow-color': EDGE_COLOUR,
        'source-arrow-color': EDGE_COLOUR,
        'arrow-scale': 0.9,
        'font-family': fontFamily,
        'font-size': text.size - 2,
        'line-height': text.lineHeight,
        color: '#3b4856',
        'text-rotation': 'autorotate',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.9,
        'text-background-padding': '2px',
        'text-background-shape': 'roundrectangle',
        'min-zoomed-font-size': 7,
        'overlay-opacity': 0,
        opacity: large ? 0.6 : 1,
      },
    },
    ...byRole,
    ...COMPARE_EDGE_RULES,
    ...(lineage ? LINEAGE_EDGE_RULES : []),
    // The fan of links at a hub (NCDD): thin and faint until one of its ends is selected.
    { selector: 'edge.hub-edge', style: { width: 1, opacity: 0.35 } },
    { selector: 'edge.hub-edge.highlight', style: { opacity: 1 } },
    { selector: 'edge.labelled, edge.hover', style: { label: 'data(caption)' } },
    { selector: 'edge.draft', style: { 'line-style': 'dashed', 'line-color': DRAFT_COLOUR, 'target-arrow-color': DRAFT_COLOUR } },
    { selector: 'edge.membership', style: { display: 'none' } },
    {
      selector: 'edge.highlight',
      style: { width: 3, color: INK, 'z-index': 9, 'line-color': EDGE_HIGHLIGHT, 'target-arrow-color': EDGE_HIGHLIGHT },
    },
    ...byRole.map((rule) => ({ selector: `${rule.selector}.highlight`, style: { ...rule.style, width: 3.5 } })),
    { selector: 'edge.succession.highlight', style: { 'line-color': '#1b4f79', 'source-arrow-color': '#1b4f79' } },
    { selector: 'edge.highlight.draft', style: { 'line-color': DRAFT_COLOUR, 'target-arrow-color': DRAFT_COLOUR } },

    // Shortest paths: on the path stands out, the rest fades.
    { selector: '.off-path', style: { opacity: 0.18 } },
    { selector: 'node.on-path', style: { 'border-color': PATH_COLOUR, 'border-width': 5, 'border-style': 'solid', 'z-index': 11 } },
    {
      selector: 'edge.on-path',
      style: { 'line-color': PATH_COLOUR, 'target-arrow-color': PATH_COLOUR, 'source-arrow-color': PATH_COLOUR, width: 4, 'z-index': 11, label: 'data(caption)', opacity: 1 },
    },

    // Edit mode: a link being drawn (cytoscape-edgehandles' preview and ghost elements).
    { selector: 'node.eh-ghost-node', style: { width: 1, height: 1, opacity: 0, label: '' } },
    {
      selector: 'edge.eh-ghost-edge, edge.eh-preview, edge.eh-drawn',
      style: { width: 3, 'line-color': EDIT_COLOUR, 'target-arrow-color': EDIT_COLOUR, 'target-arrow-shape': 'triangle', 'line-style': 'dashed', 'z-index': 20, label: '' },
    },
    { selector: 'edge.eh-ghost-edge.eh-preview-active', style: { opacity: 0 } },
    { selector: 'node.eh-source, node.eh-target', style: { 'border-color': EDIT_COLOUR, 'border-width': 5, 'border-style': 'solid' } },
  ];
}
