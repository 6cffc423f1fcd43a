/**
 * "Cite this": a scene's citation, pinned to a version of the graph, as APA-style text (in English or Khmer) and a
 * BibTeX entry. Pure: the address, version and dates come in; the Cite dialog (components/CiteDialog.svelte) shows
 * and copies what comes out.
 */
import type { Lang } from '../i18n.ts';

/** The graph's name in citations (English; APA keeps the work's own title whatever the language of the text). */
export const GRAPH_NAME = 'DAR Knowledge Graph';

export interface CitationInput {
  /** What the scene shows, e.g. "Explore: Decentralisation and Administrative Reform (DAR)". */
  title: string;
  /** The pinned address: reopens the scene at `seq`. */
  url: string;
  /** The audit seq of the version cited. */
  seq: number;
  /** When that version was written (ISO time); null for a graph never written. */
  recorded: string | null;
  /** When it was cited (ISO time): the "retrieved" date. */
  accessed: string;
}

export interface Citation {
  apa: string;
  bibtex: string;
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTHS_KM = ['មករា', 'កុម្ភៈ', 'មីនា', 'មេសា', 'ឧសភា', 'មិថុនា', 'កក្កដា', 'សីហា', 'កញ្ញា', 'តុលា', 'វិច្ឆិកា', 'ធ្នូ'];
const BIBTEX_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const KHMER_DIGITS = '០១២៣៤៥៦៧៨៩';

/** Western digits as Khmer digits. */
export function khmerDigits(text: string | number): string {
  return String(text).replace(/\d/g, (d) => KHMER_DIGITS[Number(d)]!);
}

/** Year, month (0–11) and day of an ISO time, in UTC (the audit's clock), so a citation reads the same everywhere. */
function parts(iso: string): { year: number; month: number; day: number } {
  const date = new Date(iso);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth(), day: date.getUTCDate() };
}

/** "2 December 2026" · "២ ធ្នូ ២០២៦" */
export function formatDay(iso: string, lang: Lang): string {
  const { year, month, day } = parts(iso);
  return lang === 'km' ? `${khmerDigits(day)} ${MONTHS_KM[month]} ${khmerDigits(year)}` : `${day} ${MONTHS_EN[month]} ${year}`;
}

/**
 * APA 7 for a data set: Author. (Year, Month Day). *Title* (Version N) [Data set]. Retrieved Month Day, Year, from URL
 * — the author and publisher being the graph itself. In Khmer the same parts, with Khmer words and digits.
 */
export function apaCitation(input: CitationInput, lang: Lang): string {
  const when = parts(input.recorded ?? input.accessed);
  const accessed = parts(input.accessed);
  if (lang === 'km') {
    return (
      `${GRAPH_NAME}។ (${khmerDigits(when.year)}, ${khmerDigits(when.day)} ${MONTHS_KM[when.month]})។ ${input.title} ` +
      `(កំណែ ${khmerDigits(input.seq)}) [សំណុំទិន្នន័យ]។ ទាញយកនៅ ${formatDay(input.accessed, 'km')} ពី ${input.url}`
    );
  }
  return (
    `${GRAPH_NAME}. (${when.year}, ${MONTHS_EN[when.month]} ${when.day}). ${input.title} (Version ${input.seq}) [Data set]. ` +
    `Retrieved ${MONTHS_EN[accessed.month]} ${accessed.day}, ${accessed.year}, from ${input.url}`
  );
}

/** Text safe inside a BibTeX field's braces: its special characters escaped, braces kept balanced. */
export function bibtexEscape(text: string): string {
  return text.replace(/[\\{}%&$#_^~]/g, (c) =>
    c === '\\' ? '\\textbackslash{}' : c === '^' ? '\\textasciicircum{}' : c === '~' ? '\\textasciitilde{}' : `\\${c}`,
  );
}

/** A biblatex/BibTeX @misc entry; the key names the graph and the version (dar-kg-v412). */
export function bibtexCitation(input: CitationInput): string {
  const when = parts(input.recorded ?? input.accessed);
  const fields: [string, string][] = [
    ['title', `{${GRAPH_NAME}}: ${bibtexEscape(input.title)}`],
    ['author', `{${GRAPH_NAME}}`],
    ['year', String(when.year)],
    ['month', BIBTEX_MONTHS[when.month]!],
    ['version', String(input.seq)],
    ['date', (input.recorded ?? input.accessed).slice(0, 10)],
    ['urldate', input.accessed.slice(0, 10)],
    // The url field is verbatim in biblatex; only a brace or backslash could break it, and a scene's address has none.
    ['url', input.url.replace(/[{}\\]/g, encodeURIComponent)],
    ['note', `Version ${input.seq}${input.recorded ? `, as recorded on ${input.recorded}` : ''}`],
  ];
  const width = Math.max(...fields.map(([name]) => name.length));
  // `month` takes a BibTeX macro (jan … dec), not braces.
  const body = fields.map(([name, value]) => `  ${name.padEnd(width)} = ${name === 'month' ? value : `{${value}}`}`).join(',\n');
  return `@misc{dar-kg-v${input.seq},\n${body}\n}`;
}

export function citation(input: CitationInput, lang: Lang): Citation {
  return { apa: apaCitation(input, lang), bibtex: bibtexCitation(input) };
}
