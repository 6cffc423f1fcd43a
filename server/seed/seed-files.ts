/**
 * The curated seed graph as CSV files: one file per node label under `nodes/`, and `links.csv`.
 *
 * Columns are the property names of the label's zod schema (NODE_SCHEMAS[label].shape) or of LinkSchema. An empty
 * cell means "absent"; array cells (e.g. `sources`) hold values separated by ` | `; numbers and booleans are
 * coerced by looking at the schema's field type, so a new numeric or boolean property needs no change here.
 * All text is normalised to Unicode NFC on read. Every problem is reported as `Invalid` naming the file and the
 * CSV line of the record (the header is line 1).
 * Over 400 lines as one job: reading the seed format (files, cells, the reference merge and the graph checks).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { LIST_SEPARATOR } from '../domain/csv-cell.ts';
import { Invalid } from '../domain/errors.ts';
import {
  AuditStampSchema,
  checkLinkEndpoints,
  formatIssues,
  LABELS,
  LinkSchema,
  NODE_SCHEMAS,
  type GraphLink,
  type GraphNode,
  type Label,
} from '../schema/graph.schema.ts';
import { GAZETTEER_FILE, parseGazetteerCsv } from './gazetteer.ts';

export interface SeedData {
  nodes: GraphNode[];
  links: GraphLink[];
}

/** Where each label's records live, relative to the seed folder. */
export const NODE_FILES: Readonly<Record<Label, string>> = {
  Programme: 'nodes/programmes.csv',
  Organisation: 'nodes/organisations.csv',
  AdminArea: 'nodes/admin-areas.csv',
  Document: 'nodes/documents.csv',
  Topic: 'nodes/topics.csv',
  Law: 'nodes/laws.csv',
  Event: 'nodes/events.csv',
};
export const LINKS_FILE = 'links.csv';


/** Where a parsed record came from, for messages of later cross-record checks. */
export interface RecordOrigin {
  file: string;
  line: number;
}

const origins = new WeakMap<object, RecordOrigin>();

/** The file and line a record was read from, if it was read by this module. */
export function recordOrigin(record: object): RecordOrigin | undefined {
  return origins.get(record);
}

const AUDIT_COLUMNS = new Set(Object.keys(AuditStampSchema.shape));
const URL_PATTERN = /^https?:\/\//i;

// ---------------------------------------------------------------------------------------------------------------
// Reading the seed folder

/** Reads, validates and cross-checks the whole seed folder. Throws `Invalid` listing every problem found. */
export async function readSeedDir(dir: string): Promise<SeedData> {
  const problems: string[] = [];
  const data: SeedData = { nodes: [], links: [] };

  const nodesDir = path.join(dir, 'nodes');
  const expected = new Set(Object.values(NODE_FILES).map((f) => path.basename(f)));
  let present: string[] = [];
  try {
    present = (await readdir(nodesDir)).filter((name) => name.toLowerCase().endsWith('.csv'));
  } catch {
    problems.push(`${displayPath(nodesDir)}: the nodes folder is missing`);
  }
  for (const name of present) {
    if (!expected.has(name)) {
      problems.push(
        `${displayPath(path.join(nodesDir, name))}: unknown nodes file; expected one of ${[...expected].join(', ')} ` +
          '(the label comes from the file name)',
      );
    }
  }

  for (const label of LABELS) {
    const file = path.join(dir, NODE_FILES[label]);
    const text = await readText(file, problems);
    if (text === undefined) continue;
    collect(problems, () => data.nodes.push(...parseNodeCsv(text, label, displayPath(file))));
  }
  const linksFile = path.join(dir, LINKS_FILE);
  const linksText = await readText(linksFile, problems);
  if (linksText !== undefined) {
    collect(problems, () => data.links.push(...parseLinkCsv(linksText, displayPath(linksFile))));
  }

  // The national gazetteer (optional folder): converted at load, then merged with the curated rows.
  const gazetteerFile = path.join(dir, GAZETTEER_FILE);
  const gazetteerText = await readOptionalText(gazetteerFile, problems);
  if (gazetteerText !== undefined && problems.length === 0) {
    collect(problems, () => {
      const gazetteer = parseGazetteerCsv(gazetteerText, displayPath(gazetteerFile));
      for (const node of gazetteer.nodes) origins.set(node, { file: displayPath(gazetteerFile), line: gazetteer.lines.get(node.id)! });
      for (const link of gazetteer.links) origins.set(link, { file: displayPath(gazetteerFile), line: gazetteer.lines.get(link.from)! });
      mergeReference(data, gazetteer);
    });
  }

  if (problems.length === 0) collect(problems, () => checkSeedGraph(data));
  if (problems.length > 0) throw invalid(problems);
  return data;
}

