/**
 * The snapshot's text: records stored as rows of values under shared key lists ("shapes"), which is about a third
 * smaller than objects and several times faster to parse; objects are rebuilt with one compiled constructor per
 * shape, so records of a shape share V8's hidden class. Version 3 puts a header line and then one row per line,
 * read line by line from the file's bytes, so loading never holds the whole file as one string (at 100k nodes a
 * 150 MB UTF-16 string, which V8 keeps as resident memory long after). Versions 1 (plain objects) and 2 (rows in
 * one JSON document) are still read.
 */
import type { GraphLink, GraphNode } from '../../schema/graph.schema.ts';
import type { Story } from '../../schema/story.schema.ts';

export interface SnapshotData {
  seq: number;
  nodes: GraphNode[];
  links: GraphLink[];
  /** Stories (beside the graph): one JSON line each after the links; absent in snapshots written before them. */
  stories?: Story[];
}

/** Properties whose values repeat across many records; their equal values are shared in memory after loading. */
const SHARED_KEYS = new Set([
  'label', 'type', 'from', 'to', 'sources', 'created_at', 'created_by', 'updated_at', 'updated_by',
  'category', 'level', 'status', 'language', 'currency', 'role', 'role_km',
]);
const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function encodeSnapshot(data: SnapshotData): string {
  return [...encodeSnapshotChunks(data)].join('');
}

/**
 * The snapshot's text in pieces of at most `linesPerChunk` lines, each ending with a newline, for writing one after
 * the other: the whole text is never one string (V8 strings stop at 2^29 − 24 characters, which a graph of 1M
 * nodes and 3M links exceeds), and no row is built before its chunk is. Joined, they are encodeSnapshot's text.
 */
export function* encodeSnapshotChunks(data: SnapshotData, linesPerChunk = 10_000): Generator<string> {
  const shapes: string[][] = [];
  const shapeIndex = new Map<string, number>();
  const keysOf = (record: object) => Object.keys(record).filter((k) => (record as Record<string, unknown>)[k] !== undefined);
  // First pass: the shapes, which the header lists before any row.
  const shapeOf = (records: readonly object[]): Uint32Array => {
    const out = new Uint32Array(records.length);
    records.forEach((record, i) => {
      const keys = keysOf(record);
      const signature = keys.join(',');
      let index = shapeIndex.get(signature);
      if (index === undefined) {
        index = shapes.length;
        shapes.push(keys);
        shapeIndex.set(signature, index);
      }
      out[i] = index;
    });
    return out;
  };
  const nodeShapes = shapeOf(data.nodes);
  const linkShapes = shapeOf(data.links);
  const stories = data.stories ?? [];
  yield `${JSON.stringify({
    format: 'dar-kg-snapshot',
    version: 3,
    seq: data.seq,
    shapes,
    nodes: data.nodes.length,
    links: data.links.length,
    ...(stories.length > 0 ? { stories: stories.length } : {}),
  })}\n`;
  let lines: string[] = [];
  function* flush(): Generator<string> {
    if (lines.length > 0) yield `${lines.join('\n')}\n`;
    lines = [];
  }
  const rows = function* (records: readonly object[], indexes: Uint32Array): Generator<string> {
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as Record<string, unknown>;
      const keys = shapes[indexes[i]!]!;
      lines.push(JSON.stringify([indexes[i], ...keys.map((k) => record[k])]));
      if (lines.length >= linesPerChunk) yield* flush();
    }
  };
  yield* rows(data.nodes, nodeShapes);
  yield* rows(data.links, linkShapes);
  for (const story of stories) {
    lines.push(JSON.stringify(story));
    if (lines.length >= linesPerChunk) yield* flush();
  }
  yield* flush();
}

type Shape = { width: number; shared: number[]; build: (row: unknown[]) => object };

function compileShapes(shapes: unknown): Shape[] {
  if (!Array.isArray(shapes)) throw new Error('the snapshot has no shapes');
  return shapes.map((keys, i) => {
    if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string' && KEY.test(k))) {
      throw new Error(`shape ${i} is not a list of property names`);
    }
    // Keys are checked above, so the generated source holds nothing but property names and row indexes.
    const body = `return {${keys.map((k, j) => `${k}: r[${j + 1}]`).join(', ')}};`;
    const shared = keys.flatMap((k, j) => (SHARED_KEYS.has(k) ? [j + 1] : []));
    return { width: keys.length + 1, shared, build: new Function('r', body) as (row: unknown[]) => object };
  });
}

function buildRecord<T>(row: unknown, shapes: Shape[], intern: Interner, what: string): T {
  const shape = Array.isArray(row) ? shapes[row[0] as number] : undefined;
  if (!shape || (row as unknown[]).length !== shape.width) throw new Error(`${what} does not match its shape`);
  const values = row as unknown[];
  for (const j of shape.shared) values[j] = intern.value(values[j]);
  return shape.build(values) as T;
}

