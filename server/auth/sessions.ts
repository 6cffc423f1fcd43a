/**
 * The explorer's sign-in without server-side session state. The HttpOnly cookie holds a signed session, never the
 * token: `<payload>.<signature>`, both base64url, where the payload is the editor's name, when it was issued, when
 * it expires (12 hours later, checked here whatever the browser keeps), the editor's revocation counter when it was
 * issued, and a keyed fingerprint of the editor's token; the signature is HMAC-SHA256 of the payload with the
 * session secret.
 *
 * A cookie is good while its signature holds, it has not expired, its editor still exists with the same token
 * (rotating a token in users.json ends that editor's sessions), and the editor's revocation counter has not moved
 * on since (signing out moves it: that ends every session of that editor, in every browser).
 *
 * Several app processes (one Neo4j, many app processes) share sessions when they share the secret — SESSION_SECRET,
 * or DATA_DIR/session.secret, made (0600) on the first start — and the counters in DATA_DIR/sessions.json (0600,
 * read again whenever it changes, written whole under a lock file and renamed into place). Processes that do not
 * share DATA_DIR do not see each other's sign-outs: a signed-out cookie then still works on the others until it
 * expires (README, SECURITY.md). The counters are not kept in users.json: the server would then rewrite a file
 * an administrator edits, and a save from an editor opened before a sign-out would set the counter back.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Editor, EditorDirectory } from './editors.ts';

export const SESSION_SECRET_FILE = 'session.secret';
export const SESSIONS_FILE = 'sessions.json';
/** How long a sign-in from the explorer lasts (the token itself does not expire; revoke it in users.json). */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
/** The least length of SESSION_SECRET. */
export const MIN_SESSION_SECRET_LENGTH = 32;

/** Each editor's revocation counter: sessions issued under an older value are over. */
export interface Revocations {
  counter(editor: string): number;
  /** Moves the editor's counter on (signs them out everywhere); returns the new value. */
  bump(editor: string): number;
}

/** Counters in memory: for an app without DATA_DIR (tests, tools), one process only. */
export class MemoryRevocations implements Revocations {
  private readonly counters = new Map<string, number>();
  counter(editor: string): number {
    return this.counters.get(editor) ?? 0;
  }
  bump(editor: string): number {
    const next = this.counter(editor) + 1;
    this.counters.set(editor, next);
    return next;
  }
}

/** Counters in DATA_DIR/sessions.json, shared by the processes that share DATA_DIR. */
export class FileRevocations implements Revocations {
  private counters = new Map<string, number>();
  private stamp = '';

  constructor(readonly file: string) {}

  counter(editor: string): number {
    this.refresh();
    return this.counters.get(editor) ?? 0;
  }

  bump(editor: string): number {
    const unlock = this.lock();
    try {
      this.refresh(true);
      const next = (this.counters.get(editor) ?? 0) + 1;
      this.counters.set(editor, next);
      const temp = `${this.file}.${process.pid}.tmp`;
      const fd = fs.openSync(temp, 'w', 0o600);
      try {
        fs.writeSync(fd, `${JSON.stringify({ counters: Object.fromEntries(this.counters) }, null, 2)}\n`);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temp, this.file);
      this.stamp = '';
      return next;
    } finally {
      unlock();
    }
  }

  /** Reads the file again when it changed. A damaged file is refused (no cookie is good until it is fixed). */
  private refresh(force = false): void {
    // No exception when the file does not exist (the usual case until a first sign-out): this runs per request.
    const stat = fs.statSync(this.file, { throwIfNoEntry: false });
    if (!stat) {
      this.counters = new Map();
      this.stamp = 'missing';
      return;
    }
    const stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
    if (!force && stamp === this.stamp) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch (error) {
      throw new Error(`${this.file} is damaged (${(error as Error).message}); fix or delete it (deleting it revives no session: each one also needs its secret)`);
    }
    const counters = (parsed as { counters?: unknown }).counters;
    if (typeof counters !== 'object' || counters === null || Object.values(counters).some((v) => !Number.isSafeInteger(v) || (v as number) < 0)) {
      throw new Error(`${this.file} is damaged (expected {"counters": {"<editor>": <count>}})`);
    }
    this.counters = new Map(Object.entries(counters as Record<string, number>));
    this.stamp = stamp;
  }

  /** A lock file for the read-modify-write of a sign-out; one left by a process that died is taken over after 10 s. */
  private lock(): () => void {
    const file = `${this.file}.lock`;
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        fs.closeSync(fs.openSync(file, 'wx', 0o600));
        return () => fs.rmSync(file, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        try {
          if (Date.now() - fs.statSync(file).mtimeMs > 10_000) fs.rmSync(file, { force: true });
        } catch {
          /* gone meanwhile */
        }
        if (Date.now() > deadline) throw new Error(`${file} is held by another process; try again`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      }
    }
  }
}

