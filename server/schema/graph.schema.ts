/**
 * The domain model of DAR Knowledge Graph: labels, their properties, relationship types and the labels each
 * may connect. This is the only place the model is stated; validation, the seed loader, the legend, forms,
 * Neo4j constraints and migrations all read it. Imported by the server and by web/.
 */
import { z } from 'zod';

export * from './graph.model.ts';
import {
  ADMIN_LEVELS,
  EVENT_KINDS,
  IDENTIFIER_SCHEMES,
  SERVER_SET_PROPERTIES,
  LAW_KINDS,
  LINK_TYPES,
  ORGANISATION_TYPES,
  PROGRAMME_KINDS,
  PROGRAMME_STATUSES,
  type Label,
} from './graph.model.ts';
import { cleanInputText, controlCharacterIn, hasVisibleCharacter } from './text-input.ts';

// ---------------------------------------------------------------------------------------------------------------
// Building blocks

/** A stable slug: lower-case letters, digits and dashes. */
export const IdSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a slug: lower-case letters, digits and dashes, e.g. "eu-dar"');

/**
 * Half a surrogate pair is not Unicode: UTF-8 (exports, Neo4j's Bolt) cannot carry it, so a store or an export would
 * silently turn it into U+FFFD. Refused at the schema, so that every way in (API, import, seed) says so.
 */
const LONE_SURROGATE = /\p{Cs}/u;
const wellFormed = (s: string) => !LONE_SURROGATE.test(s);
const WELL_FORMED = 'must be well-formed Unicode (it holds half a surrogate pair)';

const httpUrl = z
  .string()
  .max(2000)
  .regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL')
  .refine(wellFormed, WELL_FORMED);

/** A citation: an http(s) URL, or the id of a Document node in the graph. */
export const SourceSchema = z.union([httpUrl, IdSchema], {
  error: 'a source must be an http(s) URL or the id of a Document',
});

/** A date as precise as it is known: "2016", "2016-05" or "2016-05-01". */
export const PartialDateSchema = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD');

/**
 * A text field: cleaned first (NFC, invisible characters removed: server/schema/text-input.ts), then trimmed and
 * checked, so a value of only zero-width characters is refused as empty; control characters other than tab and
 * line breaks (NUL, ESC, DEL, C1 …) are refused.
 */
const text = (max = 500) =>
  z
    .string()
    .overwrite(cleanInputText)
    .trim()
    .min(1, 'must not be empty (spaces and invisible characters do not count)')
    .max(max)
    .refine(wellFormed, WELL_FORMED)
    .refine(hasVisibleCharacter, 'must have a visible character (it holds only spaces and invisible characters)')
    .superRefine((value, ctx) => {
      const control = controlCharacterIn(value);
      if (control) ctx.addIssue({ code: 'custom', message: `must not contain control characters (it holds ${control})` });
    });

/** The text field, for the schemas of other records (server/schema/story.schema.ts). */
export const textField = text;

/** An identifier in a named scheme, "<scheme>:<value>", e.g. "worldbank:P071146" (schemes: IDENTIFIER_SCHEMES). */
export const IdentifierSchema = text(160).refine(
  (value) => {
    const colon = value.indexOf(':');
    return colon > 0 && (IDENTIFIER_SCHEMES as readonly string[]).includes(value.slice(0, colon)) && value.slice(colon + 1).trim() !== '';
  },
  { error: `must be "<scheme>:<value>" with a scheme among ${IDENTIFIER_SCHEMES.join(', ')}, e.g. "worldbank:P071146"` },
);

/**
 * Who and when, and the record's version (1 on create, +1 per change; the API's ETag): set by the store on every
 * write, never by the client.
 */
export const AuditStampSchema = z.object({
  created_at: z.string().optional(),
  created_by: z.string().optional(),
  updated_at: z.string().optional(),
  updated_by: z.string().optional(),
  version: z.number().int().positive().optional(),
});

// SERVER_SET_PROPERTIES (graph.model.ts, without zod for the explorer) names exactly AuditStampSchema's keys:
// a key added to one and not the other fails to compile here.
type StampKeys = keyof z.infer<typeof AuditStampSchema>;
const sameStampKeys: [StampKeys, (typeof SERVER_SET_PROPERTIES)[number]] extends [(typeof SERVER_SET_PROPERTIES)[number], StampKeys] ? true : never = true;
void sameStampKeys;

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
  kind: z.enum(PROGRAMME_KINDS).optional(),
  identifiers: z.array(IdentifierSchema).max(20).optional(),
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
  /** When the body was set up (or closed), as its source dates it: NCSC May 2001, NCDD August 2006. */
  start: PartialDateSchema.optional(),
  end: PartialDateSchema.optional(),
  summary_en: text(4000).optional(),
  summary_km: text(4000).optional(),
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
  /** A link as the source wrote it when it is not a usable http(s) URL (kept, and flagged by being here). */
  url_as_written: text(2000).optional(),
});

