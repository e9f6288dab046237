import { loadConfig } from './config.ts';
import { exitAfterOutput, log, startGridlink, stopOnSignals, type Running } from './start.ts';
import { MAX_LOCAL_REPLICAS } from './postgres/standby.ts';
import { isWorker, parseCountFlag, parseWorkers, runPrimary, runWorker } from './workers.ts';

let running: Running | undefined;
try {
  const config = loadConfig();
  if (isWorker()) {
    await runWorker(config);
  } else {
    const workers = parseWorkers(process.argv.slice(2));
    const replicas = parseCountFlag(process.argv.slice(2), 'replicas', 0, MAX_LOCAL_REPLICAS);
    if (workers > 1) await runPrimary(config, workers, replicas);
    else running = await startGridlink(config, replicas);
  }
} catch (e) {
  console.error(`[gridlink] cannot start: ${(e as Error).message}`);
  exitAfterOutput(1);
}
if (running) {
  const r = running;
  log(`Ready: ${r.url}/inspect  (wall ${r.url}/wall, planner ${r.url}/plan, report ${r.url}/report)`);
  stopOnSignals(async (signal) => {
    log(`${signal}: stopping …`);
    await r.stop();
  });
}
