/**
 * One CSV cell (RFC 4180), the one rule for every CSV the product writes — the server's exports and the explorer's
 * downloads import this module. Lists are joined with " | " (the seed's separator). Text a spreadsheet would run as
 * a formula (it starts with = + - @, a tab or a carriage return) gets a leading apostrophe; only a cell that is
 * wholly a number keeps its sign ("-2.5"), since text that merely starts like one ("-2+3+cmd|' /C calc'!A0") is a
 * formula to a spreadsheet. Quoted when it holds a comma, quote or line break, or space at either end.
 */
/** Separator of the values of one list cell (e.g. several sources): the seed format's, also in every export. */
export const LIST_SEPARATOR = ' | ';

export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = Array.isArray(value) ? value.join(LIST_SEPARATOR) : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}
