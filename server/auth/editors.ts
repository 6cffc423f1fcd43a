/**
 * Who may write: editors configured by EDITOR_TOKENS ("name:token,name:token:admin") or by
 * DATA_DIR/users.json (token hashes, names and roles). Tokens are never stored, only their SHA-256 hashes, and
 * compared in constant time. When neither is configured, the first start creates one admin token, stores its
 * hash and prints the token once.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const ROLES = ['editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Editor {
  name: string;
  role: Role;
}

interface EditorRecord extends Editor {
  hash: Buffer;
}

export const USERS_FILE = 'users.json';
export const MIN_TOKEN_LENGTH = 16;

const UsersFileSchema = z.object({
  users: z.array(
    z.object({
      name: z.string().min(1).max(100).regex(/^[^\r\n:,]+$/, 'one line, without ":" or ","'),
      role: z.enum(ROLES),
      token_sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hex digest'),
    }),
  ),
});

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Parses EDITOR_TOKENS: comma-separated "name:token" (role editor) or "name:token:admin" / "name:token:editor".
 * Throws an Error naming the bad entry (never its token).
 */
export function parseEditorTokens(value: string): { name: string; role: Role; token: string }[] {
  const names = new Set<string>();
  return value
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair, i) => {
      const colon = pair.indexOf(':');
      const name = colon > 0 ? pair.slice(0, colon).trim() : '';
      let token = colon > 0 ? pair.slice(colon + 1).trim() : '';
      let role: Role = 'editor';
      const suffix = /:(editor|admin)$/.exec(token);
      if (suffix) {
        role = suffix[1] as Role;
        token = token.slice(0, -suffix[0].length);
      }
      if (!name || !token) throw new Error(`entry ${i + 1} is not "name:token" or "name:token:admin"`);
      if (/[\r\n]/.test(name) || name.length > 100) throw new Error(`entry ${i + 1}: the name must be one line of at most 100 characters`);
      if (names.has(name)) throw new Error(`entry ${i + 1}: the name ${name} appears twice`);
      names.add(name);
      if (token.length < MIN_TOKEN_LENGTH) throw new Error(`entry ${i + 1} (${name}): the token must be at least ${MIN_TOKEN_LENGTH} characters`);
      return { name, role, token };
    });
}

export class EditorDirectory {
  private constructor(private readonly records: EditorRecord[]) {}

  /** Nobody may write (an app built without editors, e.g. in tests of reads). */
  static none(): EditorDirectory {
    return new EditorDirectory([]);
  }

  get size(): number {
    return this.records.length;
  }

  /** The editor holding this token, comparing every hash in constant time. */
  authenticate(token: string): Editor | undefined {
    if (typeof token !== 'string' || token.length === 0 || token.length > 512) return undefined;
    const hash = hashToken(token);
    let found: EditorRecord | undefined;
    for (const record of this.records) if (timingSafeEqual(record.hash, hash) && !found) found = record;
    return found ? { name: found.name, role: found.role } : undefined;
  }

  /** From EDITOR_TOKENS: "name:token,name:token" (editors), "name:token:admin" for an admin. */
  static fromEnv(value: string): EditorDirectory {
    return new EditorDirectory(parseEditorTokens(value).map(({ name, role, token }) => ({ name, role, hash: hashToken(token) })));
  }

  static fromFile(file: string): EditorDirectory {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
    }
    const parsed = UsersFileSchema.safeParse(raw);
    if (!parsed.success) {
      throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return new EditorDirectory(parsed.data.users.map((u) => ({ name: u.name, role: u.role, hash: Buffer.from(u.token_sha256, 'hex') })));
  }

  /**
   * EDITOR_TOKENS when set; else DATA_DIR/users.json; else creates users.json with one admin and reports its
   * token through `announce` (shown once, never stored).
   */
  static load(options: { editorTokens?: string; dataDir: string; announce: (token: string, file: string) => void }): EditorDirectory {
    if (options.editorTokens && options.editorTokens.trim()) return EditorDirectory.fromEnv(options.editorTokens);
    const file = path.join(options.dataDir, USERS_FILE);
    if (fs.existsSync(file)) return EditorDirectory.fromFile(file);
    fs.mkdirSync(options.dataDir, { recursive: true });
    const token = newToken();
    const content = { users: [{ name: 'admin', role: 'admin', token_sha256: hashToken(token).toString('hex') }] };
    fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    options.announce(token, file);
    return EditorDirectory.fromFile(file);
  }
}
