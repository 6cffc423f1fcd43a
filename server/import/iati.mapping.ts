/**
 * IATI activities → our graph: a Programme per activity; organisations by role (funding → FUNDED_BY,
 * accountable/extending → PARTNERS_WITH with that role, implementing → IMPLEMENTED_BY), deduplicated by `ref`,
 * then by normalised name, against the file and the graph; related activities (parent/child → PART_OF, sibling,
 * co-funded, third party → RELATED_TO with the role); a previous-activity identifier (other-identifier A3) →
 * SUCCEEDS; locations, recipient countries and regions → AdminArea (matched to the gazetteer by code or name);
 * document links → Document (PRODUCED); sectors → Topic (ABOUT). Every fact cites the imported file (a Document
 * node for the file) and the activity on d-portal. What cannot be mapped is skipped and counted. A related or
 * previous activity that is neither in the file nor in the graph becomes a stub Programme known by its identifier,
 * with the id its own import will give it, so files join up in whichever order they are imported; a document link
 * whose URL is not a usable http(s) URL is kept as written (url_as_written). Both are counted in `kept`.
 */
import type { GraphLink, GraphNode, LinkType } from '../schema/graph.schema.ts';
import { ADMIN_LEVELS, ORGANISATION_TYPES } from '../schema/graph.model.ts';
import { hasKhmer, normaliseForSearch } from '../search/text-normalise.ts';
import type { IatiOrg, IatiParseResult, Texts } from './iati.parser.ts';
import { slug } from '../schema/slug.ts';

export interface ExistingGraph {
  /** Programme id by IATI identifier. */
  programmesByIati: Map<string, string>;
  /** Organisation id by IATI ref and by normalised English name. */
  orgsByRef: Map<string, string>;
  orgsByName: Map<string, string>;
  /** AdminArea id by gazetteer code and by normalised name. */
  areasByCode: Map<string, string>;
  areasByName: Map<string, string>;
}

export interface MappedImport {
  nodes: GraphNode[];
  links: GraphLink[];
  activities: number;
  /** Things not mapped, by reason. */
  skipped: Record<string, number>;
  /** Things kept with a flag, by what: stubs of related activities, document links as written. */
  kept: Record<string, number>;
  /** Sources to add to nodes already in the graph that the file also states, by node id. */
  citations: Map<string, string[]>;
  /** Nodes whose Khmer name fell back to another language (IATI rarely has Khmer). */
  khmerFallbacks: number;
}

const ROLE: Record<string, { type: LinkType; role?: string }> = {
  '1': { type: 'FUNDED_BY' },
  funding: { type: 'FUNDED_BY' },
  '2': { type: 'PARTNERS_WITH', role: 'accountable' },
  accountable: { type: 'PARTNERS_WITH', role: 'accountable' },
  '3': { type: 'PARTNERS_WITH', role: 'extending' },
  extending: { type: 'PARTNERS_WITH', role: 'extending' },
  '4': { type: 'IMPLEMENTED_BY' },
  implementing: { type: 'IMPLEMENTED_BY' },
};

const ORG_TYPE: Record<string, (typeof ORGANISATION_TYPES)[number]> = {
  '10': 'government-donor',
  '11': 'sub-national-administration',
  '15': 'development-agency',
  '21': 'civil-society',
  '22': 'civil-society',
  '23': 'civil-society',
  '24': 'civil-society',
  '30': 'private',
  '40': 'multilateral',
  '60': 'civil-society',
  '70': 'private',
  '71': 'private',
  '72': 'private',
  '73': 'private',
  '80': 'civil-society',
  '90': 'development-agency',
};

const STATUS: Record<string, 'planned' | 'active' | 'completed' | 'cancelled'> = {
  '1': 'planned',
  '2': 'active',
  '3': 'active',
  '4': 'completed',
  '5': 'cancelled',
  '6': 'active',
};

/** IATI document categories (A01–A12, B01–B18) in English. */
const DOCUMENT_CATEGORY: Record<string, string> = {
  A01: 'Pre- and post-project impact appraisal', A02: 'Objectives / Purpose of activity', A03: 'Intended ultimate beneficiaries',
  A04: 'Conditions', A05: 'Budget', A06: 'Summary information about contract', A07: 'Review of project performance and evaluation',
  A08: 'Results, outcomes and outputs', A09: 'Memorandum of understanding', A10: 'Tender', A11: 'Contract', A12: 'Activity web page',
  B01: 'Annual report', B02: 'Institutional strategy paper', B03: 'Country strategy paper', B04: 'Aid allocation policy',
  B05: 'Procurement policy and procedure', B06: 'Institutional audit report', B07: 'Country audit report', B08: 'Exclusions policy',
  B09: 'Institutional evaluation report', B10: 'Country evaluation report', B11: 'Sector strategy', B12: 'Thematic strategy',
  B13: 'Country-level memorandum of understanding', B14: 'Evaluations policy', B15: 'General terms and conditions',
  B16: 'Organisation web page', B17: 'Country/Region web page', B18: 'Sector web page',
};

