/**
 * Reads IATI activity XML (versions 1.0x and 2.0x, a bare <iati-activities> file or the IATI Datastore's
 * <result> wrapper) into plain activity records, streaming with saxes. Safe by construction: any DOCTYPE is
 * refused (so no entity expansion — "billion laughs" — and no external entities, XXE), the size is checked first,
 * nesting deeper than IATI_MAX_DEPTH is refused, and every error names the line. Elements it does not use are
 * skipped and counted, never fatal.
 */
import { SaxesParser } from 'saxes';
import { Invalid } from '../domain/errors.ts';

export type Texts = Record<string, string>;

export interface IatiOrg {
  ref?: string;
  type?: string;
  role?: string;
  names: Texts;
}

export interface IatiLocation {
  names: Texts;
  admin: { vocabulary?: string; level?: string; code?: string }[];
  pos?: [number, number];
}

export interface IatiActivity {
  /** Line of the <iati-activity> tag in the file. */
  line: number;
  version?: string;
  lang?: string;
  identifier: string;
  reportingOrg?: IatiOrg;
  titles: Texts;
  descriptions: Texts;
  status?: string;
  dates: { type: string; iso: string }[];
  participatingOrgs: IatiOrg[];
  relatedActivities: { type: string; ref: string }[];
  otherIdentifiers: { type?: string; ref?: string; text?: string }[];
  locations: IatiLocation[];
  recipientCountries: { code: string; names: Texts }[];
  recipientRegions: { code: string; vocabulary?: string; names: Texts }[];
  documents: { url: string; titles: Texts; category?: string; language?: string }[];
  sectors: { code: string; vocabulary?: string; names: Texts }[];
  website?: string;
}

export interface IatiParseResult {
  version?: string;
  activities: IatiActivity[];
  /** Elements directly inside <iati-activity> that the import does not use, by name. */
  skipped: Record<string, number>;
}

/**
 * How deep elements may nest. IATI activity files nest a handful of levels (<iati-activities>, <iati-activity>,
 * <location>, <point>, <pos>; the Datastore's <result> adds one or two); anything much deeper is not IATI and is
 * refused at once, so a hostile file cannot make the parser hold or walk a stack of millions of elements.
 */
export const IATI_MAX_DEPTH = 100;

export interface IatiParseOptions {
  /** The deepest nesting taken (default IATI_MAX_DEPTH). */
  maxDepth?: number;
}

/** Children of <iati-activity> the mapping uses. */
const USED = new Set([
  'iati-identifier', 'reporting-org', 'title', 'description', 'activity-status', 'activity-date', 'participating-org',
  'related-activity', 'other-identifier', 'location', 'recipient-country', 'recipient-region', 'document-link', 'sector',
  'activity-website',
]);

interface Frame {
  name: string;
  attrs: Record<string, string>;
  text: string;
  /** Narratives collected for this element (2.x), by language. */
  narratives: Texts;
  children: Frame[];
  line: number;
}

function langOf(attrs: Record<string, string>, fallback: string | undefined): string {
  return (attrs['xml:lang'] ?? fallback ?? 'en').toLowerCase().slice(0, 2);
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function parseIati(xml: string, file: string, options: IatiParseOptions = {}): IatiParseResult {
  const maxDepth = options.maxDepth ?? IATI_MAX_DEPTH;
  const head = xml.trimStart();
  if (!head.startsWith('<')) throw new Invalid(`${file} is not XML (it does not start with "<")`, { file });
  const parser = new SaxesParser({ position: true, fileName: file });
  const stack: Frame[] = [];
  const activities: IatiActivity[] = [];
  const skipped: Record<string, number> = {};
  let fileVersion: string | undefined;
  let rootChecked = false;
  let sawActivities = false;
  let failure: Invalid | undefined;
  /** Open <iati-activity> elements: counted, so that no closing tag walks the stack to ask whether it is inside one. */
  let openActivities = 0;
  /** Thrown from a handler to stop reading at once (the failure is already recorded). */
  const STOP = new Error('stop');

  const fail = (message: string) => {
    failure ??= new Invalid(`${file} line ${parser.line}: ${message}`, { file, line: parser.line });
  };

  parser.on('doctype', () => fail('DOCTYPE declarations are not accepted (they allow entity expansion and external entities)'));
  parser.on('error', (error) => fail(error.message.replace(/^[^:]*:\d+:\d+: /, '')));
  parser.on('opentag', (tag) => {
    const attrs = tag.attributes as Record<string, string>;
    if (!rootChecked) {
      rootChecked = true;
      if (tag.name !== 'iati-activities' && tag.name !== 'result') {
        fail(`the root element is <${tag.name}>, not <iati-activities> (or the IATI Datastore's <result>)`);
      }
    }
    if (tag.name === 'iati-activities') {
      sawActivities = true;
      fileVersion ??= attrs.version;
    }
    if (stack.length >= maxDepth) {
      failure ??= new Invalid(
        `${file} line ${parser.line} column ${parser.column}: <${tag.name}> is nested more than ${maxDepth} levels deep (IATI files nest a handful); refused`,
        { file, line: parser.line, column: parser.column, limit: maxDepth },
      );
      throw STOP;
    }
    if (tag.name === 'iati-activity') openActivities++;
    stack.push({ name: tag.name, attrs, text: '', narratives: {}, children: [], line: parser.line });
  });
  parser.on('text', (text) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  });
  parser.on('cdata', (text) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  });
  parser.on('closetag', () => {
    const frame = stack.pop()!;
    const parent = stack[stack.length - 1];
    if (frame.name === 'iati-activity') {
      openActivities--;
      if (parent?.name === 'iati-activities') activities.push(toActivity(frame, fileVersion, skipped));
      return;
    }
    if (!parent) return;
    if (frame.name === 'narrative') {
      parent.narratives[langOf(frame.attrs, undefined)] = squash(frame.text);
      return;
    }
    // Keep the tree only inside activities; everything else is dropped as soon as it closes.
    if (openActivities > 0) parent.children.push(frame);
  });

  try {
    parser.write(xml).close();
  } catch (error) {
    if (error !== STOP) fail((error as Error).message.replace(/^[^:]*:\d+:\d+: /, ''));
  }
  if (failure) throw failure;
  if (!sawActivities) throw new Invalid(`${file}: no <iati-activities> element found`, { file });
  return { version: fileVersion, activities, skipped };
}

