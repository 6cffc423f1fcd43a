/**
 * Request parameters of the API as zod schemas: routes parse with them, and the OpenAPI document is generated
 * from them. Limits live here.
 */
import { z } from 'zod';
import { parseAt } from '../services/versions.service.ts';
import { IdSchema, LABELS, LINK_TYPES, LinkInputSchema, NodeInputSchema } from '../schema/graph.schema.ts';
import { COMPARE_VIEWS, parseYearRange } from '../domain/period-compare.ts';

export const LIMITS = {
  searchDefault: 10,
  searchMax: 50,
  searchQueryMaxChars: 200,
  neighboursDefault: 50,
  neighboursMax: 500,
  offsetMax: 100_000,
  depthMax: 10,
  maxHopsMax: 10,
  pathsMax: 25,
  subgraphDefault: 500,
  subgraphMax: 10_000,
  centralityDefault: 20,
  centralityMax: 500,
  documentsQueryMaxChars: 200,
  auditDefault: 50,
  auditMax: 1000,
  /** Changes shown per entry in a listing; GET /api/audit/:id has them all. */
  auditChangesListed: 100,
} as const;

const intParam = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

const single = z.string({ error: 'must be given once, as text' });

/** "Programme,Organisation" → ["Programme", "Organisation"], each checked against the schema. */
export const LabelListParam = single
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(LABELS, { error: `each label must be one of ${LABELS.join(', ')}` })));

/** "SUCCEEDS,PART_OF" → ["SUCCEEDS", "PART_OF"], each checked against the schema. */
export const TypeListParam = single
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(LINK_TYPES, { error: `each type must be one of ${LINK_TYPES.join(', ')}` })));

export const NodeIdPath = z.object({ id: IdSchema });

/** `at`: read the graph as it was at this version (an audit seq) or date; see server/services/versions.service.ts. */
export const AtParam = single
  .transform((raw, ctx) => {
    const at = parseAt(raw.trim());
    if (!at) {
      ctx.addIssue({ code: 'custom', message: 'must be a version number (e.g. 412) or an ISO date or time (2026-12-02, 2026-12-02T10:00:00Z)' });
      return z.NEVER;
    }
    return at;
  })
  .meta({ description: 'Read the graph as it was at this version: an audit seq (e.g. 412), or a date or time meaning the last version at or before it (a date alone: the end of that day, UTC).' });

export const AtQuerySchema = z.object({ at: AtParam.optional() });

export const SearchQuerySchema = z.object({
  q: single
    .min(1, 'is required: the text to search for')
    .max(LIMITS.searchQueryMaxChars, `must be at most ${LIMITS.searchQueryMaxChars} characters`),
  limit: intParam(1, LIMITS.searchMax, LIMITS.searchDefault),
  labels: LabelListParam.optional(),
  at: AtParam.optional(),
});

export const NeighboursQuerySchema = z.object({
  type: z.enum(LINK_TYPES, { error: `must be one of ${LINK_TYPES.join(', ')}` }).optional(),
  direction: z.enum(['in', 'out', 'both'], { error: 'must be in, out or both' }).default('both'),
  limit: intParam(1, LIMITS.neighboursMax, LIMITS.neighboursDefault),
  offset: intParam(0, LIMITS.offsetMax, 0),
  at: AtParam.optional(),
});

export const LineageQuerySchema = z.object({
  direction: z.enum(['both', 'back', 'forward'], { error: 'must be both, back or forward' }).default('both'),
  depth: intParam(1, LIMITS.depthMax, LIMITS.depthMax),
  at: AtParam.optional(),
});

export const PathsQuerySchema = z.object({
  from: IdSchema,
  to: IdSchema,
  maxHops: intParam(1, LIMITS.maxHopsMax, 6),
  types: TypeListParam.optional(),
  limit: intParam(1, LIMITS.pathsMax, LIMITS.pathsMax),
  at: AtParam.optional(),
});

export const SubgraphQuerySchema = z.object({
  labels: LabelListParam.optional(),
  types: TypeListParam.optional(),
  around: IdSchema.optional(),
  depth: intParam(1, LIMITS.depthMax, 1),
  limit: intParam(1, LIMITS.subgraphMax, LIMITS.subgraphDefault),
  at: AtParam.optional(),
});

export const DocumentsQuerySchema = z.object({
  programme: IdSchema.optional(),
  category: single.min(1).max(80).optional(),
  q: single.min(1).max(LIMITS.documentsQueryMaxChars).optional(),
  at: AtParam.optional(),
});

export const CentralityQuerySchema = z.object({
  measure: z.enum(['degree', 'betweenness'], { error: 'must be degree or betweenness' }).default('degree'),
  labels: LabelListParam.optional(),
  types: TypeListParam.optional(),
  limit: intParam(1, LIMITS.centralityMax, LIMITS.centralityDefault),
});

export const ExportQuerySchema = SubgraphQuerySchema.extend({
  format: z.enum(['json', 'csv', 'graphml', 'cypher'], { error: 'must be json, csv, graphml or cypher' }).default('json'),
  /** Whole graph unless a filter is given; then up to this many nodes. */
  limit: intParam(1, 1_000_000, 1_000_000),
});

/** A JSON value nested at most 5 deep, for Cypher parameters. */
const jsonValue = (depth: number): z.ZodType =>
  depth === 0
    ? z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()])
    : z.union([z.string().max(10_000), z.number(), z.boolean(), z.null(), z.array(jsonValue(depth - 1)).max(1000), z.record(z.string().max(100), jsonValue(depth - 1))]);

