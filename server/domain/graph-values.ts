/**
 * The values the store hands to services and routes and the API sends on (plain JSON, no driver types): search
 * hits, neighbour pages, paths, stats, audit entries. Declared here, in the domain, so that search ranking and the
 * store share them without one importing the other; the API's own shapes are server/http/api.contract.ts.
 */
import type { GraphLink, GraphNode, Label, LinkType } from '../schema/graph.schema.ts';
import type { Story } from '../schema/story.schema.ts';

export type StoreKind = 'embedded' | 'neo4j';
export type Direction = 'in' | 'out' | 'both';
export type LineageDirection = 'both' | 'back' | 'forward';
/** What an audit entry may change: the graph's nodes and links, and stories (told over the graph, not part of it). */
export type EntityKind = 'node' | 'link' | 'story';

export interface NeighbourPage {
  /** How many links match the filter, before limit/offset. */
  total: number;
  links: GraphLink[];
  /** The nodes at the other end of `links`, each once. */
  nodes: GraphNode[];
}

export interface Elements {
  nodes: GraphNode[];
  links: GraphLink[];
  truncated: boolean;
}

export interface PathHop {
  link: GraphLink;
  /** True when the link points along the path (from the earlier node to the later one). */
  forward: boolean;
}

export interface GraphPath {
  /** Node ids from `from` to `to`. */
  nodes: string[];
  hops: PathHop[];
}

export interface PathResult {
  /** Every shortest path (up to the limit), in a stable order. */
  paths: GraphPath[];
  /** The nodes on those paths. */
  nodes: GraphNode[];
  /** More shortest paths exist than were returned. */
  truncated: boolean;
}

export interface SearchHit {
  id: string;
  label: Label;
  name_en: string;
  name_km: string;
  acronym?: string;
  score: number;
  /** Which field matched best: name_en, name_km, acronym, id … */
  matched: string;
  /** An area's level (province … village): at equal scores a district comes before a commune of the same name. */
  level?: string;
  /** An area's containing areas, nearest first (district, province), to tell namesakes apart: "Banan · Battambang". */
  parents?: SearchHitParent[];
}

export interface SearchHitParent {
  id: string;
  name_en: string;
  name_km: string;
}

export interface GraphStats {
  nodes: Partial<Record<Label, number>>;
  links: Partial<Record<LinkType, number>>;
  quality: {
    /** Nodes whose name_km is empty or holds no Khmer letters (e.g. imported with an English fallback). */
    nodesMissingKhmer: number;
    nodesMissingEnglish: number;
    linksWithoutSource: number;
    draftLinks: number;
  };
}

export interface WriteResult {
  created: number;
  updated: number;
  unchanged: number;
}

/** Who writes: recorded as created_by / updated_by. */
export interface Actor {
  name: string;
}

export const AUDIT_ACTIONS = [
  'create_node',
  'update_node',
  'delete_node',
  'create_link',
  'update_link',
  'delete_link',
  'upsert',
  'import',
  'revert',
  'create_story',
  'update_story',
  'delete_story',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One record's change: `before` null for a creation, `after` null for a deletion. */
export interface AuditChange {
  entity: EntityKind;
  id: string;
  before: GraphNode | GraphLink | Story | null;
  after: GraphNode | GraphLink | Story | null;
}

/** One user action (or one bulk upsert), recorded atomically with the data it changed. */
export interface AuditEntry {
  id: string;
  /** Order of commits in this store: newer entries have higher numbers. */
  seq: number;
  at: string;
  by: string;
  action: AuditAction;
  /** For a revert: the entry it undid. */
  revert_of?: string;
  changes: AuditChange[];
}

export type HealthReport =
  | { ok: true; kind: StoreKind; version?: string }
  | { ok: false; kind: StoreKind; message: string };

export interface LinkCounts {
  [type: string]: { out: number; in: number };
}

export interface CypherResult {
  columns: string[];
  /** Plain JSON values: nodes and relationships as { id, label | type, … } records. */
  rows: unknown[][];
  /** The nodes and links the rows contain, for drawing. */
  elements: { nodes: GraphNode[]; links: GraphLink[] };
  /** More rows existed than maxRows. */
  truncated: boolean;
}
