/**
 * How the graph looks: a colour and a shape per label (so that colour is never the only cue), colours by detail
 * (organisation type, programme status, administrative level) for the "colour by detail" rule, a colour and a
 * dash per role for funding, implementing and partnering links, and the looks of each view (Lineage bars and
 * chips, the year ruler, the Map's region). Pure data; the legend reads the same tables. The Cytoscape stylesheet
 * made from them is stylesheet.ts, loaded with the graph engine (engine.ts): the first screen's code leaves it out.
 */
import { ADMIN_LEVELS, ORGANISATION_TYPES, PROGRAMME_STATUSES, type Label, type LinkType } from '../../../../server/schema/graph.model.ts';

export type LegendShape = 'ellipse' | 'round-rectangle' | 'round-hexagon' | 'round-tag' | 'round-diamond' | 'round-pentagon' | 'star';

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
  Law: { colour: '#56b4e9', border: '#1f6f9c', shape: 'round-pentagon', size: 36 },
  Event: { colour: '#f0e442', border: '#8f8712', shape: 'star', size: 36 },
};

/** Fill colours for the "colour by detail" rule, by class name (d-<value>); borders stay the label's. */
export const DETAIL_COLOURS: Readonly<Record<string, string>> = {
  'd-ministry': '#b45f06',
  'd-national-committee': '#e69f00',
  'd-development-agency': '#f0c05a',
  'd-government-donor': '#8c6d1f',
  'd-multilateral': '#d4a373',
  'd-civil-society': '#c9a227',
  'd-sub-national-administration': '#f3d9a4',
  'd-private': '#7f6a4f',
  'd-planned': '#9ecae1',
  'd-active': '#2b7bba',
  'd-completed': '#5b7d99',
  'd-cancelled': '#b0b8c0',
  'd-country': '#00402f',
  'd-region': '#005c44',
  'd-province': '#00684c',
  'd-municipality': '#2bb58e',
  'd-district': '#009e73',
  'd-commune': '#66c2a5',
  'd-village': '#a6dcc8',
};

/** Which values each detail rule colours, in legend order. */
export const DETAIL_VALUES: Readonly<Partial<Record<Label, readonly string[]>>> = {
  Organisation: ORGANISATION_TYPES,
  Programme: PROGRAMME_STATUSES,
  AdminArea: ADMIN_LEVELS,
};

export interface RoleLook {
  colour: string;
  /** Canvas dash pattern; empty for a solid line. */
  dash: readonly number[];
}

/** Funding, implementing and partnering links: a colour and a dash each. */
export const ROLE_LOOK: Readonly<Partial<Record<LinkType, RoleLook>>> = {
  FUNDED_BY: { colour: '#d55e00', dash: [] },
  IMPLEMENTED_BY: { colour: '#0072b2', dash: [9, 4] },
  PARTNERS_WITH: { colour: '#009e73', dash: [2, 4] },
};

export const INK = '#1d2733';
export const EDGE_COLOUR = '#9aa6b2';
export const EDGE_HIGHLIGHT = '#3b4856';
export const DRAFT_COLOUR = '#d1495b';
export const SELECTED_COLOUR = '#111820';
export const PATH_COLOUR = '#e8590c';
/** Links being drawn in edit mode. */
export const EDIT_COLOUR = '#7c3aed';

/** Lineage: colours of law and election markers on the year axis, and of a donor project's support link. */
export const MARKER_LOOK = { law: '#1f6f9c', event: '#b8860b', supports: '#6b7785' } as const;

/** Link labels are drawn for a selected node's links only when it has at most this many on screen. */
export const EDGE_LABEL_LIMIT = 8;
