import { loadConfig } from './config.ts';
import { log, startGridlink, type Running } from './start.ts';

let running: Running;
try {
  running = await startGridlink(loadConfig());
} catch (e) {
  console.error(`[gridlink] cannot start: ${(e as Error).message}`);
  process.exit(1);
}
log(`Ready: ${running.url}/inspect  (wall ${running.url}/wall, planner ${running.url}/plan, report ${running.url}/report)`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    log(`${signal}: stopping …`);
    await running.stop();
    log('Stopped.');
    process.exit(0);
  });
}
