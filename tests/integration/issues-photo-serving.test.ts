import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTY, get, testPool } from '../helpers/db.ts';
import {
  demoSession,
  freshSession,
  issueRowCounts,
  report,
  reportedIssue,
  type ReportedIssue,
} from '../helpers/issues-fixtures.ts';
import { jpegWithGps, storedUploads, uploadPhoto, uploadsDir } from '../helpers/photos.ts';

/** GET /api/issues/:id/photos/:photoId[/thumbnail]: scoped like the issue, cacheable; uploads retried with a key store one photo. */
const pool = testPool();
let { grids, reporter, issue } = {} as ReportedIssue;
let photoId: number;
/** A report photo uploaded by the reporter with an idempotency key. */
const uploadKeyed = async (key: string, name = 'IMG.JPG') =>
  uploadPhoto(reporter.cookie, issue.id, await jpegWithGps(), name, 'image/jpeg', 'report', key);

beforeAll(async () => {
  ({ grids, reporter, issue } = await reportedIssue(pool, 'facility_damage'));
  const res = await uploadKeyed('serve-test:0001');
  expect(res.status).toBe(201);
  photoId = res.body.id;
});
afterAll(() => pool.end());

describe('serving issue photos', () => {
  it('gives the reporter the stored original (no EXIF) and a thumbnail, privately cacheable, with validators', async () => {
    const { rows } = await pool.query<{ path: string }>(
      'select path from issue_photos where county_code = $1 and id = $2',
      [COUNTY, photoId],
    );
    const original = await get(`/api/issues/${issue.id}/photos/${photoId}`, { headers: { cookie: reporter.cookie } });
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('image/jpeg');
    expect(original.headers.get('cache-control')).toBe('private, max-age=86400, immutable');
    const bytes = Buffer.from(await original.arrayBuffer());
    expect(bytes.equals(fs.readFileSync(path.join(uploadsDir(), rows[0].path)))).toBe(true);
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();

    const thumb = await get(`/api/issues/${issue.id}/photos/${photoId}/thumbnail`, {
      headers: { cookie: reporter.cookie },
    });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(320);

    const etag = original.headers.get('etag');
    expect(etag).toBeTruthy();
    // fetch adds "Cache-Control: no-cache" to a conditional request unless one is given: a browser revalidating sends max-age=0.
    const again = await get(`/api/issues/${issue.id}/photos/${photoId}`, {
      headers: { cookie: reporter.cookie, 'if-none-match': etag!, 'cache-control': 'max-age=0' },
    });
    expect(again.status).toBe(304);
  });

  it('serves them to handlers inside the area and leaders; 404 to other reporters and outside the area; 401/403 to others', async () => {
    const stranger = await freshSession(pool, 'reporter');
    const otherCommunity = (
      await pool.query<{ id: string }>(
        `select id from communities where county_code = $1 and id <> (select community_id from issues where county_code = $1 and id = $2) order by id limit 1`,
        [COUNTY, issue.id],
      )
    ).rows[0].id;
    const farDispatcher = await freshSession(pool, 'dispatcher', {
      streetId: null,
      communityId: otherCommunity,
      gridId: null,
    });
    const cases: [string, string | undefined, number][] = [
      ['grid worker of the grid', await demoSession('grid_worker'), 200],
      ['dispatcher of the community', await demoSession('dispatcher'), 200],
      ['leader', await demoSession('leader'), 200],
      ['admin', await demoSession('admin'), 200],
      ['another reporter', stranger.cookie, 404],
      ['dispatcher of another community', farDispatcher.cookie, 404],
      ['planner', await demoSession('planner'), 403],
      ['anonymous', undefined, 401],
    ];
    for (const [who, cookie, status] of cases) {
      for (const suffix of ['', '/thumbnail']) {
        const res = await get(`/api/issues/${issue.id}/photos/${photoId}${suffix}`, {
          headers: cookie ? { cookie } : {},
        });
        expect(res.status, `${who}${suffix}`).toBe(status);
        if (status !== 200) expect(res.headers.get('content-type'), who).toMatch(/json/);
      }
    }
  });

  it('answers bad or unknown ids with a clear 4xx', async () => {
    const other = await report(pool, reporter.cookie, grids.workerGrid, 'facility_damage');
    const cases: [string, number][] = [
      [`/api/issues/${issue.id}/photos/abc`, 400],
      [`/api/issues/x/photos/${photoId}`, 400],
      [`/api/issues/${issue.id}/photos/999999999`, 404],
      [`/api/issues/${other.id}/photos/${photoId}`, 404],
      [`/api/issues/999999999/photos/${photoId}/thumbnail`, 404],
    ];
    for (const [url, status] of cases) {
      const res = await get(url, { headers: { cookie: reporter.cookie } });
      expect(res.status, url).toBe(status);
      expect((await res.json()).error.message.length, url).toBeGreaterThan(5);
    }
  });
});

describe('photo upload idempotency', () => {
  it('answers a retried upload with the photo already stored, writing nothing', async () => {
    const files = storedUploads();
    const rows = await issueRowCounts(pool, issue.id);
    const retry = await uploadKeyed('serve-test:0001');
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id: photoId, replayed: true });
    expect(storedUploads()).toEqual(files);
    expect(await issueRowCounts(pool, issue.id)).toEqual(rows);
  });

  it('stores one photo for concurrent uploads with the same key, and leaves no stray file', async () => {
    const files = storedUploads();
    const rows = await issueRowCounts(pool, issue.id);
    const jpeg = await jpegWithGps();
    const answers = await Promise.all(
      [0, 1, 2, 3].map(() =>
        uploadPhoto(reporter.cookie, issue.id, jpeg, 'a.jpg', 'image/jpeg', 'report', 'serve-test:race'),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await issueRowCounts(pool, issue.id)).toEqual({ ...rows, issue_photos: rows.issue_photos + 1 });
    expect(storedUploads().length).toBe(files.length + 2);
  });

  it('refuses a malformed key, storing nothing', async () => {
    const files = storedUploads();
    const rows = await issueRowCounts(pool, issue.id);
    const res = await uploadKeyed('bad key!', 'a.jpg');
    expect(res.status).toBe(400);
    expect(storedUploads()).toEqual(files);
    expect(await issueRowCounts(pool, issue.id)).toEqual(rows);
  });
});
