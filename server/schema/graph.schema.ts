/**
 * The domain model of DAR Knowledge Graph: labels, their properties, relationship types and the labels each
 * may connect. This is the only place the model is stated; validation, the seed loader, the legend, forms,
 * Neo4j constraints and migrations all read it. Imported by the server and by web/.
 */
import { z } from 'zod';

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

export const ADMIN_LEVELS = ['province', 'municipality', 'district', 'commune', 'village'] as const;
export const PROGRAMME_STATUSES = ['planned', 'active', 'completed', 'cancelled'] as const;

// ---------------------------------------------------------------------------------------------------------------
// Building blocks

/** A stable slug: lower-case letters, digits and dashes. */
export const IdSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a slug: lower-case letters, digits and dashes, e.g. "eu-dar"');

const httpUrl = z
  .string()
  .max(2000)
  .regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL');

/** A citation: an http(s) URL, or the id of a Document node in the graph. */
export const SourceSchema = z.union([httpUrl, IdSchema], {
  error: 'a source must be an http(s) URL or the id of a Document',
});

/** A date as precise as it is known: "2016", "2016-05" or "2016-05-01". */
export const PartialDateSchema = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD');

const text = (max = 500) => z.string().trim().min(1).max(max);

/** Who and when: set by the store on every write, never by the client. */
export const AuditStampSchema = z.object({
  created_at: z.string().optional(),
  created_by: z.string().optional(),
  updated_at: z.string().optional(),
  updated_by: z.string().optional(),
});

const nodeBase = {
  id: IdSchema,
  name_en: text(),
  name_km: text(),
  sources: z.array(SourceSchema).max(50).default([]),
  ...AuditStampSchema.shape,
};

// ---------------------------------------------------------------------------------------------------------------
// Nodes

export const ProgrammeSchema = z.object({
  label: z.literal('Programme'),
  ...nodeBase,
  acronym: text(40).optional(),
  start: PartialDateSchema.optional(),
  end: PartialDateSchema.optional(),
  status: z.enum(PROGRAMME_STATUSES).optional(),
  iati_identifier: text(120).optional(),
  summary_en: text(4000).optional(),
  summary_km: text(4000).optional(),
  url: httpUrl.optional(),
});

export const OrganisationSchema = z.object({
  label: z.literal('Organisation'),
  ...nodeBase,
  acronym: text(40).optional(),
  acronym_km: text(40).optional(),
  type: z.enum(ORGANISATION_TYPES),
  iati_ref: text(120).optional(),
  url: httpUrl.optional(),
});

export const AdminAreaSchema = z.object({
  label: z.literal('AdminArea'),
  ...nodeBase,
  level: z.enum(ADMIN_LEVELS),
  code: z
    .string()
    .regex(/^\d{2,8}$/, 'must be a gazetteer code of digits, e.g. 0206')
    .optional(),
  name_latin: text(200).optional(),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
});

export const DocumentSchema = z.object({
  label: z.literal('Document'),
  ...nodeBase,
  category: text(80),
  category_en: text(300).optional(),
  category_km: text(300).optional(),
  year: z.number().int().min(1900).max(2100).optional(),
  language: z.enum(['km', 'en', 'km+en']).optional(),
  url: httpUrl.optional(),
});

export const TopicSchema = z.object({
  label: z.literal('Topic'),
  ...nodeBase,
  summary_en: text(4000).optional(),
  summary_km: text(4000).optional(),
});

export const NodeSchema = z.discriminatedUnion('label', [
  ProgrammeSchema,
  OrganisationSchema,
  AdminAreaSchema,
  DocumentSchema,
  TopicSchema,
]);

export const NODE_SCHEMAS = {
  Programme: ProgrammeSchema,
  Organisation: OrganisationSchema,
  AdminArea: AdminAreaSchema,
  Document: DocumentSchema,
  Topic: TopicSchema,
} as const satisfies Record<Label, z.ZodObject>;

export type GraphNode = z.infer<typeof NodeSchema>;

/** Properties every label has; the rest are per label (see NODE_SCHEMAS[label].shape). */
export const COMMON_NODE_PROPERTIES = ['id', 'label', ...Object.keys(nodeBase)] as const;

// ---------------------------------------------------------------------------------------------------------------
// Links

export const LinkSchema = z
  .object({
    id: IdSchema,
    type: z.enum(LINK_TYPES),
    from: IdSchema,
    to: IdSchema,
    sources: z.array(SourceSchema).max(50).default([]),
    /** A link saved without a source; the UI marks it as unsourced. */
    draft: z.boolean().optional(),
    role: text(200).optional(),
    role_km: text(200).optional(),
    start: PartialDateSchema.optional(),
    end: PartialDateSchema.optional(),
    amount: z.number().nonnegative().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code, e.g. EUR')
      .optional(),
    note_en: text(1000).optional(),
    note_km: text(1000).optional(),
    ...AuditStampSchema.shape,
  })
  .superRefine((link, ctx) => {
    if (link.sources.length === 0 && !link.draft) {
      ctx.addIssue({
        code: 'custom',
        path: ['sources'],
        message: 'a link needs at least one source (URL or Document id) unless it is saved as a draft',
      });
    }
    if (link.from === link.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'a link cannot connect a node to itself' });
    }
  });

export type GraphLink = z.infer<typeof LinkSchema>;

export const LINK_PROPERTIES = Object.keys(LinkSchema.shape) as (keyof GraphLink)[];

// ---------------------------------------------------------------------------------------------------------------
// Checks that need more than one record

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

/** One line per problem: "name_km: Required". */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`).join('; ');
}
