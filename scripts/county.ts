// npm run county -- check DIR [--report FILE.json] [--lang zh|en] — reads a county package (docs/county-package.md),
// checks it on the database of DATA_DIR or DATABASE_URL (staged in temporary tables, rolled back: nothing is
// written) and prints the report. Exit 0 when nothing blocks, 2 when something does, 1 on a usage error.
// npm run county -- import DIR [--report FILE.json] [--lang zh|en] — the same check, then, when nothing blocks,
// the package replaces the map data of its county code in one transaction (progress on stderr, a summary on
// stdout). Exit 0 imported, 2 blocked (the report printed, nothing written), 1 on a usage error or a failure.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPool } from '../server/postgres/pool.ts';
import { migrate } from '../server/postgres/migrate.ts';
import { reportText, type Lang } from '../server/county/report-text.ts';
import { importPackage } from '../server/county/import.ts';
import { importSummaryText } from '../server/county/import-text.ts';
import { checkPackage } from '../server/county/validate.ts';
import { openTarget } from './db-target.ts';

const USAGE = 'usage: npm run county -- check|import DIR [--report FILE.json] [--lang zh|en]';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
}

/** Who imports, for the audit row: the OS user, else "cli". */
function actor(): string {
  try {
    return os.userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}

const progress = (line: string) => console.error(line);

const args = process.argv.slice(2);
const [command, dir] = args;
const reportFile = option(args, '--report');
const lang = option(args, '--lang') ?? 'zh';
const usageError =
  command !== 'check' && command !== 'import'
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
      const { report, imported } =
        command === 'import'
          ? await migrate(pool).then(() => importPackage(pool, path.resolve(dir), { actor: actor(), progress }))
          : { report: await checkPackage(pool, path.resolve(dir)), imported: null };
      if (reportFile) writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
      console.log(reportText(report, lang as Lang));
      if (imported) console.log(importSummaryText(imported, lang as Lang));
      process.exitCode = report.blocking ? 2 : 0;
    } finally {
      await pool.end();
    }
  } catch (e) {
    console.error(`[gridlink] county ${command} failed: ${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    await target.close();
  }
}
