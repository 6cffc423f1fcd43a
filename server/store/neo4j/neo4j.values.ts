/**
 * The boundary between driver values and the plain JSON records of the GraphStore interface, both ways: no
 * Integer, temporal, Node or Relationship leaves this store, and internal properties (the normalised `search`
 * key) never reach the API.
 */
import neo4j, { type Node } from 'neo4j-driver';
import { CorruptData } from '../../domain/errors.ts';
import { isLabel, isLinkType, type GraphLink, type GraphNode, type Label } from '../../schema/graph.schema.ts';
import { cellsProperty } from '../../search/search-cells.ts';
import { searchKey } from '../../search/search.ranking.ts';
import { nameKeys } from '../change-plan.ts';
import { auditKey } from '../audit-query.ts';
import type { AuditChange, AuditEntry, EntityKind } from '../graph-store.ts';
import type { Story } from '../../schema/story.schema.ts';

/** Properties the store keeps on nodes for itself. */
const INTERNAL_NODE_PROPERTIES = new Set(['search', 'search_cells', 'name_keys']);

/** A driver value as plain JSON: Integer → number, temporal → ISO string, Node → GraphNode, lists and maps deep. */
export function toPlain(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (neo4j.isInt(value)) return value.inSafeRange() ? value.toNumber() : value.toString();
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (
    neo4j.isDate(value) ||
    neo4j.isDateTime(value) ||
    neo4j.isLocalDateTime(value) ||
    neo4j.isTime(value) ||
    neo4j.isLocalTime(value) ||
    neo4j.isDuration(value)
  ) {
    return value.toString();
  }
  if (neo4j.isPoint(value)) {
    const point = { srid: toPlain(value.srid), x: value.x, y: value.y } as Record<string, unknown>;
    if (value.z !== undefined) point.z = value.z;
    return point;
  }
  if (neo4j.isNode(value)) return nodeFromNeo4j(value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = toPlain(v);
    return out;
  }
  return value;
}

/** The domain label of a node: the one of its Neo4j labels that the schema knows. */
export function labelOf(labels: readonly string[]): Label | undefined {
  return labels.find(isLabel);
}

/** A Neo4j node as our GraphNode: label from its labels, properties plain, internal ones dropped. */
export function nodeFromNeo4j(node: Node): GraphNode {
  const label = labelOf(node.labels);
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node.properties)) {
    if (!INTERNAL_NODE_PROPERTIES.has(key)) props[key] = toPlain(value);
  }
  if (!label) {
    throw new CorruptData(`Neo4j node ${String(props.id)} has none of the schema's labels (${node.labels.join(', ')})`, {
      id: props.id,
    });
  }
  return { ...props, label } as GraphNode;
}

/** A link map from the Cypher projection `r {.*, type, from, to}` as our GraphLink. */
export function linkFromNeo4j(value: unknown): GraphLink {
  return toPlain(value) as GraphLink;
}

/** What is stored on a node: every property but `label` (the Neo4j label), plus the search key and cells. */
export function nodeToRow(node: GraphNode): { id: string; props: Record<string, unknown> } {
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'label' && value !== undefined && !INTERNAL_NODE_PROPERTIES.has(key)) props[key] = key === 'version' ? versionInt(value) : value;
  }
  props.search = searchKey(node);
  props.search_cells = cellsProperty(props.search as string);
  props.name_keys = nameKeysProperty(node);
  return { id: node.id, props };
}

/** The `name_keys` property: the node's name keys (server/schema/name-key.ts), each between U+0001 separators. */
export function nameKeysProperty(node: Pick<GraphNode, 'name_en' | 'name_km'>): string {
  return `\u0001${[...new Set(nameKeys(node).map((k) => k.value))].map((key) => `${key}\u0001`).join('')}`;
}

/** What NAME_CANDIDATES looks for: one key between separators. */
export function nameKeyNeedle(key: string): string {
  return `\u0001${key}\u0001`;
}

/** What is stored on a relationship: every property but `type`, `from`, `to` (the relationship's own). */
export function linkToRow(link: GraphLink): { id: string; from: string; to: string; props: Record<string, unknown> } {
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(link)) {
    if (key !== 'type' && key !== 'from' && key !== 'to' && value !== undefined) props[key] = key === 'version' ? versionInt(value) : value;
  }
  return { id: link.id, from: link.from, to: link.to, props };
}

