/**
 * The UI's messages: their keys, and the loading of each language's table (i18n-en.ts, i18n-km.ts: a chunk of its
 * own each, so that a visit downloads only its language's, issue 18). Label and relationship-type names are not
 * here: they come from the schema module (LABEL_NAMES, LINK_TYPE_NAMES). Placeholders are written {name}; a count of things
 * has its plural forms, `{n, plural, one {# link} other {# links}}` (see translate; Khmer needs only `other`).
 */

import type { EN } from './i18n-en.ts';

export const LANGS = ['en', 'km'] as const;
export type Lang = (typeof LANGS)[number];

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

export type MessageKey = keyof typeof EN;
export type Messages = Readonly<Record<MessageKey, string>>;

/** The tables loaded so far: each language's is a chunk of its own (i18n-en.ts, i18n-km.ts), loaded by loadMessages. */
const tables: Partial<Record<Lang, Messages>> = {};

/** True when `lang`'s messages are loaded (translate then uses them). */
export function hasMessages(lang: Lang): boolean {
  return tables[lang] !== undefined;
}

/** Loads `lang`'s messages (once) and returns them. */
export async function loadMessages(lang: Lang): Promise<Messages> {
  const table = tables[lang] ?? (tables[lang] = lang === 'km' ? (await import('./i18n-km.ts')).KM : (await import('./i18n-en.ts')).EN);
  return table;
}

/**
 * `lang`'s messages; while they are not loaded, English's, or another language's (the page starts once its
 * language's are in: main.ts). Empty when none is loaded yet (translate then gives the key).
 */
export function messagesOf(lang: Lang): Partial<Messages> {
  return tables[lang] ?? tables.en ?? tables.km ?? {};
}

export type MessageParams = Readonly<Record<string, string | number>>;

const pluralRules = new Map<Lang, Intl.PluralRules>();
function pluralCategory(lang: Lang, count: number): string {
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  return rules.select(count);
}

/**
 * Picks the form of each `{count, plural, one {# link} other {# links}}` (a subset of ICU MessageFormat: the
 * categories of Intl.PluralRules for the language, `=N` for an exact count, `#` for the count) by the count in
 * `params`; one with no count given is left as it is.
 */
function choosePlurals(lang: Lang, text: string, params: MessageParams): string {
  const start = /\{(\w+), ?plural,/g;
  let out = '';
  let from = 0;
  for (let match = start.exec(text); match; match = start.exec(text)) {
    const value = params[match[1]!];
    if (value === undefined) continue;
    const branches = new Map<string, string>();
    let i = match.index + match[0].length;
    for (;;) {
      const branch = /^\s*(zero|one|two|few|many|other|=\d+)\s*\{/.exec(text.slice(i));
      if (!branch) break;
      i += branch[0].length;
      const bodyStart = i;
      for (let depth = 1; depth > 0 && i < text.length; i++) depth += text[i] === '{' ? 1 : text[i] === '}' ? -1 : 0;
      branches.set(branch[1]!, text.slice(bodyStart, i - 1));
    }
    while (i < text.length && text[i] !== '}') i++;
    // A count passed already formatted ("2,000") is never one: it takes `other`.
    const count = Number(value);
    const category = Number.isNaN(count) ? 'other' : pluralCategory(lang, count);
    const body = branches.get(`=${count}`) ?? branches.get(category) ?? branches.get('other') ?? '';
    out += text.slice(from, match.index) + body.replace(/#/g, String(value));
    from = i + 1;
    start.lastIndex = from;
  }
  return out + text.slice(from);
}

/**
 * The message for `key` in `lang`, with its plural forms chosen by count (Intl.PluralRules) and {placeholders}
 * filled from `params` (unknown ones are left as they are).
 */
export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const template = messagesOf(lang)[key] ?? key;
  if (!params) return template;
  return choosePlurals(lang, template, params).replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** True when `key` names a UI message (used for property names, which may be unknown to the UI). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(messagesOf('en'), key); // every table has every key
}
