/**
 * Downloads a story as one HTML file (story-file.ts): the reader shows each step in turn, and once its graph is
 * drawn and still, takes its picture (PNG, as the toolbar's export) and the sources of what it shows; the Khmer
 * font is put in too, so the file reads the same offline on a machine without a Khmer font.
 */
import regularKhmer from '@fontsource/noto-sans-khmer/files/noto-sans-khmer-khmer-400-normal.woff2?url';
import type { StoryDetails } from '../api.ts';
import { download } from '../export/download.ts';
import { explorer } from '../explorer.svelte.ts';
import { loadMessages, type Lang } from '../i18n.ts';
import { language } from '../language.svelte.ts';
import { ui } from '../ui.svelte.ts';
import { storyFileHtml, type StoryFileLabels, type StoryFileSource, type StoryFileStep } from './story-file.ts';
import { sceneSources } from './story-sources.ts';

export interface DownloadOptions {
  /** The story's address on the site. */
  address: string;
  /** Shows step i in the reader (its scene in the graph). */
  show: (i: number) => void;
  progress: (n: number, total: number) => void;
}

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when the graph shows the scene asked for, drawn and still (or after `patience` ms: a picture as it is). */
async function graphSettled(patience = 30_000): Promise<boolean> {
  await frame();
  await frame();
  const started = performance.now();
  let readyTimes = 0;
  while (performance.now() - started < patience) {
    const graph = document.querySelector<HTMLElement>('[data-testid="graph"]');
    if (!graph) return false;
    readyTimes = graph.dataset.ready === 'true' && !explorer.loading ? readyTimes + 1 : 0;
    if (readyTimes >= 3) return true;
    await sleep(150);
  }
  return true;
}

function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('the picture could not be read'));
    reader.readAsDataURL(blob);
  });
}

async function labels(lang: Lang): Promise<StoryFileLabels> {
  const m = await loadMessages(lang);
  return {
    step: m['story.step'],
    previous: m['story.previous'],
    next: m['story.next'],
    sources: m['story.sources'],
    noSources: m['story.noSources'],
    openScene: m['story.openExplorer'],
    madeWith: m['story.madeWith'],
  };
}

export async function downloadStory(details: StoryDetails, options: DownloadOptions): Promise<void> {
  const { story } = details;
  const lang = language.current;
  const steps: StoryFileStep[] = [];
  for (const [i, step] of story.steps.entries()) {
    options.progress(i + 1, story.steps.length);
    options.show(i);
    const drawn = await graphSettled();
    const picture = drawn && ui.graph ? await blobToDataUrl(await ui.graph.png()) : undefined;
    const own: StoryFileSource[] = step.sources.map((source) => {
      const ref = details.sources[source];
      const name = ref ? (lang === 'km' ? ref.name_km : ref.name_en) : undefined;
      return { text: name ?? source, ...(ref?.url ? { url: ref.url } : {}) };
    });
    const shown = sceneSources(explorer.visible, new Set(step.sources), lang).map(({ text, url }) => ({ text, ...(url ? { url } : {}) }));
    steps.push({
      caption: { en: step.caption_en, km: step.caption_km },
      sources: [...own, ...shown],
      ...(picture ? { picture } : {}),
      scene: `${location.origin}/${step.scene}`,
    });
  }
  const khmerFont = await fetch(regularKhmer)
    .then((response) => (response.ok ? response.blob() : Promise.reject(new Error(String(response.status)))))
    .then((blob) => blobToDataUrl(new Blob([blob], { type: 'font/woff2' })))
    .catch(() => undefined);
  const html = storyFileHtml({
    title: { en: story.title_en, km: story.title_km },
    lang,
    steps,
    labels: { en: await labels('en'), km: await labels('km') },
    address: options.address,
    ...(khmerFont ? { khmerFont } : {}),
  });
  download(html, `${story.id}.html`, 'text/html;charset=utf-8');
}
