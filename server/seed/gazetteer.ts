/**
 * Cambodia's national gazetteer (Pumi, MIT; see seed/gazetteer/SOURCES.md) as AdminArea records and their PART_OF
 * links, converted when it is read: the seed loads `seed/gazetteer/cambodia_admin_areas_pumi.csv` (provinces,
 * districts, communes) this way, and the import pipeline takes a file of the same columns (the 14,578 villages).
 *
 * Rules (also in seed/README.md):
 * - id `kh-<code>`; code as Pumi gives it (2 digits province, 4 district, 6 commune, 8 village); PART_OF to
 *   `kh-<parent_code>` with the link id `kh-<code>-part-of-kh-<parent_code>`.
 * - level: Pumi's province (khaet, and the capital reach theani) → province; district: krong → municipality, srok
 *   and khan → district; commune (khum, sangkat) → commune; village (phum) → village.
 * - names: a province, the capital and a municipality carry their unit type, as Pumi's type_en / type_km give it
 *   ("Battambang Province" / ខេត្តបាត់ដំបង, "Phnom Penh Capital" / រាជធានីភ្នំពេញ, "Battambang Municipality" /
 *   ក្រុងបាត់ដំបង); every other unit is named by its plain Latin and Khmer name. name_latin is always the plain
 *   Latin name.
 * - lat/lon rounded to 7 decimals (about a centimetre; the existing rows were written so) when Pumi has them.
 * - sources: the Pumi repository URL.
 */
import { parse } from 'csv-parse/sync';
import { Invalid } from '../domain/errors.ts';
import { ADMIN_LEVELS } from '../schema/graph.model.ts';
import { formatIssues, LinkSchema, NodeSchema, type GraphLink, type GraphNode } from '../schema/graph.schema.ts';

type AdminLevel = (typeof ADMIN_LEVELS)[number];

export const PUMI_URL = 'https://github.com/dwilkie/pumi';
/** The gazetteer file the seed loads, relative to the seed folder. */
export const GAZETTEER_FILE = 'gazetteer/cambodia_admin_areas_pumi.csv';
/** The villages, imported with `npm run import` (not loaded with the seed). */
export const VILLAGES_FILE = 'gazetteer/cambodia_villages_pumi.csv';

/** Pumi's CSV columns (as exported from its data/*.yml); a file with these columns is a gazetteer file. */
export const GAZETTEER_COLUMNS = [
  'code',
  'level',
  'parent_code',
  'type_km',
  'type_latin',
  'type_en',
  'name_km',
  'name_latin',
  'name_ungegn',
  'iso3166_2',
  'lat',
  'lon',
  'wikipedia',
] as const;

/** True when a CSV text starts with the gazetteer's header (after an optional byte-order mark). */
export function isGazetteerCsv(text: string): boolean {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return firstLine.trim() === GAZETTEER_COLUMNS.join(',');
}

export const areaId = (code: string) => `kh-${code}`;
export const partOfId = (code: string, parent: string) => `kh-${code}-part-of-kh-${parent}`;

const CODE_LENGTH = { province: 2, district: 4, commune: 6, village: 8 } as const;
type PumiLevel = keyof typeof CODE_LENGTH;

/** The AdminArea level of a Pumi unit (its level and its Latin unit type), or undefined when unknown. */
export function areaLevel(level: string, typeLatin: string): AdminLevel | undefined {
  if (level === 'province') return 'province';
  if (level === 'district') return typeLatin === 'Krong' ? 'municipality' : 'district';
  if (level === 'commune') return 'commune';
  if (level === 'village') return 'village';
  return undefined;
}

/** Whether the unit type is part of the name (province, capital, municipality). */
function namedWithType(level: string, typeLatin: string): boolean {
  return level === 'province' || (level === 'district' && typeLatin === 'Krong');
}

const round7 = (value: number) => Math.round(value * 1e7) / 1e7;
const NUMBER = /^[+-]?\d+(\.\d+)?$/;

export interface GazetteerRecords {
  nodes: GraphNode[];
  links: GraphLink[];
  /** The CSV line each node was read from, by id (for messages). */
  lines: Map<string, number>;
  /** Rows without a Latin name: kept, their name_en repeats the Khmer name. */
  englishFallbacks: number;
}

/**
 * AdminArea nodes and PART_OF links from a gazetteer CSV text. Throws `Invalid` listing every bad row with its
 * line: unknown level, a code that does not fit its level or its parent, a parent code missing from the file and
 * from `knownCodes` (codes already in the graph), a duplicate code, a missing name.
 */
