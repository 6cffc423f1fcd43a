/**
 * README "Use the data from Python and R": the snippets are real files (tests/python/*.py, tests/r/*.R), run here
 * against a real server on the seed, each printing its counts as a last JSON line, which must match /api/stats.
 *
 * Python: DAR_PYTHON, else the project's .venv (made by .ci/run: `python3 -m venv .venv && .venv/bin/pip install -r
 * tests/python/requirements.txt`), else python3; R: Rscript with the igraph package (Debian: r-base-core,
 * r-cran-igraph). Without one of them its snippets are not run, said loudly here (a banner and a skipped test that
 * names why); with REQUIRE_PYTHON=1 / REQUIRE_R=1 (as .ci/run sets them) that is a failure.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/seed-fixture.ts';
import { startServer, type ServerProcess } from '../support/server-process.ts';
import { tempDir } from '../support/temp-dir.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : -1) : 0;
      resolve({ code, stdout, stderr: stderr || (error && code === -1 ? error.message : '') });
    });
  });
}

/** The Python to run the snippets with, or why there is none. */
async function findPython(): Promise<{ python?: string; reason: string }> {
  const venv = path.join(ROOT, '.venv', process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
  const candidates = process.env.DAR_PYTHON ? [process.env.DAR_PYTHON] : [...(fs.existsSync(venv) ? [venv] : []), 'python3'];
  const reasons: string[] = [];
  for (const python of candidates) {
    const check = await run(python, ['-c', 'import networkx, pandas, igraph']);
    if (check.code === 0) return { python, reason: '' };
    reasons.push(`${python}: ${(check.stderr.trim().split('\n').at(-1) ?? '') || `exit ${check.code}`}`);
  }
  return { reason: `no Python with networkx, pandas and igraph (${reasons.join('; ')}); run: python3 -m venv .venv && .venv/bin/pip install -r tests/python/requirements.txt` };
}

async function findR(): Promise<{ rscript?: string; reason: string }> {
  const rscript = process.env.DAR_RSCRIPT ?? 'Rscript';
  const check = await run(rscript, ['-e', 'suppressPackageStartupMessages(library(igraph))']);
  if (check.code === 0) return { rscript, reason: '' };
  return { reason: `no Rscript with the igraph package (${rscript}: ${(check.stderr.trim().split('\n').at(-1) ?? '') || `exit ${check.code}`}); on Debian: apt-get install r-base-core r-cran-igraph` };
}

function loudly(what: string, reason: string, required: boolean): void {
  const banner = `!!! ${what} snippets of the README NOT RUN: ${reason}${required ? ' (required here: this fails the run)' : ''} !!!`;
  console.warn(`\n${'!'.repeat(Math.min(banner.length, 160))}\n${banner}\n${'!'.repeat(Math.min(banner.length, 160))}\n`);
}

const [pythonLookup, rLookup] = await Promise.all([findPython(), findR()]);
const pythonRequired = process.env.REQUIRE_PYTHON === '1';
const rRequired = process.env.REQUIRE_R === '1';
if (!pythonLookup.python) loudly('Python', pythonLookup.reason, pythonRequired);
if (!rLookup.rscript) loudly('R', rLookup.reason, rRequired);

const PYTHON_SNIPPETS = ['networkx_graphml.py', 'pandas_csv.py', 'igraph_json.py'];
const R_SNIPPETS = ['igraph_csv.R'];

describe('README "Use the data from Python and R": the snippets on a real server', () => {
  let server: ServerProcess | undefined;
  let dataDir: string | undefined;
  let expected: { nodes: number; links: number; programmes: number };

  beforeAll(async () => {
    if (!pythonLookup.python && !rLookup.rscript) return;
    dataDir = tempDir('dar-kg-python-r-');
    server = await startServer({ DATA_DIR: dataDir }, 120_000);
    const stats = (await (await fetch(`${server.url}/api/stats`)).json()) as { nodes: Record<string, number>; links: Record<string, number> };
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expected = { nodes: sum(stats.nodes), links: sum(stats.links), programmes: stats.nodes.Programme ?? 0 };
    expect(expected.programmes).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await server?.kill('SIGTERM');
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const lastJson = (result: Run): Record<string, number> => {
    const line = result.stdout.trim().split('\n').at(-1) ?? '';
    try {
      return JSON.parse(line) as Record<string, number>;
    } catch {
      throw new Error(`no JSON counts at the end of the output (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
    }
  };

  for (const file of PYTHON_SNIPPETS) {
    const title = `tests/python/${file} reads the export with every node and link`;
    if (pythonLookup.python) {
      it(title, async () => {
        const result = await run(pythonLookup.python!, [path.join('tests', 'python', file)], { DAR_URL: server!.url });
        expect(result.code, result.stderr).toBe(0);
        const counts = lastJson(result);
        expect(counts).toMatchObject(expected);
        if ('graph_links' in counts) expect(counts.graph_links).toBe(expected.links);
      }, 120_000);
    } else if (pythonRequired) {
      it(title, () => {
        throw new Error(`REQUIRE_PYTHON=1 but ${pythonLookup.reason}`);
      });
    } else {
      it(`${title} — NOT RUN: ${pythonLookup.reason}`, (ctx) => ctx.skip());
    }
  }

  for (const file of R_SNIPPETS) {
    const title = `tests/r/${file} reads the export with every node and link`;
    if (rLookup.rscript) {
      it(title, async () => {
        const result = await run(rLookup.rscript!, [path.join('tests', 'r', file)], { DAR_URL: server!.url });
        expect(result.code, result.stderr).toBe(0);
        expect(lastJson(result)).toMatchObject(expected);
      }, 120_000);
    } else if (rRequired) {
      it(title, () => {
        throw new Error(`REQUIRE_R=1 but ${rLookup.reason}`);
      });
    } else {
      it(`${title} — NOT RUN: ${rLookup.reason}`, (ctx) => ctx.skip());
    }
  }

  it('the README shows each snippet as it is in its file', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const file of [...PYTHON_SNIPPETS.map((f) => path.join('tests', 'python', f)), ...R_SNIPPETS.map((f) => path.join('tests', 'r', f))]) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      const snippet = /# --- the README snippet ---\n([\s\S]*?)# --- end ---/.exec(text)?.[1];
      expect(snippet, `${file} marks its README snippet`).toBeTruthy();
      expect(readme, `README holds the snippet of ${file}`).toContain(snippet!.trimEnd());
    }
  });
});
