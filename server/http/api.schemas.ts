/**
 * Request parameters of the API as zod schemas: routes parse with them, and the OpenAPI document is generated
 * from them. Limits live here.
 */
import { z } from 'zod';
import { IdSchema, LABELS, LINK_TYPES } from '../schema/graph.schema.ts';

export const LIMITS = {
  searchDefault: 10,
  searchMax: 50,
  searchQueryMaxChars: 200,
  neighboursDefault: 50,
  neighboursMax: 500,
  offsetMax: 100_000,
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

export const NodeIdPath = z.object({ id: IdSchema });

export const SearchQuerySchema = z.object({
  q: single
    .min(1, 'is required: the text to search for')
    .max(LIMITS.searchQueryMaxChars, `must be at most ${LIMITS.searchQueryMaxChars} characters`),
  limit: intParam(1, LIMITS.searchMax, LIMITS.searchDefault),
  labels: LabelListParam.optional(),
});

export const NeighboursQuerySchema = z.object({
  type: z.enum(LINK_TYPES, { error: `must be one of ${LINK_TYPES.join(', ')}` }).optional(),
  direction: z.enum(['in', 'out', 'both'], { error: 'must be in, out or both' }).default('both'),
  limit: intParam(1, LIMITS.neighboursMax, LIMITS.neighboursDefault),
  offset: intParam(0, LIMITS.offsetMax, 0),
});
