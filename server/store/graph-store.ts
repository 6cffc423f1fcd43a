/**
 * The one interface every store implements (embedded and Neo4j). Routes and services only see this; values that
 * cross it are plain JSON (no driver types). The store contract suite (tests/contract) runs against every store.
 */
import type { GraphLink, GraphNode, Label, LinkType } from '../schema/graph.schema.ts';
import type { Story } from '../schema/story.schema.ts';
import type {
  Actor,
  AuditAction,
  AuditEntry,
  CypherResult,
  Direction,
  Elements,
  EntityKind,
  GraphStats,
  HealthReport,
  LineageDirection,
  LinkCounts,
  NeighbourPage,
  PathResult,
  SearchHit,
  StoreKind,
  WriteResult,
} from '../domain/graph-values.ts';

// The values (search hits, pages, audit entries …) are the domain's; re-exported for the stores and services.
export * from '../domain/graph-values.ts';

/** A node with its link counts per type. */
export interface NodeDetails {
  node: GraphNode;
  linkCounts: LinkCounts;
}

export interface NeighbourQuery {
  type?: LinkType;
  direction: Direction;
  limit: number;
  offset?: number;
}

export interface TraverseQuery {
  /** Follow only these relationship types. */
  types: readonly LinkType[];
  direction: Direction;
  /** Hops from the start, at least 1. */
  depth: number;
  /** Stop after this many nodes (the start included); `truncated` says so. */
  limit: number;
}

export interface SubgraphQuery {
  /** Keep only nodes with these labels (all when absent). With `around`, the start node is always kept. */
  labels?: readonly Label[];
  /** Keep (and with `around`, follow) only links of these types (all when absent). */
  types?: readonly LinkType[];
  /** Everything within `depth` hops of this node, in either direction; the whole graph when absent. */
  around?: string;
  depth: number;
  /** At most this many nodes; `truncated` says when more matched. */
  limit: number;
}

export interface PathQuery {
  from: string;
  to: string;
  maxHops: number;
  /** Follow only these types (all when absent). Links are followed in either direction. */
  types?: readonly LinkType[];
  /** At most this many paths. */
  limit: number;
}

/** What a lineage reads: see GraphStore.lineageRecords and server/services/lineage.service.ts. */
export interface LineageQuery {
  /** SUCCEEDS out (back, to predecessors), in (forward, to successors) or both; PART_OF and SUPPORTS always either way. */
  direction: LineageDirection;
  /** Breadth-first steps from the start. */
  depth: number;
  /** Links read per page, the first by link id: the page size of every neighbour page the walk reads. */
  linksPerPage: number;
  /** The walk keeps at most this many programmes (the start included). */
  maxProgrammes: number;
  /** The link types that make an organisation a participant (funder, implementer, partner). */
  participantTypes: readonly LinkType[];
}

/** The pages one step of the walk reads at a programme: each its first `linksPerPage` links by link id. */
export interface LineagePages {
  at: string;
  /** SUCCEEDS out (to predecessors); empty when the direction is `forward`. */
  succeedsOut: GraphLink[];
  /** SUCCEEDS in (from successors); empty when the direction is `back`. */
  succeedsIn: GraphLink[];
  /** PART_OF either way (phases and containers). */
  partOf: GraphLink[];
  /** SUPPORTS either way (donor projects and the national programmes they support). */
  supports: GraphLink[];
}

export interface LineageRecords {
  /** The node with the asked id, whatever its label; undefined when there is none. */
  start: GraphNode | undefined;
  /**
   * The pages of every programme the walk expands (those within depth - 1 steps, or within the step where
   * maxProgrammes were reached); it may hold more (the walk keeps the first maxProgrammes in its own order).
   */
  pages: LineagePages[];
  /** Per programme reached: the links of `participantTypes` among its first `linksPerPage` outgoing links, by id. */
  participants: { at: string; links: GraphLink[] }[];
  /** The nodes at the other ends of all those links (the programmes reached among them), each once. */
  nodes: GraphNode[];
}

export interface SearchQuery {
  q: string;
  limit: number;
  labels?: Label[];
}

export interface WriteBatch {
  nodes?: GraphNode[];
  links?: GraphLink[];
}

// ------------------------------------------------------------------------------------------ changes and audit

/**
 * One change of a write. Puts create or replace a record (the store sets created_*, updated_* and version);
 * `create` refuses an id that exists; `expectedVersion` refuses a record whose version is another one
 * (PreconditionFailed) or that does not exist (NotFound); `checkName` refuses a node whose normalised English or
 * Khmer name another node of its label already has; `restore` brings back a former state (from the audit),
 * keeping its created_* and continuing its versions.
 */
export type GraphChange =
  | { kind: 'putNode'; node: GraphNode; create?: boolean; expectedVersion?: number; checkName?: boolean; restore?: boolean }
  /** Refused while the node has links (Conflict `has_links`) unless `cascade`, which deletes them in the same change. */
  | { kind: 'deleteNode'; id: string; expectedVersion?: number; cascade?: boolean }
  | { kind: 'putLink'; link: GraphLink; create?: boolean; expectedVersion?: number; restore?: boolean }
  | { kind: 'deleteLink'; id: string; expectedVersion?: number }
  /** Stories (server/schema/story.schema.ts): records beside the graph, versioned and audited like nodes. */
  | { kind: 'putStory'; story: Story; create?: boolean; expectedVersion?: number; restore?: boolean }
  | { kind: 'deleteStory'; id: string; expectedVersion?: number };

