/**
 * A real Neo4j Community server for development and tests, without Docker: a tiny Java launcher
 * (pom.xml + src/main/java/dar/Neo4jLauncher.java) built once with Maven and run with plain `java`.
 * See README.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  accessSync,
  constants as fsConstants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface Neo4jAvailability {
  ok: boolean;
  reason?: string;
}

export interface RunningNeo4j {
  uri: string;
  port: number;
  version: string;
  dataDir: string;
  password?: string;
  stop(): Promise<void>;
  /** SIGKILL-free restart on the same port/data for fault tests */
  restart(): Promise<void>;
}

export interface StartNeo4jOptions {
  /** Bolt port; default: a free port (Neo4j binds port 0 and reports the one it got). */
  port?: number;
  /** Data directory; default: a fresh temp dir, deleted by stop(). */
  dataDir?: string;
  /** With a password, auth is on for user `neo4j` (min. 8 characters); without, auth is off. */
  password?: string;
  /** Build output and server log lines; default: stderr. */
  log?: (line: string) => void;
  /** How long the JVM may take to print its ready line (the one-off Maven build is not counted). Default 120 s. */
  timeoutMs?: number;
  /** Neo4j's db.memory.transaction.max (e.g. `8m`); default none (Neo4j's default: no limit per transaction). */
  transactionMemoryMax?: string;
  /** Called when the JVM exits without stop()/restart() having asked it to. */
  onExit?: (info: { code: number | null; signal: NodeJS.Signals | null; lastLines: string[] }) => void;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const POM = join(HERE, 'pom.xml');
const SRC = join(HERE, 'src');
const TARGET = join(HERE, 'target');
const CLASSES = join(TARGET, 'classes');
const MAIN_CLASS_FILE = join(CLASSES, 'dar', 'Neo4jLauncher.class');
const CLASSPATH_FILE = join(TARGET, 'classpath.txt');
const STAMP_FILE = join(TARGET, 'build-stamp.json');
const LOCK_DIR = join(TARGET, '.build-lock');
const MAIN_CLASS = 'dar.Neo4jLauncher';
const READY = /^Neo4j (\S+) ready at bolt:\/\/127\.0\.0\.1:(\d+)$/;
const MIN_JAVA = 17;
const STOP_GRACE_MS = 20_000;
const KEEP_LINES = 40;

/**
 * JVM options. The module options and -D/-XX flags are the ones Neo4j 5.26's own launcher recommends
 * (ConfigFileMigrator.recommendedJvmAdditionals and the default neo4j.conf); heap is kept small for a
 * development/test store. NEO4J_JAVA_OPTS (space-separated) is appended, so `-Xmx1g` there wins.
 */
export const NEO4J_JVM_OPTIONS: readonly string[] = [
  '-Xms128m',
  '-Xmx512m',
  '-XX:+UseG1GC',
  '-XX:-OmitStackTraceInFastThrow',
  '-XX:+UnlockExperimentalVMOptions',
  '-XX:+TrustFinalNonStaticFields',
  '-XX:+DisableExplicitGC',
  '-Djdk.nio.maxCachedBufferSize=1024',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Dlog4j2.disable.jmx=true',
  '-Dfile.encoding=UTF-8',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--enable-native-access=ALL-UNNAMED',
];

const defaultLog = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

// ---------------------------------------------------------------------------------------------------------------
// Availability

function javaCommand(): string {
  const home = process.env.JAVA_HOME;
  if (home) {
    const candidate = join(home, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
    if (existsSync(candidate)) return candidate;
  }
  return 'java';
}

function onPath(command: string): boolean {
  const exts = process.platform === 'win32' ? ['.cmd', '.bat', '.exe', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      try {
        accessSync(join(dir, command + ext), fsConstants.X_OK);
        return true;
      } catch {
        // keep looking
      }
    }
  }
  return false;
}

let availability: Neo4jAvailability | undefined;

/** Java 17+ and Maven on PATH (Maven is not needed once the launcher is built and up to date). */
export function neo4jAvailability(): Neo4jAvailability {
  if (availability) return availability;
  const java = javaCommand();
  const res = spawnSync(java, ['-version'], { encoding: 'utf8', timeout: 30_000 });
  if (res.error || res.status !== 0) {
    const code = (res.error as NodeJS.ErrnoException | undefined)?.code;
    const why = code === 'ENOENT' ? 'not found' : res.error ? res.error.message : `exit code ${String(res.status)}`;
    const where = java === 'java' ? 'java on PATH' : java;
    return (availability = { ok: false, reason: `${where}: ${why}; Java ${MIN_JAVA}+ is needed` });
  }
  const text = `${res.stderr}\n${res.stdout}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return (availability = { ok: false, reason: `cannot read the Java version from: ${text.trim()}` });
  let major = Number(m[1]);
  if (major === 1 && m[2]) major = Number(m[2]); // "1.8.0_392" is Java 8
  if (major < MIN_JAVA) {
    return (availability = { ok: false, reason: `Java ${major} found (${java}); Neo4j 5.26 needs Java ${MIN_JAVA}+` });
  }
  if (!onPath('mvn') && !buildIsFresh()) {
    return (availability = { ok: false, reason: 'mvn (Maven) not found on PATH; it is needed once to fetch Neo4j' });
  }
  return (availability = { ok: true });
}

// ---------------------------------------------------------------------------------------------------------------
// Build (once; later starts skip Maven while target/ is newer than pom.xml and the Java sources)

function newestSourceMtime(): number {
  let newest = statSync(POM).mtimeMs;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  if (existsSync(SRC)) walk(SRC);
  return newest;
}

function readClasspath(): string[] {
  return readFileSync(CLASSPATH_FILE, 'utf8')
    .trim()
    .split(delimiter)
    .filter((p) => p.length > 0);
}

function buildIsFresh(): boolean {
  try {
    if (!existsSync(MAIN_CLASS_FILE) || !existsSync(CLASSPATH_FILE) || !existsSync(STAMP_FILE)) return false;
    const stamp = JSON.parse(readFileSync(STAMP_FILE, 'utf8')) as { sourcesMtimeMs?: number };
    if (typeof stamp.sourcesMtimeMs !== 'number' || newestSourceMtime() > stamp.sourcesMtimeMs) return false;
    const jars = readClasspath();
    return jars.length > 0 && jars.every((jar) => existsSync(jar)); // e.g. ~/.m2 was cleaned
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock directory so parallel test workers do not run Maven on the same target/ at once. */
async function withBuildLock<T>(log: (line: string) => void, fn: () => Promise<T>): Promise<T> {
  mkdirSync(TARGET, { recursive: true });
  let told = false;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'));
      } catch {
        // being created or removed right now
      }
      if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) {
        rmSync(LOCK_DIR, { recursive: true, force: true }); // left behind by a killed process
        continue;
      }
      if (!told) {
        log('neo4j-server: waiting for another process that is building the launcher...');
        told = true;
      }
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function runMaven(log: (line: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const args = ['-B', '-Dstyle.color=never', '-f', POM, 'compile'];
    const lastLines: string[] = [];
    const child = spawn(process.platform === 'win32' ? 'mvn.cmd' : 'mvn', args, {
      cwd: HERE,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MAVEN_OPTS: process.env.MAVEN_OPTS ?? '-Xmx512m' },
    });
    const onLine = (raw: string): void => {
      const line = raw.replace(/\x1b\[[0-9;]*m/g, '').trimEnd();
      if (!line) return;
      lastLines.push(line);
      if (lastLines.length > KEEP_LINES) lastLines.shift();
      log(`[mvn] ${line}`);
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.on('error', (err) => reject(new Error(`cannot run mvn: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`mvn ${args.join(' ')} failed (exit ${String(code)}):\n${lastLines.join('\n')}`));
    });
  });
}

