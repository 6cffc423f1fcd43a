/** The sentence shown for a failed request: the API's own message, or a translated one when there was no answer. */
import { asApiError } from './api.ts';
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

/** Any failure as the error shape the explorer shows (an ApiError keeps its code and status; see asApiError). */
export function toUiError(error: unknown): ErrorLike {
  const { code, status, message } = asApiError(error);
  return { code, status, message };
}

/** The sentence shown for any failure (a thrown non-API error says its message). */
export function describeFailure(error: unknown, lang: Lang): string {
  return describeError(toUiError(error), lang);
}
