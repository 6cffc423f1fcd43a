/**
 * `npm run test:load` (not part of `npm test`): the real server as a child process (seeded embedded store in a
 * fresh DATA_DIR, EDITOR_TOKENS set), autocannon on loopback with LOAD_CONNECTIONS (50) connections for
 * LOAD_SECONDS (60) s, a mix of English and Khmer searches, neighbour expansions, node reads, lineage, and writes as
 * an editor (new nodes, and links to them). Every answer must be the 2xx its kind expects: any other status, any
 * socket error and any timeout is an error, and so is an acknowledged write missing afterwards. Prints throughput,
 * p50/p99 (overall and per kind) and the counts; exits non-zero on any error.
 *
 *   LOAD_SECONDS=10 npm run test:load
 */
import fs from 'node:fs';
import autocannon from 'autocannon';
import { startServer } from '../support/server-process.ts';
import { tempDir } from '../support/temp-dir.ts';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 50);
const TIMEOUT_S = Number(process.env.LOAD_TIMEOUT_S ?? 10);
const TOKEN = 'load-editor-token-0123456789abcdef';

/** The mix, by weight. */
const MIX = [
  ['search-en', 22],
  ['search-km', 18],
  ['neighbours', 22],
  ['node', 10],
  ['lineage', 13],
  ['create-node', 10],
  ['create-link', 5],
] as const;
type Kind = (typeof MIX)[number][0];
const EXPECTED: Record<Kind, number> = { 'search-en': 200, 'search-km': 200, neighbours: 200, node: 200, lineage: 200, 'create-node': 201, 'create-link': 201 };

const ENGLISH = ['dar', 'civil service', 'decentralisation', 'GIZ', 'Battambang', 'administrative reform', 'EU', 'district', 'service delivery', 'NCDD', 'ministry interior', 'sub-national'];
const KHMER = ['មុខងារសាធារណៈ', 'បាត់ដំបង', 'កម្មវិធី', 'ក្រសួង', 'វិមជ្ឈការ', 'កំណែទម្រង់', 'រដ្ឋបាល', 'ស្រុក'];

