import { describe, expect, it } from 'vitest';
import { get } from '../helpers/db.ts';

describe('GET /api/health', () => {
  it('reports the database and the PostGIS version', async () => {
    const res = await get('/api/health');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ok', db: 'ok' });
    expect(body.postgis).toMatch(/^3\.\d+\.\d+/);
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toContain('/api/nothing-here');
  });
});