const ADMIN_LEVEL_BY_IATI: Record<string, (typeof ADMIN_LEVELS)[number]> = { '0': 'country', '1': 'province', '2': 'district', '3': 'commune', '4': 'village' };

export function programmeId(identifier: string): string {
  return `iati-${slug(identifier, 110)}`;
}

export function dportalUrl(identifier: string): string {
  return `https://d-portal.org/q.html?aid=${encodeURIComponent(identifier)}`;
}

function text(texts: Texts, lang: string | undefined): string | undefined {
  return texts.en ?? (lang ? texts[lang] : undefined) ?? Object.values(texts)[0];
}

/** The URL when it is a usable http(s) URL (what the schema's url takes), else undefined. */
function usableUrl(url: string): string | undefined {
  if (!/^https?:\/\/\S+$/.test(url) || url.length > 2000) return undefined;
  try {
    new URL(url);
  } catch {
    return undefined;
  }
  return url;
}

export function mapIati(parsed: IatiParseResult, file: string, existing: ExistingGraph): MappedImport {
  const nodes = new Map<string, GraphNode>();
  const links = new Map<string, GraphLink>();
  const skipped: Record<string, number> = { ...parsed.skipped };
  const skip = (reason: string) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
  const kept: Record<string, number> = {};
  // An organisation or a place cites the files that state it (its links cite the activities); one already in the
  // graph gains this file's citation, so that what cites a node does not depend on which file came first.
  const citations = new Map<string, Set<string>>();
  const cite = (id: string, sources: string[]) => {
    const set = citations.get(id) ?? new Set<string>();
    for (const source of sources) set.add(source);
    citations.set(id, set);
  };
  const keep = (what: string) => (kept[what] = (kept[what] ?? 0) + 1);
  const names = (texts: Texts, lang: string | undefined, fallback: string) => {
    const en = text(texts, lang) ?? fallback;
    return { name_en: en.slice(0, 500), name_km: (texts.km ?? en).slice(0, 500) };
  };

  // The file itself, cited by every fact the import makes.
  const fileDoc: GraphNode = {
    id: `import-${slug(file, 100)}`,
    label: 'Document',
    name_en: `IATI import: ${file}`,
    name_km: `ការនាំចូល IATI៖ ${file}`,
    category: 'IATI-FILE',
    category_en: 'Imported IATI activity file',
    sources: [],
  };
  nodes.set(fileDoc.id, fileDoc);
  const fileSources = [fileDoc.id];

  const inFile = new Map<string, string>();
  for (const a of parsed.activities) if (a.identifier) inFile.set(a.identifier, programmeId(a.identifier));
  /**
   * The programme of an IATI identifier: in this file, in the graph, or else a stub known only by its identifier
   * (the id the activity will have when its own file is imported, so that it joins up, whichever file comes first).
   * A stub cites only d-portal's page of that identifier: the link that needs it cites the file that named it.
   */
  const programmeOf = (identifier: string): string => {
    const known = inFile.get(identifier) ?? existing.programmesByIati.get(identifier);
    if (known) return known;
    const id = programmeId(identifier);
    if (!nodes.has(id)) {
      const name = `IATI activity ${identifier}`.slice(0, 500);
      nodes.set(id, { id, label: 'Programme', name_en: name, name_km: name, iati_identifier: identifier.slice(0, 120), sources: [dportalUrl(identifier)] });
      stubs.add(id);
    }
    return id;
  };
  const stubs = new Set<string>();

  const orgsByRef = new Map(existing.orgsByRef);
  const orgsByName = new Map(existing.orgsByName);
  const orgId = (o: IatiOrg, lang: string | undefined): string | undefined => {
    const name = text(o.names, lang);
    if (!o.ref && !name) return undefined;
    const key = name ? normaliseForSearch(name) : undefined;
    let id = (o.ref && orgsByRef.get(o.ref)) || (key && orgsByName.get(key)) || undefined;
    if (id && !nodes.has(id)) cite(id, fileSources);
    if (!id) {
      id = `org-${slug(o.ref ?? name!, 90)}`;
      const type = (o.type && ORG_TYPE[o.type]) || 'development-agency';
      if (o.type && !ORG_TYPE[o.type]) skip(`organisation type ${o.type} (mapped to development-agency)`);
      const node: GraphNode = { id, label: 'Organisation', type, ...names(o.names, lang, o.ref!), sources: fileSources };
      if (o.ref) node.iati_ref = o.ref;
      nodes.set(id, node);
    }
    if (o.ref) orgsByRef.set(o.ref, id);
    if (key) orgsByName.set(key, id);
    return id;
  };

  const areasByCode = new Map(existing.areasByCode);
  const areasByName = new Map(existing.areasByName);
  const areaId = (make: () => GraphNode, code: string | undefined, name: string | undefined): string => {
    const key = name ? normaliseForSearch(name) : undefined;
    const found = (code && areasByCode.get(code)) || (key && areasByName.get(key)) || undefined;
    if (found) {
      if (!nodes.has(found)) cite(found, fileSources);
      return found;
    }
    const node = make();
    if (!nodes.has(node.id)) nodes.set(node.id, node);
    if (code) areasByCode.set(code, node.id);
    if (key) areasByName.set(key, node.id);
    return node.id;
  };

  const link = (type: LinkType, from: string, to: string, sources: string[], extra: Partial<GraphLink> = {}) => {
    if (from === to) return;
    const id = `${from}-${type.toLowerCase().replace(/_/g, '-')}-${to}`.slice(0, 120).replace(/-+$/, '');
    if (!links.has(id)) links.set(id, { id, type, from, to, sources, ...extra });
  };

  for (const a of parsed.activities) {
    if (!a.identifier) {
      skip('activity without iati-identifier');
      continue;
    }
    const id = programmeId(a.identifier);
    const sources = [fileDoc.id, dportalUrl(a.identifier)];
    const programme: GraphNode = {
      id,
      label: 'Programme',
      ...names(a.titles, a.lang, a.identifier),
      iati_identifier: a.identifier.slice(0, 120),
      sources,
    };
    const description = text(a.descriptions, a.lang);
    if (description) programme.summary_en = description.slice(0, 4000);
    if (a.descriptions.km) programme.summary_km = a.descriptions.km.slice(0, 4000);
    const date = (...types: string[]) => a.dates.find((d) => types.includes(d.type))?.iso.slice(0, 10);
    const start = date('2', 'start-actual') ?? date('1', 'start-planned');
    const end = date('4', 'end-actual') ?? date('3', 'end-planned');
    if (start && /^\d{4}-\d{2}-\d{2}$/.test(start)) programme.start = start;
    if (end && /^\d{4}-\d{2}-\d{2}$/.test(end)) programme.end = end;
    if (a.status && STATUS[a.status]) programme.status = STATUS[a.status];
    if (a.website && /^https?:\/\//.test(a.website)) programme.url = a.website;
    nodes.set(id, programme);

    const roles = new Set<string>();
    for (const o of a.participatingOrgs) {
      const role = ROLE[(o.role ?? '').toLowerCase()];
      if (!role) {
        skip(`participating-org role "${o.role ?? ''}"`);
        continue;
      }
      const org = orgId(o, a.lang);
      if (!org) {
        skip('participating-org without ref or name');
        continue;
      }
      roles.add(org);
      link(role.type, id, org, sources, role.role ? { role: role.role } : {});
    }
    if (a.reportingOrg) {
      const org = orgId(a.reportingOrg, a.lang);
      if (org && !roles.has(org)) link('PARTNERS_WITH', id, org, sources, { role: 'reporting organisation' });
      // The publisher produced the file.
      if (org) link('PRODUCED', org, fileDoc.id, [dportalUrl(a.identifier)]);
    }
    for (const r of a.relatedActivities) {
      if (!['1', '2', '3', '4', '5'].includes(r.type)) {
        skip(`related-activity type ${r.type}`);
        continue;
      }
      const other = programmeOf(r.ref);
      if (r.type === '1') link('PART_OF', id, other, sources);
      else if (r.type === '2') link('PART_OF', other, id, sources);
      else link('RELATED_TO', id, other, sources, { role: r.type === '3' ? 'sibling' : r.type === '4' ? 'co-funded' : 'third party' });
    }
    for (const o of a.otherIdentifiers) {
      if (o.type !== 'A3') continue;
      if (!o.ref) {
        skip('previous activity (other-identifier A3) without ref');
        continue;
      }
      link('SUCCEEDS', id, programmeOf(o.ref), sources);
    }
    for (const loc of a.locations) {
      const admin = loc.admin.find((x) => x.code);
      const name = text(loc.names, a.lang);
      if (!admin && !name) {
        skip('location without administrative code or name');
        continue;
      }
      const vocab = admin?.vocabulary ?? 'name';
      const areaNodeId = `loc-${slug(`${vocab}-${admin?.code ?? name}`, 100)}`;
      const area = areaId(
        () => {
          const node: GraphNode = {
            id: areaNodeId,
            label: 'AdminArea',
            level: ADMIN_LEVEL_BY_IATI[admin?.level ?? ''] ?? 'province',
            ...names(loc.names, a.lang, `Location ${admin?.code ?? ''} (${vocab})`.trim()),
            sources: fileSources,
          };
          if (admin?.code && /^\d{2,8}$/.test(admin.code)) node.code = admin.code;
          if (loc.pos && Math.abs(loc.pos[0]) <= 90 && Math.abs(loc.pos[1]) <= 180) {
            node.lat = loc.pos[0];
            node.lon = loc.pos[1];
          }
          return node;
        },
        admin?.code,
        name,
      );
      link('WORKS_IN', id, area, sources);
    }
    for (const c of a.recipientCountries) {
      const area = areaId(
        () => ({ id: `country-${slug(c.code, 10)}`, label: 'AdminArea', level: 'country', ...names(c.names, a.lang, c.code), sources: fileSources }),
        undefined,
        text(c.names, a.lang),
      );
      link('WORKS_IN', id, area, sources);
    }
    for (const r of a.recipientRegions) {
      const area = areaId(
        () => ({ id: `region-${slug(`${r.vocabulary ?? '1'}-${r.code}`, 40)}`, label: 'AdminArea', level: 'region', ...names(r.names, a.lang, `Region ${r.code}`), sources: fileSources }),
        undefined,
        text(r.names, a.lang),
      );
      link('WORKS_IN', id, area, sources);
    }
    for (const d of a.documents) {
      const usable = usableUrl(d.url);
      const docId = `doc-${slug(d.url.replace(/^https?:\/\//i, ''), 100)}`;
      if (!nodes.has(docId)) {
        const doc: GraphNode = {
          id: docId,
          label: 'Document',
          ...names(d.titles, a.lang, d.url.slice(0, 500)),
          category: (d.category ?? 'IATI-DOC').slice(0, 80),
          sources,
        };
        // An unusual link (no http(s) scheme, spaces, too long …) is kept as written and so flagged, not dropped.
        if (usable) doc.url = usable;
        else {
          doc.url_as_written = d.url.slice(0, 2000);
          keep('document kept with its link as written (url_as_written): not a usable http(s) URL');
        }
        if (d.category && DOCUMENT_CATEGORY[d.category]) doc.category_en = DOCUMENT_CATEGORY[d.category];
        if (d.language === 'en' || d.language === 'km') doc.language = d.language;
        const year = d.date ? Number(d.date.slice(0, 4)) : NaN;
        if (/^\d{4}/.test(d.date ?? '') && year >= 1900 && year <= 2100) doc.year = year;
        nodes.set(docId, doc);
      }
      link('PRODUCED', id, docId, sources);
    }
    for (const sector of a.sectors) {
      const vocab = sector.vocabulary === 'DAC' || !sector.vocabulary ? '1' : sector.vocabulary;
      const topicId = `sector-${slug(`${vocab}-${sector.code}`, 60)}`;
      if (!nodes.has(topicId)) {
        nodes.set(topicId, { id: topicId, label: 'Topic', ...names(sector.names, a.lang, `Sector ${sector.code} (IATI vocabulary ${vocab})`), sources });
      }
      link('ABOUT', id, topicId, sources);
    }
  }
  if (stubs.size > 0) kept['programme known only by its IATI identifier (a stub until its own file is imported)'] = stubs.size;
  const all = [...nodes.values()];
  const khmerFallbacks = all.filter((n) => !hasKhmer(n.name_km)).length;
  return {
    nodes: all,
    links: [...links.values()],
    citations: new Map([...citations].map(([id, set]) => [id, [...set]])),
    activities: parsed.activities.length,
    skipped,
    kept,
    khmerFallbacks,
  };
}
