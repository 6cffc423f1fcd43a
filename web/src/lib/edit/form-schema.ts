/**
 * The edit forms, generated from the schema module: each label's fields (and a link's) come from its zod schema as
 * JSON Schema (kind, required, the values of an enum, limits, patterns), and what a form holds is checked with the
 * same zod schemas the server uses before it is sent. A new property in graph.schema.ts shows up in the forms
 * without touching them. This module pulls in zod, so it is loaded with the edit layer only (not the first bundle).
 */
import { z } from 'zod';
import {
  LinkInputSchema,
  NODE_SCHEMAS,
  NodeInputSchema,
  SERVER_SET_PROPERTIES,
  type GraphLink,
  type GraphNode,
  type Label,
  type LinkInput,
  type NodeInput,
} from '../../../../server/schema/graph.schema.ts';

/** `list`: a list of short texts other than sources (a programme's identifiers), one per line. */
export type FieldKind = 'text' | 'long' | 'enum' | 'number' | 'integer' | 'date' | 'url' | 'sources' | 'list' | 'boolean' | 'id';

export interface FieldSpec {
  key: string;
  kind: FieldKind;
  required: boolean;
  /** The values an enum allows. */
  options?: readonly string[];
  min?: number;
  max?: number;
  maxLength?: number;
}

/** What a form holds: text for every field (an input's value), true/false for a checkbox. */
export type FormValues = Record<string, string | boolean>;

/** Problems by field key ('' for the record as a whole). */
export type FieldErrors = Record<string, string>;

interface JsonProperty {
  type?: string;
  const?: unknown;
  enum?: readonly string[];
  pattern?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  items?: unknown;
}

const SERVER_SET = new Set<string>(SERVER_SET_PROPERTIES);
/** A link's ends and type are chosen by drawing it, not typed in. */
const LINK_ENDS = new Set(['type', 'from', 'to']);
const DATE_PATTERN = String.raw`^\d{4}(`;
const URL_PATTERN = 'https?';
/** Strings longer than this are edited in a text area. */
const LONG_TEXT = 500;

function fieldsOf(schema: z.ZodType, skip: ReadonlySet<string>): FieldSpec[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonProperty>;
    required?: readonly string[];
  };
  const required = new Set(json.required ?? []);
  const fields: FieldSpec[] = [];
  for (const [key, property] of Object.entries(json.properties ?? {})) {
    if (SERVER_SET.has(key) || skip.has(key) || property.const !== undefined) continue;
    fields.push(fieldOf(key, property, required.has(key) && key !== 'sources'));
  }
  return fields;
}

function fieldOf(key: string, property: JsonProperty, required: boolean): FieldSpec {
  const base = { key, required };
  if (key === 'id') return { ...base, kind: 'id', required: false, maxLength: property.maxLength };
  if (key === 'sources') return { ...base, kind: 'sources' };
  if (property.type === 'array') return { ...base, kind: 'list' };
  if (property.enum) return { ...base, kind: 'enum', options: property.enum };
  if (property.type === 'boolean') return { ...base, kind: 'boolean' };
  if (property.type === 'number' || property.type === 'integer') {
    return {
      ...base,
      kind: property.type,
      min: property.minimum ?? property.exclusiveMinimum,
      max: property.maximum !== undefined && property.maximum < Number.MAX_SAFE_INTEGER ? property.maximum : undefined,
    };
  }
  if (property.pattern?.startsWith(DATE_PATTERN)) return { ...base, kind: 'date' };
  if (property.pattern?.includes(URL_PATTERN)) return { ...base, kind: 'url', maxLength: property.maxLength };
  const long = (property.maxLength ?? 0) > LONG_TEXT;
  return { ...base, kind: long ? 'long' : 'text', maxLength: property.maxLength };
}

const nodeFieldCache = new Map<Label, FieldSpec[]>();

/**
 * The fields of a node of `label`, in the schema's order (names, sources, then the label's own), with the id last:
 * it is optional on a new node (made from the English name) and cannot change.
 */
export function nodeFields(label: Label): FieldSpec[] {
  let fields = nodeFieldCache.get(label);
  if (!fields) {
    const all = fieldsOf(NODE_SCHEMAS[label], new Set());
    fields = [...all.filter((field) => field.kind !== 'id'), ...all.filter((field) => field.kind === 'id')];
    nodeFieldCache.set(label, fields);
  }
  return fields;
}

/** The link fields shown first; the others (Khmer role, period, amount, notes) are under "more details". */
export const LINK_MAIN_FIELDS: readonly string[] = ['sources', 'draft', 'role'];

let linkFieldCache: FieldSpec[] | undefined;

/** The fields of a link other than its type and ends (sources, draft, role, period, amount, notes). */
export function linkFields(): FieldSpec[] {
  linkFieldCache ??= fieldsOf(LinkInputSchema, LINK_ENDS);
  return linkFieldCache;
}

// ---------------------------------------------------------------------------------------------------------------
// Values: record → form → record