export const TopicSchema = z.object({
  label: z.literal('Topic'),
  ...nodeBase,
  summary_en: text(4000).optional(),
  summary_km: text(4000).optional(),
});

/** A law, royal decree or kram, sub-decree, or a strategic framework. */
export const LawSchema = z.object({
  label: z.literal('Law'),
  ...nodeBase,
  kind: z.enum(LAW_KINDS),
  date: PartialDateSchema.optional(),
  /** The text's official number, e.g. "NS/RKM/0508/017". */
  reference: text(120).optional(),
  summary_en: text(4000).optional(),
  summary_km: text(4000).optional(),
  url: httpUrl.optional(),
});

/** A dated event, such as an election. */
export const EventSchema = z.object({
  label: z.literal('Event'),
  ...nodeBase,
  kind: z.enum(EVENT_KINDS),
  date: PartialDateSchema.optional(),
  summary_en: text(4000).optional(),
  summary_km: text(4000).optional(),
  url: httpUrl.optional(),
  /** Seats elected. */
  seats: z.number().int().nonnegative().optional(),
  /** Communes (or councils) that voted. */
  communes: z.number().int().nonnegative().optional(),
});

export const NodeSchema = z.discriminatedUnion('label', [
  ProgrammeSchema,
  OrganisationSchema,
  AdminAreaSchema,
  DocumentSchema,
  TopicSchema,
  LawSchema,
  EventSchema,
]);

export const NODE_SCHEMAS = {
  Programme: ProgrammeSchema,
  Organisation: OrganisationSchema,
  AdminArea: AdminAreaSchema,
  Document: DocumentSchema,
  Topic: TopicSchema,
  Law: LawSchema,
  Event: EventSchema,
} as const satisfies Record<Label, z.ZodObject>;

export type GraphNode = z.infer<typeof NodeSchema>;

/** Properties every label has; the rest are per label (see NODE_SCHEMAS[label].shape). */
export const COMMON_NODE_PROPERTIES = ['id', 'label', ...Object.keys(nodeBase)] as const;

// ---------------------------------------------------------------------------------------------------------------
// Links

const linkShape = {
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
};

export const LINK_NEEDS_SOURCE = 'a link needs at least one source (URL or Document id) unless it is saved as a draft';

/** A link needs a source unless it is a draft, and cannot connect a node to itself. */
function refineLink(link: { sources: readonly string[]; draft?: boolean | undefined; from: string; to: string }, ctx: z.RefinementCtx): void {
  if (link.sources.length === 0 && !link.draft) {
    ctx.addIssue({
      code: 'custom',
      path: ['sources'],
      message: LINK_NEEDS_SOURCE,
    });
  }
  if (link.from === link.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'a link cannot connect a node to itself' });
  }
}

export const LinkSchema = z
  .object({
    ...linkShape,
    ...AuditStampSchema.shape,
  })
  .superRefine(refineLink);

export type GraphLink = z.infer<typeof LinkSchema>;

export const LINK_PROPERTIES = Object.keys(LinkSchema.shape) as (keyof GraphLink)[];

// ---------------------------------------------------------------------------------------------------------------
// What clients send to create records (the write API, forms): no server-set properties, `id` optional (the
// server makes one from the English name when absent), nothing the schema does not know.

const serverSet = Object.fromEntries(
  SERVER_SET_PROPERTIES.map((key) => [key, z.undefined({ error: 'is set by the server, not by clients' }).optional()]),
) as { [K in (typeof SERVER_SET_PROPERTIES)[number]]: z.ZodOptional<z.ZodUndefined> };
const omitServerSet = Object.fromEntries(SERVER_SET_PROPERTIES.map((key) => [key, true])) as { [K in (typeof SERVER_SET_PROPERTIES)[number]]: true };

const nodeInput = <S extends z.ZodObject>(schema: S) =>
  schema
    .omit(omitServerSet)
    .extend({ id: IdSchema.optional(), ...serverSet })
    .strict();

export const NodeInputSchema = z.discriminatedUnion('label', [
  nodeInput(ProgrammeSchema),
  nodeInput(OrganisationSchema),
  nodeInput(AdminAreaSchema),
  nodeInput(DocumentSchema),
  nodeInput(TopicSchema),
  nodeInput(LawSchema),
  nodeInput(EventSchema),
]);
export type NodeInput = z.infer<typeof NodeInputSchema>;

export const LinkInputSchema = z
  .object({ ...linkShape, id: IdSchema.optional(), ...serverSet })
  .strict()
  .superRefine(refineLink);
export type LinkInput = z.infer<typeof LinkInputSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Checks that need more than one record

/** One line per problem: "name_km: Required". */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`).join('; ');
}
