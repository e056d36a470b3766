/**
 * Debian's Chromium, headless, driven over the DevTools protocol by puppeteer-core: for tests that open our pages in
 * a real browser. Tests skip with `CHROMIUM_MISSING` as their reason when /usr/bin/chromium is not installed.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import type { Browser } from 'puppeteer-core';
import { repoRoot } from './reference.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_MISSING: string | false = existsSync(CHROMIUM_PATH) ? false : `${CHROMIUM_PATH} is not installed (apt-get install -y chromium)`;

/** Where tests keep screenshots (git-ignored; CI keeps them as artifacts). */
export function artifactsDir(): string {
  const dir = join(repoRoot, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'hf-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
