import { inject } from 'vitest';
import pg from 'pg';
import { createPool } from '../../server/db/pool.ts';

/** A pool on the test database started by tests/setup/server.ts. */
export function testPool(): pg.Pool {
  return createPool({ ...inject('db'), max: 2 });
}

/** GET a path of the running test server. */
export function get(pathAndQuery: string, init?: RequestInit): Promise<Response> {
  return fetch(`${inject('baseUrl')}${pathAndQuery}`, init);
}

export const COUNTY = '640323';
