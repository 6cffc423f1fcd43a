/**
 * The UI language, remembered in localStorage. Switching it changes every UI string and every node caption at
 * once, because they are all derived from `language.current`. Each language's messages are a chunk of their own
 * (i18n-en.ts, i18n-km.ts): main.ts waits for them (`ready`) before it mounts the page, and a switch of language
 * takes effect once they are loaded.
 */
import { hasMessages, isLang, loadMessages, translate, type Lang, type MessageKey, type MessageParams } from './i18n.ts';

const STORAGE_KEY = 'dar-kg.lang';

/** The address's ?lang=, which wins (scene.svelte.ts sets it too, but only once the app has started). */
function addressLanguage(): Lang | undefined {
  const value = globalThis.location ? new URLSearchParams(globalThis.location.search).get('lang') : null;
  return isLang(value) ? value : undefined;
}

function storedLanguage(): Lang | undefined {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLang(value) ? value : undefined;
  } catch {
    return undefined; // storage disabled
  }
}

function browserLanguage(): Lang {
  const preferred = globalThis.navigator?.languages ?? [];
  return preferred.some((tag) => tag.toLowerCase().startsWith('km')) ? 'km' : 'en';
}

class LanguageState {
  current = $state<Lang>(addressLanguage() ?? storedLanguage() ?? browserLanguage());

  /** The language last asked for (set), which becomes `current` once its messages are loaded. */
  #wanted: Lang = this.current;

  /** Resolves once the messages of the language asked for are loaded (rejects when they cannot be). */
  async ready(): Promise<void> {
    await loadMessages(this.#wanted);
  }

  set(lang: Lang): void {
    this.#wanted = lang;
    if (hasMessages(lang)) this.current = lang;
    else
      void loadMessages(lang).then(
        () => {
          if (this.#wanted === lang) this.current = lang;
        },
        () => undefined, // not loaded (offline before the app was cached): the page stays in the language it is in
      );
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, lang);
    } catch {
      // storage disabled: the choice lasts for this page only
    }
  }

  /** The UI string `key` in the current language. */
  t = (key: MessageKey, params?: MessageParams): string => translate(this.current, key, params);
}

export const language = new LanguageState();
