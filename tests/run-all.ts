/**
 * `npm test`: typecheck, build the explorer, then every vitest tier (unit, contract on each store, API,
 * durability, end-to-end). Ends with one line: "N passed, N failed" (", N skipped" when any were).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = path.join(root, 'tests', 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];

function run(name: string, command: string, args: string[]): boolean {
  console.log(`\n▶ ${name}: ${path.basename(command)} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  const ok = result.status === 0;
  console.log(`${ok ? '✓' : '✗'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

/** A whole command counted as one check. */
function check(name: string, command: string, args: string[]): void {
  if (run(name, command, args)) passed++;
  else {
    failed++;
    failures.push(name);
  }
}

check('typecheck (tsc)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
check('typecheck (svelte-check)', bin('svelte-check'), ['--tsconfig', 'web/tsconfig.json', '--fail-on-warnings', '--output', 'human']);
check('build the explorer', bin('vite'), ['build', '--config', 'web/vite.config.ts']);

// Vitest: every test counted on its own.
const report = path.join(artifacts, 'vitest-report.json');
fs.rmSync(report, { force: true });
const vitestOk = run('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);
if (fs.existsSync(report)) {
  const json = JSON.parse(fs.readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults: { name: string; status: string; message?: string; assertionResults: { status: string; fullName: string }[] }[];
  };
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  skipped += json.numPendingTests + json.numTodoTests;
  for (const file of json.testResults) {
    const rel = path.relative(root, file.name);
    for (const t of file.assertionResults) if (t.status === 'failed') failures.push(`${rel} › ${t.fullName}`);
    if (file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed')) {
      // A file that failed outside its tests (import error, failing hook): one failure of its own.
      failed++;
      failures.push(`${rel}: ${file.message?.split('\n')[0] ?? 'failed outside its tests'}`);
    }
  }
}
if (!vitestOk && failed === 0) {
  failed++;
  failures.push('vitest exited with an error and no failing test was reported');
}

if (failures.length > 0) {
  console.log('\nFailed:');
  for (const f of failures) console.log(`  ✗ ${f}`);
}
console.log(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
