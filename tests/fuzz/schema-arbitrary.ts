/**
 * fast-check arbitraries from the JSON Schemas of /api/openapi.json: values that mostly pass the schema (so that
 * requests reach the handlers and stores, and some writes succeed), then mutated the ways clients get things
 * wrong: wrong types, missing and extra fields, hostile strings.
 */
import fc from 'fast-check';
import { hostileJson, hostileString } from './hostile-values.ts';

export interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
}

export interface SchemaContext {
  /** Strings for the id pattern: ids that exist now (read when a value is generated). */
  knownIds: () => readonly string[];
  /** Ids a source may name (Documents), for `sources`. */
  sourceIds: () => readonly string[];
  /** Property names seen anywhere in the API's request bodies (keys for records without properties). */
  propertyNames: readonly string[];
  /** Value schemas by property name (for records without properties, e.g. a PATCH body). */
  propertySchemas: ReadonlyMap<string, JsonSchema>;
}

const SLUG_PATTERN = '^[a-z0-9][a-z0-9-]*$';

/** A value the schema should accept (mostly: patterns are followed, limits kept short). */
export function validish(schema: JsonSchema, ctx: SchemaContext, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.oneOf ?? schema.anyOf;
  if (union && union.length > 0) return fc.oneof(...union.map((s) => validish(s, ctx, depth + 1)));
  if (schema.allOf && schema.allOf.length > 0) return validish(schema.allOf[0]!, ctx, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringFor(schema, ctx);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1000);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1000);
      const lo = Math.max(min, -1e6);
      const hi = Math.min(max, 1e6);
      return type === 'integer' ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }) : fc.double({ min: lo, max: hi, noNaN: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items ? validish(schema.items, ctx, depth + 1) : hostileJson(), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case 'object':
      return objectFor(schema, ctx, depth);
    default:
      // {}: anything (zod's unknown, or a server-set stamp the client should not send).
      return hostileJson();
  }
}

function stringFor(schema: JsonSchema, ctx: SchemaContext): fc.Arbitrary<string> {
  const max = Math.min(schema.maxLength ?? 60, 60);
  const min = Math.min(schema.minLength ?? 0, max);
  if (schema.pattern === SLUG_PATTERN) {
    const slug = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,30}$/);
    return fc.oneof({ weight: 3, arbitrary: fc.nat().map((i) => pick(ctx.knownIds(), i) ?? 'dar') }, { weight: 1, arbitrary: slug });
  }
  if (schema.pattern) {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(schema.pattern);
    } catch {
      pattern = undefined;
    }
    if (pattern) return fc.stringMatching(pattern).filter((s) => s.length <= (schema.maxLength ?? Infinity) && s.length <= 200);
  }
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: Math.max(min, 1), maxLength: Math.max(max, 1) }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0x1780, max: 0x17ff }).map((c) => String.fromCharCode(c)), minLength: Math.max(min, 1), maxLength: Math.max(max, 1) }) },
    { weight: 2, arbitrary: hostileString({ maxLength: 10 }).filter((s) => s.trim().length >= Math.max(min, 1) && s.length <= (schema.maxLength ?? Infinity)) },
  );
}

function objectFor(schema: JsonSchema, ctx: SchemaContext, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  if (names.length === 0) {
    // A record (e.g. a PATCH body): keys any property of the API may have, values that fit that property.
    const keys = ctx.propertyNames.length > 0 ? fc.constantFrom(...ctx.propertyNames) : fc.string({ maxLength: 10 });
    const value = (key: string): fc.Arbitrary<unknown> => {
      const known = ctx.propertySchemas.get(key);
      const own = key === 'sources' ? { ...ctx, knownIds: ctx.sourceIds } : ctx;
      return fc.oneof({ weight: 4, arbitrary: known ? validish(known, own, depth + 1) : hostileJson() }, { weight: 1, arbitrary: fc.constant(null) });
    };
    return fc
      .uniqueArray(keys, { minLength: 1, maxLength: 3 })
      .chain((ks) => fc.tuple(...ks.map((k) => value(k))).map((vs) => Object.fromEntries(ks.map((k, i) => [k, vs[i]]))));
  }
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  // Server-set stamps ({} schemas) are left out of valid-ish bodies; mutations add them back sometimes.
  for (const name of names) {
    if (Object.keys(properties[name]!).length === 0) continue;
    model[name] = validish(properties[name]!, name === 'sources' ? { ...ctx, knownIds: ctx.sourceIds } : ctx, depth + 1);
  }
  // A new record's own id: mostly a fresh one (an existing id is a conflict, tried less often).
  if (model.id && properties.id?.pattern === SLUG_PATTERN) model.id = fc.oneof({ weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,30}$/) }, { weight: 1, arbitrary: model.id });
  const required = (schema.required ?? []).filter((name) => name in model);
  return fc.record(model, { requiredKeys: required }) as fc.Arbitrary<Record<string, unknown>>;
}

function pick<T>(items: readonly T[], i: number): T | undefined {
  return items.length === 0 ? undefined : items[i % items.length];
}

export type Mutation =
  | { kind: 'drop'; key: number }
  | { kind: 'wrong-type'; key: number; value: unknown }
  | { kind: 'extra'; name: string; value: unknown }
  | { kind: 'hostile-string'; key: number; value: string };

export function mutations(): fc.Arbitrary<Mutation[]> {
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant('drop' as const), key: fc.nat() }),
    fc.record({ kind: fc.constant('wrong-type' as const), key: fc.nat(), value: hostileJson() }),
    fc.record({
      kind: fc.constant('extra' as const),
      name: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'version', 'created_by', 'updated_at', 'role', 'isAdmin', 'id', 'label'), hostileString({ maxLength: 8 })),
      value: hostileJson(),
    }),
    fc.record({ kind: fc.constant('hostile-string' as const), key: fc.nat(), value: hostileString({ huge: true }) }),
  );
  return fc.array(mutation, { maxLength: 3 });
}

/** Applies mutations to a copy of an object body (other values are returned as they are). */
export function mutate(value: unknown, list: readonly Mutation[]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  // defineProperty, so that "__proto__" becomes an own key (as JSON.parse would make it) instead of the prototype.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const m of list) {
    const keys = Object.keys(out);
    const key = m.kind === 'extra' ? m.name : keys.length > 0 ? keys[m.key % keys.length]! : undefined;
    if (key === undefined) continue;
    if (m.kind === 'drop') delete out[key];
    else Object.defineProperty(out, key, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
