/**
 * The sources of what a story's scene shows: every source cited by its nodes and links (URLs, or Documents named
 * by id, shown by their name when the Document is in the scene), each once, most cited first. Pure.
 */
import type { ExplorerGraph } from '../graph/elements.ts';
import { nodeName } from '../graph/elements.ts';
import type { Lang } from '../i18n.ts';

export interface ShownSource {
  source: string;
  text: string;
  url?: string;
}

const HTTP = /^https?:\/\//i;

/** At most `max` sources, those cited by most records first; `exclude` (the step's own) left out. */
export function sceneSources(graph: ExplorerGraph, exclude: ReadonlySet<string>, lang: Lang, max = 30): ShownSource[] {
  const counts = new Map<string, number>();
  const add = (sources: readonly string[] | undefined) => {
    for (const source of sources ?? []) if (!exclude.has(source)) counts.set(source, (counts.get(source) ?? 0) + 1);
  };
  for (const node of graph.nodes.values()) add(node.sources);
  for (const link of graph.links.values()) add(link.sources);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, max)
    .map(([source]) => {
      if (HTTP.test(source)) return { source, text: source, url: source };
      const document = graph.nodes.get(source);
      const url = (document as { url?: unknown } | undefined)?.url;
      return { source, text: document ? nodeName(document, lang) : source, ...(typeof url === 'string' && HTTP.test(url) ? { url } : {}) };
    });
}
