/**
 * Who may write: editors configured by EDITOR_TOKENS ("name:token,name:token:admin") or by
 * DATA_DIR/users.json (token hashes, names and roles). Tokens are never stored, only their SHA-256 hashes, and
 * compared in constant time. users.json is read again when it changes (checked on each look-up: a stat), so a
 * token is added, rotated or revoked without a restart. EDITOR_TOKENS refuses weak tokens (tokenStrengthBits).
 * When neither is configured, the first start creates one admin token, stores its hash and hands the token out
 * once (server/main.ts: printed on a terminal, else written to a 0600 file).
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
/** The least estimated strength of an EDITOR_TOKENS token (see tokenStrengthBits). */
export const MIN_TOKEN_BITS = 80;

/**
 * A token's estimated strength in bits: the characters that count, times log2 of the alphabet its kinds of
 * characters come from (a–z 26, A–Z 26, 0–9 10, anything else 33). A character does not count when it continues
 * a run with a constant step (aaaa, abcd, 1357, 9876), and a stretch of 3 or more characters that already appeared
 * earlier in the token counts as one (passwordpassword, abcabcabc). It knows no dictionary words: a generated random
 * token is always the better choice (`openssl rand -base64 24`).
 */
export function tokenStrengthBits(token: string): number {
  const chars = [...token];
  const codes = chars.map((c) => c.codePointAt(0)!);
  let pool = 0;
  if (/[a-z]/.test(token)) pool += 26;
  if (/[A-Z]/.test(token)) pool += 26;
  if (/[0-9]/.test(token)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(token)) pool += 33;
  let counted = 0;
  for (let i = 0; i < chars.length; ) {
    let repeat = 0;
    for (let start = 0; start < i; start++) {
      let length = 0;
      while (i + length < chars.length && chars[start + length] === chars[i + length]) length++;
      repeat = Math.max(repeat, length);
    }
    if (repeat >= 3) {
      counted += 1;
      i += repeat;
      continue;
    }
    const continuesRun = i >= 2 && codes[i]! - codes[i - 1]! === codes[i - 1]! - codes[i - 2]! && Math.abs(codes[i]! - codes[i - 1]!) <= 2;
    if (!continuesRun) counted += 1;
    i += 1;
  }
  return pool === 0 ? 0 : counted * Math.log2(pool);
}

const UsersFileSchema = z.object({
  users: z.array(
    z.object({
      name: z.string().min(1).max(100).regex(/^[^\r\n:,]+$/, 'one line, without ":" or ","'),
      role: z.enum(ROLES),
      token_sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hex digest'),
    }),
  )
    .superRefine((users, ctx) => {
      const seen = new Set<string>();
      users.forEach((user, i) => {
        if (seen.has(user.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `the name ${user.name} appears twice` });
        seen.add(user.name);
      });
    }),
});

function readUsersFile(file: string): EditorRecord[] {
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
  return parsed.data.users.map((u) => ({ name: u.name, role: u.role, hash: Buffer.from(u.token_sha256, 'hex') }));
}

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
      const bits = tokenStrengthBits(token);
      if (bits < MIN_TOKEN_BITS) {
        throw new Error(
          `entry ${i + 1} (${name}): the token is too easy to guess (about ${Math.floor(bits)} bits; at least ${MIN_TOKEN_BITS} needed: repeats and runs like aaaa or 1234 count little). Use a random one, e.g. \`openssl rand -base64 24\``,
        );
      }
      return { name, role, token };
    });
}

export class EditorDirectory {
  /** users.json and what it looked like (inode, size, mtime) when last read; absent for EDITOR_TOKENS. */
  private source?: { file: string; stamp: string; onReloadError: (message: string) => void };

  private constructor(private records: EditorRecord[]) {}

  /** Nobody may write (an app built without editors, e.g. in tests of reads). */
  static none(): EditorDirectory {
    return new EditorDirectory([]);
  }

  get size(): number {
    this.refresh();
    return this.records.length;
  }

  /** The editor holding this token, comparing every hash in constant time. */
  authenticate(token: string): Editor | undefined {
    if (typeof token !== 'string' || token.length === 0 || token.length > 512) return undefined;
    this.refresh();
    const hash = hashToken(token);
    let found: EditorRecord | undefined;
    for (const record of this.records) if (timingSafeEqual(record.hash, hash) && !found) found = record;
    return found ? { name: found.name, role: found.role } : undefined;
  }

  /** The editor of this name as configured now, with the hash of their token (sessions are bound to it). */
  byName(name: string): { editor: Editor; tokenHash: Buffer } | undefined {
    this.refresh();
    const record = this.records.find((r) => r.name === name);
    return record ? { editor: { name: record.name, role: record.role }, tokenHash: record.hash } : undefined;
  }

  /**
   * Reads users.json again when it changed since the last look-up. A file that does not parse (an edit half
   * saved) leaves the editors as they were and is reported once per change; a file that is gone leaves nobody.
   */
  private refresh(): void {
    const source = this.source;
    if (!source) return;
    const stat = fs.statSync(source.file, { throwIfNoEntry: false });
    const stamp = stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}` : 'missing';
    if (stamp === source.stamp) return;
    source.stamp = stamp;
    if (stamp === 'missing') {
      this.records = [];
      source.onReloadError(`${source.file} is gone: nobody may sign in until it is back`);
      return;
    }
    try {
      this.records = readUsersFile(source.file);
    } catch (error) {
      source.onReloadError(`${(error as Error).message}; the editors read before stay in force until it is fixed`);
    }
  }

  /** From EDITOR_TOKENS: "name:token,name:token" (editors), "name:token:admin" for an admin. */
  static fromEnv(value: string): EditorDirectory {
    return new EditorDirectory(parseEditorTokens(value).map(({ name, role, token }) => ({ name, role, hash: hashToken(token) })));
  }

  /** From users.json, read again whenever it changes; `onReloadError` hears of a changed file that does not parse. */
  static fromFile(file: string, onReloadError: (message: string) => void = (m) => console.error(`editors: ${m}`)): EditorDirectory {
    const stat = fs.statSync(file);
    const directory = new EditorDirectory(readUsersFile(file));
    directory.source = { file, stamp: `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`, onReloadError };
    return directory;
  }

  /**
   * EDITOR_TOKENS when set; else DATA_DIR/users.json; else creates users.json with one admin and reports its
   * token through `announce` (shown once, never stored).
   */
  static load(options: {
    editorTokens?: string;
    dataDir: string;
    announce: (token: string, file: string) => void;
    onReloadError?: (message: string) => void;
  }): EditorDirectory {
    if (options.editorTokens && options.editorTokens.trim()) return EditorDirectory.fromEnv(options.editorTokens);
    const file = path.join(options.dataDir, USERS_FILE);
    if (fs.existsSync(file)) return EditorDirectory.fromFile(file, options.onReloadError);
    fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const token = newToken();
    const content = { users: [{ name: 'admin', role: 'admin', token_sha256: hashToken(token).toString('hex') }] };
    fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    options.announce(token, file);
    return EditorDirectory.fromFile(file, options.onReloadError);
  }
}
