// npm run soak:wall -- --minutes N [--rate R] [--drop-every M] — a wall left running under accelerated load:
// R issue events a second (default 5) are notified through the server (NOTIFY → SSE → ticker, pulses, heat,
// refetched figures) while /wall tours in Chromium, and the stream is cut every M minutes (default 5) to
// exercise reconnection. Prints the JS heap (after a forced GC) over time, the level after the first 10
// minutes (or the first quarter of a shorter run) against the end, events sent and received, reconnects.
import { parseArgs } from 'node:util';
import { launchBrowser } from '../../tests/helpers/browser.ts';
import { ISSUES_CHANNEL } from '../../server/db/notify-channels.ts';
import { startToolInstance } from '../tool-instance.ts';

const TARGET_GROWTH = 0.2;
const STATES = ['reported', 'accepted', 'filed', 'dispatched', 'signed', 'handling', 'feedback', 'closed'];

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '120' },
    rate: { type: 'string', default: '5' },
    'drop-every': { type: 'string', default: '5' },
  },
});
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const dropEvery = Number(values['drop-every']);
if (!(minutes > 0) || !(rate > 0) || !(dropEvery > 0)) {
  console.error('usage: npm run soak:wall -- --minutes N [--rate events-per-second] [--drop-every minutes]');
  process.exit(2);
}
const durationMs = minutes * 60_000;
const baselineMs = Math.min(10 * 60_000, durationMs / 4);
const sampleMs = Math.max(5000, Math.min(60_000, durationMs / 40));

const { running, countyCode } = await startToolInstance('soak');
const browser = await launchBrowser({ width: 1920, height: 1080 });
const timers: NodeJS.Timeout[] = [];
try {
  const ids = (
    await running.pool.query<{ id: number }>('select id::int as id from issues where county_code = $1 order by id', [
      countyCode,
    ])
  ).rows.map((r) => r.id);
  if (ids.length === 0) throw new Error('no issues to notify about: load the demo history first (npm run db:reset)');
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${running.url}/wall?lang=zh&tour=20`);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 300_000 });
  await page.waitForSelector('[data-testid="wall"][data-stream="live"]', { timeout: 60_000 });
  const cdp = await browser.context.newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };

  const started = Date.now();
  let sent = 0;
  let reconnects = 0;
  let lastStream = 'live';
  timers.push(
    setInterval(() => {
      const id = ids[Math.floor(Math.random() * ids.length)];
      const state = STATES[Math.floor(Math.random() * STATES.length)];
      sent++;
      void running.pool.query('select pg_notify($1, $2)', [
        ISSUES_CHANNEL,
        JSON.stringify({ county: countyCode, id, state }),
      ]);
    }, 1000 / rate),
    setInterval(
      () => void page.evaluate(() => window.__gridlinkWallStream?.drop()).catch(() => undefined),
      dropEvery * 60_000,
    ),
    setInterval(async () => {
      const now = await page.getAttribute('[data-testid="wall"]', 'data-stream').catch(() => lastStream);
      if (now !== 'live' && lastStream === 'live') reconnects++;
      lastStream = now ?? lastStream;
    }, 250),
  );

  const samples: { at: number; heap: number; dom: number }[] = [];
  const sample = async () => {
    const dom = await page.evaluate(() => document.getElementsByTagName('*').length);
    samples.push({ at: Date.now() - started, heap: await heap(), dom });
    const s = samples[samples.length - 1];
    console.error(
      `[soak] ${(s.at / 60_000).toFixed(1)} min: heap ${(s.heap / 1e6).toFixed(1)} MB, ${s.dom} elements, ${sent} events sent, ${reconnects} reconnects`,
    );
  };
  await sample();
  while (Date.now() - started < durationMs) {
    await new Promise((r) => setTimeout(r, Math.min(sampleMs, durationMs - (Date.now() - started))));
    await sample();
  }
  for (const t of timers) clearInterval(t);
  await new Promise((r) => setTimeout(r, 2000));
  const received = await page.evaluate(() => window.__gridlinkWallIssueMap?.received() ?? 0);

  // The level after the first 10 minutes: the median of the three samples nearest that moment, against the end's.
  const around = (at: number) => {
    const near = [...samples]
      .sort((a, b) => Math.abs(a.at - at) - Math.abs(b.at - at))
      .slice(0, 3)
      .map((s) => s.heap)
      .sort((a, b) => a - b);
    return near[Math.floor(near.length / 2)];
  };
  const base = around(baselineMs);
  const end = around(samples[samples.length - 1].at);
  const growth = (end - base) / base;
  console.log(
    `soak of /wall: ${minutes} min, ${rate} events/s, stream cut every ${dropEvery} min (1920×1080, Chromium + SwiftShader)`,
  );
  console.log(
    `  heap after ${(baselineMs / 60_000).toFixed(1)} min ${(base / 1e6).toFixed(1)} MB, at the end ${(end / 1e6).toFixed(1)} MB: ` +
      `${(growth * 100).toFixed(1)} % (target within ${TARGET_GROWTH * 100} %: ${Math.abs(growth) <= TARGET_GROWTH ? 'met' : 'NOT met'})`,
  );
  console.log(
    `  heap min/max ${(Math.min(...samples.map((s) => s.heap)) / 1e6).toFixed(1)} / ` +
      `${(Math.max(...samples.map((s) => s.heap)) / 1e6).toFixed(1)} MB; elements ${samples[0].dom} → ${samples[samples.length - 1].dom}`,
  );
  console.log(
    `  events sent ${sent}, received by the page ${received}; reconnects ${reconnects}; page errors ${errors.length}`,
  );
  if (errors.length) console.log(`  first error: ${errors[0]}`);
} finally {
  for (const t of timers) clearInterval(t);
  await browser.close();
  await running.stop();
}
