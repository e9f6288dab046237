import { afterAll, beforeAll, inject } from 'vitest';
import type pg from 'pg';
import { demoAccount, loginCookie } from './auth.ts';
import { snapshotGrids } from './grid-snapshot.ts';

// The planner's HTTP API for integration tests that publish: a planner logged in before the file's tests, the
// grids snapshotted and put back after them (publishing changes the one shared test server).

export type PlanCall = (method: string, path: string, body?: unknown) => Promise<Response>;

/** Registers the file's beforeAll / afterAll; `call` sends as the demo planner (JSON body when given). */
export function plannerApiForPublishing(pool: pg.Pool): { call: PlanCall } {
  const base = inject('baseUrl');
  let cookie = '';
  let restoreGrids: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    restoreGrids = await snapshotGrids(pool);
    cookie = await loginCookie(demoAccount('planner'));
  });
  afterAll(async () => {
    await restoreGrids();
    await pool.end();
  });
  const call: PlanCall = (method, path, body) => {
    const headers: Record<string, string> = { cookie };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  };
  return { call };
}
