/**
 * The Khmer font, served by this app (Noto Sans Khmer from @fontsource, its Khmer letters only, regular and bold:
 * 23 kB each), so Khmer renders on machines without a Khmer font and offline. Registered with the letters it covers
 * (unicode-range): the browser fetches a file the first time it draws a Khmer letter with it, not before, so an
 * English page without Khmer text never downloads it. The graph's canvas labels do not make the browser fetch a font,
 * so when the UI is in Khmer it is loaded at once (loadKhmerFont). Listed first in the Khmer font stack (fonts.ts).
 * In English the font is registered only once the first screen is drawn (registerKhmerFontAfter): the Khmer name
 * in the panel would otherwise fetch it while the first screen still waits for its script and data (on slow 3G,
 * 22 kB is half a second of a 400 kbit/s line); meanwhile that name is drawn with an installed Khmer font, if any.
 */
import regular from '@fontsource/noto-sans-khmer/files/noto-sans-khmer-khmer-400-normal.woff2?url';
import bold from '@fontsource/noto-sans-khmer/files/noto-sans-khmer-khmer-700-normal.woff2?url';

export const KHMER_FONT_FAMILY = 'Noto Sans Khmer';

/** Khmer, Khmer symbols, zero-width (non-)joiner and the dotted circle, as @fontsource's subset covers. */
const KHMER_RANGE = 'U+1780-17FF, U+19E0-19FF, U+200C-200D, U+25CC';

let faces: FontFace[] | undefined;

/** Adds the font to the page (nothing is downloaded yet). */
export function registerKhmerFont(): void {
  if (faces || typeof FontFace === 'undefined' || !globalThis.document?.fonts) return;
  // An installed Noto Sans Khmer is used as it is (local()); only machines without it download ours.
  faces = [
    ['400', regular, 'NotoSansKhmer-Regular'],
    ['700', bold, 'NotoSansKhmer-Bold'],
  ].map(
    ([weight, url, local]) =>
      new FontFace(KHMER_FONT_FAMILY, `local("${local}"), url(${url}) format("woff2")`, { weight, style: 'normal', display: 'swap', unicodeRange: KHMER_RANGE }),
  );
  for (const face of faces) document.fonts.add(face);
}

/** The mark the graph sets when its first layout is done (GraphView). */
const FIRST_SCREEN_MARK = 'dar-kg:layout-done';

/**
 * Registers the font once the first screen is drawn (the graph's first layout is done) or after `ms` at the latest
 * (views with no graph). Returns a function that registers at once.
 */
export function registerKhmerFontAfter(ms: number): () => void {
  let observer: PerformanceObserver | undefined;
  const now = () => {
    clearTimeout(timer);
    observer?.disconnect();
    registerKhmerFont();
  };
  const timer = setTimeout(now, ms);
  try {
    observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName(FIRST_SCREEN_MARK).length > 0) now();
    });
    observer.observe({ type: 'mark', buffered: true });
  } catch {
    // No PerformanceObserver for marks: the timer registers it.
  }
  return now;
}

/** Downloads the regular face now (for the canvas, when the UI is in Khmer); resolves when it can be drawn. */
export async function loadKhmerFont(): Promise<void> {
  registerKhmerFont();
  await faces?.[0]?.load().catch(() => undefined); // offline without it: the other Khmer fonts of the stack remain
}