interface Sample {
  kind: Kind;
  started: bigint;
  id?: string;
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

function pickKind(): Kind {
  const total = MIX.reduce((sum, [, w]) => sum + w, 0);
  let r = Math.random() * total;
  for (const [kind, weight] of MIX) if ((r -= weight) < 0) return kind;
  return MIX[0][0];
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const dataDir = tempDir('dar-kg-load-');
const server = await startServer({ DATA_DIR: dataDir, EDITOR_TOKENS: `load:${TOKEN}`, WRITE_RATE_LIMIT: '1000000', READ_RATE_LIMIT: '1000000' }, 120_000);
let exitCode = 0;
try {
  const exported = (await (await fetch(`${server.url}/api/export?format=json`)).json()) as { nodes: { id: string; label: string }[] };
  const nodeIds = exported.nodes.map((n) => n.id);
  const programmes = exported.nodes.filter((n) => n.label === 'Programme').map((n) => n.id);
  console.log(`load: server at ${server.url} (pid ${server.child.pid}), ${nodeIds.length} nodes; ${CONNECTIONS} connections for ${SECONDS} s`);

  let sequence = 0;
  /** Topics created and acknowledged that no link points to yet: each gets one link. */
  const unlinked: string[] = [];
  const createdNodes: string[] = [];
  const createdLinks: string[] = [];
  const byKind = new Map<Kind, { statuses: Map<number, number>; ms: number[] }>(MIX.map(([k]) => [k, { statuses: new Map(), ms: [] }]));
  const unexpected: string[] = [];
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

  const instance = autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: SECONDS,
    timeout: TIMEOUT_S,
    requests: [
      {
        setupRequest: (req, context) => {
          let kind = pickKind();
          if (kind === 'create-link' && unlinked.length === 0) kind = 'create-node';
          const sample: Sample = { kind, started: process.hrtime.bigint() };
          (context as { sample?: Sample }).sample = sample;
          switch (kind) {
            case 'search-en':
              return { ...req, method: 'GET', path: `/api/search?q=${encodeURIComponent(pick(ENGLISH))}&limit=10`, headers: {}, body: Buffer.alloc(0) };
            case 'search-km':
              return { ...req, method: 'GET', path: `/api/search?q=${encodeURIComponent(pick(KHMER))}&limit=10`, headers: {}, body: Buffer.alloc(0) };
            case 'neighbours':
              return { ...req, method: 'GET', path: `/api/nodes/${pick(nodeIds)}/neighbours?limit=50`, headers: {}, body: Buffer.alloc(0) };
            case 'node':
              return { ...req, method: 'GET', path: `/api/nodes/${pick(nodeIds)}`, headers: {}, body: Buffer.alloc(0) };
            case 'lineage':
              return { ...req, method: 'GET', path: `/api/lineage/${pick(programmes)}`, headers: {}, body: Buffer.alloc(0) };
            case 'create-node': {
              const n = ++sequence;
              sample.id = `load-topic-${process.pid}-${n}`;
              const body = { id: sample.id, label: 'Topic', name_en: `Load topic ${n}`, name_km: `ប្រធានបទសាកល្បង ${n}` };
              return { ...req, method: 'POST', path: '/api/nodes', headers: { ...headers }, body: JSON.stringify(body) };
            }
            case 'create-link': {
              const to = unlinked.shift()!;
              sample.id = `load-link-${to}`;
              const body = { id: sample.id, type: 'ABOUT', from: pick(programmes), to, sources: [`https://example.org/load/${to}`] };
              return { ...req, method: 'POST', path: '/api/links', headers: { ...headers }, body: JSON.stringify(body) };
            }
          }
        },
        onResponse: (status, body, context) => {
          const sample = (context as { sample?: Sample }).sample;
          if (!sample) return;
          const stats = byKind.get(sample.kind)!;
          stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);
          stats.ms.push(Number(process.hrtime.bigint() - sample.started) / 1e6);
          if (status !== EXPECTED[sample.kind]) {
            if (unexpected.length < 10) unexpected.push(`${sample.kind} → ${status} ${String(body).slice(0, 200)}`);
            return;
          }
          if (sample.kind === 'create-node') {
            createdNodes.push(sample.id!);
            unlinked.push(sample.id!);
          }
          if (sample.kind === 'create-link') createdLinks.push(sample.id!);
        },
      },
    ],
  });
  const result = await instance;

  // Every acknowledged write is there, and the server still answers.
  const after = (await (await fetch(`${server.url}/api/export?format=json`)).json()) as { nodes: { id: string }[]; links: { id: string }[] };
  const nodesNow = new Set(after.nodes.map((n) => n.id));
  const linksNow = new Set(after.links.map((l) => l.id));
  const missing = [...createdNodes.filter((id) => !nodesNow.has(id)), ...createdLinks.filter((id) => !linksNow.has(id))];
  const health = await fetch(`${server.url}/api/health`);

  let wrong = 0;
  for (const [kind, stats] of byKind) for (const [status, n] of stats.statuses) if (status !== EXPECTED[kind]) wrong += n;
  console.log('');
  console.log(`load: ${result.requests.total} requests in ${result.duration} s over ${result.connections} connections: ${result.requests.average.toFixed(0)} req/s on average (min ${result.requests.min}, max ${result.requests.max} a second)`);
  console.log(`load: latency p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
  console.log(`load: errors ${result.errors}, timeouts ${result.timeouts}, resets ${result.resets}, non-2xx ${result.non2xx}, answers other than expected ${wrong}`);
  console.log('load: per kind        answered   p50 ms   p99 ms   statuses');
  for (const [kind, stats] of byKind) {
    const sorted = [...stats.ms].sort((a, b) => a - b);
    const statuses = [...stats.statuses].map(([s, n]) => `${s}: ${n}`).join(', ');
    console.log(`load:   ${kind.padEnd(16)} ${String(stats.ms.length).padStart(8)} ${percentile(sorted, 50).toFixed(1).padStart(8)} ${percentile(sorted, 99).toFixed(1).padStart(8)}   ${statuses}`);
  }
  console.log(`load: writes acknowledged: ${createdNodes.length} nodes, ${createdLinks.length} links; missing afterwards: ${missing.length}; health after: ${health.status}`);
  for (const line of unexpected) console.log(`load: unexpected: ${line}`);

  const failed = result.errors > 0 || result.timeouts > 0 || wrong > 0 || missing.length > 0 || health.status !== 200;
  console.log(failed ? 'load: FAIL' : 'load: PASS (0 errors, 0 timeouts, every answer as expected, every acknowledged write present)');
  if (failed) exitCode = 1;
} catch (error) {
  console.error('load: FAIL', error);
  exitCode = 1;
} finally {
  await server.kill('SIGTERM');
  if (exitCode === 0) fs.rmSync(dataDir, { recursive: true, force: true });
  else console.log(`load: DATA_DIR kept at ${dataDir}; server output:\n${server.output().slice(-3000)}`);
}
process.exit(exitCode);