/**
 * An audit entry as the properties of an :AuditEntry node: flat lists, one item per change — `keys`
 * ("node:<id>", "link:<id>", for filtering), `before` and `after` as JSON strings ("null" for none). With `parts`,
 * the changes are in that many :AuditPart nodes (auditPartToProps) and the entry's own lists are empty.
 */
export function auditToProps(entry: AuditEntry, parts?: number): Record<string, unknown> {
  const head = {
    id: entry.id,
    seq: neo4j.int(entry.seq),
    at: entry.at,
    by: entry.by,
    action: entry.action,
    ...(entry.revert_of ? { revert_of: entry.revert_of } : {}),
  };
  if (parts !== undefined) return { ...head, keys: [], before: [], after: [], parts: neo4j.int(parts) };
  return { ...head, ...auditLists(entry.changes) };
}

/** Part `n` of the entry `entry`'s changes, as the properties of an :AuditPart node. */
export function auditPartToProps(entry: string, n: number, changes: readonly AuditChange[]): Record<string, unknown> {
  return { entry, n: neo4j.int(n), ...auditLists(changes) };
}

function auditLists(changes: readonly AuditChange[]): { keys: string[]; before: string[]; after: string[] } {
  return {
    keys: changes.map((change) => auditKey(change.entity, change.id)),
    before: changes.map((change) => JSON.stringify(change.before)),
    after: changes.map((change) => JSON.stringify(change.after)),
  };
}

/** The lists of one :AuditPart, as read (GET_AUDIT_PARTS). */
export interface AuditPartLists {
  keys: string[];
  before: string[];
  after: string[];
}

/** An :AuditEntry node as an entry; `parts` are its :AuditPart lists in order, when it has them. */
export function auditFromNeo4j(node: Node, parts: readonly AuditPartLists[] = []): AuditEntry {
  const p = toPlain(node.properties) as {
    id: string;
    seq: number;
    at: string;
    by: string;
    action: AuditEntry['action'];
    revert_of?: string;
    keys: string[];
    before: string[];
    after: string[];
  };
  try {
    const changes: AuditChange[] = [];
    for (const lists of [p, ...parts]) {
      if (lists.keys.length !== lists.before.length || lists.keys.length !== lists.after.length) throw new Error('its lists differ in length');
      lists.keys.forEach((key, i) => {
        const colon = key.indexOf(':');
        changes.push({
          entity: key.slice(0, colon) as EntityKind,
          id: key.slice(colon + 1),
          before: JSON.parse(lists.before[i]!) as AuditChange['before'],
          after: JSON.parse(lists.after[i]!) as AuditChange['after'],
        });
      });
    }
    return { id: p.id, seq: p.seq, at: p.at, by: p.by, action: p.action, ...(p.revert_of ? { revert_of: p.revert_of } : {}), changes };
  } catch (error) {
    throw new CorruptData(`Neo4j audit entry ${String(p.id)} cannot be read back: ${(error as Error).message}`, { id: p.id });
  }
}

/** The record version as a Neo4j integer (JS numbers would be stored as floats). */
function versionInt(value: unknown): unknown {
  return typeof value === 'number' && Number.isSafeInteger(value) ? neo4j.int(value) : value;
}

/** A story as stored: one JSON string (a story's steps are a list of objects, which Neo4j properties cannot hold). */
export function storyFromJson(json: unknown): Story {
  try {
    return JSON.parse(json as string) as Story;
  } catch (error) {
    throw new CorruptData(`a Neo4j story cannot be read back: ${(error as Error).message}`);
  }
}

/** A whole number for Cypher (SKIP, LIMIT, slices): JS numbers travel as floats. */
export function int(value: number) {
  return neo4j.int(Math.trunc(value));
}

// ------------------------------------------------------------------------------------------ the Cypher console

/** Whole JSON numbers as Integers (so `LIMIT $n` works), deep; everything else as it is. */
export function consoleParams(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? neo4j.int(value) : value;
  if (Array.isArray(value)) return value.map(consoleParams);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, consoleParams(v)]));
  }
  return value;
}

