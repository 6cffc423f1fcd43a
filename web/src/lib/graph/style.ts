/**
 * How the graph looks: a colour and a shape per label (so that colour is never the only cue), and the Cytoscape
 * stylesheet built from them. Pure data; the legend reads the same table.
 */
import type { StylesheetJson } from 'cytoscape';
import { LABELS, type Label } from '../../../../server/schema/graph.model.ts';
import type { Lang } from '../i18n.ts';

export type LegendShape = 'ellipse' | 'round-rectangle' | 'round-hexagon' | 'round-tag' | 'round-diamond';

export interface LabelLook {
  /** Fill colour (Okabe–Ito based, readable for the common colour-vision deficiencies). */
  colour: string;
  /** A darker shade of the fill, for borders. */
  border: string;
  shape: LegendShape;
  /** Diameter in model pixels. */
  size: number;
}

export const LABEL_LOOK: Readonly<Record<Label, LabelLook>> = {
  Programme: { colour: '#2b7bba', border: '#1b4f79', shape: 'ellipse', size: 46 },
  Organisation: { colour: '#e69f00', border: '#9a6a00', shape: 'round-rectangle', size: 38 },
  AdminArea: { colour: '#009e73', border: '#00684c', shape: 'round-hexagon', size: 34 },
  Document: { colour: '#cc79a7', border: '#8c4a70', shape: 'round-tag', size: 32 },
  Topic: { colour: '#7a68c8', border: '#4d3f8f', shape: 'round-diamond', size: 38 },
};

export const INK = '#1d2733';
export const EDGE_COLOUR = '#9aa6b2';
export const EDGE_HIGHLIGHT = '#3b4856';
export const DRAFT_COLOUR = '#d1495b';
export const SELECTED_COLOUR = '#111820';

/** Khmer stacks vowels and subscript consonants above and below the line: a little larger, more leading. */
const TEXT: Readonly<Record<Lang, { size: number; lineHeight: number; maxWidth: string }>> = {
  en: { size: 12, lineHeight: 1.3, maxWidth: '130px' },
  km: { size: 13, lineHeight: 1.55, maxWidth: '150px' },
};

/** Link labels are drawn for a selected node's links only when it has at most this many on screen. */
export const EDGE_LABEL_LIMIT = 8;

/**
 * The Cytoscape stylesheet for `lang`, drawn in `fontFamily` (the CSS font stack of that language). Links show
 * their type only when hovered or `labelled` (the view labels the links of a selected node that has few), so that
 * a busy graph stays readable.
 */
export function graphStylesheet(fontFamily: string, lang: Lang): StylesheetJson {
  const text = TEXT[lang];
  const byLabel: StylesheetJson = LABELS.map((label) => {
    const look = LABEL_LOOK[label];
    return {
      selector: `node.${label}`,
      style: {
        'background-color': look.colour,
        'border-color': look.border,
        shape: look.shape,
        width: look.size,
        height: look.size,
      },
    };
  });

  return [
    {
      selector: 'node',
      style: {
        label: 'data(caption)',
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
        'text-background-opacity': 0.85,
        'text-background-padding': '2px',
        'text-background-shape': 'roundrectangle',
        'min-zoomed-font-size': 5,
        'border-width': 2,
        'border-opacity': 1,
        'overlay-opacity': 0,
      },
    },
    ...byLabel,
    {
      selector: 'node.has-more',
      style: { 'border-style': 'dashed', 'border-width': 3 },
    },
    {
      selector: 'node:selected',
      style: {
        'border-width': 4,
        'border-color': SELECTED_COLOUR,
        'border-style': 'solid',
        'font-weight': 'bold',
        'z-index': 10,
      },
    },
    {
      selector: 'node.neighbour',
      style: { 'z-index': 5 },
    },
    {
      selector: 'edge',
      style: {
        'curve-style': 'bezier',
        width: 1.5,
        'line-color': EDGE_COLOUR,
        'target-arrow-shape': 'triangle',
        'target-arrow-color': EDGE_COLOUR,
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
      },
    },
    {
      selector: 'edge.labelled, edge.hover',
      style: { label: 'data(caption)' },
    },
    {
      selector: 'edge.draft',
      style: { 'line-style': 'dashed', 'line-color': DRAFT_COLOUR, 'target-arrow-color': DRAFT_COLOUR },
    },
    {
      selector: 'edge.highlight',
      style: {
        width: 2.5,
        'line-color': EDGE_HIGHLIGHT,
        'target-arrow-color': EDGE_HIGHLIGHT,
        color: INK,
        'z-index': 9,
      },
    },
    {
      selector: 'edge.highlight.draft',
      style: { 'line-color': DRAFT_COLOUR, 'target-arrow-color': DRAFT_COLOUR },
    },
  ];
}
