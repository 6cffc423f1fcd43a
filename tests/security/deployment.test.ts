/**
 * Deployment defaults (issue 19, item 10): a server reachable from other hosts needs PUBLIC_ORIGIN (else the Origin
 * check would trust the Host header); TRUST_PROXY=true (any hop) is refused; weak editor tokens are refused; DATA_DIR
 * is readable by its owner only (the journal holds the audit); the first admin's token reaches a terminal only,
 * else a 0600 file. docker-compose.yml with .env.example still makes a configuration that starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIN_TOKEN_BITS, tokenStrengthBits } from '../../server/auth/editors.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { FIRST_ADMIN_TOKEN_FILE, announceFirstAdmin } from '../../server/main.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { TEST_EDITOR_TOKENS } from '../support/app-fixture.ts';
import { ROOT, loadSeed } from '../support/seed-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';

const dirs: string[] = [];
const fresh = (prefix: string) => {
  const dir = tempDir(prefix);
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

describe('PUBLIC_ORIGIN', () => {
  it('is required when HOST is not a loopback address, and the refusal names both variables', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'dar.example.org']) {
      const message = configError({ HOST: host });
      expect(message, host).toMatch(/PUBLIC_ORIGIN/);
      expect(message, host).toContain(host);
    }
    expect(loadConfig({ HOST: '0.0.0.0', PUBLIC_ORIGIN: 'https://dar.example.org' }).auth.publicOrigins).toEqual(['https://dar.example.org']);
    expect(configError({ HOST: '0.0.0.0', PUBLIC_ORIGIN: ' , ' })).toMatch(/PUBLIC_ORIGIN: required/);
    // Listed with the other bad variables, not only once they are fixed.
    const both = configError({ HOST: '0.0.0.0', PORT: 'eighty' });
    expect(both).toMatch(/PORT/);
    expect(both).toMatch(/PUBLIC_ORIGIN/);
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(loadConfig({ HOST: host }).host, host).toBe(host);
    expect(loadConfig({}).host).toBe('127.0.0.1');
  });
});

describe('TRUST_PROXY', () => {
  it('refuses "true" (trust any hop) and says what to set instead', () => {
    const message = configError({ TRUST_PROXY: 'true' });
    expect(message).toMatch(/TRUST_PROXY/);
    expect(message).toMatch(/number of hops|addresses/);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });
});

describe('editor tokens', () => {
  it('refuses weak tokens that are long enough (repeats, runs, a repeated word), never echoing them', () => {
    for (const weak of ['a'.repeat(16), 'abcdefghijklmnop', '1234567812345678', 'passwordpassword', '0000000000000000000000']) {
      const message = configError({ EDITOR_TOKENS: `sokha:${weak}` });
      expect(message, weak).toMatch(/EDITOR_TOKENS/);
      expect(message, weak).toMatch(/too easy to guess/);
      expect(message, weak).not.toContain(weak);
    }
    expect(loadConfig({ EDITOR_TOKENS: TEST_EDITOR_TOKENS }).auth.editorTokens).toBe(TEST_EDITOR_TOKENS);
    // What the README suggests: `openssl rand -base64 24`, 32 hex digits, a UUID.
    for (const good of ['q3L9vXk2N8pR4tW7yZ1bC6dF0gH5jM2s', '9f86d081884c7d659a2feaa0c55ad015', '3b241101-e2bb-4255-8caf-4136c566a962']) {
      expect(tokenStrengthBits(good), good).toBeGreaterThanOrEqual(MIN_TOKEN_BITS);
    }
  });

  it('SESSION_SECRET must be long and random', () => {
    expect(configError({ SESSION_SECRET: 'too-short' })).toMatch(/SESSION_SECRET/);
    expect(configError({ SESSION_SECRET: 'x'.repeat(64) })).toMatch(/SESSION_SECRET/);
    expect(loadConfig({ SESSION_SECRET: 'k9#Vq2!xR7pL0wZ4mT8sB3nD6fH1jY5cU0eA' }).auth.sessionSecret).toBe('k9#Vq2!xR7pL0wZ4mT8sB3nD6fH1jY5cU0eA');
  });
});

describe('DATA_DIR', () => {
  it('is made 0700 and every file in it 0600 (journal, snapshot, audit archive, lock)', async () => {
    const dataDir = path.join(fresh('dar-kg-modes-'), 'data');
    const store = await EmbeddedStore.open({ dataDir, compactEntries: 1_000_000 });
    try {
      await store.upsert(await loadSeed(), { name: 'seed' });
      await store.compactNow();
      expect(mode(dataDir)).toBe('700');
      const files = fs.readdirSync(dataDir);
      expect(files).toEqual(expect.arrayContaining(['graph.journal', 'graph.snapshot.json', 'audit.ndjson', 'lock']));
      for (const file of files) expect(mode(path.join(dataDir, file)), file).toBe('600');
    } finally {
      await store.close();
    }
  });

  it('tightens a DATA_DIR made before (0755 folder, 0644 files) when the store opens it', async () => {
    const dataDir = path.join(fresh('dar-kg-modes-old-'), 'data');
    const first = await EmbeddedStore.open({ dataDir });
    await first.upsert(await loadSeed(), { name: 'seed' });
    await first.compactNow();
    await first.close();
    fs.chmodSync(dataDir, 0o755);
    for (const file of fs.readdirSync(dataDir)) fs.chmodSync(path.join(dataDir, file), 0o644);
    const again = await EmbeddedStore.open({ dataDir });
    try {
      expect(mode(dataDir)).toBe('700');
      for (const file of fs.readdirSync(dataDir)) expect(mode(path.join(dataDir, file)), file).toBe('600');
    } finally {
      await again.close();
    }
  });
});

describe('the first admin token', () => {
  const TOKEN = 'first-admin-token-Zx81QwErTy';

  it('is printed when stdout is a terminal, and written nowhere', () => {
    const dir = fresh('dar-kg-first-tty-');
    const printed: string[] = [];
    announceFirstAdmin(TOKEN, path.join(dir, 'users.json'), { isTTY: true, print: (t) => printed.push(t) });
    expect(printed.join('\n')).toContain(TOKEN);
    expect(fs.existsSync(path.join(dir, FIRST_ADMIN_TOKEN_FILE))).toBe(false);
  });

  it('is never printed when stdout is not a terminal: written to a 0600 file whose path is printed', () => {
    const dir = fresh('dar-kg-first-log-');
    const printed: string[] = [];
    announceFirstAdmin(TOKEN, path.join(dir, 'users.json'), { isTTY: false, print: (t) => printed.push(t) });
    const file = path.join(dir, FIRST_ADMIN_TOKEN_FILE);
    expect(printed.join('\n')).not.toContain(TOKEN);
    expect(printed.join('\n')).toContain(file);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(TOKEN);
    expect(mode(file)).toBe('600');
  });
});

describe('docker-compose.yml with .env.example', () => {
  /** The app service's environment, with ${VAR}, ${VAR:-default} and ${VAR:?message} taken from .env.example. */
  function composeAppEnv(): Record<string, string> {
    const dotenv = Object.fromEntries(
      fs
        .readFileSync(path.join(ROOT, '.env.example'), 'utf8')
        .split('\n')
        .filter((line) => /^[A-Z0-9_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    const lines = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8').split('\n');
    const app = lines.findIndex((line) => /^ {2}app:\s*$/.test(line));
    const envStart = lines.findIndex((line, i) => i > app && /^ {4}environment:\s*$/.test(line));
    expect(app).toBeGreaterThan(0);
    expect(envStart).toBeGreaterThan(app);
    const env: Record<string, string> = {};
    for (const line of lines.slice(envStart + 1)) {
      if (/^\s*#/.test(line)) continue;
      const match = /^ {6}([A-Z0-9_]+):\s*(.*)$/.exec(line);
      if (!match) break;
      const raw = match[2]!.replace(/^"(.*)"$/, '$1');
      env[match[1]!] = raw.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
        const value = dotenv[name];
        if (value !== undefined && value !== '') return value;
        if (op === '-') return arg ?? '';
        throw new Error(`docker-compose.yml needs ${name}, which .env.example does not set`);
      });
    }
    return env;
  }

  it("passes every setting of .env to the app (env_file) and keeps /data in a named volume", () => {
    const compose = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    const app = compose.slice(compose.indexOf('\n  app:'), compose.indexOf('\nvolumes:'));
    expect(app).toMatch(/^ {4}env_file: \.env$/m);
    expect(app).toMatch(/^ {6}- app-data:\/data$/m);
    expect(compose.slice(compose.indexOf('\nvolumes:'))).toMatch(/^ {2}app-data:$/m);
  });

  it('makes a configuration that starts (HOST=0.0.0.0 comes with PUBLIC_ORIGIN)', () => {
    const dockerfileEnv = { HOST: '0.0.0.0', PORT: '8080', DATA_DIR: '/data', WEB_BUILD: 'off' };
    const env = { ...dockerfileEnv, ...composeAppEnv() };
    expect(env.HOST).toBe('0.0.0.0');
    const config = loadConfig(env);
    expect(config.auth.publicOrigins.length).toBeGreaterThan(0);
    expect(config.neo4j?.uri).toBe('bolt://neo4j:7687');
  });
});
