/**
 * Font stacks for the page and for the canvas labels. Khmer needs a Khmer-capable font: the app serves Noto Sans
 * Khmer itself (khmer-font.ts, fetched only when Khmer is drawn), then come the usual installed ones (Debian's
 * fonts-khmeros provides "Khmer OS" and "Khmer OS System"); in English the Latin text comes first from the system UI font, and
 * Khmer names shown in English mode still fall back to the Khmer fonts.
 */
import type { Lang } from './i18n.ts';

const KHMER_FONTS = '"Noto Sans Khmer", "Khmer OS", "Khmer OS System", "Hanuman", "Battambang"';

export const FONT_STACK: Readonly<Record<Lang, string>> = {
  km: `${KHMER_FONTS}, system-ui, sans-serif`,
  en: `system-ui, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, ${KHMER_FONTS}, sans-serif`,
};
