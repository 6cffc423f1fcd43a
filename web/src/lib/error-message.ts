/** The sentence shown for a failed request: the API's own message, or a translated one when there was no answer. */
import { ApiError } from './api.ts';
import { browserOffline } from '../sw/cache-rules.ts';
import { translate, type Lang } from './i18n.ts';

export interface ErrorLike {
  code: string;
  status: number;
  message: string;
}

export function describeError(error: ErrorLike, lang: Lang): string {
  // No answer while the browser is offline: say so plainly (edits are never queued; see web/src/sw/).
  if (error.code === 'network' && browserOffline()) return translate(lang, 'error.offline');
  if (error.code === 'network') return translate(lang, 'error.network', { message: error.message });
  if (error.code === 'bad_response') return translate(lang, 'error.badResponse', { status: error.status });
  return error.message;
}

/** Any failure as the error shape the explorer shows (an ApiError keeps its code and status). */
export function toUiError(error: unknown): ErrorLike {
  if (error instanceof ApiError) return { code: error.code, status: error.status, message: error.message };
  return { code: 'error', status: 0, message: error instanceof Error ? error.message : String(error) };
}