/** Texts of an element: its narratives (2.x) or its own text under its xml:lang (1.x). */
function texts(frame: Frame | undefined, lang: string | undefined): Texts {
  if (!frame) return {};
  if (Object.keys(frame.narratives).length > 0) return frame.narratives;
  const text = squash(frame.text);
  return text ? { [langOf(frame.attrs, lang)]: text } : {};
}

function child(frame: Frame, name: string): Frame | undefined {
  return frame.children.find((c) => c.name === name);
}

function org(frame: Frame, lang: string | undefined): IatiOrg {
  const out: IatiOrg = { names: texts(frame, lang) };
  if (frame.attrs.ref?.trim()) out.ref = frame.attrs.ref.trim();
  if (frame.attrs.type) out.type = frame.attrs.type;
  if (frame.attrs.role) out.role = frame.attrs.role;
  return out;
}

function toActivity(frame: Frame, fileVersion: string | undefined, skipped: Record<string, number>): IatiActivity {
  const lang = frame.attrs['xml:lang'];
  const activity: IatiActivity = {
    line: frame.line,
    version: frame.attrs['iati-extra:version'] ?? fileVersion,
    lang,
    identifier: '',
    titles: {},
    descriptions: {},
    dates: [],
    participatingOrgs: [],
    relatedActivities: [],
    otherIdentifiers: [],
    locations: [],
    recipientCountries: [],
    recipientRegions: [],
    documents: [],
    sectors: [],
  };
  for (const c of frame.children) {
    if (!USED.has(c.name)) {
      skipped[c.name] = (skipped[c.name] ?? 0) + 1;
      continue;
    }
    switch (c.name) {
      case 'iati-identifier':
        activity.identifier = squash(c.text);
        break;
      case 'reporting-org':
        activity.reportingOrg = org(c, lang);
        break;
      case 'title':
        Object.assign(activity.titles, texts(c, lang));
        break;
      case 'description':
        // Type 1 (general) or untyped descriptions only.
        if (!c.attrs.type || c.attrs.type === '1' || c.attrs.type === 'general') {
          for (const [l, t] of Object.entries(texts(c, lang))) activity.descriptions[l] ??= t;
        }
        break;
      case 'activity-status':
        activity.status = c.attrs.code ?? squash(c.text);
        break;
      case 'activity-date':
        if (c.attrs.type && c.attrs['iso-date']) activity.dates.push({ type: c.attrs.type, iso: c.attrs['iso-date'] });
        break;
      case 'participating-org':
        activity.participatingOrgs.push(org(c, lang));
        break;
      case 'related-activity':
        if (c.attrs.type && c.attrs.ref) activity.relatedActivities.push({ type: c.attrs.type, ref: c.attrs.ref.trim() });
        break;
      case 'other-identifier': {
        const id: { type?: string; ref?: string; text?: string } = {};
        if (c.attrs.type) id.type = c.attrs.type;
        if (c.attrs.ref) id.ref = c.attrs.ref.trim();
        const text = squash(c.text);
        if (text) id.text = text;
        activity.otherIdentifiers.push(id);
        break;
      }
      case 'location': {
        const location: IatiLocation = { names: texts(child(c, 'name'), lang), admin: [] };
        for (const a of c.children.filter((x) => x.name === 'administrative')) {
          location.admin.push({ vocabulary: a.attrs.vocabulary, level: a.attrs.level, code: a.attrs.code ?? squash(a.text) });
        }
        const pos = child(c, 'point') && child(child(c, 'point')!, 'pos');
        const coords = pos ? squash(pos.text).split(' ').map(Number) : [];
        if (coords.length === 2 && coords.every(Number.isFinite)) location.pos = [coords[0]!, coords[1]!];
        activity.locations.push(location);
        break;
      }
      case 'recipient-country':
        if (c.attrs.code) activity.recipientCountries.push({ code: c.attrs.code.toUpperCase(), names: texts(c, lang) });
        break;
      case 'recipient-region':
        if (c.attrs.code) activity.recipientRegions.push({ code: c.attrs.code, vocabulary: c.attrs.vocabulary, names: texts(c, lang) });
        break;
      case 'document-link': {
        const url = c.attrs.url?.trim();
        if (!url) break;
        const doc: IatiActivity['documents'][number] = { url, titles: texts(child(c, 'title'), lang) };
        const category = child(c, 'category')?.attrs.code;
        if (category) doc.category = category;
        const language = child(c, 'language')?.attrs.code;
        if (language) doc.language = language;
        activity.documents.push(doc);
        break;
      }
      case 'sector':
        if (c.attrs.code) activity.sectors.push({ code: c.attrs.code, vocabulary: c.attrs.vocabulary, names: texts(c, lang) });
        break;
      case 'activity-website':
        activity.website = squash(c.text);
        break;
    }
  }
  return activity;
}
