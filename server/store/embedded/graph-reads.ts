/**
 * The graph's reads over an AdjacencyGraph held in memory: one node, its link counts, a page of its neighbours
 * (link-id order), breadth-first walks, the subgraph, shortest paths and the whole graph. The embedded store answers
 * its reads with it, and so does a version of the graph rebuilt from the audit trail (server/store/version-view.ts),
 * so that an answer read at a version is the embedded store's answer on either store.
 */
import { LABELS, LINK_TYPES, type GraphLink, type GraphNode, type Label, type LinkType } from '../../schema/graph.schema.ts';
import { addParents, addTypos, parseQuery, rankKeyed } from '../../search/search.ranking.ts';
import { hasKhmer } from '../../search/text-normalise.ts';
import type {
  Direction,
  Elements,
  GraphStats,
  LinkCounts,
  NeighbourPage,
  NeighbourQuery,
  NodeDetails,
  PathQuery,
  PathResult,
  SearchHit,
  SearchQuery,
  SubgraphQuery,
  TraverseQuery,
} from '../graph-store.ts';
import type { AdjacencyGraph } from './adjacency-graph.ts';
import { allShortestPaths } from './shortest-paths.ts';
import type { TrigramIndex } from './trigram-index.ts';

/** How many search candidates are ranked at most; enough that the best are always among them. */
const MAX_SEARCH_CANDIDATES = 5000;

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class GraphReads {
  /** `missing` makes the error for a node that is not there (a 404 naming the id, and the version when read at one). */
  constructor(
    protected readonly graph: AdjacencyGraph,
    private readonly missing: (id: string) => Error,
  ) {}

  /** Names and acronyms in English and Khmer, best first, from `index` (the search keys of this graph's nodes). */
  async searchWith(index: TrigramIndex, query: SearchQuery): Promise<SearchHit[]> {
    const parsed = parseQuery(query.q);
    if (parsed.terms.length === 0) return [];
    const labels = query.labels && query.labels.length > 0 ? new Set<Label>(query.labels) : undefined;
    const withLabels = (found: { id: string; key: string }[]) => {
      const candidates: { node: GraphNode; key: string }[] = [];
      for (const { id, key } of found) {
        const node = this.graph.getNode(id)!;
        if (!labels || labels.has(node.label)) candidates.push({ node, key });
      }
      return candidates;
    };
    const hits = rankKeyed(withLabels(index.candidates(parsed, MAX_SEARCH_CANDIDATES)), parsed, query.limit);
    const withTypos = await addTypos(hits, parsed, query.limit, async (terms) => withLabels(index.typoCandidates(terms, MAX_SEARCH_CANDIDATES)));
    return addParents(withTypos, async (ids) => {
      const out = new Map<string, { linkId: string; parent: GraphNode }[]>();
      for (const id of ids) {
        const parents: { linkId: string; parent: GraphNode }[] = [];
        for (const link of this.graph.outLinks(id)) {
          const parent = link.type === 'PART_OF' ? this.graph.getNode(link.to) : undefined;
          if (parent?.label === 'AdminArea') parents.push({ linkId: link.id, parent });
        }
        out.set(id, parents);
      }
      return out;
    });
  }

  async stats(): Promise<GraphStats> {
    const nodes = Object.fromEntries(LABELS.map((label) => [label, 0])) as Record<Label, number>;
    const links = Object.fromEntries(LINK_TYPES.map((type) => [type, 0])) as Record<LinkType, number>;
    const quality = { nodesMissingKhmer: 0, nodesMissingEnglish: 0, linksWithoutSource: 0, draftLinks: 0 };
    for (const node of this.graph.nodes()) {
      nodes[node.label]++;
      if (!node.name_km || !hasKhmer(node.name_km)) quality.nodesMissingKhmer++;
      if (!node.name_en?.trim()) quality.nodesMissingEnglish++;
    }
    for (const link of this.graph.links()) {
      links[link.type]++;
      if (!link.sources || link.sources.length === 0) quality.linksWithoutSource++;
      if (link.draft) quality.draftLinks++;
    }
    return { nodes, links, quality };
  }

  async getNode(id: string): Promise<GraphNode | undefined> {
    return this.graph.getNode(id);
  }

  async getNodes(ids: readonly string[]): Promise<GraphNode[]> {
    return ids.map((id) => this.graph.getNode(id)).filter((n): n is GraphNode => n !== undefined);
  }

  async getLink(id: string): Promise<GraphLink | undefined> {
    return this.graph.getLink(id);
  }

  async getLinks(ids: readonly string[]): Promise<GraphLink[]> {
    return [...new Set(ids)].map((id) => this.graph.getLink(id)).filter((l): l is GraphLink => l !== undefined);
  }

  async linkCounts(id: string): Promise<LinkCounts> {
    this.requireNode(id);
    const counts: LinkCounts = {};
    for (const link of this.graph.outLinks(id)) (counts[link.type] ??= { out: 0, in: 0 }).out++;
    for (const link of this.graph.inLinks(id)) (counts[link.type] ??= { out: 0, in: 0 }).in++;
    return counts;
  }

  async nodeDetails(id: string): Promise<NodeDetails | undefined> {
    const node = this.graph.getNode(id);
    return node ? { node, linkCounts: await this.linkCounts(id) } : undefined;
  }

  async neighbours(id: string, query: NeighbourQuery): Promise<NeighbourPage> {
    this.requireNode(id);
    const matching: GraphLink[] = [];
    const take = (links: readonly GraphLink[]) => {
      for (const link of links) if (query.type === undefined || link.type === query.type) matching.push(link);
    };
    if (query.direction !== 'in') take(this.graph.outLinks(id));
    if (query.direction !== 'out') take(this.graph.inLinks(id));
    matching.sort(byId);
    const offset = query.offset ?? 0;
    const links = matching.slice(offset, offset + query.limit);
    const others = new Set(links.map((link) => (link.from === id ? link.to : link.from)));
    return {
      total: matching.length,
      links,
      nodes: [...others].map((other) => this.graph.getNode(other)!),
    };
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
    const ids: string[] = [];
    for (const node of this.graph.nodes()) if (nodeOk(node)) ids.push(node.id);
    ids.sort();
    const kept = new Set(ids.slice(0, query.limit));
    const links: GraphLink[] = [];
    for (const id of kept) {
      for (const link of this.graph.outLinks(id)) if (linkOk(link) && kept.has(link.to)) links.push(link);
    }
    links.sort(byId);
    return {
      nodes: [...kept].map((id) => this.graph.getNode(id)!),
      links,
      truncated: ids.length > query.limit,
    };
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
    return {
      nodes: [...this.graph.nodes()],
      links: [...this.graph.links()],
    };
  }

  /** Nodes within `depth` hops (closest first, link-id order), through links and nodes that pass the filters. */
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
        const candidates: GraphLink[] = [];
        if (direction !== 'in') for (const link of this.graph.outLinks(id)) if (linkOk(link)) candidates.push(link);
        if (direction !== 'out') for (const link of this.graph.inLinks(id)) if (linkOk(link)) candidates.push(link);
        candidates.sort(byId);
        for (const link of candidates) {
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
    // Every link of the allowed kinds among the kept nodes (in the direction asked, as traversal does).
    const links: GraphLink[] = [];
    for (const id of kept) {
      for (const link of this.graph.outLinks(id)) if (kept.has(link.to) && linkOk(link)) links.push(link);
    }
    links.sort(byId);
    return { nodes: [...kept].map((id) => this.graph.getNode(id)!), links, truncated };
  }

  protected requireNode(id: string): void {
    if (!this.graph.hasNode(id)) throw this.missing(id);
  }
}
