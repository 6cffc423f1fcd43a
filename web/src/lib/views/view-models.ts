/**
 * The models of the views drawn from a chunk of their own (drawn-views.ts: Lineage and Partnerships), loaded when
 * one of those views is shown or the graph engine is loaded, whichever comes first. Reactive (a SvelteMap, so that
 * this stays a plain module): what reads `drawnViews()` is computed again once they are in (issue 18: the first
 * screen's code leaves them out).
 */
import { SvelteMap } from 'svelte/reactivity';

type DrawnViews = typeof import('./drawn-views.ts');

const loaded = new SvelteMap<'views', DrawnViews>();
let loading: Promise<DrawnViews> | null = null;

/** Loads the models (once); resolves with them. */
export function loadDrawnViews(): Promise<DrawnViews> {
  loading ??= import('./drawn-views.ts').then(
    (views) => {
      loaded.set('views', views);
      return views;
    },
    (error: unknown) => {
      loading = null; // asked for again by the next read (offline before the app was cached, say)
      throw error;
    },
  );
  return loading;
}

/** The models if they are loaded, else null (and they are asked for). */
export function drawnViews(): DrawnViews | null {
  const views = loaded.get('views');
  if (!views) void loadDrawnViews().catch(() => undefined);
  return views ?? null;
}