/** The element ids of nodes a console result holds and of relationship ends it does not. */
export function consoleEndpoints(rows: readonly unknown[][]): { nodes: Map<string, Node>; missing: Set<string> } {
  const nodes = new Map<string, Node>();
  const ends = new Set<string>();
  const visit = (value: unknown): void => {
    if (neo4j.isNode(value)) nodes.set(value.elementId, value);
    else if (neo4j.isRelationship(value)) {
      ends.add(value.startNodeElementId);
      ends.add(value.endNodeElementId);
    } else if (neo4j.isPath(value)) {
      visit(value.start);
      for (const segment of value.segments) {
        visit(segment.relationship);
        visit(segment.end);
      }
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object' && !isDriverScalar(value)) Object.values(value).forEach(visit);
  };
  rows.forEach((row) => row.forEach(visit));
  return { nodes, missing: new Set([...ends].filter((id) => !nodes.has(id))) };
}

/**
 * Console rows as plain JSON: a node as our record ({ id, label, … }, internal properties dropped), a
 * relationship as { id, type, from, to, … } with the ids of its ends, a path as { nodes, links }; and the nodes
 * and links of our schema among them, each once, for drawing. `nodes` must hold every relationship end.
 */
export function consoleRows(
  rows: readonly unknown[][],
  nodes: ReadonlyMap<string, Node>,
): { rows: unknown[][]; elements: { nodes: GraphNode[]; links: GraphLink[] } } {
  const drawNodes = new Map<string, GraphNode>();
  const drawLinks = new Map<string, GraphLink>();
  const node = (value: Node): Record<string, unknown> => {
    const props: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value.properties)) if (!INTERNAL_NODE_PROPERTIES.has(key)) props[key] = toPlain(v);
    const label = labelOf(value.labels);
    const record = { ...props, id: props.id ?? value.elementId, label: label ?? value.labels[0] ?? null };
    if (label && typeof props.id === 'string') drawNodes.set(props.id, record as GraphNode);
    return record;
  };
  const idOf = (elementId: string): unknown => {
    const end = nodes.get(elementId);
    if (!end) return elementId;
    const id = end.properties.id;
    if (labelOf(end.labels) && typeof id === 'string' && !drawNodes.has(id)) node(end);
    return typeof id === 'string' ? id : elementId;
  };
  const convert = (value: unknown): unknown => {
    if (neo4j.isNode(value)) return node(value);
    if (neo4j.isRelationship(value)) {
      const props: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value.properties)) props[key] = toPlain(v);
      const record = { ...props, id: props.id ?? value.elementId, type: value.type, from: idOf(value.startNodeElementId), to: idOf(value.endNodeElementId) };
      const start = nodes.get(value.startNodeElementId);
      const end = nodes.get(value.endNodeElementId);
      if (isLinkType(value.type) && typeof props.id === 'string' && start && end && labelOf(start.labels) && labelOf(end.labels)) {
        drawLinks.set(props.id, record as GraphLink);
      }
      return record;
    }
    if (neo4j.isPath(value)) {
      const pathNodes = [convert(value.start)];
      const pathLinks: unknown[] = [];
      for (const segment of value.segments) {
        pathLinks.push(convert(segment.relationship));
        pathNodes.push(convert(segment.end));
      }
      return { nodes: pathNodes, links: pathLinks };
    }
    if (Array.isArray(value)) return value.map(convert);
    if (value && typeof value === 'object' && !isDriverScalar(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, convert(v)]));
    }
    return toPlain(value);
  };
  const out = rows.map((row) => row.map(convert));
  return { rows: out, elements: { nodes: [...drawNodes.values()], links: [...drawLinks.values()] } };
}

/** Driver values that are objects but single values (numbers, dates, points …), converted by toPlain. */
function isDriverScalar(value: object): boolean {
  return (
    neo4j.isInt(value) ||
    neo4j.isDate(value) ||
    neo4j.isDateTime(value) ||
    neo4j.isLocalDateTime(value) ||
    neo4j.isTime(value) ||
    neo4j.isLocalTime(value) ||
    neo4j.isDuration(value) ||
    neo4j.isPoint(value)
  );
}