/** Builds target/ with Maven unless it is up to date. Returns the runtime classpath. */
export async function ensureLauncherBuilt(log: (line: string) => void = defaultLog): Promise<string[]> {
  if (!buildIsFresh()) {
    await withBuildLock(log, async () => {
      if (buildIsFresh()) return; // another process built it while we waited
      const sourcesMtimeMs = newestSourceMtime();
      const t0 = Date.now();
      log('neo4j-server: building the Neo4j launcher with Maven (the first run downloads Neo4j from Maven Central)');
      await runMaven(log);
      writeFileSync(STAMP_FILE, JSON.stringify({ sourcesMtimeMs, builtAt: new Date().toISOString() }));
      log(`neo4j-server: launcher built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    });
  }
  return [CLASSES, ...readClasspath()];
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // The JVM also exits by itself when its stdin (a pipe from this process) closes, which covers this process
  // dying from a signal or SIGKILL, when 'exit' handlers do not run.
  process.on('exit', () => {
    for (const child of live) {
      try {
        child.kill('SIGTERM');
      } catch {
        // already gone
      }
    }
  });
}

function unrefStream(stream: unknown): void {
  (stream as { unref?: () => void } | null)?.unref?.();
}

function refStream(stream: unknown): void {
  (stream as { ref?: () => void } | null)?.ref?.();
}

interface Launched {
  child: ChildProcess;
  version: string;
  port: number;
  lastLines: string[];
  exited: Promise<void>;
  stopping: { value: boolean };
}

function extraJavaOpts(): string[] {
  return (process.env.NEO4J_JAVA_OPTS ?? '').split(/\s+/).filter((s) => s.length > 0);
}

function launch(
  classpath: string[],
  port: number,
  dataDir: string,
  password: string | undefined,
  log: (line: string) => void,
  timeoutMs: number,
  onExit: StartNeo4jOptions['onExit'],
  transactionMemoryMax?: string,
): Promise<Launched> {
  installExitHook();
  const env: NodeJS.ProcessEnv = { ...process.env, CLASSPATH: classpath.join(delimiter) };
  delete env.NEO4J_PASSWORD;
  env.NEO4J_BOLT_PORT = String(port);
  env.NEO4J_DATA_DIR = dataDir;
  if (password !== undefined) env.NEO4J_PASSWORD = password;
  if (transactionMemoryMax !== undefined) env.NEO4J_TX_MEMORY_MAX = transactionMemoryMax;

  const child = spawn(javaCommand(), [...NEO4J_JVM_OPTIONS, ...extraJavaOpts(), MAIN_CLASS, '--exit-on-stdin-eof'], {
    cwd: HERE,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    // Own process group: a terminal's Ctrl-C reaches only the node process, which stops the JVM itself.
    detached: process.platform !== 'win32',
  });
  live.add(child);
  const lastLines: string[] = [];
  const remember = (line: string): void => {
    lastLines.push(line);
    if (lastLines.length > KEEP_LINES) lastLines.shift();
  };
  const stopping = { value: false };
  let ready = false;
  const exited = new Promise<void>((r) => {
    child.on('exit', (code, signal) => {
      live.delete(child);
      if (ready && !stopping.value && onExit) onExit({ code, signal, lastLines: [...lastLines] });
      r();
    });
  });

  return new Promise<Launched>((resolvePromise, reject) => {
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopping.value = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      const tail = lastLines.length ? `\n--- last lines of the Neo4j process output ---\n${lastLines.join('\n')}` : '';
      reject(new Error(`${message}${tail}`));
    };
    const timer = setTimeout(
      () => fail(`Neo4j did not print its ready line within ${Math.round(timeoutMs / 1000)} s (port ${port}, data ${dataDir})`),
      timeoutMs,
    );
    child.on('error', (err) => fail(`cannot start java: ${err.message}`));
    child.on('exit', (code, signal) =>
      fail(`Neo4j exited before it was ready (code ${String(code)}, signal ${String(signal)}; port ${port}, data ${dataDir})`),
    );
    createInterface({ input: child.stderr! }).on('line', (line) => {
      remember(line);
      log(`[neo4j] ${line}`);
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      remember(line);
      const m = READY.exec(line.trim());
      if (!m || settled) {
        if (!m) log(`[neo4j] ${line}`);
        return;
      }
      settled = true;
      ready = true;
      clearTimeout(timer);
      // Do not keep the event loop alive just for the JVM: if the owner forgets stop(), its 'exit' hook and the
      // closing stdin pipe still end the JVM.
      child.unref();
      unrefStream(child.stdin);
      unrefStream(child.stdout);
      unrefStream(child.stderr);
      resolvePromise({ child, version: m[1]!, port: Number(m[2]), lastLines, exited, stopping });
    });
  });
}

async function terminate(l: Launched, log: (line: string) => void): Promise<void> {
  l.stopping.value = true;
  const { child } = l;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.ref();
  refStream(child.stdout);
  refStream(child.stderr);
  child.kill('SIGTERM');
  let killTimer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((r) => {
    killTimer = setTimeout(() => {
      log(`neo4j-server: Neo4j (pid ${String(child.pid)}) did not stop within ${STOP_GRACE_MS / 1000} s after SIGTERM; sending SIGKILL`);
      child.kill('SIGKILL');
      r();
    }, STOP_GRACE_MS);
  });
  await Promise.race([l.exited, killed]);
  await l.exited;
  clearTimeout(killTimer);
}

export async function startNeo4j(opts: StartNeo4jOptions = {}): Promise<RunningNeo4j> {
  const log = opts.log ?? defaultLog;
  const avail = neo4jAvailability();
  if (!avail.ok) throw new Error(`Neo4j cannot be started here: ${avail.reason ?? 'unknown reason'}`);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const ownsDataDir = opts.dataDir === undefined;
  const dataDir = ownsDataDir ? mkdtempSync(join(tmpdir(), 'neo4j-data-')) : resolve(opts.dataDir!);
  const password = opts.password === '' ? undefined : opts.password;

  let current: Launched;
  try {
    const classpath = await ensureLauncherBuilt(log);
    current = await launch(classpath, opts.port ?? 0, dataDir, password, log, timeoutMs, opts.onExit, opts.transactionMemoryMax);
  } catch (e) {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const port = current.port;
  let stopped = false;

  const server: RunningNeo4j = {
    uri: `bolt://127.0.0.1:${port}`,
    port,
    version: current.version,
    dataDir,
    ...(password !== undefined ? { password } : {}),
    async stop() {
      if (stopped) return;
      stopped = true;
      await terminate(current, log);
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async restart() {
      if (stopped) throw new Error('restart() after stop()');
      await terminate(current, log);
      const classpath = await ensureLauncherBuilt(log);
      current = await launch(classpath, port, dataDir, password, log, timeoutMs, opts.onExit, opts.transactionMemoryMax);
      server.version = current.version;
    },
  };
  return server;
}