export interface AuditQuery {
  /** Entries that changed this record (of this kind, or of either kind when absent). */
  entity?: { kind?: EntityKind; id: string };
  /** Entries by this editor. */
  editor?: string;
  /** Entries at or after this ISO time. */
  since?: string;
  /** Entries older than this seq (paging). */
  before?: number;
  limit: number;
}

export interface ChangeOptions {
  actor: Actor;
  action: AuditAction;
  revertOf?: string;
  /**
   * Told how many of the write's records are written so far, and of how many, as a bulk load goes (the Neo4j store
   * after each batch of its transaction; the embedded store once, when the write is durable). For progress lines.
   */
  onProgress?: (written: number, total: number) => void;
}

export interface ChangeResult {
  /** The audit entry written; undefined when nothing changed (every put equal to what is stored). */
  entry: AuditEntry | undefined;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

export interface CypherOptions {
  timeoutMs: number;
  maxRows: number;
}

export interface GraphStore {
  readonly kind: StoreKind;

  health(): Promise<HealthReport>;
  close(): Promise<void>;
  /** The version of the model the store holds (SCHEMA_VERSION once opened: older data is upgraded on open). */
  schemaVersion(): Promise<number>;

  /**
   * A number that changes whenever the graph changes (every committed write; it may also change when nothing did),
   * cheap to read: answers computed from the whole graph are cached per version (server/services/heavy-reads/).
   */
  graphVersion(): Promise<number>;

  countNodes(): Promise<number>;
  getNode(id: string): Promise<GraphNode | undefined>;
  /** The nodes that exist among `ids`, in no particular order. */
  getNodes(ids: readonly string[]): Promise<GraphNode[]>;
  getLink(id: string): Promise<GraphLink | undefined>;
  /** The links that exist among `ids`, in no particular order (one read, however many: revert, import). */
  getLinks(ids: readonly string[]): Promise<GraphLink[]>;
  linkCounts(id: string): Promise<LinkCounts>;
  /** The node and its link counts read together (GET /api/nodes/:id); undefined when it does not exist. */
  nodeDetails(id: string): Promise<NodeDetails | undefined>;
  /** Throws NotFound when the node does not exist. */
  neighbours(id: string, query: NeighbourQuery): Promise<NeighbourPage>;
  /** Best first; ranking is the shared one of server/search/search.ranking.ts. */
  search(query: SearchQuery): Promise<SearchHit[]>;
  stats(): Promise<GraphStats>;

  /** Breadth-first from `start` along `types`; the nodes reached and the links followed. NotFound if no start. */
  traverse(start: string, query: TraverseQuery): Promise<Elements>;
  /** The elements of a view: a neighbourhood or the whole graph, filtered by labels and types, capped. */
  subgraph(query: SubgraphQuery): Promise<Elements>;
  /** All shortest paths between two nodes, links followed in either direction. NotFound for an unknown end. */
  shortestPaths(query: PathQuery): Promise<PathResult>;

  /**
   * Creates or replaces nodes and links by id, all or nothing, durable before it resolves. A record equal to the
   * stored one (ignoring audit stamps) is counted unchanged and not written, so loading the same data twice
   * changes nothing. Links must connect existing nodes (stored or in the same batch) with labels the schema allows.
   * Audited as one entry (action `upsert`) holding every record it created or changed.
   */
  upsert(batch: WriteBatch, actor: Actor, options?: Pick<ChangeOptions, 'onProgress'>): Promise<WriteResult>;

  /**
   * Applies the changes of one user action, all or nothing, with its audit entry in the same atomic write,
   * durable before it resolves. Checks versions, ids, names, link endpoints (existing nodes, labels the schema
   * allows) and sources (a link needs one unless it is a draft). A put equal to the stored record is skipped;
   * when every change is skipped nothing is written and no entry is made. Concurrent calls (from this process or
   * others sharing the database) are applied one after another.
   */
  applyChanges(changes: readonly GraphChange[], options: ChangeOptions): Promise<ChangeResult>;

  /** A story (server/schema/story.schema.ts), or undefined. Stories are written by applyChanges. */
  getStory(id: string): Promise<Story | undefined>;
  /** Every story, by id. */
  listStories(): Promise<Story[]>;

  /** Audit entries, newest first. */
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;
  getAudit(id: string): Promise<AuditEntry | undefined>;

  /**
   * Everything the lineage walk of server/services/lineage.service.ts reads, in one read: the neighbour pages it
   * would ask for one by one (SUCCEEDS and PART_OF at every programme it expands, each programme's outgoing links
   * for its participants), so that the service replays the same walk over them and answers exactly as it does
   * through `neighbours`. Optional: for a store across a network a page per round trip is slow, an in-process
   * store is walked directly. Invalid for a depth beyond what the store supports.
   */
  lineageRecords?(id: string, query: LineageQuery): Promise<LineageRecords>;

  /**
   * Read-only Cypher for signed-in editors (Neo4j only; absent on stores without Cypher). Callers pass queries
   * that passed server/services/cypher-guard.ts (a friendly first check); the store is the gate: it refuses any
   * whose EXPLAIN plan is not a read of the allowed operators, procedures and functions on its own database
   * (neo4j.console-plan.ts), runs it in a read transaction with the timeout, and stops after maxRows.
   */
  cypher?(query: string, params: Record<string, unknown>, options: CypherOptions): Promise<CypherResult>;

  /** The whole graph, for export and comparisons. */
  exportAll(): Promise<{ nodes: GraphNode[]; links: GraphLink[] }>;
}
