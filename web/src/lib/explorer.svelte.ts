/**
 * What the explorer shows, derived from the scene (the URL) and what was loaded for it: the pages of neighbours
 * of Explore's expansions, the answers of the view table's loads (views/loads.svelte.ts: lineage, partnership and
 * map scenes, shortest paths, the document library), the selected node's details and the selected link. The drawn
 * graph is derived from these through the table of views (views/view-table.ts); nothing is written back. Actions
 * change the scene; effects started by connect() load what the scene needs.
 * Over 400 lines as one job: the explorer's state and the actions on it, which the components share; what each
 * view loads and draws is in the table of views, how a load is held in Loads.
 */
import { untrack } from 'svelte';
import type { GraphLink, GraphNode } from '../../../server/schema/graph.schema.ts';
import { api, ApiError, isAbort, type NeighbourPage, type NodeDetails } from './api.ts';
import { NO_EDITS, addEdit, withEdits, type EditEffect, type EditOverlay } from './edit/edit-effects.ts';
import { SharedFetches } from './shared-fetches.ts';
import { toUiError, type ErrorLike } from './error-message.ts';
import type { ExplorerGraph } from './graph/elements.ts';
import type { MessageKey, MessageParams } from './i18n.ts';
import { language } from './language.svelte.ts';
import { scene } from './scene.svelte.ts';
import { exploreGraph, liveExpansions, pageCovers, type LoadedPage } from './scene/explore-graph.ts';
import { currentYear, filterGraph } from './scene/scene-filter.ts';
import {
  defaultScene,
  expansionKey,
  withExpansion,
  withHidden,
  withoutExpansionsOf,
  withPin,
  type Expansion,
  type SceneState,
  type ViewName,
} from './scene/scene-state.ts';
import type { ViewModel } from './views/view-model.ts';
import { Loads } from './views/loads.svelte.ts';
import { isWaiting, VIEW_TABLE, waitError, type ViewContext } from './views/view-table.ts';

export { toUiError } from './error-message.ts';
export { EVERYTHING_LIMIT, MAP_TYPES, type Loaded } from './views/view-table.ts';

/** Links listed in the side panel. */
export const PANEL_LINKS = 200;
/** Scenes with more nodes than this are drawn with WebGL. */
export const LARGE_SCENE = 1500;
/**
 * Scenes with more nodes than this get the large scenes' plain stylesheet (names only for the selected node, its
 * neighbours and paths; straight edges; no label backgrounds): with the full one, adding and first drawing a
 * 1,000-node scene is one long task of seconds on a slow phone (issue 18; `npm run bench:web`).
 */
export const PLAIN_SCENE = 400;

export type UiError = ErrorLike;

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

/** The link shown in the side panel (a tap on an edge, a link in the node panel or the history). */
export interface SelectedLink {
  id: string;
  link?: GraphLink;
  error?: UiError;
}

export type { EditEffect };


const NOW = currentYear();

class Explorer {
  pages = $state.raw<ReadonlyMap<string, LoadedPage>>(new Map());
  /** What the views load, as the view table says. */
  loads = new Loads();
  selected = $state.raw<SelectedDetails | null>(null);
  /** The link shown in the side panel. */
  link = $state.raw<SelectedLink | null>(null);
  focus = $state.raw<FocusRequest | null>(null);
  /** Page requests in flight. */
  pending = $state(0);
  error = $state.raw<UiError | null>(null);
  notice = $state.raw<Notice | null>(null);
  /** Edits made on this page (see withEdits). */
  edits = $state.raw<EditOverlay>(NO_EDITS);

  /** Explore's graph, from the expansions and the pages loaded. */
  explore = $derived(exploreGraph(scene.state.expansions, this.pages));

