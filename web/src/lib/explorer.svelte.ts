/**
 * What the explorer shows: the part of the knowledge graph loaded so far, which nodes were expanded and how far,
 * the selected node and its details, and the loading / error state. Components read it and call its actions;
 * the drawn graph is derived from `graph` (GraphView), never written back here.
 */
import { api, ApiError, isAbort, type NeighbourPage, type NodeDetails } from './api.ts';
import { EMPTY_GRAPH, mergeRecords, type ExplorerGraph } from './graph/elements.ts';
import type { MessageKey, MessageParams } from './i18n.ts';

/** The node the explorer opens on. */
export const ROOT_ID = 'dar';
/** Neighbours fetched per expansion. */
export const PAGE_SIZE = 40;
/** Links listed in the side panel. */
export const PANEL_LINKS = 200;

export interface UiError {
  code: string;
  status: number;
  message: string;
}

export interface Expansion {
  /** Links the node has (for the neighbour query used). */
  total: number;
  /** Links fetched so far: the offset of the next page. */
  loaded: number;
}

/** Asks the view to bring a node into view; `seq` makes asking twice for the same node count. */
export interface FocusRequest {
  id: string;
  seq: number;
}

export interface Notice {
  key: MessageKey;
  params: MessageParams;
}

export interface SelectedDetails {
  id: string;
  loading: boolean;
  details?: NodeDetails;
  links?: NeighbourPage;
  error?: UiError;
}

function toUiError(error: unknown): UiError {
  if (error instanceof ApiError) return { code: error.code, status: error.status, message: error.message };
  return { code: 'error', status: 0, message: error instanceof Error ? error.message : String(error) };
}

class Explorer {
  graph = $state.raw<ExplorerGraph>(EMPTY_GRAPH);
  expansions = $state.raw<ReadonlyMap<string, Expansion>>(new Map());
  selectedId = $state<string | null>(null);
  selected = $state.raw<SelectedDetails | null>(null);
  focus = $state.raw<FocusRequest | null>(null);
  /** Requests in flight that will change the graph. */
  pending = $state(0);
  error = $state.raw<UiError | null>(null);
  notice = $state.raw<Notice | null>(null);

  /** By node id: how many of its links exist but are not loaded yet (only known for expanded nodes). */
  more = $derived.by(() => {
    const more = new Map<string, number>();
    for (const [id, expansion] of this.expansions) {
      if (expansion.total > expansion.loaded) more.set(id, expansion.total - expansion.loaded);
    }
    return more;
  });

  #retry: (() => Promise<void>) | null = null;
  #expanding = new Set<string>();
  #detailsRequest: AbortController | null = null;
  #focusSeq = 0;

  /** Opens on DAR and its neighbours. */
  async start(): Promise<void> {
    await this.show(ROOT_ID);
  }

  /**
   * Makes sure `id` is in the graph with (a first page of) its neighbours, selects it and brings it into view:
   * what picking a search suggestion or a Document source does.
   */
  async show(id: string): Promise<void> {
    await this.#run(
      async () => {
        const present = this.graph.nodes.has(id);
        if (!this.expansions.has(id)) {
          const [details, page] = await Promise.all([
            present ? Promise.resolve(undefined) : api.node(id),
            api.neighbours(id, { direction: 'both', limit: PAGE_SIZE }),
          ]);
          const nodes = details ? [details.node, ...page.nodes] : page.nodes;
          const { graph, addedNodes } = mergeRecords(this.graph, nodes, page.links);
          this.graph = graph;
          this.#setExpansion(id, { total: page.total, loaded: page.links.length });
          this.#announce(id, addedNodes.filter((added) => added !== id).length);
        }
        this.select(id);
        this.#requestFocus(id);
      },
      () => this.show(id),
    );
  }

  /** Adds the next page of `id`'s neighbours (double-click on a node). */
  async expand(id: string): Promise<void> {
    if (this.#expanding.has(id) || !this.graph.nodes.has(id)) return;
    const expansion = this.expansions.get(id);
    if (expansion && expansion.loaded >= expansion.total) {
      this.#announce(id, 0);
      this.#requestFocus(id);
      return;
    }
    this.#expanding.add(id);
    try {
      await this.#run(
        async () => {
          const offset = expansion?.loaded ?? 0;
          const page = await api.neighbours(id, { direction: 'both', limit: PAGE_SIZE, offset });
          const { graph, addedNodes } = mergeRecords(this.graph, page.nodes, page.links);
          this.graph = graph;
          this.#setExpansion(id, { total: page.total, loaded: offset + page.links.length });
          this.#announce(id, addedNodes.length);
          this.#requestFocus(id);
        },
        () => this.expand(id),
      );
    } finally {
      this.#expanding.delete(id);
    }
  }

  /** Selects a node (or nothing) and loads what the side panel shows about it. */
  select(id: string | null): void {
    // Selecting the selected node again only reloads its details when they failed to load.
    if (id === this.selectedId && (id === null || (this.selected?.id === id && !this.selected.error))) return;
    this.selectedId = id;
    this.#detailsRequest?.abort();
    this.#detailsRequest = null;
    if (id === null) {
      this.selected = null;
      return;
    }
    const request = new AbortController();
    this.#detailsRequest = request;
    this.selected = { id, loading: true };
    Promise.all([
      api.node(id, request.signal),
      api.neighbours(id, { direction: 'both', limit: PANEL_LINKS, signal: request.signal }),
    ]).then(
      ([details, links]) => {
        if (this.#detailsRequest === request) this.selected = { id, loading: false, details, links };
      },
      (error: unknown) => {
        if (isAbort(error) || this.#detailsRequest !== request) return;
        this.selected = { id, loading: false, error: toUiError(error) };
      },
    );
  }

  dismissError(): void {
    this.error = null;
    this.#retry = null;
  }

  get canRetry(): boolean {
    return this.#retry !== null;
  }

  async retry(): Promise<void> {
    const retry = this.#retry;
    this.dismissError();
    if (retry) await retry();
  }

  async #run(action: () => Promise<void>, retry: () => Promise<void>): Promise<void> {
    this.pending += 1;
    this.error = null;
    try {
      await action();
    } catch (error) {
      if (isAbort(error)) return;
      this.error = toUiError(error);
      this.#retry = retry;
    } finally {
      this.pending -= 1;
    }
  }

  #setExpansion(id: string, expansion: Expansion): void {
    const next = new Map(this.expansions);
    next.set(id, expansion);
    this.expansions = next;
  }

  #announce(id: string, added: number): void {
    const node = this.graph.nodes.get(id);
    const params = { n: added, id, name_en: node?.name_en ?? id, name_km: node?.name_km ?? id };
    this.notice = { key: added > 0 ? 'graph.added' : 'graph.addedNone', params };
  }

  #requestFocus(id: string): void {
    this.#focusSeq += 1;
    this.focus = { id, seq: this.#focusSeq };
  }
}

export const explorer = new Explorer();
