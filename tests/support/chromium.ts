/**
 * Where the end-to-end half finds a Chromium: `CHROMIUM_PATH`, then the usual places of Debian, Ubuntu, Fedora,
 * macOS and Windows, then Playwright's own browser cache. Without one, the e2e files are left out loudly (see
 * vitest.config.ts) — and with REQUIRE_E2E=1 (as .ci/run sets it) that is a failure, like REQUIRE_NEO4J=1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const USUAL_PLACES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

/** Executables inside Playwright's cache (PLAYWRIGHT_BROWSERS_PATH or its default per platform), newest first. */
function playwrightCache(): string[] {
  const home = os.homedir();
  const roots = [
    process.env.PLAYWRIGHT_BROWSERS_PATH,
    path.join(home, '.cache', 'ms-playwright'),
    path.join(home, 'Library', 'Caches', 'ms-playwright'),
    process.env.LOCALAPPDATA ? path.join(process.env.LOCALAPPDATA, 'ms-playwright') : undefined,
  ].filter((r): r is string => Boolean(r) && r !== '0');
  const found: string[] = [];
  for (const root of roots) {
    let entries: string[];
    try {
      entries = fs.readdirSync(root).filter((e) => /^chromium(_headless_shell)?-\d+$/.test(e));
    } catch {
      continue;
    }
    entries.sort((a, b) => Number(b.split('-').pop()) - Number(a.split('-').pop()));
    for (const entry of entries) {
      for (const exe of ['chrome-linux/chrome', 'chrome-linux/headless_shell', 'chrome-headless-shell-linux64/chrome-headless-shell', 'chrome-mac/Chromium.app/Contents/MacOS/Chromium', 'chrome-win/chrome.exe']) {
        found.push(path.join(root, entry, exe));
      }
    }
  }
  return found;
}

export interface ChromiumLookup {
  /** The executable to launch, when one was found. */
  path?: string;
  /** Why none was found (the places looked at). */
  reason?: string;
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const named = env.CHROMIUM_PATH;
  if (named) {
    return fs.existsSync(named) ? { path: named } : { reason: `CHROMIUM_PATH=${named} does not exist` };
  }
  const candidates = [...USUAL_PLACES, ...playwrightCache()];
  const hit = candidates.find((c) => {
    try {
      return fs.statSync(c).isFile();
    } catch {
      return false;
    }
  });
  if (hit) return { path: hit };
  return { reason: `no Chromium found (set CHROMIUM_PATH; looked in ${USUAL_PLACES.slice(0, 4).join(', ')}, … and Playwright's cache)` };
}

/** CI sets REQUIRE_E2E=1: there an e2e half that cannot run is a failure, never a silent pass. */
export const e2eRequired = () => process.env.REQUIRE_E2E === '1';
