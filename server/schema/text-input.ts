/**
 * Text as it comes in (API bodies, imported files, the seed): cleaned first (NFC, invisible characters removed, as
 * it is stored), then checked, so that a name of only zero-width characters is refused as empty rather than stored
 * as "", and control characters (NUL, ESC …) are refused by name rather than stored. Used by the schema's text
 * fields (server/schema/graph.schema.ts), so every way in says the same. Pure: also runs in the browser.
 */
import { normaliseText } from '../search/text-normalise.ts';

/** C0 and C1 control characters, DEL included, but tab, line feed and carriage return. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
/** What cannot be seen: default-ignorable code points (zero-width, joiners, Khmer inherent vowels U+17B4/5 …) and spaces. */
const UNSEEN = /[\p{Default_Ignorable_Code_Point}\p{White_Space}]/gu;

const LINE_CONTROLS = /[\u0009\u000A\u000D]+/gu;

/**
 * How a text field is stored: NFC, invisible characters removed (case and spaces kept; the schema trims). A
 * one-line field (a name, a role …) takes tabs and line breaks as spaces; summaries and notes keep them.
 */
export function cleanInputText(text: string, multiline = false): string {
  const clean = normaliseText(text);
  return multiline ? clean : clean.replace(LINE_CONTROLS, ' ');
}

/** The first control character in `text` ("U+001B"), or undefined. Tab and line breaks are cleaned, not refused. */
export function controlCharacterIn(text: string): string | undefined {
  const found = CONTROL.exec(text);
  return found ? `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** True when `text` has at least one character that can be seen (not only spaces and default-ignorables). */
export function hasVisibleCharacter(text: string): boolean {
  return text.replace(UNSEEN, '').length > 0;
}
