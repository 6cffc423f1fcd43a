/**
 * A form field's problem in the reader's language. The checks are the schema's (server/schema/graph.schema.ts),
 * run in the browser before sending and again by the server, and both say what is wrong in English: zod's
 * messages ("Invalid input: expected string, received undefined") and the schema's own ("must be YYYY, YYYY-MM or
 * YYYY-MM-DD"). Each known message is turned into a message of the UI (English and Khmer); one not known here is
 * shown as it is (in Khmer after a Khmer sentence saying the value is not accepted), so nothing is hidden.
 */
import type { MessageKey, MessageParams } from '../i18n.ts';

type Rule = readonly [RegExp, MessageKey, ((match: RegExpExecArray) => MessageParams)?];

const RULES: readonly Rule[] = [
  [/^Invalid input: expected \w+, received undefined$/, 'edit.error.required'],
  [/^must not be empty\b/, 'edit.error.required'],
  [/^must have a visible character\b/, 'edit.error.required'],
  [/^Too big: expected string to have <=(\d+) characters?$/, 'edit.error.tooLong', (m) => ({ max: m[1]! })],
  [/^Too big: expected (?:number|array) to (?:be|have) <=(\S+?)(?: items?)?$/, 'edit.error.atMost', (m) => ({ max: m[1]! })],
  [/^Too small: expected (?:number|array) to (?:be|have) >=(\S+?)(?: items?)?$/, 'edit.error.atLeast', (m) => ({ min: m[1]! })],
  [/^Invalid input: expected (?:number|int), received \w+$/, 'edit.error.number'],
  [/^must be YYYY, YYYY-MM or YYYY-MM-DD$/, 'edit.error.date'],
  [/^must be an http\(s\) URL$/, 'edit.error.url'],
  [/^a source must be an http\(s\) URL or the id of a Document$/, 'edit.error.source'],
  [/^must be "<scheme>:<value>" with a scheme among (.+?), e\.g\./, 'edit.error.identifier', (m) => ({ schemes: m[1]! })],
  [/^must not contain control characters \(it holds (.+)\)$/, 'edit.error.control', (m) => ({ char: m[1]! })],
  [/^a link needs at least one source\b/, 'edit.error.linkSource'],
  [/^a link cannot connect a node to itself$/, 'edit.error.selfLink'],
];

/** `message` (a check's, in English) as the UI says it, through `t` (the current language's messages). */
export function fieldErrorText(message: string, t: (key: MessageKey, params?: MessageParams) => string): string {
  for (const [pattern, key, params] of RULES) {
    const match = pattern.exec(message);
    if (match) return t(key, params?.(match));
  }
  return t('edit.error.other', { message });
}
