/**
 * The names of the domain model without zod: labels, relationship types, the labels each type may connect, and
 * their names in both languages. The explorer imports these (keeping zod out of its first bundle); the zod
 * schemas in graph.schema.ts build on them and re-export them.
 */

export const LABELS = ['Programme', 'Organisation', 'AdminArea', 'Document', 'Topic'] as const;
export type Label = (typeof LABELS)[number];

export const LINK_TYPES = [
  'SUCCEEDS',
  'PART_OF',
  'FUNDED_BY',
  'IMPLEMENTED_BY',
  'PARTNERS_WITH',
  'WORKS_IN',
  'LOCATED_IN',
  'PRODUCED',
  'ABOUT',
  'RELATED_TO',
] as const;
export type LinkType = (typeof LINK_TYPES)[number];

/** Which labels each relationship type may connect, as [from, to] pairs. */
export const LINK_ENDPOINTS: Readonly<Record<LinkType, readonly (readonly [Label, Label])[]>> = {
  SUCCEEDS: [['Programme', 'Programme']],
  PART_OF: [
    ['Programme', 'Programme'],
    ['AdminArea', 'AdminArea'],
    ['Organisation', 'Organisation'],
  ],
  FUNDED_BY: [['Programme', 'Organisation']],
  IMPLEMENTED_BY: [['Programme', 'Organisation']],
  PARTNERS_WITH: [['Programme', 'Organisation']],
  WORKS_IN: [['Programme', 'AdminArea']],
  LOCATED_IN: [['Organisation', 'AdminArea']],
  PRODUCED: [
    ['Programme', 'Document'],
    ['Organisation', 'Document'],
  ],
  ABOUT: [
    ['Document', 'Topic'],
    ['Programme', 'Topic'],
  ],
  /** Programmes related otherwise (IATI related-activity: sibling, co-funded, third party); `role` says how. */
  RELATED_TO: [['Programme', 'Programme']],
};

/** Names of labels and relationship types in both languages (legend, forms, filters). */
export const LABEL_NAMES: Readonly<Record<Label, { en: string; km: string }>> = {
  Programme: { en: 'Programme', km: 'កម្មវិធី' },
  Organisation: { en: 'Organisation', km: 'ស្ថាប័ន' },
  AdminArea: { en: 'Administrative area', km: 'តំបន់រដ្ឋបាល' },
  Document: { en: 'Document', km: 'ឯកសារ' },
  Topic: { en: 'Topic', km: 'ប្រធានបទ' },
};

export const LINK_TYPE_NAMES: Readonly<Record<LinkType, { en: string; km: string }>> = {
  SUCCEEDS: { en: 'succeeds', km: 'បន្តពី' },
  PART_OF: { en: 'part of', km: 'ជាផ្នែកនៃ' },
  FUNDED_BY: { en: 'funded by', km: 'ផ្តល់មូលនិធិដោយ' },
  IMPLEMENTED_BY: { en: 'implemented by', km: 'អនុវត្តដោយ' },
  PARTNERS_WITH: { en: 'partners with', km: 'ជាដៃគូជាមួយ' },
  WORKS_IN: { en: 'works in', km: 'ធ្វើការនៅ' },
  LOCATED_IN: { en: 'located in', km: 'មានទីតាំងនៅ' },
  PRODUCED: { en: 'produced', km: 'បានផលិត' },
  ABOUT: { en: 'about', km: 'អំពី' },
  RELATED_TO: { en: 'related to', km: 'ពាក់ព័ន្ធនឹង' },
};

export const ORGANISATION_TYPES = [
  'ministry',
  'national-committee',
  'development-agency',
  'government-donor',
  'multilateral',
  'civil-society',
  'sub-national-administration',
  'private',
] as const;

export const ADMIN_LEVELS = ['country', 'region', 'province', 'municipality', 'district', 'commune', 'village'] as const;
export const PROGRAMME_STATUSES = ['planned', 'active', 'completed', 'cancelled'] as const;

// ---------------------------------------------------------------------------------------------------------------
// Checks on labels and types

export function isLabel(value: unknown): value is Label {
  return typeof value === 'string' && (LABELS as readonly string[]).includes(value);
}

export function isLinkType(value: unknown): value is LinkType {
  return typeof value === 'string' && (LINK_TYPES as readonly string[]).includes(value);
}

/** The relationship types the schema allows from a node of label `from` to one of label `to`. */
export function allowedLinkTypes(from: Label, to: Label): LinkType[] {
  return LINK_TYPES.filter((type) => LINK_ENDPOINTS[type].some(([f, t]) => f === from && t === to));
}

/** null when allowed, else a sentence saying what the schema allows. */
export function checkLinkEndpoints(type: LinkType, from: Label, to: Label): string | null {
  if (LINK_ENDPOINTS[type].some(([f, t]) => f === from && t === to)) return null;
  const allowed = LINK_ENDPOINTS[type].map(([f, t]) => `${f} → ${t}`).join(', ');
  return `${type} cannot go from ${from} to ${to}; it is allowed for ${allowed}`;
}
