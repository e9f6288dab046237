import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { z } from 'zod';
import { demoAccount, loginCookie } from '../helpers/auth.ts';
import { PlanDetail, PlanList } from '../../shared/api/plans.ts';
import { PlanHistory } from '../../shared/api/plan-publish.ts';
import { ActivityList, DeliberationList, ServiceCounts } from '../../shared/api/service-work.ts';
import { ClaimMembers, WishList } from '../../shared/api/micro-wishes.ts';
import { Allowances, StaffPage, WorkforceFiguresAnswer } from '../../shared/api/workforce.ts';
import { WallFigures, WallGridMetrics, WallIssuePoints } from '../../shared/api/wall.ts';
import {
  ApiKeyList,
  AuditPage,
  CreatedApiKey,
  CreatedDisplayToken,
  DisplayTokenList,
  UserList,
} from '../../shared/api/admin.ts';
import { IssueStats } from '../../shared/api/stats.ts';
import { Health } from '../../shared/api/health.ts';
import { LoginAnswer, Session, SessionAnswer } from '../../shared/api/session.ts';
import { IssueDetail, QueuePage } from '../../shared/api/events.ts';
import { AreaCard, AreaIssues, AreaMetrics, AreaPeople, Coverage, SearchHit } from '../../shared/api/inspect.ts';

// The API contract (shared/api/*): what the server answers parses with the schemas the client reads it by.

const base = inject('baseUrl');
let planner: string;
let leader: string;

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
  leader = await loginCookie(demoAccount('leader'));
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

describe('inspection', () => {
  it('answers cards of every level, issues, people, metrics, search and coverage by the inspect schemas', async () => {
    const county = (await answer('GET', '/api/areas/county', leader)) as AreaCard;
    expectShape(AreaCard, county);
    let card = county;
    while (card.children) {
      const child = card.children.items[0];
      card = (await answer('GET', `/api/areas/${card.children.level}/${child.id}`, leader)) as AreaCard;
      expectShape(AreaCard, card);
    }
    expect(card.level).toBe('building');
    expectShape(AreaIssues, await answer('GET', '/api/areas/county/issues?days=30', leader));
    expectShape(AreaIssues, await answer('GET', `/api/areas/building/${card.id}/issues?days=30`, leader));
    const people = await answer(
      'GET',
      `/api/areas/${card.parents.at(-1)!.level}/${card.parents.at(-1)!.id}/people`,
      leader,
    );
    expectShape(AreaPeople, people);
    for (const level of ['grid', 'community'])
      expectShape(AreaMetrics, await answer('GET', `/api/inspect/metrics?level=${level}&days=30&distance=300`, leader));
    const search = (await answer('GET', '/api/search?q=社区&limit=50', leader)) as { results: unknown[] };
    expect(search.results.length).toBeGreaterThan(0);
    for (const hit of search.results) expectShape(SearchHit, hit);
    expectShape(Coverage, await answer('GET', '/api/coverage?distance=300', leader));
  });
});

describe('community service', () => {
  it('lists micro-wishes, activities and deliberation items and counts them by the service schemas', async () => {
    const worker = await loginCookie(demoAccount('grid_worker'));
    const wishes = (await answer('GET', '/api/micro-wishes?limit=200', worker)) as WishList;
    expectShape(WishList, wishes);
    const posted = wishes.wishes.find((w) => w.state === 'posted');
    expect(posted).toBeDefined();
    expectShape(ClaimMembers, await answer('GET', `/api/micro-wishes/${posted!.id}/members`, worker));
    const activities = (await answer('GET', '/api/service-activities?limit=200', worker)) as ActivityList;
    expectShape(ActivityList, activities);
    const items = (await answer('GET', '/api/deliberations?limit=200', worker)) as DeliberationList;
    expectShape(DeliberationList, items);
    expect(Math.min(wishes.total, activities.total, items.total)).toBeGreaterThan(0);
    expectShape(ServiceCounts, await answer('GET', '/api/community-service/counts', worker));
  });
});

