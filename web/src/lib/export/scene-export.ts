/**
 * The scene as files to take away: its nodes and links as JSON, and the list as CSV (one file of nodes, one of
 * links), names in both languages. Pure: strings in, strings out (the page makes them downloads).
 */
import { csvCell } from '../../../../server/domain/csv-cell.ts';
import { LABEL_NAMES, LINK_TYPE_NAMES } from '../../../../server/schema/graph.model.ts';
import type { GraphLink, GraphNode } from '../../../../server/schema/graph.schema.ts';
import { nodeName, type ExplorerGraph } from '../graph/elements.ts';
import type { Lang } from '../i18n.ts';

export { csvCell };

/** Spreadsheet programs read UTF-8 (and so Khmer) reliably only with a byte-order mark. */
export const BOM = '\uFEFF';

export function csv(rows: readonly (readonly unknown[])[]): string {
  return `${BOM}${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function degrees(graph: ExplorerGraph): Map<string, number> {
  const degree = new Map<string, number>();
  for (const link of graph.links.values()) {
    degree.set(link.from, (degree.get(link.from) ?? 0) + 1);
    degree.set(link.to, (degree.get(link.to) ?? 0) + 1);
  }
  return degree;
}

const detail = (node: GraphNode): string | undefined => {
  switch (node.label) {
    case 'Organisation':
      return node.type;
    case 'AdminArea':
      return node.level;
    case 'Document':
      return node.category;
    case 'Programme':
      return node.status;
    default:
      return undefined;
  }
};

export const NODE_COLUMNS = ['id', 'label', 'kind', 'name', 'name_en', 'name_km', 'acronym', 'detail', 'start', 'end', 'links_in_scene', 'sources'] as const;

export function nodesCsv(graph: ExplorerGraph, lang: Lang): string {
  const degree = degrees(graph);
  const rows = [...graph.nodes.values()].map((node) => {
    const record = node as GraphNode & { acronym?: string; start?: string; end?: string };
    return [
      node.id,
      node.label,
      LABEL_NAMES[node.label][lang],
      nodeName(node, lang),
      node.name_en,
      node.name_km,
      record.acronym,
      detail(node),
      record.start,
      record.end,
      degree.get(node.id) ?? 0,
      node.sources,
    ];
  });
  return csv([NODE_COLUMNS, ...rows]);
}

export const LINK_COLUMNS = ['id', 'type', 'relationship', 'from', 'from_name', 'to', 'to_name', 'role', 'start', 'end', 'draft', 'sources'] as const;

export function linksCsv(graph: ExplorerGraph, lang: Lang): string {
  const name = (id: string) => {
    const node = graph.nodes.get(id);
    return node ? nodeName(node, lang) : id;
  };
  const rows = [...graph.links.values()].map((link: GraphLink) => [
    link.id,
    link.type,
    LINK_TYPE_NAMES[link.type][lang],
    link.from,
    name(link.from),
    link.to,
    name(link.to),
    lang === 'km' ? (link.role_km ?? link.role) : link.role,
    link.start,
    link.end,
    link.draft === true || link.sources.length === 0,
    link.sources,
  ]);
  return csv([LINK_COLUMNS, ...rows]);
}

export interface SceneJson {
  /** The address that reopens the scene. */
  scene: string;
  view: string;
  exported_at: string;
  nodes: GraphNode[];
  links: GraphLink[];
}

export function sceneJson(graph: ExplorerGraph, meta: { href: string; view: string; at: Date }): string {
  const body: SceneJson = {
    scene: meta.href,
    view: meta.view,
    exported_at: meta.at.toISOString(),
    nodes: [...graph.nodes.values()],
    links: [...graph.links.values()],
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** A file name for the scene: dar-kg-<view>-<focus>-<yyyy-mm-dd>.<ext>. */
export function exportFileName(view: string, focus: string | null, ext: string, at: Date): string {
  const day = at.toISOString().slice(0, 10);
  return ['dar-kg', view, focus, day].filter(Boolean).join('-') + `.${ext}`;
}

/** The document library as the Documents view lists it: one row per document and producer. */
export interface LibraryLike {
  groups: {
    producer: { id: string; name_en: string; name_km: string } | null;
    categories: { category: string; category_en?: string; category_km?: string; documents: { id: string; name_en: string; name_km: string; year?: number; language?: string; url?: string; sources: string[] }[] }[];
  }[];
}

export const DOCUMENT_COLUMNS = ['producer', 'producer_name', 'category', 'category_name', 'id', 'title', 'title_en', 'title_km', 'year', 'language', 'url', 'sources'] as const;

export function documentsCsv(library: LibraryLike, lang: Lang): string {
  const rows: unknown[][] = [];
  for (const group of library.groups) {
    for (const category of group.categories) {
      for (const doc of category.documents) {
        rows.push([
          group.producer?.id,
          group.producer ? nodeName(group.producer, lang) : '',
          category.category,
          (lang === 'km' ? category.category_km : category.category_en) ?? category.category,
          doc.id,
          nodeName(doc, lang),
          doc.name_en,
          doc.name_km,
          doc.year,
          doc.language,
          doc.url,
          doc.sources,
        ]);
      }
    }
  }
  return csv([DOCUMENT_COLUMNS, ...rows]);
}
