/**
 * The graph as it was at one audit seq, in memory and read-only: what GET /api/…?at= reads on either store (built
 * by server/services/versions.service.ts from the store's current state and its audit trail). It answers the
 * read methods the versioned routes need with the embedded store's semantics (link-id order, the same breadth-first
 * walk and shortest paths over an AdjacencyGraph), so a pinned answer is the same on both stores.
 */
import { NotFound } from '../domain/errors.ts';
import type { GraphLink, GraphNode, Label, LinkType } from '../schema/graph.schema.ts';
import { AdjacencyGraph } from './embedded/adjacency-graph.ts';
import { allShortestPaths } from './embedded/shortest-paths.ts';
import type {
  Direction,
  Elements,
  GraphStore,
  LinkCounts,
  NeighbourPage,
  NeighbourQuery,
  PathQuery,
  PathResult,
  SubgraphQuery,
  TraverseQuery,
} from './graph-store.ts';

/** The reads a versioned route makes: the current store and a version view both answer them. */
export type GraphReader = Pick<
  GraphStore,
  'getNode' | 'getNodes' | 'getLink' | 'linkCounts' | 'neighbours' | 'subgraph' | 'traverse' | 'shortestPaths' | 'exportAll'
> &
  Partial<Pick<GraphStore, 'lineageRecords'>>;

/** Which version a pinned answer is: the audit seq and the time of that entry (null for seq 0, the empty graph). */
export interface GraphVersionRef {
  seq: number;
  at: string | null;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class VersionView implements GraphReader {
  private readonly graph = new AdjacencyGraph();

  constructor(
    readonly version: GraphVersionRef,
    nodes: Iterable<GraphNode>,
    links: Iterable<GraphLink>,
  ) {
    for (const node of nodes) this.graph.putNode(node);
    // A link whose end is missing cannot be drawn; the audit never leaves one, but a partial trail could.
    for (const link of links) if (this.graph.hasNode(link.from) && this.graph.hasNode(link.to)) this.graph.putLink(link);
  }

  get nodeCount(): number {
    return this.graph.order;
  }

  get linkCount(): number {
    return this.graph.size;
  }

  async getNode(id: string): Promise<GraphNode | undefined> {
    return this.graph.getNode(id);
  }

  async getNodes(ids: readonly string[]): Promise<GraphNode[]> {
    return ids.flatMap((id) => this.graph.getNode(id) ?? []);
  }

  async getLink(id: string): Promise<GraphLink | undefined> {
    return this.graph.getLink(id);
  }

  async linkCounts(id: string): Promise<LinkCounts> {
    this.requireNode(id);
    const counts: LinkCounts = {};
    for (const link of this.graph.outLinks(id)) (counts[link.type] ??= { out: 0, in: 0 }).out++;
    for (const link of this.graph.inLinks(id)) (counts[link.type] ??= { out: 0, in: 0 }).in++;
    return counts;
  }

  async neighbours(id: string, query: NeighbourQuery): Promise<NeighbourPage> {
    this.requireNode(id);
    const matching = this.linksAt(id, query.direction, (link) => query.type === undefined || link.type === query.type);
    const offset = query.offset ?? 0;
    const links = matching.slice(offset, offset + query.limit);
    const others = new Set(links.map((link) => (link.from === id ? link.to : link.from)));
    return { total: matching.length, links, nodes: [...others].map((other) => this.graph.getNode(other)!) };
  }

  async traverse(start: string, query: TraverseQuery): Promise<Elements> {
    this.requireNode(start);
    const types = new Set<LinkType>(query.types);
    return this.breadthFirst(start, query.depth, query.limit, query.direction, (link) => types.has(link.type), () => true);
  }

  async subgraph(query: SubgraphQuery): Promise<Elements> {
    const labels = query.labels && query.labels.length > 0 ? new Set<Label>(query.labels) : undefined;
    const types = query.types && query.types.length > 0 ? new Set<LinkType>(query.types) : undefined;
    const linkOk = (link: GraphLink) => !types || types.has(link.type);
    const nodeOk = (node: GraphNode) => !labels || labels.has(node.label);
    if (query.around !== undefined) {
      this.requireNode(query.around);
      return this.breadthFirst(query.around, query.depth, query.limit, 'both', linkOk, nodeOk);
    }
    const ids = [...this.graph.nodes()].filter(nodeOk).map((node) => node.id).sort();
    const kept = new Set(ids.slice(0, query.limit));
    const links = [...kept].flatMap((id) => this.graph.outLinks(id).filter((link) => linkOk(link) && kept.has(link.to))).sort(byId);
    return { nodes: [...kept].map((id) => this.graph.getNode(id)!), links, truncated: ids.length > query.limit };
  }

  async shortestPaths(query: PathQuery): Promise<PathResult> {
    this.requireNode(query.from);
    this.requireNode(query.to);
    const types = query.types && query.types.length > 0 ? new Set<LinkType>(query.types) : undefined;
    const { paths, truncated } = allShortestPaths(this.graph, query.from, query.to, query.maxHops, types, query.limit);
    const onPaths = new Set(paths.flatMap((p) => p.nodes));
    return { paths, nodes: [...onPaths].map((id) => this.graph.getNode(id)!), truncated };
  }

  async exportAll(): Promise<{ nodes: GraphNode[]; links: GraphLink[] }> {
    return { nodes: [...this.graph.nodes()], links: [...this.graph.links()] };
  }

  /** The node's links in the direction asked that pass the filter, by link id. */
  private linksAt(id: string, direction: Direction, ok: (link: GraphLink) => boolean): GraphLink[] {
    const out: GraphLink[] = [];
    if (direction !== 'in') for (const link of this.graph.outLinks(id)) if (ok(link)) out.push(link);
    if (direction !== 'out') for (const link of this.graph.inLinks(id)) if (ok(link)) out.push(link);
    return out.sort(byId);
  }

  /** Nodes within `depth` hops (closest first, link-id order), as the embedded store walks them. */
  private breadthFirst(
    start: string,
    depth: number,
    limit: number,
    direction: Direction,
    linkOk: (link: GraphLink) => boolean,
    nodeOk: (node: GraphNode) => boolean,
  ): Elements {
    const kept = new Set<string>([start]);
    let truncated = false;
    let frontier = [start];
    for (let hop = 1; hop <= depth && frontier.length > 0 && !truncated; hop++) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const link of this.linksAt(id, direction, linkOk)) {
          const other = link.from === id ? link.to : link.from;
          if (kept.has(other) || !nodeOk(this.graph.getNode(other)!)) continue;
          if (kept.size >= limit) {
            truncated = true;
            break;
          }
          kept.add(other);
          next.push(other);
        }
        if (truncated) break;
      }
      frontier = next;
    }
    const links = [...kept].flatMap((id) => this.graph.outLinks(id).filter((link) => kept.has(link.to) && linkOk(link))).sort(byId);
    return { nodes: [...kept].map((id) => this.graph.getNode(id)!), links, truncated };
  }

  private requireNode(id: string): void {
    if (!this.graph.hasNode(id)) {
      throw new NotFound(`no node with id "${id}" in version ${this.version.seq} of the graph`, { id, at: this.version.seq });
    }
  }
}
