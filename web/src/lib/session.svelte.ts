/**
 * Who is signed in: the explorer signs in with an editor token (POST /api/session sets an HttpOnly cookie), so the
 * page never keeps the token itself; it only knows the editor's name and role.
 */
import { api, type SessionAnswer } from './api.ts';
import { dropOfflineCopies } from '../sw/cache-rules.ts';

class Session {
  editor = $state.raw<SessionAnswer['editor'] | null>(null);

  async load(): Promise<void> {
    try {
      const answer = await api.session();
      this.editor = answer.signedIn ? (answer.editor ?? null) : null;
    } catch {
      this.editor = null; // reads still work; the sign-in button stays
    }
  }

  /** Throws the ApiError of a refused token. */
  async signIn(token: string): Promise<void> {
    const answer = await api.signIn(token);
    this.editor = answer.signedIn ? (answer.editor ?? null) : null;
  }

  async signOut(): Promise<void> {
    await api.signOut();
    this.editor = null;
    await dropOfflineCopies();
  }
}

export const session = new Session();
