/**
 * The rows of the side panel's property list: which properties of a node are shown, in what order, and how each
 * value is displayed. Pure; the panel translates the property names.
 */
import { SERVER_SET_PROPERTIES } from '../../../server/schema/graph.model.ts';
import { isMessageKey, translate, type Lang } from './i18n.ts';

export type PropertyKind = 'text' | 'url' | 'long' | 'label' | 'time';

export interface PropertyRow {
  key: string;
  value: string;
  kind: PropertyKind;
}

/** Shown first, by base name (a name's two language versions share the base "name"). */
const FIRST = ['id', 'label', 'name', 'acronym'];
/** Shown last: who and when (the server-set properties but the version). */
const LAST: string[] = SERVER_SET_PROPERTIES.filter((key) => key !== 'version');
/** Shown elsewhere in the panel. */
const HIDDEN = new Set(['sources']);
const LONG = new Set(['summary_en', 'summary_km', 'note_en', 'note_km']);

const HTTP_URL = /^https?:\/\/\S+$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A property's name in the UI language (`prop.<key>`), or the key itself when the UI has no name for it. */
export function propertyLabel(key: string, lang: Lang): string {
  const messageKey = `prop.${key}`;
  return isMessageKey(messageKey) ? translate(lang, messageKey) : key;
}

/** A value from one of the schema's lists (organisation type, status, level, language) in the UI language. */
export function valueLabel(key: string, value: string, lang: Lang): string {
  const messageKey = key === 'language' ? `docs.lang.${value}` : `detail.${value}`;
  return isMessageKey(messageKey) ? translate(lang, messageKey) : value;
}

/** The language a property's value is written in, by its name (`…_km`, `…_en`), for the `lang` attribute. */
export function propertyLang(key: string): Lang | undefined {
  if (key.endsWith('_km')) return 'km';
  if (key.endsWith('_en')) return 'en';
  return undefined;
}

export function isHttpUrl(value: string): boolean {
  return HTTP_URL.test(value);
}

/** A source that is not a URL is the id of a Document in the graph. */
export function isDocumentId(value: string): boolean {
  return /^[a-z0-9][a-z0-9-]*$/.test(value);
}

function display(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length ? value.map((item) => display(item) ?? '').join(', ') : undefined;
  return JSON.stringify(value);
}

/** "summary_km" → "summary"; "name_en" → "name"; other keys as they are. */
function baseKey(key: string): string {
  return key.replace(/_(en|km)$/, '');
}

function rank(key: string): number {
  const first = FIRST.indexOf(baseKey(key));
  if (first >= 0) return first;
  const last = LAST.indexOf(key);
  if (last >= 0) return 1000 + last;
  return 100;
}

function kindOf(key: string, value: string): PropertyKind {
  if (key === 'label') return 'label';
  if (LONG.has(key)) return 'long';
  if (isHttpUrl(value)) return 'url';
  if (key.endsWith('_at') && TIMESTAMP.test(value)) return 'time';
  return 'text';
}

/**
 * The node's properties as rows: identity first (id, label, names, acronyms), then the rest in the order the
 * server gave, audit stamps last. The language versions of a property sit together, `lang`'s first.
 */
export function propertyRows(node: Readonly<Record<string, unknown>>, lang: Lang = 'en'): PropertyRow[] {
  const rows: PropertyRow[] = [];
  for (const [key, raw] of Object.entries(node)) {
    if (HIDDEN.has(key)) continue;
    const value = display(raw);
    if (value !== undefined) rows.push({ key, value, kind: kindOf(key, value) });
  }
  const firstSeen = new Map<string, number>();
  rows.forEach((row, index) => {
    const base = baseKey(row.key);
    if (!firstSeen.has(base)) firstSeen.set(base, index);
  });
  const langOrder = (key: string) => (key === baseKey(key) ? 0 : key.endsWith(`_${lang}`) ? 1 : 2);
  const group = (key: string) => firstSeen.get(baseKey(key)) ?? 0;
  return rows
    .map((row, index) => ({ row, index }))
    .sort(
      (a, b) =>
        rank(a.row.key) - rank(b.row.key) ||
        group(a.row.key) - group(b.row.key) ||
        langOrder(a.row.key) - langOrder(b.row.key) ||
        a.index - b.index,
    )
    .map(({ row }) => row);
}

/** The months in Khmer (CLDR's km names), for dates written without the browser's Khmer locale data. */
const KHMER_MONTHS = ['មករា', 'កុម្ភៈ', 'មីនា', 'មេសា', 'ឧសភា', 'មិថុនា', 'កក្កដា', 'សីហា', 'កញ្ញា', 'តុលា', 'វិច្ឆិកា', 'ធ្នូ'] as const;

/**
 * A timestamp as a date and time in the reader's language, local time (the text as given when it does not parse).
 * Khmer is written here as CLDR's km medium date and 24-hour time ("3 ធ្នូ 2026, 06:37"), not by Intl: browsers
 * built without Khmer locale data (Debian's Chromium) fall back to "2026 M12 3" or to English month names.
 */
export function formatTimestamp(value: string, lang: Lang): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  if (lang === 'km') {
    const two = (n: number) => String(n).padStart(2, '0');
    return `${date.getDate()} ${KHMER_MONTHS[date.getMonth()]} ${date.getFullYear()}, ${two(date.getHours())}:${two(date.getMinutes())}`;
  }
  return new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    hourCycle: 'h23',
  }).format(date);
}

/** A URL shortened for display: host and path, without the scheme, cut in the middle when long. */
export function shortUrl(url: string, max = 48): string {
  let text = url;
  try {
    const parsed = new URL(url);
    text = `${parsed.hostname.replace(/^www\./, '')}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    // not parseable: show as given
  }
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) * 0.6);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`;
}