/** Throws an Error saying what is wrong; the caller names the file. */
export function decodeSnapshot(input: string | Buffer): SnapshotData {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const firstNewline = bytes.indexOf(10);
  if (firstNewline !== -1) {
    let header: { format?: unknown; version?: unknown } | undefined;
    try {
      header = JSON.parse(bytes.toString('utf8', 0, firstNewline));
    } catch {
      header = undefined;
    }
    if (header?.format === 'dar-kg-snapshot' && header.version === 3) return decodeLines(bytes, firstNewline);
  }
  return decodeDocument(bytes.toString('utf8'));
}

function decodeLines(bytes: Buffer, firstNewline: number): SnapshotData {
  const header = JSON.parse(bytes.toString('utf8', 0, firstNewline)) as { seq?: unknown; shapes?: unknown; nodes?: unknown; links?: unknown; stories?: unknown };
  if (!Number.isInteger(header.seq) || !Number.isInteger(header.nodes) || !Number.isInteger(header.links)) {
    throw new Error('the snapshot header is incomplete');
  }
  const storyCount = header.stories === undefined ? 0 : header.stories;
  if (!Number.isInteger(storyCount) || (storyCount as number) < 0) throw new Error('the snapshot header has a bad story count');
  const stories: Story[] = [];
  const shapes = compileShapes(header.shapes);
  const intern = new Interner();
  const nodes: GraphNode[] = [];
  const links: GraphLink[] = [];
  const records = (header.nodes as number) + (header.links as number);
  const total = records + (storyCount as number);
  let at = firstNewline + 1;
  for (let i = 0; i < total; i++) {
    const end = bytes.indexOf(10, at);
    if (end === -1) throw new Error(`the snapshot ends after ${i} of ${total} records`);
    const line = i + 2;
    let row: unknown;
    try {
      row = JSON.parse(bytes.toString('utf8', at, end));
    } catch (error) {
      throw new Error(`line ${line}: ${(error as Error).message}`);
    }
    if (i >= records) {
      if (!row || typeof row !== 'object' || Array.isArray(row) || typeof (row as Story).id !== 'string') throw new Error(`line ${line} is not a story`);
      stories.push(row as Story);
    } else if (i < (header.nodes as number)) nodes.push(buildRecord<GraphNode>(row, shapes, intern, `line ${line} (a node)`));
    else links.push(buildRecord<GraphLink>(row, shapes, intern, `line ${line} (a link)`));
    at = end + 1;
  }
  if (at !== bytes.length) throw new Error(`the snapshot has data after its ${total} records`);
  return { seq: header.seq as number, nodes, links, ...(stories.length > 0 ? { stories } : {}) };
}

/** Versions 1 and 2: the whole snapshot as one JSON document. */
function decodeDocument(text: string): SnapshotData {
  const raw = JSON.parse(text) as {
    format?: unknown;
    version?: unknown;
    seq?: unknown;
    shapes?: unknown;
    nodes?: unknown;
    links?: unknown;
  };
  if (raw?.format !== 'dar-kg-snapshot' || !Number.isInteger(raw.seq) || !Array.isArray(raw.nodes) || !Array.isArray(raw.links)) {
    throw new Error('not a DAR Knowledge Graph snapshot');
  }
  if (raw.version === 1) return { seq: raw.seq as number, nodes: raw.nodes as GraphNode[], links: raw.links as GraphLink[] };
  if (raw.version !== 2 || !Array.isArray(raw.shapes)) throw new Error(`unknown snapshot version ${String(raw.version)}`);
  const shapes = compileShapes(raw.shapes);
  const intern = new Interner();
  const decode = <T>(rows: unknown[], what: string): T[] => rows.map((row, i) => buildRecord<T>(row, shapes, intern, `${what} row ${i}`));
  return { seq: raw.seq as number, nodes: decode<GraphNode>(raw.nodes, 'node'), links: decode<GraphLink>(raw.links, 'link') };
}

/**
 * Shares equal short strings (labels, types, ids in from/to, audit stamps, source URLs) and equal lists of
 * strings (sources) between records: JSON.parse makes a new copy of each, which at 100k nodes / 300k links is
 * over a million duplicate strings. Shared lists are frozen: records are replaced whole, never changed in place.
 */
class Interner {
  private readonly strings = new Map<string, string>();
  private readonly lists = new Map<string, readonly string[]>();

  value(value: unknown): unknown {
    if (typeof value === 'string') return value.length <= 200 ? this.string(value) : value;
    if (Array.isArray(value) && value.length <= 8 && value.every((v) => typeof v === 'string' && v.length <= 200)) {
      const key = value.join('\u0000');
      let list = this.lists.get(key);
      if (!list) {
        list = Object.freeze(value.map((v: string) => this.string(v)));
        this.lists.set(key, list);
      }
      return list;
    }
    return value;
  }

  private string(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    this.strings.set(text, text);
    return text;
  }
}
