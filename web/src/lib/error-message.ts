/** The sentence shown for a failed request: the API's own message, or a translated one when there was no answer. */
import { translate, type Lang } from './i18n.ts';

export interface ErrorLike {
  code: string;
  status: number;
  message: string;
}

export function describeError(error: ErrorLike, lang: Lang): string {
  if (error.code === 'network') return translate(lang, 'error.network', { message: error.message });
  if (error.code === 'bad_response') return translate(lang, 'error.badResponse', { status: error.status });
  return error.message;
}
