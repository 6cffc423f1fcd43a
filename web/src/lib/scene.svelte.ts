/**
 * The scene as the page holds it: the URL is its single source. Every change writes the URL — a new history
 * entry for a change of scene (so that back, forward, undo and redo move between scenes), the same entry for a
 * change of selection or language — and the browser's back and forward read it again.
 */
import { pinVersion } from './api.ts';
import type { Lang } from './i18n.ts';
import { language } from './language.svelte.ts';
import { parseScene, sameScene, sceneToSearch, type SceneState } from './scene/scene-state.ts';

type Mode = 'push' | 'replace';

interface HistoryState {
  /** Position of this entry among the explorer's own entries, from 0. */
  sceneIndex: number;
}

function indexOf(state: unknown): number {
  return typeof state === 'object' && state !== null && 'sceneIndex' in state && typeof state.sceneIndex === 'number'
    ? state.sceneIndex
    : 0;
}

class Scene {
  state = $state.raw<SceneState>(parseScene(globalThis.location?.search ?? ''));
  #index = $state(0);
  #top = $state(0);

  canUndo = $derived(this.#index > 0);
  canRedo = $derived(this.#index < this.#top);

  #started = false;

  /** Reads the URL, settles the language (the URL's, else the remembered one) and follows back/forward. */
  start(): () => void {
    if (this.#started) return () => undefined;
    this.#started = true;
    const initial = parseScene(location.search);
    if (initial.lang) language.set(initial.lang);
    this.#index = indexOf(history.state);
    this.#top = this.#index;
    this.#write({ ...initial, lang: language.current }, 'replace');
    const onPopState = (event: PopStateEvent) => {
      const next = parseScene(location.search);
      // Another version of the graph (back from a cited address, or to one): everything loaded is of the wrong one.
      if (next.at !== this.state.at) {
        location.reload();
        return;
      }
      this.#index = indexOf(event.state);
      this.#top = Math.max(this.#top, this.#index);
      if (next.lang && next.lang !== language.current) language.set(next.lang);
      this.state = { ...next, lang: next.lang ?? language.current };
    };
    addEventListener('popstate', onPopState);
    return () => {
      removeEventListener('popstate', onPopState);
      this.#started = false;
    };
  }

  /** Changes the scene: a new history entry by default; `replace` for what should not be undone step by step. */
  update(change: (scene: SceneState) => SceneState, mode: Mode = 'push'): void {
    const next = change(this.state);
    if (sameScene(next, this.state)) return;
    this.#write(next, mode);
  }

  /** Selects a node (or nothing); selection is kept in the URL but is not a step to undo. */
  select(id: string | null): void {
    this.update((scene) => ({ ...scene, focus: id }), 'replace');
  }

  setLang(lang: Lang): void {
    language.set(lang);
    this.update((scene) => ({ ...scene, lang }), 'replace');
  }

  undo(): void {
    if (this.canUndo) history.back();
  }

  redo(): void {
    if (this.canRedo) history.forward();
  }

  /** The address of the current scene. */
  get href(): string {
    return `${location.origin}${location.pathname}${sceneToSearch(this.state)}`;
  }

  #write(next: SceneState, mode: Mode): void {
    const url = `${location.pathname}${sceneToSearch(next)}${location.hash}`;
    if (mode === 'push') {
      this.#index += 1;
      this.#top = this.#index;
      history.pushState({ sceneIndex: this.#index } satisfies HistoryState, '', url);
    } else {
      history.replaceState({ sceneIndex: this.#index } satisfies HistoryState, '', url);
    }
    const otherVersion = next.at !== this.state.at;
    this.state = next;
    if (otherVersion) location.reload();
  }
}

export const scene = new Scene();
pinVersion(scene.state.at);
