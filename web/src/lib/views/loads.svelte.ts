/**
 * The answers of the view table's loads, held for the explorer: one per load, kept on screen while the next one
 * loads; one request in flight per load (a newer one aborts it). follow() keeps them in line with the scene: each
 * load the current view needs is fetched when its key changes, after an error and when it went stale (an edit).
 */
import { untrack } from 'svelte';
import { isAbort } from '../api.ts';
import { toUiError } from '../error-message.ts';
import { scene } from '../scene.svelte.ts';
import { LOAD_NAMES, LOADS, needsFetch, VIEW_TABLE, wantedKey, type LoadData, type Loaded, type LoadName } from './view-table.ts';

export class Loads {
  everything = $state.raw<Loaded<LoadData['everything']> | null>(null);
  lineage = $state.raw<Loaded<LoadData['lineage']> | null>(null);
  chains = $state.raw<Loaded<LoadData['chains']> | null>(null);
  partnerships = $state.raw<Loaded<LoadData['partnerships']> | null>(null);
  places = $state.raw<Loaded<LoadData['places']> | null>(null);
  paths = $state.raw<Loaded<LoadData['paths']> | null>(null);
  library = $state.raw<Loaded<LoadData['library']> | null>(null);
  compare = $state.raw<Loaded<LoadData['compare']> | null>(null);
  versions = $state.raw<Loaded<LoadData['versions']> | null>(null);

  /** Read by the loading effects: bumping it makes them look again (retry). */
  #reloads = $state(0);
  #requests = new Map<LoadName, AbortController>();

  /** Starts the loading effects (inside the caller's effect root). */
  follow(): void {
    for (const name of LOAD_NAMES) {
      $effect(() => {
        void this.#reloads;
        const key = wantedKey(scene.state, name);
        const state = scene.state;
        untrack(() => {
          if (key !== null) {
            if (needsFetch(this[name], key)) this.#load(name, key, (signal) => LOADS[name].fetch(state, signal));
          } else if (LOADS[name].clearWhenUnasked && VIEW_TABLE[state.view].loads.includes(name)) {
            this.#requests.get(name)?.abort();
            this.#set(name, null);
          }
        });
      });
    }
  }

  /** Whatever ended in an error is asked for again. */
  retry(): void {
    this.#reloads += 1;
  }

  /** Everything loaded is loaded again (the graph changed), the current answers staying on screen meanwhile. */
  revalidate(): void {
    for (const name of LOAD_NAMES) {
      const loaded = this[name];
      if (loaded && !loaded.loading) this.#set(name, { ...loaded, stale: true });
    }
    this.#reloads += 1;
  }

  #set<N extends LoadName>(name: N, value: Loaded<LoadData[N]> | null): void {
    (this as unknown as Record<N, Loaded<LoadData[N]> | null>)[name] = value;
  }

  #load<N extends LoadName>(name: N, key: string, fetcher: (signal: AbortSignal) => Promise<LoadData[N]>): void {
    this.#requests.get(name)?.abort();
    const request = new AbortController();
    this.#requests.set(name, request);
    const set = (value: Loaded<LoadData[N]>) => this.#set(name, value);
    const previous = this[name] as Loaded<LoadData[N]> | null;
    // Keep showing the previous answer while the next one loads (no flash of an empty view).
    set({ key, loading: true, data: previous?.key === key ? previous.data : undefined });
    fetcher(request.signal).then(
      (data) => {
        if (this.#requests.get(name) === request) set({ key, loading: false, data });
      },
      (error: unknown) => {
        if (isAbort(error) || this.#requests.get(name) !== request) return;
        set({ key, loading: false, error: toUiError(error) });
      },
    );
  }
}
