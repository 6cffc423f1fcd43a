/**
 * `npm run import -- <file> [--apply]`: a dry run of an import (IATI XML, JSON export or seed CSV) unless
 * --apply. When a running server owns DATA_DIR, the file goes to that server's POST /api/import with an editor
 * token (DAR_TOKEN), or the CLI says exactly how to send it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { DomainError } from '../domain/errors.ts';
import { lockHolder } from '../store/embedded/data-dir.ts';
import { openStore } from '../store/open-store.ts';
import { applyImport, planImport, type ImportPlan } from './import.service.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);

function usage(): never {
  log('usage: npm run import -- <file.xml|file.json|file.csv> [--apply] [--server http://127.0.0.1:8080]');
  log('  dry run unless --apply; DAR_TOKEN=<editor token> when a server is running');
  process.exit(64);
}

function printPlan(plan: ImportPlan): void {
  const c = plan.counts;
  console.log(`${plan.file} (${plan.format}${plan.activities !== undefined ? `, ${plan.activities} activities` : ''}):`);
  console.log(`  ${c.created} to create, ${c.updated} to update, ${c.unchanged} unchanged, ${c.conflicts} conflicts`);
  if (plan.samples.created.length) console.log(`  create: ${plan.samples.created.join(', ')}${c.created > plan.samples.created.length ? ', …' : ''}`);
  if (plan.samples.updated.length) console.log(`  update: ${plan.samples.updated.join(', ')}${c.updated > plan.samples.updated.length ? ', …' : ''}`);
  for (const conflict of plan.samples.conflicts) console.log(`  conflict: ${conflict.message}`);
  const skipped = Object.entries(plan.skipped);
  if (skipped.length) console.log(`  skipped: ${skipped.map(([what, n]) => `${what} ×${n}`).join(', ')}`);
  const kept = Object.entries(plan.kept ?? {});
  if (kept.length) console.log(`  kept, flagged: ${kept.map(([what, n]) => `${what} ×${n}`).join(', ')}`);
  if (plan.englishFallbacks) console.log(`  ${plan.englishFallbacks} areas have no Latin name in the source (name_en repeats the Khmer name)`);
  if (plan.khmerFallbacks) console.log(`  ${plan.khmerFallbacks} imported names have no Khmer yet (name_km repeats another language)`);
}

async function viaServer(server: string, file: string, bytes: Buffer, apply: boolean): Promise<number> {
  const token = process.env.DAR_TOKEN;
  if (!token) {
    log(`A running server owns DATA_DIR. Send the file to it with an editor token:`);
    log(`  DAR_TOKEN=<editor token> npm run import -- ${file}${apply ? ' --apply' : ''} --server ${server}`);
    log(`or stop the server and run this command again.`);
    return 2;
  }
  const url = `${server.replace(/\/$/, '')}/api/import?filename=${encodeURIComponent(path.basename(file))}${apply ? '&apply=true' : ''}`;
  log(`sending ${path.basename(file)} (${(bytes.length / 1024).toFixed(0)} kB) to ${url} …`);
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body: bytes });
  const body = (await res.json().catch(() => ({}))) as { plan?: ImportPlan; result?: unknown; error?: { message: string } };
  if (!res.ok) {
    log(`import failed (${res.status}): ${body.error?.message ?? res.statusText}`);
    return 1;
  }
  if (body.plan) printPlan(body.plan);
  if (body.result) console.log(`applied: ${JSON.stringify(body.result)}`);
  return 0;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--server');
  if (!file) usage();
  const apply = args.includes('--apply');
  const serverFlag = args.indexOf('--server');
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    log(`cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  const config = loadConfig();
  const server = serverFlag >= 0 ? args[serverFlag + 1] : undefined;
  if (server || (!config.neo4j && lockHolder(config.dataDir) !== undefined)) {
    return viaServer(server ?? process.env.DAR_SERVER ?? `http://127.0.0.1:${config.port}`, file, bytes, apply);
  }
  const store = await openStore(config, log);
  try {
    log(`reading ${file} (${(bytes.length / 1024).toFixed(0)} kB) and comparing it with the ${store.kind} store …`);
    const started = performance.now();
    const plan = await planImport(store, { file: path.basename(file), bytes }, config.importMaxBytes);
    printPlan(plan);
    if (!apply) {
      console.log('dry run: nothing written (add --apply to import)');
      return plan.counts.conflicts > 0 ? 2 : 0;
    }
    log('applying …');
    const result = await applyImport(store, plan, { name: process.env.DAR_EDITOR ?? 'import-cli' });
    console.log(`applied in ${((performance.now() - started) / 1000).toFixed(2)} s: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged`);
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`import failed: ${error instanceof DomainError ? error.message : (error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
