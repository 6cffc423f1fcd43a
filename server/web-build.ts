/** `npm start` builds the explorer when web/dist is missing or older than its sources. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIST = path.join(ROOT, 'web', 'dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

export function webBuildIsCurrent(): boolean {
  const index = path.join(WEB_DIST, 'index.html');
  if (!fs.existsSync(index)) return false;
  const built = fs.statSync(index).mtimeMs;
  const sources = [path.join(ROOT, 'web', 'src'), path.join(ROOT, 'web', 'public'), path.join(ROOT, 'server', 'schema'), path.join(ROOT, 'server', 'geo', 'shapes')].filter((d) => fs.existsSync(d));
  const inputs = [path.join(ROOT, 'web', 'index.html'), path.join(ROOT, 'web', 'vite.config.ts')].filter((f) =>
    fs.existsSync(f),
  );
  const newest = Math.max(...sources.map(newestMtime), ...inputs.map((f) => fs.statSync(f).mtimeMs));
  return built >= newest;
}

export async function buildWeb(log: (line: string) => void): Promise<void> {
  log('building the explorer (web/dist) …');
  const started = Date.now();
  const vite = await import('vite');
  await vite.build({ configFile: path.join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
  log(`built the explorer in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
