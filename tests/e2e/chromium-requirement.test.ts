/**
 * The end-to-end half's requirement: a Chromium to drive. Found: it is checked to start. Not found: vitest.config.ts
 * has left the e2e files out with a banner, and with REQUIRE_E2E=1 (CI) this file fails the run with the reason.
 */
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eRequired, findChromium } from '../support/chromium.ts';
import { CHROMIUM_ARGS } from './e2e-support.ts';

const lookup = findChromium();

describe('the end-to-end half', () => {
  if (lookup.path) {
    it(`starts the Chromium it found (${lookup.path})`, async () => {
      const browser = await chromium.launch({ executablePath: lookup.path, args: CHROMIUM_ARGS });
      try {
        expect(browser.version()).toMatch(/^\d+\./);
      } finally {
        await browser.close();
      }
    });
  } else if (e2eRequired()) {
    it('needs a Chromium, which cannot be found here (REQUIRE_E2E=1)', () => {
      throw new Error(`REQUIRE_E2E=1 but ${lookup.reason}`);
    });
  }

  it('finds CHROMIUM_PATH when it is set, and names it when it does not exist', () => {
    expect(findChromium({ CHROMIUM_PATH: process.execPath }).path).toBe(process.execPath);
    const missing = findChromium({ CHROMIUM_PATH: '/nowhere/chromium' });
    expect(missing.path).toBeUndefined();
    expect(missing.reason).toContain('/nowhere/chromium');
  });
});
