/**
 * Browser sessions (issue 19, items 4 and 5): the explorer's cookie is signed by the server (editor, issued,
 * expiry, the editor's revocation counter, a fingerprint of the token), never the token itself. Signing out ends
 * it, it expires after 12 hours whatever the browser does, a forged or tampered cookie is refused and counted with
 * the sign-in limiter, and a token rotated in users.json takes effect without a restart — in this process and in
 * another one that shares DATA_DIR.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../server/app.ts';
import { SESSION_MAX_AGE_SECONDS } from '../../server/auth/auth.middleware.ts';
import { EditorDirectory, USERS_FILE, hashToken } from '../../server/auth/editors.ts';
import { Sessions } from '../../server/auth/sessions.ts';
import { DEFAULT_AUTH } from '../../server/config.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { TEST_EDITORS, TEST_EDITOR_TOKENS } from '../support/app-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';

const SITE = { Host: 'dar.example:8080', Origin: 'http://dar.example:8080' };
const TOKEN_A = 'Rotate-Me-Before-0123456789-xyzQ';
const TOKEN_B = 'Rotated-Token-After-9876543210-kLm';

let dir: string;
let store: EmbeddedStore;

beforeAll(async () => {
  dir = tempDir('dar-kg-sessions-');
  store = await EmbeddedStore.open({ dataDir: path.join(dir, 'store') });
});

afterAll(async () => {
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.useRealTimers();
});

function appWith(editors: EditorDirectory, options: { signInsPerMinute?: number; sessions?: Sessions } = {}): Express {
  return createApp({
    store,
    config: { requestBodyLimit: '1mb', auth: { ...DEFAULT_AUTH, signInsPerMinute: options.signInsPerMinute ?? 10 } },
    editors,
    ...(options.sessions ? { sessions: options.sessions } : {}),
    log: () => undefined,
  });
}

async function signIn(app: Express, token: string): Promise<string> {
  const res = await request(app).post('/api/session').send({ token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return String(res.headers['set-cookie']).split(';')[0]!;
}

async function who(app: Express, jar: string): Promise<unknown> {
  return (await request(app).get('/api/session').set('Cookie', jar)).body;
}

function writeUsers(dataDir: string, users: { name: string; role: string; token: string }[]): void {
  const file = path.join(dataDir, USERS_FILE);
  const temp = `${file}.tmp`;
  const content = { users: users.map((u) => ({ name: u.name, role: u.role, token_sha256: hashToken(u.token).toString('hex') })) };
  fs.writeFileSync(temp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temp, file);
}

describe('the session cookie', () => {
  it('holds a signed session, not the token', async () => {
    const app = appWith(EditorDirectory.fromEnv(TEST_EDITOR_TOKENS));
    const jar = await signIn(app, TEST_EDITORS.bob);
    const value = decodeURIComponent(jar.slice(jar.indexOf('=') + 1));
    expect(value).not.toContain(TEST_EDITORS.bob);
    expect(await who(app, jar)).toMatchObject({ signedIn: true, editor: { name: 'bob' }, via: 'cookie' });
    // The raw token as a cookie is no session.
    expect(await who(app, `dar_session=${TEST_EDITORS.bob}`)).toEqual({ signedIn: false });
  });

  it('signing out ends the session: the old cookie value no longer works', async () => {
    const app = appWith(EditorDirectory.fromEnv(TEST_EDITOR_TOKENS));
    const jar = await signIn(app, TEST_EDITORS.bob);
    expect(await who(app, jar)).toMatchObject({ signedIn: true });
    const out = await request(app).delete('/api/session').set('Cookie', jar).set(SITE);
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    expect(await who(app, jar)).toEqual({ signedIn: false });
    const write = await request(app).post('/api/nodes').set('Cookie', jar).set(SITE).send({ label: 'Topic', name_en: 'After sign-out', name_km: 'ក្រោយចេញ' });
    expect(write.status).toBe(401);
    // Signing in again gives a new session that works.
    const again = await signIn(app, TEST_EDITORS.bob);
    expect(await who(app, again)).toMatchObject({ signedIn: true, editor: { name: 'bob' } });
  });

  it('expires after 12 hours on the server, whatever the browser keeps', async () => {
    const app = appWith(EditorDirectory.fromEnv(TEST_EDITOR_TOKENS));
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    const jar = await signIn(app, TEST_EDITORS.alice);
    vi.setSystemTime(start + (SESSION_MAX_AGE_SECONDS - 60) * 1000);
    expect(await who(app, jar)).toMatchObject({ signedIn: true });
    vi.setSystemTime(start + (SESSION_MAX_AGE_SECONDS + 1) * 1000);
    const res = await request(app).get('/api/session').set('Cookie', jar);
    expect(res.body).toEqual({ signedIn: false });
    // The browser is told to drop it.
    expect(String(res.headers['set-cookie'])).toMatch(/dar_session=;.*Max-Age=0/);
  });

  it('refuses a tampered cookie and counts it with the sign-in limiter (429 when over)', async () => {
    const app = appWith(EditorDirectory.fromEnv(TEST_EDITOR_TOKENS), { signInsPerMinute: 3 });
    const jar = await signIn(app, TEST_EDITORS.bob); // 1 sign-in
    const [name, value] = [jar.slice(0, jar.indexOf('=')), jar.slice(jar.indexOf('=') + 1)];
    // Flip one character of the payload (making bob an admin would need a new signature).
    const i = Math.floor(value.length / 3);
    const tampered = `${name}=${value.slice(0, i)}${value[i] === 'A' ? 'B' : 'A'}${value.slice(i + 1)}`;
    expect(await who(app, tampered)).toEqual({ signedIn: false }); // 2
    expect(await who(app, `${name}=${value}x`)).toEqual({ signedIn: false }); // 3
    const over = await request(app).get('/api/session').set('Cookie', tampered);
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('rate_limited');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // The limiter is the sign-in one: a sign-in from the same address waits too.
    expect((await request(app).post('/api/session').send({ token: TEST_EDITORS.bob })).status).toBe(429);
  });

  it('counts guessed cookies (token guesses) like failed sign-ins', async () => {
    const app = appWith(EditorDirectory.fromEnv(TEST_EDITOR_TOKENS), { signInsPerMinute: 5 });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await request(app).get('/api/nodes/dar').set('Cookie', `dar_session=guess-${i}-0123456789abcdef`)).status);
    expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it('a token rotated in users.json takes effect without a restart: old token and its cookies refused, new one works', async () => {
    const dataDir = tempDir('dar-kg-rotate-');
    try {
      writeUsers(dataDir, [{ name: 'sokha', role: 'editor', token: TOKEN_A }]);
      const editors = EditorDirectory.load({ dataDir, announce: () => undefined });
      const app = appWith(editors);
      const jar = await signIn(app, TOKEN_A);
      expect((await request(app).get('/api/session').set('Authorization', `Bearer ${TOKEN_A}`)).body).toMatchObject({ signedIn: true });
      writeUsers(dataDir, [{ name: 'sokha', role: 'editor', token: TOKEN_B }]);
      expect((await request(app).get('/api/session').set('Authorization', `Bearer ${TOKEN_A}`)).status).toBe(401);
      expect((await request(app).get('/api/session').set('Authorization', `Bearer ${TOKEN_B}`)).body).toMatchObject({ signedIn: true, editor: { name: 'sokha' } });
      expect(await who(app, jar)).toEqual({ signedIn: false });
      expect((await request(app).post('/api/session').send({ token: TOKEN_A })).status).toBe(401);
      const fresh = await signIn(app, TOKEN_B);
      expect(await who(app, fresh)).toMatchObject({ signedIn: true });
      // Removing the editor ends their sessions too.
      writeUsers(dataDir, [{ name: 'dara', role: 'admin', token: TOKEN_A }]);
      expect(await who(app, fresh)).toEqual({ signedIn: false });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('sign-out reaches another app process that shares DATA_DIR (the secret and the revocation counters are there)', async () => {
    const dataDir = tempDir('dar-kg-shared-');
    try {
      const editors = EditorDirectory.fromEnv(TEST_EDITOR_TOKENS);
      const appProcess = (sessionSecret?: string) => appWith(editors, { sessions: Sessions.open({ dataDir, editors, ...(sessionSecret ? { sessionSecret } : {}) }) });
      const [one, two] = [appProcess(), appProcess()];
      const jar = await signIn(one, TEST_EDITORS.alice);
      expect(await who(two, jar)).toMatchObject({ signedIn: true, editor: { name: 'alice' } });
      expect((await request(two).delete('/api/session').set('Cookie', jar).set(SITE)).status).toBe(200);
      expect(await who(one, jar)).toEqual({ signedIn: false });
      expect(await who(two, jar)).toEqual({ signedIn: false });
      // Another editor's sessions are untouched.
      const bob = await signIn(one, TEST_EDITORS.bob);
      expect(await who(two, bob)).toMatchObject({ signedIn: true, editor: { name: 'bob' } });
      for (const file of ['session.secret', 'sessions.json']) {
        expect((fs.statSync(path.join(dataDir, file)).mode & 0o777).toString(8), file).toBe('600');
      }
      // SESSION_SECRET instead of the file: two processes with the same secret accept each other's cookies.
      const secret = 'k9#Vq2!xR7pL0wZ4mT8sB3nD6fH1jY5c';
      const [three, four] = [appProcess(secret), appProcess(secret)];
      const jar3 = await signIn(three, TEST_EDITORS.root);
      expect(await who(four, jar3)).toMatchObject({ signedIn: true, editor: { name: 'root', role: 'admin' } });
      expect(await who(one, jar3)).toEqual({ signedIn: false }); // another secret
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
