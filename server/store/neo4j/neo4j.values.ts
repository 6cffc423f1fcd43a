/**
 * The boundary between driver values and the plain JSON records of the GraphStore interface, both ways: no
 * Integer, temporal, Node or Relationship leaves this store, and internal properties (the normalised `search`
 * key) never reach the API.
 */
import neo4j, { type Node } from 'neo4j-driver';
import { CorruptData } from '../../domain/errors.ts';
import { isLabel, type GraphLink, type GraphNode, type Label } from '../../schema/graph.schema.ts';
import { searchKey } from '../../search/search.ranking.ts';

/** Properties the store keeps on nodes for itself. */
const INTERNAL_NODE_PROPERTIES = new Set(['search']);

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

/** What is stored on a node: every property but `label` (the Neo4j label), plus the search key. */
export function nodeToRow(node: GraphNode): { id: string; props: Record<string, unknown> } {
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'label' && value !== undefined && !INTERNAL_NODE_PROPERTIES.has(key)) props[key] = value;
  }
  props.search = searchKey(node);
  return { id: node.id, props };
}

/** What is stored on a relationship: every property but `type`, `from`, `to` (the relationship's own). */
export function linkToRow(link: GraphLink): { id: string; from: string; to: string; props: Record<string, unknown> } {
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(link)) {
    if (key !== 'type' && key !== 'from' && key !== 'to' && value !== undefined) props[key] = value;
  }
  return { id: link.id, from: link.from, to: link.to, props };
}

/** A whole number for Cypher (SKIP, LIMIT, slices): JS numbers travel as floats. */
export function int(value: number) {
  return neo4j.int(Math.trunc(value));
}