export function parseGazetteerCsv(text: string, file: string, knownCodes: ReadonlySet<string> = new Set()): GazetteerRecords {
  let rows: Record<string, string>[];
  let infos: { lines: number }[];
  try {
    const parsed = parse(text.normalize('NFC').replace(/\r\n?/g, '\n'), {
      bom: true,
      columns: true,
      info: true,
      skip_empty_lines: true,
    }) as unknown as { record: Record<string, string>; info: { lines: number } }[];
    rows = parsed.map((p) => p.record);
    infos = parsed.map((p) => p.info);
  } catch (error) {
    throw new Invalid(`${file}: not valid CSV: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  const header = Object.keys(rows[0] ?? {});
  const missing = GAZETTEER_COLUMNS.filter((c) => !header.includes(c));
  if (rows.length > 0 && missing.length > 0) {
    throw new Invalid(`${file} line 1 (header): gazetteer column(s) missing: ${missing.join(', ')}`);
  }
  const codes = new Set<string>();
  for (const row of rows) codes.add((row['code'] ?? '').trim());
  const out: GazetteerRecords = { nodes: [], links: [], lines: new Map(), englishFallbacks: 0 };
  rows.forEach((row, i) => {
    const line = infos[i]!.lines;
    const cell = (name: (typeof GAZETTEER_COLUMNS)[number]) => (row[name] ?? '').trim();
    const code = cell('code');
    const where = `${file} line ${line}${code ? ` (code "${code}")` : ''}`;
    const pumiLevel = cell('level');
    const level = areaLevel(pumiLevel, cell('type_latin'));
    if (!level) {
      problems.push(`${where}: level: "${pumiLevel}" is not one of province, district, commune, village`);
      return;
    }
    const expectedLength = CODE_LENGTH[pumiLevel as PumiLevel];
    if (!new RegExp(`^\\d{${expectedLength}}$`).test(code)) {
      problems.push(`${where}: code: a ${pumiLevel} code has ${expectedLength} digits`);
      return;
    }
    const parent = cell('parent_code');
    if (pumiLevel === 'province') {
      if (parent) problems.push(`${where}: parent_code: a province has no parent`);
    } else if (parent !== code.slice(0, expectedLength - 2)) {
      problems.push(`${where}: parent_code: "${parent}" is not the code's first ${expectedLength - 2} digits`);
      return;
    } else if (!codes.has(parent) && !knownCodes.has(parent)) {
      problems.push(`${where}: parent_code: no area has the code "${parent}" (neither in this file nor in the graph)`);
      return;
    }
    if (out.lines.has(areaId(code))) {
      problems.push(`${where}: code: duplicate code, first at line ${out.lines.get(areaId(code))}`);
      return;
    }
    const latin = cell('name_latin');
    const khmer = cell('name_km');
    if (!khmer) {
      problems.push(`${where}: name_km: the Khmer name is missing`);
      return;
    }
    const withType = namedWithType(pumiLevel, cell('type_latin'));
    const node: Record<string, unknown> = {
      label: 'AdminArea',
      id: areaId(code),
      name_en: withType ? `${latin || khmer} ${cell('type_en')}` : latin || khmer,
      name_km: withType ? `${cell('type_km')}${khmer}` : khmer,
      level,
      code,
      sources: [PUMI_URL],
    };
    // One village (02010508) has no Latin name in Pumi: kept, its English name repeats the Khmer one, and counted.
    if (latin) node.name_latin = latin;
    else out.englishFallbacks++;
    for (const axis of ['lat', 'lon'] as const) {
      const value = cell(axis);
      if (!value) continue;
      if (!NUMBER.test(value)) {
        problems.push(`${where}: ${axis}: "${value}" is not a number`);
        return;
      }
      node[axis] = round7(Number(value));
    }
    const parsed = NodeSchema.safeParse(node);
    if (!parsed.success) {
      problems.push(`${where}: ${formatIssues(parsed.error)}`);
      return;
    }
    out.nodes.push(parsed.data as GraphNode);
    out.lines.set(areaId(code), line);
    if (parent) {
      const link = LinkSchema.parse({
        id: partOfId(code, parent),
        type: 'PART_OF',
        from: areaId(code),
        to: areaId(parent),
        sources: [PUMI_URL],
      });
      out.links.push(link);
    }
  });
  if (problems.length > 0) throw new Invalid(problems.join('\n'), { problems });
  return out;
}
