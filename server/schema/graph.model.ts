/**
 * The names of the domain model without zod: labels, relationship types, the labels each type may connect, and
 * their names in both languages. The explorer imports these (keeping zod out of its first bundle); the zod
 * schemas in graph.schema.ts build on them and re-export them.
 */

/** The properties only the server sets on every write (graph.schema.ts's AuditStampSchema, checked to match there). */
export const SERVER_SET_PROPERTIES = ['created_at', 'created_by', 'updated_at', 'updated_by', 'version'] as const;

export const LABELS = ['Programme', 'Organisation', 'AdminArea', 'Document', 'Topic', 'Law', 'Event'] as const;
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
  'SUPPORTS',
  'ESTABLISHED_BY',
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
    ['Law', 'Topic'],
    ['Event', 'Topic'],
  ],
  /** Programmes related otherwise (IATI related-activity: sibling, co-funded, third party); `role` says how. */
  RELATED_TO: [['Programme', 'Programme']],
  /** A donor project supports a national programme (not PART_OF, which is for phases and components). */
  SUPPORTS: [['Programme', 'Programme']],
  /** A body or a programme set up by a law, decree or sub-decree. */
  ESTABLISHED_BY: [
    ['Organisation', 'Law'],
    ['Programme', 'Law'],
  ],
};

/** Names of labels and relationship types in both languages (legend, forms, filters). */
export const LABEL_NAMES: Readonly<Record<Label, { en: string; km: string }>> = {
  Programme: { en: 'Programme', km: 'កម្មវិធី' },
  Organisation: { en: 'Organisation', km: 'ស្ថាប័ន' },
  AdminArea: { en: 'Administrative area', km: 'តំបន់រដ្ឋបាល' },
  Document: { en: 'Document', km: 'ឯកសារ' },
  Topic: { en: 'Topic', km: 'ប្រធានបទ' },
  Law: { en: 'Law or decree', km: 'ច្បាប់ ឬលិខិតបទដ្ឋាន' },
  Event: { en: 'Event', km: 'ព្រឹត្តិការណ៍' },
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
  SUPPORTS: { en: 'supports', km: 'គាំទ្រ' },
  ESTABLISHED_BY: { en: 'established by', km: 'បង្កើតឡើងដោយ' },
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
/** What a programme is: the Government's national programme, one of its implementation plans, a donor's project, a fund. */
export const PROGRAMME_KINDS = ['national-programme', 'implementation-plan', 'donor-project', 'fund'] as const;
/** Laws and the other legal or policy texts of the Law label. */
export const LAW_KINDS = ['law', 'royal-decree', 'royal-kram', 'sub-decree', 'strategy'] as const;
export const EVENT_KINDS = ['commune-election', 'council-election'] as const;
/**
 * Schemes of Programme.identifiers ("<scheme>:<value>"): World Bank project (P071146), ADB project number
 * (41392-013), ADB loan (1953(SF)), SDC project (7F08726), GIZ project number (2011.2081.5), UNDP project
 * (CMB/95/011), UNCDF project (CMB/97/C01). The IATI identifier keeps its own property, iati_identifier.
 */
export const IDENTIFIER_SCHEMES = ['worldbank', 'adb', 'adb-loan', 'sdc', 'giz', 'undp', 'uncdf'] as const;

/**
 * The version of the model the stores hold, recorded by each store (the embedded store's schema.json, a
 * :SchemaVersion node in Neo4j) and migrated forward when a store written by an older version opens:
 *   1 — five labels (Programme, Organisation, AdminArea, Document, Topic), ten link types (before issue 12);
 *   2 — labels Law and Event, links SUPPORTS and ESTABLISHED_BY, Programme.kind and Programme.identifiers,
 *       Organisation.start/end/summary_en/summary_km (additive: every record of version 1 is valid as it is);
 *   3 — on Neo4j, a bulk load's audit entry may keep its changes in :AuditPart nodes (issue 14; additive, no record
 *       rewritten: recorded so that an app of version 2, which would show such an entry with no changes, refuses
 *       the database instead).
 */
export const SCHEMA_VERSION = 3;

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
