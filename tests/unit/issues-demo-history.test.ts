import { describe, expect, it } from 'vitest';
import { generateDemoHistory, seededRandom, type DemoCompound } from '../../server/issues/demo-history.ts';
import { CATEGORY_SEEDS } from '../../server/issues/categories.ts';
import { DEFAULT_CALENDAR } from '../../server/issues/working-hours.ts';
import { findRule, OPEN_STATES } from '../../shared/issue-states.ts';

const compounds: DemoCompound[] = Array.from({ length: 40 }, (_, i) => ({
  id: `Q${String(i + 1).padStart(3, '0')}`,
  type: (['commercial_residential', 'old', 'transitional', 'work_unit'] as const)[i % 4],
}));
const categories = CATEGORY_SEEDS.filter((c) => c.timeLimitHours !== null).map((c) => ({
  id: c.id,
  timeLimitHours: c.timeLimitHours!,
}));
const options = { now: new Date('2026-11-25T10:00:00Z'), days: 90, seed: 640323, calendar: DEFAULT_CALENDAR };

describe('synthetic issue history', () => {
  it('is deterministic: same inputs, same history; another seed, another', () => {
    const a = generateDemoHistory(compounds, categories, options);
    expect(JSON.stringify(generateDemoHistory(compounds, categories, options))).toBe(JSON.stringify(a));
    expect(JSON.stringify(generateDemoHistory(compounds, categories, { ...options, seed: 1 }))).not.toBe(
      JSON.stringify(a),
    );
    const r = seededRandom(42);
    const first = [r(), r(), r()];
    const again = seededRandom(42);
    expect([again(), again(), again()]).toEqual(first);
  });

  it('has 260+ rider reports within the window, each a chain of allowed transitions ending in its state', () => {
    const history = generateDemoHistory(compounds, categories, options);
    expect(history.filter((i) => i.source === 'rider').length).toBeGreaterThanOrEqual(260);
    const start = options.now.getTime() - 91 * 86_400_000;
    for (const issue of history) {
      expect(issue.createdAt.getTime()).toBeGreaterThan(start);
      expect(issue.createdAt.getTime()).toBeLessThanOrEqual(options.now.getTime());
      expect(issue.events[0]).toMatchObject({ from: null, to: 'reported' });
      for (let k = 1; k < issue.events.length; k++) {
        const e = issue.events[k];
        expect(e.from).toBe(issue.events[k - 1].to);
        expect(findRule(e.from!, e.to), `${issue.key}: ${e.from} → ${e.to}`).toBeDefined();
        expect(e.at.getTime()).toBeGreaterThanOrEqual(issue.events[k - 1].at.getTime());
        expect(e.at.getTime()).toBeLessThanOrEqual(options.now.getTime());
      }
      expect(issue.events.at(-1)!.to).toBe(issue.state);
      if (issue.state === 'rated') expect(issue.rating).not.toBeNull();
      if (issue.filedAt) expect(issue.deadline!.getTime()).toBeGreaterThan(issue.filedAt.getTime());
    }
    const closed = history.filter((i) => i.state === 'closed' || i.state === 'rated').length;
    expect(closed / history.length).toBeGreaterThan(0.7);
    const overdue = history.filter((i) => OPEN_STATES.includes(i.state) && i.deadline && i.deadline < options.now);
    expect(overdue.length).toBeGreaterThan(0);
  });
});

describe('the synthetic year (365 days) with the year before for property service', () => {
  const year = { ...options, days: 365, yearBefore: { categoryId: 'property_service', decline: 0.582 } };
  const marketCompounds = compounds.map((c, i) => ({ ...c, nearMarket: i < 3 }));
  const history = generateDemoHistory(marketCompounds, categories, year);
  const DAY = 86_400_000;
  const ago = (i: { createdAt: Date }) => (year.now.getTime() - i.createdAt.getTime()) / DAY;

  it('holds the year inside 365 days, and the year before only of the declining category, inside the 365 days before', () => {
    const before = history.filter((i) => i.key.startsWith('synthetic-before-'));
    for (const i of history.filter((i) => !before.includes(i))) expect(ago(i)).toBeLessThan(365);
    for (const i of before) {
      expect(i.categoryId).toBe('property_service');
      expect(ago(i)).toBeGreaterThan(365);
      expect(ago(i)).toBeLessThan(730);
      expect(OPEN_STATES).not.toContain(i.state);
    }
    const thisYear = history.filter((i) => ago(i) < 365 && i.categoryId === 'property_service').length;
    expect(thisYear / before.length - 1).toBeCloseTo(-0.582, 2);
  });

  it('has the report yearly figures: 260+ rider reports, 1,200+ solved with member units, reopened and on-the-spot cases', () => {
    const recent = history.filter((i) => ago(i) < 365);
    expect(recent.filter((i) => i.source === 'rider').length).toBeGreaterThanOrEqual(260);
    expect(recent.filter((i) => i.closedAt && i.dispatchedAt).length).toBeGreaterThanOrEqual(1200);
    const reopened = recent.filter((i) => i.events.some((e) => e.to === 'reopened'));
    expect(reopened.length).toBeGreaterThan(10);
    for (const i of reopened) {
      const at = i.events.findIndex((e) => e.to === 'reopened');
      expect(i.events[at - 1].to).toBe('closed');
      expect(i.events[at].at.getTime() - i.events[at - 1].at.getTime()).toBeLessThanOrEqual(7 * DAY);
      expect(findRule('reopened', i.events[at + 1]?.to ?? 'dispatched')).toBeDefined();
    }
    expect(
      recent.filter((i) => i.events.some((e) => e.from === 'accepted' && e.to === 'closed')).length,
    ).toBeGreaterThan(50);
  });

  it('closes most filed cases within their time limit, and grows: the last quarter busier than the year on average', () => {
    const dated = history.filter((i) => ago(i) < 365 && i.closedAt && i.deadline);
    const onTime = dated.filter((i) => i.closedAt! <= i.deadline!).length / dated.length;
    expect(onTime).toBeGreaterThan(0.6);
    expect(onTime).toBeLessThan(0.9);
    const recent = history.filter((i) => !i.key.startsWith('synthetic-before-'));
    const perDay = (days: number) => recent.filter((i) => ago(i) < days).length / days;
    expect(perDay(90)).toBeGreaterThan(1.2 * perDay(365));
  });

  it('sends the market compounds more than their share', () => {
    const perCompound = (keep: (c: DemoCompound & { nearMarket: boolean }) => boolean) => {
      const ids = new Set(marketCompounds.filter(keep).map((c) => c.id));
      return history.filter((i) => ids.has(i.compoundId)).length / ids.size;
    };
    expect(perCompound((c) => c.nearMarket)).toBeGreaterThan(2 * perCompound((c) => !c.nearMarket));
  });
});
