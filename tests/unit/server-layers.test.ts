// The server's layers: routes parse and answer, services hold the rules and the transactions, SQL lives in
// server/db. A route or the stream that queried the database itself, or a route that opened a transaction,
// would show here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, sourceFiles } from '../helpers/imports.ts';

const matching = (files: string[], pattern: RegExp) =>
  files.filter((f) => pattern.test(readFileSync(path.join(REPO_ROOT, f), 'utf8')));

describe('server layers', () => {
  const routes = sourceFiles('server/routes');

  it('server/routes and server/stream send no SQL themselves', () => {
    const files = [...routes, ...sourceFiles('server/stream')];
    expect(files.length).toBeGreaterThan(10);
    expect(matching(files, /\.query\s*[<(]/)).toEqual([]);
    expect(matching(['server/db/notify-channels.ts'], /\.query\s*[<(]/)).toHaveLength(1);
  });

  it('server/routes open no transaction: services do', () => {
    expect(matching(routes, /\binTransaction\b/)).toEqual([]);
    expect(matching(sourceFiles('server/plans'), /\binTransaction\b/).length).toBeGreaterThan(0);
  });
});
