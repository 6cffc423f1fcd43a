/**
 * UI state shared by components that are not parent and child: the context menu (opened from the graph or the
 * list), which tool panels are open, and the functions the graph view offers to others (pictures, fit).
 */

export interface MenuRequest {
  /** The graph node the menu acts on. */
  id: string;
  /** Where to open it, in page (client) coordinates. */
  x: number;
  y: number;
  /** Where the keyboard focus goes back when it closes. */
  returnTo: HTMLElement | null;
}

/** What the graph view can do for others (export, toolbar); set while a graph view is mounted. */
export interface GraphControls {
  png(): Promise<Blob>;
  svg(): Promise<string>;
  fit(): void;
  /** Where a node is drawn (model coordinates), to pin it there. */
  positionOf(id: string): { x: number; y: number } | undefined;
}

/** A node picked as one end of a path: enough to name it. */
export interface PathEnd {
  id: string;
  name_en: string;
  name_km: string;
}

/** The phone layout's breakpoint (the `@media (max-width: 600px)` of App.svelte, AppBar.svelte and SidePanel.svelte). */
export const NARROW_QUERY = '(max-width: 600px)';

/** Where the side panel is a drawer or a sheet (SidePanel.svelte's `@media (max-width: 1024px)`); beside the graph above. */
export const DRAWER_QUERY = '(max-width: 1024px)';

function matches(query: string): boolean {
  const media = (globalThis as { matchMedia?: (query: string) => { matches: boolean } }).matchMedia;
  return typeof media === 'function' ? media.call(globalThis, query).matches : false;
}

function narrowScreen(): boolean {
  return matches(NARROW_QUERY);
}

class Ui {
  menu = $state.raw<MenuRequest | null>(null);
  filtersOpen = $state(false);
  pathOpen = $state(false);
  /** The node/edge list under the graph; closed at first on a phone, where the graph takes the screen. */
  listOpen = $state(!narrowScreen());
  /** On phones (≤ 600 px) the side panel is a bottom sheet, on tablets (≤ 1024 px) a drawer: open or not. */
  sheetOpen = $state(false);
  /** The ends picked in the path finder before it is run. */
  pathDraft = $state.raw<{ from: PathEnd | null; to: PathEnd | null }>({ from: null, to: null });
  graph = $state.raw<GraphControls | null>(null);

  /** Shows the side panel (sheet or drawer) after a pick on the graph; a no-op on wide screens, where it is always shown. */
  showPanel(): void {
    // On wide screens nothing changes, so a click there does not re-render the page between the two of a double click.
    if (matches(DRAWER_QUERY)) this.sheetOpen = true;
  }

  openMenu(request: MenuRequest): void {
    this.menu = request;
  }

  closeMenu(): void {
    const returnTo = this.menu?.returnTo;
    this.menu = null;
    returnTo?.focus();
  }

  /** Sets one end of the path finder (context menu: "path from/to here") and opens it. */
  pathEnd(end: 'from' | 'to', node: PathEnd): void {
    this.pathDraft = { ...this.pathDraft, [end]: node };
    this.pathOpen = true;
    this.filtersOpen = false;
  }
}

export const ui = new Ui();
