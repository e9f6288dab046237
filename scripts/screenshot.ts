// npm run screenshot — regenerates docs/screenshot-inspect.png (the README's picture) from a running
// gridlink in Debian's Chromium.
import path from 'node:path';
import { repoRoot } from '../server/config.ts';
import { launchBrowser } from '../tests/helpers/browser.ts';
import { startToolInstance } from './tool-instance.ts';

const out = path.join(repoRoot, 'docs', 'screenshot-inspect.png');
const { running } = await startToolInstance('screenshot');
const browser = await launchBrowser({ width: 1600, height: 1000 });
try {
  const page = await browser.context.newPage();
  await page.goto(`${running.url}/inspect`);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
  await page.screenshot({ path: out });
  console.log(`wrote ${path.relative(repoRoot, out)}`);
} finally {
  await browser.close();
  await running.stop();
}
