import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../../server/config.ts';
import { get } from '../helpers/db.ts';
import { healthWithoutDatabase } from '../helpers/health-without-db.ts';

/** Every string value of a JSON document. */
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];

describe('GET /api/health', () => {
  it('reports the database and the PostGIS version', async () => {
    const res = await get('/api/health');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ok', db: 'ok' });
    expect(body.postgis).toMatch(/^3\.\d+\.\d+/);
    // The test server reads from no replica.
    expect(body.replicas).toEqual({ count: 0, healthy: 0, each: [] });
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toContain('/api/nothing-here');
  });
});

describe('GET /api/health shows no file-system path', () => {
  const dataDir = inject('dataDir');
  const noPath = (text: string) => {
    for (const dir of [dataDir, repoRoot, os.tmpdir(), 'nonexistent']) expect(text).not.toContain(dir);
    for (const value of strings(JSON.parse(text))) expect(value, value).not.toMatch(/(^|[\s:(])\/[\w.-]/);
  };

  it('when healthy', async () => {
    const res = await get('/api/health');
    expect(res.status).toBe(200);
    noPath(await res.text());
  });

  it('when the database socket is missing: the error code only', async () => {
    const socketDir = path.join(dataDir, 'nonexistent-socket-dir');
    const { status, text } = await healthWithoutDatabase(socketDir, dataDir);
    expect(status).toBe(503);
    expect(JSON.parse(text)).toMatchObject({
      status: 'error',
      db: 'down',
      reason: 'the database cannot be reached (ENOENT)',
    });
    noPath(text);
  });
});
