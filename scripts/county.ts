// npm run county -- check DIR [--report FILE.json] [--lang zh|en] — reads a county package (docs/county-package.md),
// checks it on the database of DATA_DIR or DATABASE_URL (staged in temporary tables, rolled back: nothing is
// written) and prints the report. Exit 0 when nothing blocks, 2 when something does, 1 on a usage error.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createPool } from '../server/postgres/pool.ts';
import { reportText, type Lang } from '../server/county/report-text.ts';
import { checkPackage } from '../server/county/validate.ts';
import { openTarget } from './db-target.ts';

const USAGE = 'usage: npm run county -- check DIR [--report FILE.json] [--lang zh|en]';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
}

const args = process.argv.slice(2);
const [command, dir] = args;
const reportFile = option(args, '--report');
const lang = option(args, '--lang') ?? 'zh';
const usageError =
  command !== 'check'
    ? `unknown command ${JSON.stringify(command ?? '')}`
    : !dir || dir.startsWith('--')
      ? 'no package folder given'
      : !existsSync(dir) || !statSync(dir).isDirectory()
        ? `${dir} is not a folder`
        : lang !== 'zh' && lang !== 'en'
          ? '--lang is zh or en'
          : args.includes('--report') && !reportFile
            ? '--report needs a file name'
            : null;

if (usageError) {
  console.error(`${usageError}\n${USAGE}`);
  process.exitCode = 1;
} else {
  const target = await openTarget();
  try {
    const pool = createPool({ ...target.connection, max: 1 });
    try {
      const report = await checkPackage(pool, path.resolve(dir));
      console.log(reportText(report, lang as Lang));
      if (reportFile) writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
      process.exitCode = report.blocking ? 2 : 0;
    } finally {
      await pool.end();
    }
  } catch (e) {
    console.error(`[gridlink] county check failed: ${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    await target.close();
  }
}
