/**
 * The Khmer font, served by this app (Noto Sans Khmer from @fontsource, its Khmer letters only, regular and bold:
 * 23 kB each), so Khmer renders on machines without a Khmer font and offline. Registered with the letters it covers
 * (unicode-range): the browser fetches a file the first time it draws a Khmer letter with it, not before, so an
 * English page without Khmer text never downloads it. The graph's canvas labels do not make the browser fetch a font,
 * so when the UI is in Khmer it is loaded at once (loadKhmerFont). Listed first in the Khmer font stack (fonts.ts).
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

/** Downloads the regular face now (for the canvas, when the UI is in Khmer); resolves when it can be drawn. */
export async function loadKhmerFont(): Promise<void> {
  registerKhmerFont();
  await faces?.[0]?.load().catch(() => undefined); // offline without it: the other Khmer fonts of the stack remain
}
