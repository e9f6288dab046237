import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { requestEarly, takeEarly } from '../../client/api/early-requests.ts';

describe('early requests', () => {
  const asked: string[] = [];
  beforeEach(() => {
    asked.length = 0;
    vi.useFakeTimers();
    vi.stubGlobal('fetch', (url: string) => {
      asked.push(url);
      return Promise.resolve(new Response(JSON.stringify({ url, n: asked.length })));
    });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('hands each answer to the first taker only', async () => {
    requestEarly(['/a', '/b']);
    expect(asked).toEqual(['/a', '/b']);
    expect(await (await takeEarly('/a')!).json()).toEqual({ url: '/a', n: 1 });
    expect(takeEarly('/a')).toBeUndefined();
    expect(takeEarly('/c')).toBeUndefined();
    expect(takeEarly('/b')).toBeDefined();
  });

  it('does not hand out an answer that has waited too long, and asks afresh when requested again', async () => {
    requestEarly(['/a']);
    vi.advanceTimersByTime(11_000);
    expect(takeEarly('/a')).toBeUndefined();
    requestEarly(['/a']);
    requestEarly(['/a']);
    expect(asked).toEqual(['/a', '/a', '/a']);
    expect(await (await takeEarly('/a')!).json()).toEqual({ url: '/a', n: 3 });
  });

  it('keeps a failed request from being an unhandled rejection until someone takes it', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('offline')));
    requestEarly(['/a']);
    await Promise.resolve();
    await expect(takeEarly('/a')!).rejects.toThrow('offline');
  });
});
