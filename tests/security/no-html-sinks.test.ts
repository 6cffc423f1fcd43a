/**
 * The explorer never turns data into markup: Svelte escapes every `{expression}`, so the only ways a name could
 * become HTML are `{@html}` and the DOM's own HTML sinks. None may appear in web/ (the browser test
 * tests/e2e/xss.e2e.test.ts checks the result in Chromium). If one is ever needed, sanitise there and list the
 * file here with the reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/seed-fixture.ts';

const WEB = path.join(ROOT, 'web');
const SOURCES = /\.(svelte|ts|js|mjs|html)$/;

/** Sinks that parse a string as HTML or run it as code. */
const SINKS: [string, RegExp][] = [
  ['{@html}', /\{@html\b/],
  ['innerHTML / outerHTML', /\.(inner|outer)HTML\b/],
  ['insertAdjacentHTML', /\binsertAdjacentHTML\b/],
  ['document.write', /\bdocument\.write(ln)?\s*\(/],
  ['createContextualFragment', /\bcreateContextualFragment\b/],
  ['srcdoc', /\bsrcdoc\b/],
  ['eval', /(^|[^.\w])eval\s*\(/],
  ['new Function', /\bnew\s+Function\s*\(/],
  ['string timers', /\bset(Timeout|Interval)\s*\(\s*['"`]/],
];

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : files(full);
    return SOURCES.test(entry.name) ? [full] : [];
  });
}

describe('the explorer has no HTML sinks', () => {
  const sources = [...files(path.join(WEB, 'src')), path.join(WEB, 'index.html')].filter((f) => fs.existsSync(f));

  it('finds the explorer sources', () => {
    expect(sources.some((f) => f.endsWith('.svelte'))).toBe(true);
  });

  it.each(SINKS)('no %s in web/src', (_name, pattern) => {
    const hits: string[] = [];
    for (const file of sources) {
      fs.readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (pattern.test(line)) hits.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });
});
