// Entry point of `npm start`, `npm test` and `npm run dev`: installs what is missing (npm dependencies,
// Debian packages, the built client), saying so, then runs the real command. Plain Node, no dependencies.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePackages } from './system-packages.mjs';

const root = path.resolve(import.meta.dirname, '..');
const log = (line) => console.log(`[gridlink] ${line}`);
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function runOrExit(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function ensureNodeModules() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  // A linked node_modules (a checkout sharing another's install) is managed where it lives: npm ci here
  // would empty it through the link.
  if (fs.existsSync(path.join(root, 'node_modules')) && fs.lstatSync(path.join(root, 'node_modules')).isSymbolicLink())
    return;
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  log('Installing npm dependencies (npm ci) …');
  runOrExit('npm', ['ci', '--no-audit', '--no-fund']);
}

function ensureClientBuilt() {
  const index = path.join(root, 'dist', 'index.html');
  const sources = Math.max(newestMtime(path.join(root, 'client')), newestMtime(path.join(root, 'server', 'style')));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return;
  log('Building the client (vite build) …');
  runOrExit(bin('vite'), ['build', '--logLevel', 'warn']);
}

/** Runs a long-lived child, passing Ctrl-C / SIGTERM on so it can stop its database cleanly. */
function runForeground(cmd, args, env) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const command = process.argv[2];
ensureNodeModules();
if (command === 'start') {
  if (!process.env.DATABASE_URL) ensurePackages('start');
  ensureClientBuilt();
  runForeground(bin('tsx'), ['server/main.ts', ...process.argv.slice(3)], process.env);
} else if (command === 'dev') {
  if (!process.env.DATABASE_URL) ensurePackages('start');
  runForeground(bin('tsx'), ['server/main.ts', ...process.argv.slice(3)], { ...process.env, GRIDLINK_DEV: '1' });
} else if (command === 'test') {
  ensurePackages('test');
  // Types, lint and format first: each stops the run with its own output when it fails.
  for (const [heading, cmd, args] of [
    ['typecheck (vue-tsc)', bin('vue-tsc'), ['--noEmit', '-p', 'tsconfig.json']],
    ['lint (eslint)', bin('eslint'), ['.']],
    ['format check (prettier)', bin('prettier'), ['--check', '--log-level', 'warn', '.']],
  ]) {
    log(heading);
    runOrExit(cmd, args);
  }
  ensureClientBuilt();
  const report = path.join(root, 'test-results', 'vitest.json');
  fs.mkdirSync(path.dirname(report), { recursive: true });
  fs.rmSync(report, { force: true });
  const r = spawnSync(
    bin('vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile=${report}`, ...process.argv.slice(3)],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  // One plain closing line with the counts, whatever the runner printed above it.
  if (fs.existsSync(report)) {
    const j = JSON.parse(fs.readFileSync(report, 'utf8'));
    const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
    console.log(
      `\ntests: ${j.numPassedTests} passed, ${j.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
    );
  }
  process.exit(r.status ?? 1);
} else {
  console.error('usage: node scripts/bootstrap.mjs start|dev|test');
  process.exit(2);
}
