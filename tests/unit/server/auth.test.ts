/** Editors (EDITOR_TOKENS, users.json, the first-start admin), the auth settings, and one-line log text. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EditorDirectory, USERS_FILE, hashToken, parseEditorTokens } from '../../../server/auth/editors.ts';
import { ConfigError, loadConfig } from '../../../server/config.ts';
import { oneLine } from '../../../server/http/log-line.ts';
import { tempDir } from '../../support/temp-dir.ts';

const TOKEN = 'a-token-of-sixteen-plus';

describe('editors', () => {
  it('parses EDITOR_TOKENS with optional roles, and says what is wrong without the token', () => {
    expect(parseEditorTokens(`sokha:${TOKEN}, dara:${TOKEN}x:admin ,vanna:${TOKEN}y:editor`)).toEqual([
      { name: 'sokha', role: 'editor', token: TOKEN },
      { name: 'dara', role: 'admin', token: `${TOKEN}x` },
      { name: 'vanna', role: 'editor', token: `${TOKEN}y` },
    ]);
    for (const [value, message] of [
      ['sokha', /entry 1 is not "name:token"/],
      ['sokha:short', /at least 16 characters/],
      [`a:${TOKEN},a:${TOKEN}z`, /appears twice/],
    ] as const) {
      expect(() => parseEditorTokens(value)).toThrow(message);
      try {
        parseEditorTokens(value);
      } catch (error) {
        expect((error as Error).message).not.toContain(TOKEN);
      }
    }
  });

  it('authenticates by token, with the role', () => {
    const editors = EditorDirectory.fromEnv(`sokha:${TOKEN},dara:${TOKEN}x:admin`);
    expect(editors.authenticate(TOKEN)).toEqual({ name: 'sokha', role: 'editor' });
    expect(editors.authenticate(`${TOKEN}x`)).toEqual({ name: 'dara', role: 'admin' });
    expect(editors.authenticate(`${TOKEN}y`)).toBeUndefined();
    expect(editors.authenticate('')).toBeUndefined();
    expect(EditorDirectory.none().authenticate(TOKEN)).toBeUndefined();
  });

  it('creates one admin on first start, stores only its hash, and announces the token once', () => {
    const dir = tempDir();
    const announced: string[] = [];
    const first = EditorDirectory.load({ dataDir: dir, announce: (token) => announced.push(token) });
    expect(announced).toHaveLength(1);
    const token = announced[0]!;
    expect(token.length).toBeGreaterThanOrEqual(32);
    const file = fs.readFileSync(path.join(dir, USERS_FILE), 'utf8');
    expect(file).not.toContain(token);
    expect(file).toContain(hashToken(token).toString('hex'));
    expect((fs.statSync(path.join(dir, USERS_FILE)).mode & 0o777).toString(8)).toBe('600');
    expect(first.authenticate(token)).toEqual({ name: 'admin', role: 'admin' });
    const second = EditorDirectory.load({ dataDir: dir, announce: (t) => announced.push(t) });
    expect(announced).toHaveLength(1);
    expect(second.authenticate(token)).toEqual({ name: 'admin', role: 'admin' });
    // EDITOR_TOKENS wins over the file.
    const env = EditorDirectory.load({ dataDir: dir, editorTokens: `sokha:${TOKEN}`, announce: () => announced.push('x') });
    expect(env.authenticate(token)).toBeUndefined();
    expect(env.authenticate(TOKEN)).toEqual({ name: 'sokha', role: 'editor' });
  });
});

describe('auth settings', () => {
  it('are read and checked with the rest of the configuration', () => {
    const config = loadConfig({ EDITOR_TOKENS: `sokha:${TOKEN}`, READS_REQUIRE_SIGN_IN: '1', PUBLIC_ORIGIN: 'https://dar.example.org, http://localhost:8080', TRUST_PROXY: '1' });
    expect(config.auth).toEqual({
      editorTokens: `sokha:${TOKEN}`,
      readsRequireSignIn: true,
      publicOrigins: ['https://dar.example.org', 'http://localhost:8080'],
      signInsPerMinute: 10,
      writesPerMinute: 120,
    });
    expect(config.trustProxy).toBe(1);
    expect(loadConfig({}).auth).toMatchObject({ readsRequireSignIn: false, publicOrigins: [] });
    expect(loadConfig({}).auth.editorTokens).toBeUndefined();
  });

  it('name every bad variable, never a token', () => {
    let error: unknown;
    try {
      loadConfig({ EDITOR_TOKENS: 'sokha:short-token', PUBLIC_ORIGIN: 'https://dar.example.org/path', WRITE_RATE_LIMIT: '0', READS_REQUIRE_SIGN_IN: 'yes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const variable of ['EDITOR_TOKENS', 'PUBLIC_ORIGIN', 'WRITE_RATE_LIMIT', 'READS_REQUIRE_SIGN_IN']) expect(message).toContain(variable);
    expect(message).not.toContain('short-token');
  });
});

describe('log lines', () => {
  it('escape line breaks and control characters from user text', () => {
    expect(oneLine('a\nb\r\nc\u2028d\u0000e\tf')).toBe('a\\nb\\r\\nc\\u2028d\\u0000e\\tf');
    expect(oneLine('ខ្មែរ plain')).toBe('ខ្មែរ plain');
  });
});