/** The form values of an existing record (or of a new one when `record` is undefined). */
export function formValues(fields: readonly FieldSpec[], record?: Readonly<Record<string, unknown>>): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const value = record?.[field.key];
    if (field.kind === 'boolean') values[field.key] = value === true;
    else if (field.kind === 'sources' || field.kind === 'list') values[field.key] = Array.isArray(value) ? value.join('\n') : '';
    else values[field.key] = value === undefined || value === null ? '' : String(value);
  }
  return values;
}

/** One field's form value as the record holds it; undefined when empty. */
function parseValue(field: FieldSpec, value: string | boolean | undefined): unknown {
  if (field.kind === 'boolean') return value === true ? true : undefined;
  const text = typeof value === 'string' ? value.trim() : '';
  if (field.kind === 'sources' || field.kind === 'list') {
    const lines = text
      .split(/[\n\r]+/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    // An empty list is left out (absent), except sources, which every record has.
    return field.kind === 'list' && lines.length === 0 ? undefined : lines;
  }
  if (text === '') return undefined;
  if (field.kind === 'number' || field.kind === 'integer') {
    const number = Number(text.replace(/[\s,]/g, ''));
    return Number.isFinite(number) ? number : text; // the schema says what is wrong with a non-number
  }
  return text;
}

/** The record a form describes: its fields' values, empty ones left out. */
export function recordFrom(fields: readonly FieldSpec[], values: FormValues): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const field of fields) {
    const value = parseValue(field, values[field.key]);
    if (value !== undefined) record[field.key] = value;
  }
  return record;
}

/** The first problem zod finds with each field. */
function errorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : '';
    errors[key] ??= issue.message;
  }
  return errors;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** A new node of `label` from its form, checked against the schema. */
export function checkNewNode(label: Label, values: FormValues): Checked<NodeInput> {
  const record = { label, ...recordFrom(nodeFields(label), values) };
  const parsed = NodeInputSchema.safeParse(record);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: errorsOf(parsed.error) };
}

/** A new link from its form, checked against the schema (the endpoint labels are checked by the server). */
export function checkNewLink(ends: { type: GraphLink['type']; from: string; to: string }, values: FormValues): Checked<LinkInput> {
  const record = { ...ends, ...recordFrom(linkFields(), values) };
  const parsed = LinkInputSchema.safeParse(record);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: errorsOf(parsed.error) };
}

/**
 * The PATCH that turns `record` into what the form says: changed properties set, emptied ones null (removed);
 * checked by applying it and validating the result. An empty patch means nothing changed.
 */
function checkPatch(
  fields: readonly FieldSpec[],
  record: Readonly<Record<string, unknown>>,
  values: FormValues,
  validate: (candidate: Record<string, unknown>) => z.ZodSafeParseResult<unknown>,
): Checked<Record<string, unknown>> {
  const next = recordFrom(fields, values);
  const patch: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.kind === 'id') continue; // ids do not change
    const before = record[field.key];
    const after = next[field.key];
    if (JSON.stringify(before ?? null) === JSON.stringify(after ?? null)) continue;
    if (field.kind === 'sources' && (before === undefined || (Array.isArray(before) && before.length === 0)) && Array.isArray(after) && after.length === 0) continue;
    patch[field.key] = after === undefined ? null : after;
  }
  const candidate: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (!SERVER_SET.has(key)) candidate[key] = value;
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete candidate[key];
    else candidate[key] = value;
  }
  const parsed = validate(candidate);
  return parsed.success ? { ok: true, value: patch } : { ok: false, errors: errorsOf(parsed.error) };
}

export function checkNodePatch(node: GraphNode, values: FormValues): Checked<Record<string, unknown>> {
  return checkPatch(nodeFields(node.label), node, values, (candidate) => NodeInputSchema.safeParse(candidate));
}

export function checkLinkPatch(link: GraphLink, values: FormValues): Checked<Record<string, unknown>> {
  return checkPatch(linkFields(), link, values, (candidate) => LinkInputSchema.safeParse(candidate));
}

/**
 * The form moved onto a newer version of its record (after a 412): fields the user changed keep what was typed,
 * the others take the newer version's values, so that saving does not undo someone else's change.
 */
export function rebaseValues(
  fields: readonly FieldSpec[],
  older: Readonly<Record<string, unknown>>,
  newer: Readonly<Record<string, unknown>>,
  values: FormValues,
): FormValues {
  const before = formValues(fields, older);
  const after = formValues(fields, newer);
  const next: FormValues = {};
  for (const field of fields) {
    const key = field.key;
    next[key] = values[key] === before[key] ? (after[key] ?? '') : (values[key] ?? '');
  }
  return next;
}

/** The errors left when the user changes field `key` (ticking "draft" also answers a missing source). */
export function withoutErrorOf(errors: FieldErrors, key: string): FieldErrors {
  const clear = key === 'draft' ? ['draft', 'sources'] : [key];
  if (!clear.some((k) => k in errors)) return errors;
  return Object.fromEntries(Object.entries(errors).filter(([k]) => !clear.includes(k)));
}

/** The field a refusal of the server names (`details.parameter`, e.g. "body.name_en"), with its message. */
export function fieldErrorOf(failure: { message: string; details: Readonly<Record<string, unknown>> }): FieldErrors {
  const parameter = failure.details.parameter;
  return typeof parameter === 'string' ? { [parameter.replace(/^body\./, '')]: failure.message } : {};
}