  /** The graph of the current view before filters: what was loaded for it. */
  source = $derived.by((): ExplorerGraph => withEdits(VIEW_TABLE[scene.state.view].graph(this.#context()), this.edits));

  /** What the filters, the time range and hidden nodes leave of it. */
  visible = $derived.by(() => {
    const { labels, types, years, hidden } = scene.state;
    return filterGraph(this.source, { labels, types, years, hidden }, NOW);
  });

  /** The drawing of the current view. */
  model = $derived.by((): ViewModel | null => {
    const state = scene.state;
    const options = { lang: language.current, size: state.size, colour: state.colour };
    return VIEW_TABLE[state.view].model(this.visible, options, this.#context());
  });

  /** True while what the current view needs is still loading. */
  loading = $derived.by(() => {
    const state = scene.state;
    return (VIEW_TABLE[state.view].pages === true && this.pending > 0) || isWaiting(state, this.loads);
  });

  /** The error of what the current view needs, if any. */
  viewError = $derived.by((): UiError | null => {
    const state = scene.state;
    return (VIEW_TABLE[state.view].pages ? this.error : null) ?? waitError(state, this.loads);
  });

  #context(): ViewContext {
    return { state: scene.state, loaded: this.loads, explore: this.explore, now: NOW };
  }

  #retry: (() => void) | null = null;
  #inFlight = new Map<string, number>();
  #announce: string | null = null;
  #detailsRequest: AbortController | null = null;
  /**
   * A node's details and its first PANEL_LINKS links (both directions, all types) while they are being fetched: the
   * panel and Explore's page of the selected node ask for them at the same time (the first load asks for DAR twice
   * otherwise), and the page is the first `limit` links of the panel's (issue 18).
   */
  #shared = new SharedFetches<SharedFetch>();
  #focusSeq = 0;

  /** Starts following the scene: loads what each view needs. Returns the function that stops it. */
  connect(): () => void {
    return $effect.root(() => {
      // Explore: the pages the expansions need.
      $effect(() => {
        if (!VIEW_TABLE[scene.state.view].pages) return;
        const missing = this.explore.missing;
        untrack(() => {
          for (const expansion of missing) void this.#loadPage(expansion);
        });
      });
      // What the view table says the current view loads, each load for its key.
      this.loads.follow();
      // The selected node's details for the side panel.
      $effect(() => {
        const id = scene.state.focus;
        untrack(() => this.#loadDetails(id));
      });
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Actions: each changes the scene (and so the URL).

  setView(view: ViewName): void {
    scene.update((s) => ({ ...s, view }));
  }

  select(id: string | null): void {
    scene.select(id);
  }

  /** Shows a link in the side panel (loaded when not given); null closes it. */
  async selectLink(id: string | null, known?: GraphLink): Promise<void> {
    if (id === null) {
      this.link = null;
      return;
    }
    this.link = { id, link: known };
    try {
      const { link } = await api.link(id);
      if (this.link?.id === id) this.link = { id, link };
    } catch (error) {
      if (this.link?.id === id) this.link = { id, link: known, error: toUiError(error) };
    }
  }

  /**
   * Brings a node into view and selects it (a search result, a link in the panel): in the current view when it
   * is drawn there, else in Explore, opened on its own.
   */
  show(id: string): void {
    const state = scene.state;
    if (state.view !== 'documents' && this.visible.nodes.has(id)) {
      scene.select(id);
      this.#requestFocus(id);
      return;
    }
    const present = this.explore.graph.nodes.has(id);
    scene.update((s) => {
      const next = { ...s, view: 'explore' as const, focus: id, hidden: s.hidden.filter((h) => h !== id) };
      return present ? next : withExpansion(next, { id, direction: 'both', seed: true });
    });
    if (!present) this.#announce = expansionKey({ id, direction: 'both' });
    this.#requestFocus(id);
  }

  /**
   * Shows (more of) a node's neighbours in Explore: all of them (double-click, Enter), or of one relationship
   * type in one direction (context menu), a page at a time.
   */
  expand(id: string, type?: Expansion['type'], direction: Expansion['direction'] = 'both'): void {
    const key = expansionKey({ id, type, direction });
    const current = scene.state.expansions.find((e) => expansionKey(e) === key);
    const page = this.pages.get(key);
    if (current && page && page.total <= current.limit && scene.state.view === 'explore') {
      this.#say(id, 0);
      this.#requestFocus(id);
      return;
    }
    const seed = !this.explore.graph.nodes.has(id);
    this.#announce = key;
    scene.update((s) => withExpansion({ ...s, view: 'explore', focus: id }, { id, type, direction, seed }));
    this.#requestFocus(id);
  }

  /** Removes what expanding the node brought (and what grew from that). */
  collapse(id: string): void {
    scene.update((s) => ({ ...s, expansions: liveExpansions(withoutExpansionsOf(s, id).expansions, this.pages) }));
  }

  hide(id: string): void {
    scene.update((s) => withHidden(s, id, true));
  }

  unhideAll(): void {
    scene.update((s) => ({ ...s, hidden: [] }));
  }

  pin(id: string, at: { x: number; y: number }, mode: 'push' | 'replace' = 'push'): void {
    scene.update((s) => withPin(s, { id, x: at.x, y: at.y }), mode);
  }

  unpin(id: string): void {
    scene.update((s) => withPin(s, { id, remove: true }));
  }

  showLineage(id: string): void {
    scene.update((s) => ({ ...s, view: 'lineage', anchor: id, focus: id }));
  }

  setPath(from: string, to: string): void {
    if (from === to) return;
    scene.update((s) => ({ ...s, path: { from, to } }));
  }

  clearPath(): void {
    scene.update((s) => ({ ...s, path: null }));
  }

  /** Back to the first scene (DAR in Explore), keeping the language. */
  reset(): void {
    scene.update((s) => ({ ...defaultScene(), lang: s.lang, at: s.at }));
    this.#requestFocus(defaultScene().focus ?? '');
  }

  change(patch: Partial<SceneState>, mode: 'push' | 'replace' = 'push'): void {
    scene.update((s) => ({ ...s, ...patch }), mode);
  }

  /** How far a node's plain expansion goes: links shown and in all (for the panel). */
  expansionOf(id: string): { shown: number; total: number } | undefined {
    const expansion = scene.state.expansions.find((e) => e.id === id && !e.type && e.direction === 'both');
    const page = expansion ? this.pages.get(expansionKey(expansion)) : undefined;
    if (!expansion || !page) return undefined;
    return { shown: Math.min(page.total, expansion.limit), total: page.total };
  }

  /** The loaded page of one expansion of a node, if any (context menu: how many more). */
  pageOf(id: string, type: Expansion['type'], direction: Expansion['direction']): { shown: number; total: number } | undefined {
    const key = expansionKey({ id, type, direction });
    const expansion = scene.state.expansions.find((e) => expansionKey(e) === key);
    const page = this.pages.get(key);
    if (!expansion || !page) return undefined;
    return { shown: Math.min(page.total, expansion.limit), total: page.total };
  }

  requestFocus(id: string): void {
    this.#requestFocus(id);
  }

  dismissError(): void {
    this.error = null;
    this.#retry = null;
  }

  get canRetry(): boolean {
    return this.#retry !== null || this.viewError !== null;
  }

  retry(): void {
    const retry = this.#retry;
    this.dismissError();
    if (retry) retry();
    // The loading effects look again: whatever ended in an error is asked for again.
    this.loads.retry();
    if (this.selected?.error) this.reloadDetails();
  }

  /**
   * After an edit: shows what it changed at once, then loads what the views show again (revalidate), keeping the current
   * drawing until the new answers arrive (nodes do not jump).
   */
  applyEdit(effect: EditEffect): void {
    this.edits = addEdit(this.edits, effect);
    this.revalidate();
  }

  /** Loads again what the views show (after an edit, an import or its undo), keeping the current answers on screen meanwhile. */
  revalidate(): void {
    // What is in flight was asked for before the change: the reloads below ask again.
    this.#shared.invalidate();
    this.loads.revalidate();
    void this.#reloadPages();
    // The panel's details, quietly: the old ones stay until the new ones arrive.
    const id = scene.state.focus;
    if (id !== null) this.#fetchDetails(id);
  }

  /** One expansion's page of neighbours, with its node (fetched unless `known`). */
  async #fetchPage(expansion: Expansion, known?: GraphNode): Promise<LoadedPage> {
    const shared = this.#shared.get(expansion.id) ?? (scene.state.focus === expansion.id ? this.#share(expansion.id) : undefined);
    if (shared && expansion.type === undefined && expansion.direction === 'both' && expansion.limit <= PANEL_LINKS) {
      try {
        const [details, page] = await Promise.all([shared.node, shared.links]);
        return { node: known ?? details.node, total: page.total, links: page.links, nodes: page.nodes };
      } catch (error) {
        if (!isAbort(error)) throw error; // the panel's request was cancelled (another node selected): fetched below
      }
    }
    const [node, page] = await Promise.all([
      known ?? api.node(expansion.id).then((details) => details.node),
      api.neighbours(expansion.id, { type: expansion.type, direction: expansion.direction, limit: expansion.limit }),
    ]);
    return { node, total: page.total, links: page.links, nodes: page.nodes };
  }

  /** Every loaded page of Explore, fetched again and swapped in at once. */
  async #reloadPages(): Promise<void> {
    const expansions = this.explore.live;
    const before = this.pages;
    this.pending += 1;
    try {
      const fresh = await Promise.all(
        expansions.map(async (expansion) => {
          const key = expansionKey(expansion);
          try {
            return [key, await this.#fetchPage(expansion)] as const;
          } catch (error) {
            if (error instanceof ApiError && error.status === 404) return [key, null] as const; // the node was deleted
            throw error;
          }
        }),
      );
      if (this.pages !== before) return; // something newer replaced them meanwhile
      const next = new Map<string, LoadedPage>();
      for (const [key, page] of fresh) if (page) next.set(key, page);
      this.pages = next;
    } catch (error) {
      if (!isAbort(error)) this.error = toUiError(error);
    } finally {
      this.pending -= 1;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Loading

  async #loadPage(expansion: Expansion): Promise<void> {
    const key = expansionKey(expansion);
    if ((this.#inFlight.get(key) ?? 0) >= expansion.limit) return;
    this.#inFlight.set(key, expansion.limit);
    this.pending += 1;
    try {
      const known = this.explore.graph.nodes.get(expansion.id) ?? [...this.pages.values()].find((p) => p.node.id === expansion.id)?.node;
      const page = await this.#fetchPage(expansion, known);
      const before = this.explore.graph;
      const next = new Map(this.pages);
      const previous = next.get(key);
      if (!pageCovers(previous, expansion.limit) || (previous?.links.length ?? 0) < page.links.length) {
        next.set(key, page);
        this.pages = next;
      }
      if (this.#announce === key) {
        this.#announce = null;
        const added = this.explore.graph.nodes.size - before.nodes.size - (before.nodes.has(expansion.id) ? 0 : 1);
        this.#say(expansion.id, Math.max(0, added));
      }
    } catch (error) {
      if (isAbort(error)) return;
      this.error = toUiError(error);
      this.#retry = () => {
        this.#inFlight.delete(key);
        this.pages = new Map(this.pages); // the effect runs again and asks for what is missing
      };
    } finally {
      this.#inFlight.delete(key);
      this.pending -= 1;
    }
  }

  #loadDetails(id: string | null): void {
    if (this.selected?.id === id && id !== null && !this.selected.error) return;
    this.#detailsRequest?.abort();
    this.#detailsRequest = null;
    if (id === null) {
      this.selected = null;
      return;
    }
    this.selected = { id, loading: true };
    this.#fetchDetails(id);
  }

  /** Fetches a node's details and links for the panel; what is shown meanwhile is the caller's choice. */
  #fetchDetails(id: string): void {
    const request = new AbortController();
    this.#detailsRequest?.abort();
    this.#detailsRequest = request;
    const { node, links } = this.#shared.get(id) ?? this.#share(id, request.signal);
    Promise.all([node, links]).then(
      ([details, links]) => {
        if (this.#detailsRequest === request) this.selected = { id, loading: false, details, links };
      },
      (error: unknown) => {
        if (isAbort(error) || this.#detailsRequest !== request) return;
        this.selected = { id, loading: false, error: toUiError(error) };
      },
    );
  }

  /** Loads the selected node's details again (after an error). */
  reloadDetails(): void {
    const id = scene.state.focus;
    this.selected = null;
    this.#loadDetails(id);
  }

  #say(id: string, added: number): void {
    const node = this.explore.graph.nodes.get(id) ?? this.visible.nodes.get(id);
    const params = { n: added, id, name_en: node?.name_en ?? id, name_km: node?.name_km ?? id };
    this.notice = { key: added > 0 ? 'graph.added' : 'graph.addedNone', params };
  }

  /** Starts fetching a node's details and panel links, shared while in flight; `signal` cancels (the panel's request). */
  #share(id: string, signal?: AbortSignal): SharedFetch {
    const entry: SharedFetch = {
      node: api.node(id, signal),
      links: api.neighbours(id, { direction: 'both', limit: PANEL_LINKS, signal }),
    };
    return this.#shared.start(id, entry, Promise.all([entry.node, entry.links]), signal);
  }

  #requestFocus(id: string): void {
    this.#focusSeq += 1;
    this.focus = { id, seq: this.#focusSeq };
  }
}

interface SharedFetch {
  node: Promise<NodeDetails>;
  links: Promise<NeighbourPage>;
}

export const explorer = new Explorer();