export const CypherBodySchema = z
  .object({
    query: z.string({ error: 'is required: one Cypher statement' }).min(1, 'is required: one Cypher statement').max(20_000),
    params: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'parameter names are identifiers').max(100), jsonValue(4)).optional(),
  })
  .meta({ id: 'CypherQuery' });

// ------------------------------------------------------------------------------------------ editing and audit

export const LinkIdPath = z.object({ id: IdSchema });

const booleanParam = z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).transform((v) => v === 'true' || v === '1');

export const DeleteNodeQuerySchema = z.object({
  /** Delete the node's links too, in the same change (admins only). */
  cascade: booleanParam.default(false),
});

/**
 * A patch: the properties to set (validated, with the rest of the record, against the label's schema), null to
 * remove an optional one. `id`, `label`, audit stamps and `version` cannot be patched.
 */
export const PatchBodySchema = z
  .record(z.string().max(64), z.unknown())
  .refine((patch) => Object.keys(patch).length > 0, 'is empty: give at least one property to change')
  .meta({ id: 'Patch', description: 'Properties to set; null removes an optional property.' });

export const AuditIdPath = z.object({
  id: z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'must be an audit entry id'),
});

export const AuditQuerySchema = z.object({
  entity: single
    .regex(/^((node|link|story):)?[a-z0-9][a-z0-9-]{0,119}$/, 'must be a node or link id, optionally as node:<id> or link:<id> (or story:<id>)')
    .transform((s) => {
      const colon = s.indexOf(':');
      return colon === -1 ? { id: s } : { kind: s.slice(0, colon) as 'node' | 'link' | 'story', id: s.slice(colon + 1) };
    })
    .optional(),
  editor: single.min(1).max(100).optional(),
  since: single
    .refine((s) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)), 'must be an ISO date or date-time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z')
    .transform((s) => new Date(s).toISOString())
    .optional(),
  before: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1).optional(),
  limit: intParam(1, LIMITS.auditMax, LIMITS.auditDefault),
});

export const SessionBodySchema = z
  .object({
    token: z.string({ error: 'is required: your editor token' }).min(1, 'is required: your editor token').max(512),
  })
  .meta({ id: 'SignIn' });

export const ImportQuerySchema = z.object({
  filename: single
    .min(1, 'is required: the file name, e.g. activities.xml (its extension says the format)')
    .max(200)
    .regex(/^[^/\\\u0000-\u001f]+$/, 'must be a plain file name'),
  apply: z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).optional().transform((v) => v === 'true' || v === '1'),
});

// What clients send to create records, named for the OpenAPI document (ProgrammeInput … NodeInput, LinkInput), so
// generated clients get one type per label. Registered on the schema's own instances: routes parse with them as
// they are.
for (const option of NodeInputSchema.options) {
  z.globalRegistry.add(option, { id: `${option.shape.label.value}Input`, description: `A new ${option.shape.label.value} node: no audit stamps; id optional (made from name_en).` });
}
z.globalRegistry.add(NodeInputSchema, { id: 'NodeInput', description: 'A new node; `label` says which kind.' });
z.globalRegistry.add(LinkInputSchema, { id: 'LinkInput', description: 'A new link: at least one source unless it is a draft; id optional (made from its ends and type).' });

// ------------------------------------------------------------------------------------------ GET /api/compare

const yearRangeParam = single.transform((s, ctx) => {
  const range = parseYearRange(s);
  if (typeof range === 'string') {
    ctx.addIssue({ code: 'custom', message: range });
    return z.NEVER;
  }
  return range;
});

/** A version: an audit seq (0 = before any change), or an ISO date (the end of that day, UTC) or date-time. */
const versionParam = single.transform((s, ctx): { seq: number } | { at: string } => {
  // The one rule for a version in a query, as `at` reads it (services/versions.service.ts).
  const version = parseAt(s);
  if (version) return 'seq' in version ? { seq: version.seq } : { at: version.date };
  ctx.addIssue({ code: 'custom', message: 'must be a version: an audit seq (e.g. 42) or an ISO date or date-time (e.g. 2026-01-31 or 2026-01-31T12:00:00Z)' });
  return z.NEVER;
});

export const CompareQuerySchema = z
  .object({
    a: yearRangeParam.optional(),
    b: yearRangeParam.optional(),
    view: z.enum(COMPARE_VIEWS, { error: `must be one of ${COMPARE_VIEWS.join(', ')}` }).default('explore'),
    from: versionParam.optional(),
    to: versionParam.optional(),
  })
  .superRefine((q, ctx) => {
    const periods = q.a !== undefined || q.b !== undefined;
    const versions = q.from !== undefined || q.to !== undefined;
    if (periods && versions) {
      ctx.addIssue({ code: 'custom', path: [q.a !== undefined ? 'from' : 'to'], message: 'compares periods (a, b) or versions (from, to), not both' });
    } else if (!periods && !versions) {
      ctx.addIssue({ code: 'custom', path: ['a'], message: 'is required: two periods (a=2008-2012&b=2018-2022) or two versions (from=…&to=…)' });
    } else if (periods) {
      for (const key of ['a', 'b'] as const) if (q[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required: a year range, e.g. 2018-2022' });
    } else {
      for (const key of ['from', 'to'] as const) if (q[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required: an audit seq or an ISO date' });
      if (q.from && q.to && 'seq' in q.from && 'seq' in q.to && q.from.seq > q.to.seq) ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before "from" (${q.from.seq})` });
      if (q.from && q.to && 'at' in q.from && 'at' in q.to && q.from.at > q.to.at) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before "from"' });
    }
  });