async function readText(file: string, problems: string[]): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push(`${displayPath(file)}: ${code === 'ENOENT' ? 'the file is missing' : `cannot be read (${code})`}`);
    return undefined;
  }
}

async function readOptionalText(file: string, problems: string[]): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') problems.push(`${displayPath(file)}: cannot be read (${code})`);
    return undefined;
  }
}

/** Properties of a reference (gazetteer) record that a curated row with the same id must repeat exactly. */
const REFERENCE_NODE_KEYS = ['label', 'name_en', 'name_km', 'level', 'code', 'name_latin', 'lat', 'lon'] as const;
const REFERENCE_LINK_KEYS = ['type', 'from', 'to'] as const;
/** Coordinates agree when they differ by less than this (rounding to 6 decimals). */
const COORDINATE_TOLERANCE = 1e-6;

/**
 * Adds reference records (the gazetteer) to the curated ones. A curated record with the id of a reference record
 * is the same record: a value it gives for a property the reference record has must be the reference's (an error
 * naming both places otherwise; coordinates within 1e-6), what it leaves empty the reference fills, it may add
 * properties the reference lacks, and its sources are added to the reference's — one record that cites both. Reference records come first (provinces before their districts …).
 */
export function mergeReference(data: SeedData, reference: SeedData): void {
  const problems: string[] = [];
  const curatedNodes = new Map(data.nodes.map((n) => [n.id, n]));
  const curatedLinks = new Map(data.links.map((l) => [l.id, l]));
  const mergedNodeIds = new Set<string>();
  const mergedLinkIds = new Set<string>();
  const mergeOne = <T extends GraphNode | GraphLink>(kind: 'node' | 'link', ref: T, curated: T, keys: readonly string[]): T => {
    const r = ref as Record<string, unknown>;
    const c = curated as Record<string, unknown>;
    for (const key of keys) {
      if (r[key] === undefined || c[key] === undefined) continue;
      const same =
        typeof r[key] === 'number' && typeof c[key] === 'number'
          ? Math.abs((r[key] as number) - (c[key] as number)) < COORDINATE_TOLERANCE
          : r[key] === c[key];
      if (!same) {
        problems.push(
          `${where(kind, curated)}: ${key}: ${JSON.stringify(c[key] ?? null)} disagrees with the gazetteer's ${JSON.stringify(r[key])} ` +
            `at ${place(kind, ref)}; write the gazetteer's value or leave the row out (the gazetteer supplies it)`,
        );
      }
    }
    const merged = { ...c, ...Object.fromEntries(keys.filter((k) => r[k] !== undefined).map((k) => [k, r[k]])) } as Record<string, unknown>;
    merged.sources = [...new Set([...(ref.sources ?? []), ...(curated.sources ?? [])])];
    const out = merged as T;
    const origin = origins.get(curated);
    if (origin) origins.set(out, origin);
    return out;
  };
  const nodes: GraphNode[] = [];
  for (const ref of reference.nodes) {
    const curated = curatedNodes.get(ref.id);
    if (curated) mergedNodeIds.add(ref.id);
    nodes.push(curated ? mergeOne('node', ref, curated, REFERENCE_NODE_KEYS) : ref);
  }
  const links: GraphLink[] = [];
  for (const ref of reference.links) {
    const curated = curatedLinks.get(ref.id);
    if (curated) mergedLinkIds.add(ref.id);
    links.push(curated ? mergeOne('link', ref, curated, REFERENCE_LINK_KEYS) : ref);
  }
  if (problems.length > 0) throw invalid(problems);
  data.nodes = [...nodes, ...data.nodes.filter((n) => !mergedNodeIds.has(n.id))];
  data.links = [...links, ...data.links.filter((l) => !mergedLinkIds.has(l.id))];
}

/** Runs `fn`; an `Invalid` it throws becomes problem lines instead. */
function collect(problems: string[], fn: () => void): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    const listed = error.details?.['problems'];
    if (Array.isArray(listed)) problems.push(...listed.map(String));
    else problems.push(error.message);
  }
}

function invalid(problems: string[]): Invalid {
  return new Invalid(problems.join('\n'), { problems });
}

