/**
 * The document library as the source page arranges it: per programme, per category (DAR I–IV, EU DAR 1–5,
 * EU SPACE 1–3), with titles in both languages; and the laws, decrees and strategic frameworks (Law nodes) by
 * date, each with its reference and the bodies and programmes it established.
 */
import { NotFound } from '../domain/errors.ts';
import type { GraphNode } from '../schema/graph.schema.ts';
import { normaliseForSearch } from '../search/text-normalise.ts';
import type { DocumentEntry, DocumentGroup, DocumentLibrary, LawEntry } from '../http/api.contract.ts';
import type { GraphReader } from '../store/version-view.ts';

/** The answer's type is the API contract's (server/http/api.contract.ts, from DocumentsResponse). */
export type { DocumentLibrary };

type DocumentNode = Extract<GraphNode, { label: 'Document' }>;
type LawNode = Extract<GraphNode, { label: 'Law' }>;

/** Documents and producers read at most for one library view. */
export const LIBRARY_MAX_NODES = 50_000;

export async function documentLibrary(
  store: Pick<GraphReader, 'getNode' | 'subgraph'>,
  filter: { programme?: string; category?: string; q?: string },
): Promise<DocumentLibrary> {
  if (filter.programme && !(await store.getNode(filter.programme))) {
    throw new NotFound(`no node with id "${filter.programme}"`, { id: filter.programme });
  }
  const view = await store.subgraph({ labels: ['Programme', 'Organisation', 'Document', 'Law'], types: ['PRODUCED', 'ESTABLISHED_BY'], depth: 1, limit: LIBRARY_MAX_NODES });
  const nodes = new Map(view.nodes.map((n) => [n.id, n]));
  const producersOf = new Map<string, string[]>();
  for (const link of view.links) {
    if (link.type !== 'PRODUCED') continue;
    const list = producersOf.get(link.to) ?? [];
    list.push(link.from);
    producersOf.set(link.to, list);
  }
  const q = filter.q ? normaliseForSearch(filter.q) : undefined;
  const groups = new Map<string, DocumentGroup>();
  let total = 0;
  for (const node of view.nodes) {
    if (node.label !== 'Document') continue;
    const doc = node as DocumentNode;
    if (filter.category && doc.category !== filter.category) continue;
    if (q && !normaliseForSearch([doc.name_en, doc.name_km, doc.category, doc.category_en ?? '', doc.category_km ?? ''].join(' ')).includes(q)) continue;
    const producers = producersOf.get(doc.id) ?? [];
    if (filter.programme && !producers.includes(filter.programme)) continue;
    total++;
    for (const producerId of filter.programme ? [filter.programme] : producers.length > 0 ? producers : ['']) {
      const producer = producerId ? nodes.get(producerId) : undefined;
      const key = producer?.id ?? '';
      let group = groups.get(key);
      if (!group) {
        group = {
          producer: producer ? { id: producer.id, label: producer.label, name_en: producer.name_en, name_km: producer.name_km } : null,
          categories: [],
        };
        groups.set(key, group);
      }
      let category = group.categories.find((c) => c.category === doc.category);
      if (!category) {
        category = { category: doc.category, documents: [] };
        if (doc.category_en) category.category_en = doc.category_en;
        if (doc.category_km) category.category_km = doc.category_km;
        group.categories.push(category);
      }
      category.documents.push(entryOf(doc));
    }
  }
  const sorted = [...groups.values()].sort((a, b) => (a.producer?.name_en ?? '\uffff').localeCompare(b.producer?.name_en ?? '\uffff'));
  for (const group of sorted) {
    group.categories.sort((a, b) => a.category.localeCompare(b.category, 'en', { numeric: true }));
    for (const c of group.categories) c.documents.sort((a, b) => a.name_en.localeCompare(b.name_en));
  }
  return { total, groups: sorted, laws: lawsOf(view.nodes, view.links, nodes, filter, q), truncated: view.truncated };
}

function lawsOf(
  all: readonly GraphNode[],
  links: readonly { type: string; from: string; to: string }[],
  nodes: ReadonlyMap<string, GraphNode>,
  filter: { programme?: string; category?: string },
  q: string | undefined,
): LawEntry[] {
  if (filter.category) return [];
  const established = new Map<string, GraphNode[]>();
  for (const link of links) {
    const body = nodes.get(link.from);
    if (link.type !== 'ESTABLISHED_BY' || !body) continue;
    established.set(link.to, [...(established.get(link.to) ?? []), body]);
  }
  const out: LawEntry[] = [];
  for (const node of all) {
    if (node.label !== 'Law') continue;
    const law = node as LawNode;
    const bodies = established.get(law.id) ?? [];
    if (filter.programme && !bodies.some((b) => b.id === filter.programme)) continue;
    if (q && !normaliseForSearch([law.name_en, law.name_km, law.reference ?? '', law.kind].join(' ')).includes(q)) continue;
    const entry: LawEntry = {
      id: law.id,
      name_en: law.name_en,
      name_km: law.name_km,
      kind: law.kind,
      sources: law.sources,
      established: bodies.map((b) => ({ id: b.id, label: b.label, name_en: b.name_en, name_km: b.name_km })).sort((a, b) => a.name_en.localeCompare(b.name_en)),
    };
    if (law.date) entry.date = law.date;
    if (law.reference) entry.reference = law.reference;
    if (law.url) entry.url = law.url;
    out.push(entry);
  }
  return out.sort((a, b) => (a.date ?? '\uffff').localeCompare(b.date ?? '\uffff') || a.name_en.localeCompare(b.name_en));
}

function entryOf(doc: DocumentNode): DocumentEntry {
  const out: DocumentEntry = { id: doc.id, name_en: doc.name_en, name_km: doc.name_km, category: doc.category, sources: doc.sources };
  if (doc.year !== undefined) out.year = doc.year;
  if (doc.language) out.language = doc.language;
  if (doc.url) out.url = doc.url;
  return out;
}