describe('workforce', () => {
  it('answers staff, allowances and figures by the workforce schemas, for staff readers and for anyone', async () => {
    const admin = await loginCookie(demoAccount('admin'));
    const page = (await answer('GET', '/api/workforce/staff?limit=1000', admin)) as StaffPage;
    expectShape(StaffPage, page);
    expect(page.staff.length).toBeGreaterThan(0);
    expectShape(Allowances, await answer('GET', '/api/workforce/allowances', admin));
    for (const cookie of [admin, leader, planner])
      expectShape(WorkforceFiguresAnswer, await answer('GET', '/api/workforce/figures', cookie));
  });
});

describe('wall', () => {
  it('answers figures, issue points and grid metrics by the wall schemas', async () => {
    const figures = (await answer('GET', '/api/wall/figures', leader)) as WallFigures;
    expectShape(WallFigures, figures);
    expect(figures.recentEvents.length).toBeGreaterThan(0);
    expectShape(WallIssuePoints, await answer('GET', '/api/wall/issue-points', leader));
    expectShape(WallGridMetrics, await answer('GET', '/api/wall/grid-metrics', leader));
  });
});

describe('administration', () => {
  it('lists accounts by the admin schema, scopes and times included', async () => {
    const admin = await loginCookie(demoAccount('admin'));
    const list = (await answer('GET', '/api/admin/users', admin)) as { users: { lastLoginAt: string | null }[] };
    expectShape(UserList, list);
    expect(list.users.some((u) => u.lastLoginAt !== null)).toBe(true);
  });

  it('creates and lists display tokens and api keys, and pages the audit log, by the admin schemas', async () => {
    const admin = await loginCookie(demoAccount('admin'));
    expectShape(CreatedDisplayToken, await answer('POST', '/api/admin/display-tokens', admin, { screen: 'contract' }));
    const tokens = (await answer('GET', '/api/admin/display-tokens', admin)) as { displayTokens: unknown[] };
    expectShape(DisplayTokenList, tokens);
    expect(tokens.displayTokens.length).toBeGreaterThan(0);
    const users = (await answer('GET', '/api/admin/users', admin)) as UserList;
    const reporter = users.users.find((u) => u.role === 'reporter' && !u.disabled)!;
    const key = { user_id: reporter.id, name: 'contract' };
    expectShape(CreatedApiKey, await answer('POST', '/api/admin/api-keys', admin, key));
    expectShape(ApiKeyList, await answer('GET', '/api/admin/api-keys', admin));
    const audit = (await answer('GET', '/api/admin/audit?limit=20', admin)) as AuditPage;
    expectShape(AuditPage, audit);
    expect(audit.entries.length).toBeGreaterThan(0);
  });
});

describe('statistics, health and session', () => {
  it('answers the issue KPIs by IssueStats, for the last days and for calendar days', async () => {
    expectShape(IssueStats, await answer('GET', '/api/stats?days=90', leader));
    expectShape(IssueStats, await answer('GET', '/api/stats?from=2026-01-01&to=2026-06-30', leader));
  });

  it('answers health, session, me and a login by their schemas', async () => {
    expectShape(Health, await answer('GET', '/api/health', ''));
    expectShape(SessionAnswer, await answer('GET', '/api/session', ''));
    expectShape(SessionAnswer, await answer('GET', '/api/session', leader));
    expectShape(Session, await answer('GET', '/api/me', leader));
    const { username, password } = demoAccount('planner');
    expectShape(LoginAnswer, await answer('POST', '/api/auth/login', '', { username, password }));
  });
});

describe('work queue', () => {
  it('answers the queue and the detail of issues in every state by the events schemas', async () => {
    const dispatcher = await loginCookie(demoAccount('dispatcher'));
    const queue = (await answer('GET', '/api/issues?limit=200', dispatcher)) as QueuePage;
    expectShape(QueuePage, queue);
    const states = new Map(queue.issues.map((i) => [i.state, i.id]));
    expect(states.size).toBeGreaterThan(3);
    const rated = (await answer('GET', '/api/issues?limit=1&state=rated', dispatcher)) as QueuePage;
    for (const id of [...states.values(), ...rated.issues.map((i) => i.id)])
      expectShape(IssueDetail, await answer('GET', `/api/issues/${id}`, dispatcher));
  });
});