/** A path relative to the working directory when it is inside it (e.g. "seed/links.csv"), else as given. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing one CSV text

/** Node records of one label from one CSV text. `file` is used in messages. */
export function parseNodeCsv(text: string, label: Label, file: string): GraphNode[] {
  const schema = NODE_SCHEMAS[label] as unknown as z.ZodObject;
  const nodes = parseRecords(text, file, schema, ['label'], 'the label comes from the file name', (values) =>
    schema.safeParse({ label, ...values }),
  );
  return nodes as GraphNode[];
}

/** Link records from one CSV text. `file` is used in messages. */
export function parseLinkCsv(text: string, file: string): GraphLink[] {
  return parseRecords(text, file, LinkSchema, [], '', (values) => LinkSchema.safeParse(values)) as GraphLink[];
}

interface Row {
  cells: string[];
  line: number;
}

function parseRecords(
  rawText: string,
  file: string,
  schema: z.ZodObject,
  forbidden: string[],
  forbiddenWhy: string,
  validate: (values: Record<string, unknown>) => z.ZodSafeParseResult<unknown>,
): object[] {
  // NFC, and one line ending: csv-parse miscounts lines of CRLF files, and a line break inside a cell is "\n".
  const rows = readRows(rawText.normalize('NFC').replace(/\r\n?/g, '\n'), file);
  const header = rows.shift();
  if (!header) throw invalid([`${file}: the file is empty; it needs a header row`]);
  const shape = schema.shape as Record<string, z.ZodType>;
  const columns = header.cells.map((cell) => cell.trim());
  checkHeader(columns, shape, file, forbidden, forbiddenWhy);

  const problems: string[] = [];
  const records: object[] = [];
  for (const row of rows) {
    const idIndex = columns.indexOf('id');
    const id = row.cells[idIndex]?.trim();
    const where = `${file} line ${row.line}${id ? ` (id "${id}")` : ''}`;
    if (row.cells.length !== columns.length) {
      problems.push(`${where}: has ${row.cells.length} cells but the header has ${columns.length} columns`);
      continue;
    }
    const values: Record<string, unknown> = {};
    const coercionProblems = new Map<string, string>();
    columns.forEach((column, index) => {
      const cell = (row.cells[index] ?? '').trim();
      if (cell === '') return; // empty = absent
      const coerced = coerceCell(cell, shape[column]!);
      if (coerced.ok) values[column] = coerced.value;
      else {
        coercionProblems.set(column, `${column}: ${coerced.message}`);
        values[column] = cell;
      }
    });
    const result = validate(values);
    const messages = [...coercionProblems.values()];
    if (!result.success) {
      const rest = result.error.issues.filter((issue) => !coercionProblems.has(String(issue.path[0])));
      if (rest.length > 0) messages.push(formatIssues(new z.ZodError(rest)));
    }
    if (messages.length > 0) {
      problems.push(`${where}: ${messages.join('; ')}`);
      continue;
    }
    if (!result.success) continue; // unreachable: a failed parse always has messages
    const record = result.data as object;
    origins.set(record, { file, line: row.line });
    records.push(record);
  }
  if (problems.length > 0) throw invalid(problems);
  return records;
}

/** CSV rows with the line each starts on (line 1 = the header); empty lines are skipped. */
function readRows(text: string, file: string): Row[] {
  let parsed: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    parsed = parse(text, {
      bom: true,
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    throw invalid([`${file}${lines ? ` line ${lines}` : ''}: not valid CSV: ${(error as Error).message}`]);
  }
  return parsed.map(({ record, raw, info }) => {
    // info.lines is the line the record ends on; the raw text may start with skipped empty lines.
    const body = raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
    const inner = body.match(/\n/g)?.length ?? 0;
    return { cells: record, line: info.lines - inner };
  });
}

function checkHeader(
  columns: string[],
  shape: Record<string, z.ZodType>,
  file: string,
  forbidden: string[],
  forbiddenWhy: string,
): void {
  const allowed = Object.keys(shape).filter((key) => !forbidden.includes(key) && !AUDIT_COLUMNS.has(key));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column)) problems.push(`column "${column}" appears twice`);
    seen.add(column);
    if (allowed.includes(column)) continue;
    if (forbidden.includes(column)) problems.push(`column "${column}" is not allowed: ${forbiddenWhy}`);
    else if (AUDIT_COLUMNS.has(column)) {
      problems.push(`column "${column}" is not allowed: audit stamps are set by the store, not by seed files`);
    } else if (column === '') problems.push('a column has an empty name');
    else problems.push(`unknown column "${column}"; allowed columns are ${allowed.join(', ')}`);
  }
  for (const column of requiredColumns(shape, allowed)) {
    if (!seen.has(column)) problems.push(`required column "${column}" is missing`);
  }
  if (problems.length > 0) throw invalid(problems.map((problem) => `${file} line 1 (header): ${problem}`));
}

