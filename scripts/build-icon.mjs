// Renders images/icon.svg into images/icon.png (256 x 256, transparent corners) with Debian's
// Chromium through playwright-core. Run it after changing the SVG: node scripts/build-icon.mjs
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync('images/icon.svg', 'utf8');
const browser = await chromium.launch({ executablePath: process.env.KQL_HUNT_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 256, height: 256 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: 'images/icon.png', omitBackground: true });
  console.log('Wrote images/icon.png');
} finally {
  await browser.close();
}
