/**
 * The graph as it was at one audit seq, in memory and read-only: what GET /api/…?at= reads on either store (built
 * by server/services/versions.service.ts from the store's current state and its audit trail). It answers the
 * read methods the versioned routes need with the embedded store's own reads (GraphReads over an AdjacencyGraph:
 * link-id order, the same breadth-first walk and shortest paths), so a pinned answer is the same on both stores.
 */
import { NotFound } from '../domain/errors.ts';
import type { GraphLink, GraphNode } from '../schema/graph.schema.ts';
import { AdjacencyGraph } from './embedded/adjacency-graph.ts';
import { GraphReads } from './embedded/graph-reads.ts';
import { searchKey } from '../search/search.ranking.ts';
import type { GraphStore, SearchHit, SearchQuery } from './graph-store.ts';
import { TrigramIndex } from './embedded/trigram-index.ts';

/** The reads a versioned route makes: the current store and a version view both answer them. */
export type GraphReader = Pick<
  GraphStore,
  'getNode' | 'getNodes' | 'getLink' | 'linkCounts' | 'nodeDetails' | 'neighbours' | 'subgraph' | 'traverse' | 'shortestPaths' | 'exportAll' | 'search' | 'stats'
> &
  Partial<Pick<GraphStore, 'lineageRecords'>>;

/** Which version a pinned answer is: the audit seq and the time of that entry (null for seq 0, the empty graph). */
export interface GraphVersionRef {
  seq: number;
  at: string | null;
}

export class VersionView extends GraphReads implements GraphReader {
  constructor(
    readonly version: GraphVersionRef,
    nodes: Iterable<GraphNode>,
    links: Iterable<GraphLink>,
  ) {
    super(new AdjacencyGraph(), (id) => new NotFound(`no node with id "${id}" in version ${version.seq} of the graph`, { id, at: version.seq }));
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

  /** The embedded store's search over the names the nodes had at this version (its index built on the first search). */
  search(query: SearchQuery): Promise<SearchHit[]> {
    if (!this.index) {
      this.index = new TrigramIndex();
      this.index.build([...this.graph.nodes()].map((node) => [node.id, searchKey(node)] as const));
    }
    return this.searchWith(this.index, query);
  }

  private index: TrigramIndex | undefined;
}
