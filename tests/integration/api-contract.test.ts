import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { z } from 'zod';
import { demoAccount, loginCookie } from '../helpers/auth.ts';
import { PlanDetail, PlanList } from '../../shared/api/plans.ts';
import { PlanHistory } from '../../shared/api/plan-publish.ts';

// The API contract (shared/api/*): what the server answers parses with the schemas the client reads it by.

const base = inject('baseUrl');
let planner: string;

async function answer(method: string, path: string, cookie: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = { cookie };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

function expectShape(schema: z.ZodType, value: unknown): void {
  const parsed = schema.safeParse(value);
  expect(parsed.error?.issues ?? []).toEqual([]);
}

beforeAll(async () => {
  planner = await loginCookie(demoAccount('planner'));
});

describe('plans', () => {
  it('lists, creates and reads drafts as PlanList and PlanDetail', async () => {
    const created = await answer('POST', '/api/plans', planner, { name: 'contract' });
    expectShape(PlanDetail, created);
    expectShape(PlanDetail, await answer('GET', `/api/plans/${(created as { id: number }).id}`, planner));
    const list = await answer('GET', '/api/plans', planner);
    expectShape(PlanList, list);
    expect((list as PlanList).plans.length).toBeGreaterThan(0);
  });

  it('answers the history as PlanHistory', async () => {
    expectShape(PlanHistory, await answer('GET', '/api/plan/history', planner));
  });
});
