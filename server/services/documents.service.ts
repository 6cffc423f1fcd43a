/**
 * The document library as the source page arranges it: per programme, per category (DAR I–IV, EU DAR 1–5,
 * EU SPACE 1–3), with titles in both languages.
 */
import { NotFound } from '../domain/errors.ts';
import type { GraphNode } from '../schema/graph.schema.ts';
import { normaliseForSearch } from '../search/text-normalise.ts';
import type { GraphStore } from '../store/graph-store.ts';

type DocumentNode = Extract<GraphNode, { label: 'Document' }>;

export interface DocumentEntry {
  id: string;
  name_en: string;
  name_km: string;
  category: string;
  year?: number;
  language?: string;
  url?: string;
  sources: string[];
}

export interface DocumentCategory {
  category: string;
  category_en?: string;
  category_km?: string;
  documents: DocumentEntry[];
}

export interface DocumentGroup {
  /** The programme or organisation that produced them; null for documents nobody is linked to. */
  producer: { id: string; label: string; name_en: string; name_km: string } | null;
  categories: DocumentCategory[];
}

export interface DocumentLibrary {
  total: number;
  groups: DocumentGroup[];
  truncated: boolean;
}

/** Documents and producers read at most for one library view. */
export const LIBRARY_MAX_NODES = 50_000;

export async function documentLibrary(
  store: GraphStore,
  filter: { programme?: string; category?: string; q?: string },
): Promise<DocumentLibrary> {
  if (filter.programme && !(await store.getNode(filter.programme))) {
    throw new NotFound(`no node with id "${filter.programme}"`, { id: filter.programme });
  }
  const view = await store.subgraph({ labels: ['Programme', 'Organisation', 'Document'], types: ['PRODUCED'], depth: 1, limit: LIBRARY_MAX_NODES });
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
  return { total, groups: sorted, truncated: view.truncated };
}

function entryOf(doc: DocumentNode): DocumentEntry {
  const out: DocumentEntry = { id: doc.id, name_en: doc.name_en, name_km: doc.name_km, category: doc.category, sources: doc.sources };
  if (doc.year !== undefined) out.year = doc.year;
  if (doc.language) out.language = doc.language;
  if (doc.url) out.url = doc.url;
  return out;
}
