import { describe, expect, it } from 'vitest';
import { get } from '../helpers/db.ts';
import { healthWithoutDatabase } from '../helpers/health-without-db.ts';

describe('bad requests', () => {
  it.each([
    ['broken percent-encoding', '/ogc/collections/%E0%A4%A/items'],
    ['array bbox', '/ogc/collections/compounds/items?bbox[]=1'],
    ['object limit', '/ogc/collections/compounds/items?limit[a]=1'],
    ['exponent limit', '/ogc/collections/compounds/items?limit=1e3'],
    ['NUL in an id', '/ogc/collections/compounds/items/%00'],
    ['NUL in a filter', '/ogc/collections/compounds/items?name=a%00b'],
    ['huge zoom', '/tiles/grids/99999999999/1/1.mvt'],
    ['dot-dot layer', '/tiles/%2e%2e/1/1/1.mvt'],
    ['unknown style', '/styles/other.json'],
  ])('%s gets a 4xx with a message and the server keeps serving', async (_label, path) => {
    const res = await get(path);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await res.json()).error.message).toBeTruthy();
    expect((await get('/api/health')).status).toBe(200);
  });
});

describe('GET /api/health with the database down', () => {
  it('answers 503 with the reason', async () => {
    const { status, text } = await healthWithoutDatabase('/nonexistent-socket-dir');
    expect(status).toBe(503);
    const body = JSON.parse(text);
    expect(body).toMatchObject({ status: 'error', db: 'down' });
    // The code, not the driver's message: that names the socket directory (tests/integration/health.test.ts).
    expect(body.reason).toMatch(/ENOENT/);
    expect(JSON.stringify(body)).not.toContain('nonexistent-socket-dir');
  });
});