/** Columns a file must have: every property the schema requires, plus `sources` (every record cites). */
function requiredColumns(shape: Record<string, z.ZodType>, allowed: string[]): string[] {
  return allowed.filter((key) => key === 'sources' || !isOptional(shape[key]!));
}

// ---------------------------------------------------------------------------------------------------------------
// Coercion by schema type

function isOptional(schema: z.ZodType): boolean {
  return schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault;
}

/** The schema under optional/default/nullable/readonly/catch wrappers and pipes. */
function baseSchema(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodReadonly ||
      current instanceof z.ZodCatch
    ) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
}

type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

const NUMBER_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function coerceCell(cell: string, schema: z.ZodType): Coerced {
  const base = baseSchema(schema);
  if (base instanceof z.ZodArray) {
    const parts = cell
      .split(LIST_SEPARATOR.trim())
      .map((part) => part.trim())
      .filter((part) => part !== '');
    const values: unknown[] = [];
    for (const part of parts) {
      const coerced = coerceScalar(part, base.element as z.ZodType);
      if (!coerced.ok) return coerced;
      values.push(coerced.value);
    }
    return { ok: true, value: values };
  }
  return coerceScalar(cell, base);
}

function coerceScalar(cell: string, schema: z.ZodType): Coerced {
  const base = baseSchema(schema);
  if (base instanceof z.ZodNumber) {
    if (!NUMBER_PATTERN.test(cell)) return { ok: false, message: `"${cell}" is not a number (write e.g. 12.5)` };
    return { ok: true, value: Number(cell) };
  }
  if (base instanceof z.ZodBoolean) {
    const lower = cell.toLowerCase();
    if (lower === 'true') return { ok: true, value: true };
    if (lower === 'false') return { ok: true, value: false };
    return { ok: false, message: `"${cell}" is not a boolean (write true or false)` };
  }
  return { ok: true, value: cell };
}

// ---------------------------------------------------------------------------------------------------------------
// Checks across records

/**
 * Duplicate ids (nodes and links, naming both places), link endpoints that do not exist or whose labels the
 * schema does not allow for the link type, and sources that are neither URLs nor ids of Document nodes.
 */
export function checkSeedGraph(data: SeedData): void {
  const problems: string[] = [];
  const nodesById = new Map<string, GraphNode>();
  for (const node of data.nodes) {
    const first = nodesById.get(node.id);
    if (first) problems.push(`${where('node', node)}: duplicate node id, first defined at ${place('node', first)}`);
    else nodesById.set(node.id, node);
  }
  const linksById = new Map<string, GraphLink>();
  for (const link of data.links) {
    const first = linksById.get(link.id);
    if (first) problems.push(`${where('link', link)}: duplicate link id, first defined at ${place('link', first)}`);
    else linksById.set(link.id, link);
  }

  const documentIds = new Set(data.nodes.filter((node) => node.label === 'Document').map((node) => node.id));
  const checkSources = (kind: 'node' | 'link', record: GraphNode | GraphLink) => {
    for (const source of record.sources) {
      if (URL_PATTERN.test(source) || documentIds.has(source)) continue;
      problems.push(
        `${where(kind, record)}: sources: "${source}" is neither an http(s) URL nor the id of a Document node`,
      );
    }
  };
  data.nodes.forEach((node) => checkSources('node', node));

  for (const link of data.links) {
    const from = nodesById.get(link.from);
    const to = nodesById.get(link.to);
    if (!from) problems.push(`${where('link', link)}: from: no node has the id "${link.from}"`);
    if (!to) problems.push(`${where('link', link)}: to: no node has the id "${link.to}"`);
    if (from && to) {
      const refused = checkLinkEndpoints(link.type, from.label, to.label);
      if (refused) problems.push(`${where('link', link)}: ${refused} ("${link.from}" → "${link.to}")`);
    }
    checkSources('link', link);
  }
  if (problems.length > 0) throw invalid(problems);
}

/** "seed/links.csv line 14 (id "x")", or "link "x"" for a record not read from a file. */
function where(kind: 'node' | 'link', record: { id: string }): string {
  const origin = origins.get(record);
  return origin ? `${origin.file} line ${origin.line} (id "${record.id}")` : `${kind} "${record.id}"`;
}

function place(kind: 'node' | 'link', record: { id: string }): string {
  const origin = origins.get(record);
  return origin ? `${origin.file} line ${origin.line}` : `another ${kind} record`;
}