/**
 * The secret that signs session cookies: SESSION_SECRET when set, else DATA_DIR/session.secret, made with 32
 * random bytes (0600) when it does not exist yet.
 */
export function loadSessionSecret(options: { sessionSecret?: string; dataDir: string }): Buffer {
  if (options.sessionSecret) return Buffer.from(options.sessionSecret, 'utf8');
  const file = path.join(options.dataDir, SESSION_SECRET_FILE);
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_SESSION_SECRET_LENGTH) {
    throw new Error(`${file} holds less than ${MIN_SESSION_SECRET_LENGTH} characters; delete it to have a new one made (every session ends)`);
  }
  return Buffer.from(secret, 'utf8');
}

export type SessionCheck =
  | { ok: true; editor: Editor }
  /** forged: not made with our secret (or not a session at all): counted like a failed sign-in. */
  | { ok: false; reason: 'forged' | 'expired' | 'revoked' };

interface Payload {
  /** editor name */
  n: string;
  /** issued, Unix seconds */
  i: number;
  /** expires, Unix seconds */
  x: number;
  /** the editor's revocation counter when issued */
  c: number;
  /** keyed fingerprint of the editor's token */
  f: string;
}

export class Sessions {
  constructor(
    private readonly options: {
      secret: Buffer;
      editors: EditorDirectory;
      revocations: Revocations;
      maxAgeSeconds?: number;
    },
  ) {}

  /** Sessions signed with SESSION_SECRET or DATA_DIR/session.secret, counters in DATA_DIR/sessions.json. */
  static open(options: { dataDir: string; sessionSecret?: string; editors: EditorDirectory }): Sessions {
    return new Sessions({
      secret: loadSessionSecret(options),
      editors: options.editors,
      revocations: new FileRevocations(path.join(options.dataDir, SESSIONS_FILE)),
    });
  }

  /** For an app without DATA_DIR (tests, tools): a random secret, counters in memory; one process only. */
  static inMemory(editors: EditorDirectory): Sessions {
    return new Sessions({ secret: randomBytes(32), editors, revocations: new MemoryRevocations() });
  }

  get maxAgeSeconds(): number {
    return this.options.maxAgeSeconds ?? SESSION_MAX_AGE_SECONDS;
  }

  /** A cookie value for this editor, just authenticated by their token. */
  issue(editor: Editor, now = Date.now()): string {
    const current = this.options.editors.byName(editor.name);
    if (!current) throw new Error(`no editor named ${editor.name}`);
    const issued = Math.floor(now / 1000);
    const payload: Payload = {
      n: current.editor.name,
      i: issued,
      x: issued + this.maxAgeSeconds,
      c: this.options.revocations.counter(editor.name),
      f: this.fingerprint(current.tokenHash),
    };
    const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${encoded}.${this.sign(encoded)}`;
  }

  check(value: string, now = Date.now()): SessionCheck {
    const dot = value.indexOf('.');
    if (value.length > 2048 || dot <= 0) return { ok: false, reason: 'forged' };
    const encoded = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.sign(encoded), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
    let payload: Payload;
    try {
      payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Payload;
    } catch {
      return { ok: false, reason: 'forged' };
    }
    if (typeof payload.x !== 'number' || now / 1000 >= payload.x) return { ok: false, reason: 'expired' };
    const current = typeof payload.n === 'string' ? this.options.editors.byName(payload.n) : undefined;
    if (!current) return { ok: false, reason: 'revoked' };
    const fingerprint = Buffer.from(this.fingerprint(current.tokenHash));
    const claimed = Buffer.from(String(payload.f));
    if (claimed.length !== fingerprint.length || !timingSafeEqual(claimed, fingerprint)) return { ok: false, reason: 'revoked' };
    if (payload.c !== this.options.revocations.counter(payload.n)) return { ok: false, reason: 'revoked' };
    return { ok: true, editor: current.editor };
  }

  /** Ends every session of this editor (in every process that shares the counters). */
  revoke(editor: string): void {
    this.options.revocations.bump(editor);
  }

  private sign(encoded: string): string {
    return createHmac('sha256', this.options.secret).update(`dar-session-v1.${encoded}`).digest('base64url');
  }

  private fingerprint(tokenHash: Buffer): string {
    return createHmac('sha256', this.options.secret).update('dar-token-v1.').update(tokenHash).digest('base64url').slice(0, 22);
  }
}
