/**
 * Whether the explorer is online, and whether what it shows came from the offline copy the service worker keeps
 * (web/src/sw/service-worker.ts): then the banner says "offline — shown as of <when received>".
 */
import { OFFLINE_COPY_HEADER } from '../sw/cache-rules.ts';
import { observeAnswers } from './api.ts';

class Connection {
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  /** When the answer last shown was received, if it came from the offline copy (empty when unknown); null when live. */
  shownAsOf = $state<string | null>(null);

  /** Follows the browser's online state and installs the service worker (built app only). */
  start(): () => void {
    const update = () => {
      this.online = navigator.onLine;
    };
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    observeAnswers((response) => this.noteAnswer(response));
    if (import.meta.env.PROD && 'serviceWorker' in navigator) {
      navigator.serviceWorker.register('/sw.js').catch(() => undefined); // no worker: the app still works online
    }
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }

  /** Every API answer passes here: one from the offline copy turns the banner on, a live one turns it off. */
  noteAnswer(response: Response): void {
    const copy = response.headers.get(OFFLINE_COPY_HEADER);
    this.shownAsOf = copy === null ? null : copy;
  }
}

export const connection = new Connection();
