/**
 * Who is signed in: the explorer signs in with an editor token (POST /api/session sets an HttpOnly cookie), so the
 * page never keeps the token itself; it only knows the editor's name and role.
 */
import { api, type SessionAnswer } from './api.ts';
import { dropOfflineCopies } from '../sw/cache-rules.ts';

class Session {
  editor = $state.raw<SessionAnswer['editor'] | null>(null);
  /** The server has said whether someone is signed in (until then the sign-in button shows). */
  known = $state(false);

  /** Counts sign-ins and sign-outs: an answer to load() asked for before one of them is out of date. */
  #changes = 0;

  async load(): Promise<void> {
    const asked = this.#changes;
    try {
      const answer = await api.session();
      if (asked === this.#changes) this.editor = answer.signedIn ? (answer.editor ?? null) : null;
    } catch {
      if (asked === this.#changes) this.editor = null; // reads still work; the sign-in button stays
    } finally {
      this.known = true;
    }
  }

  /** Throws the ApiError of a refused token. */
  async signIn(token: string): Promise<void> {
    const answer = await api.signIn(token);
    this.#changes += 1;
    this.editor = answer.signedIn ? (answer.editor ?? null) : null;
    this.known = true;
  }

  async signOut(): Promise<void> {
    await api.signOut();
    this.#changes += 1;
    this.editor = null;
    this.known = true;
    await dropOfflineCopies();
  }
}

export const session = new Session();
