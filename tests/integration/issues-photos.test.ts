import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import {
  demoSession,
  freshSession,
  issueRowCounts,
  report,
  reportedIssue,
  type ReportedIssue,
} from '../helpers/issues-fixtures.ts';
import { jpegWithGps, storedUploads, uploadPhoto, uploadsDir } from '../helpers/photos.ts';
import { openSse } from '../helpers/wall-sse.ts';

/** POST /api/issues/:id/photos: checked by content, re-encoded without EXIF, with a thumbnail; bad uploads store nothing. */
const pool = testPool();
let { grids, reporter, issue } = {} as ReportedIssue;

beforeAll(async () => {
  ({ grids, reporter, issue } = await reportedIssue(pool, 'facility_damage'));
});
afterAll(() => pool.end());

describe('issue photos', () => {
  it('stores a JPEG carrying GPS EXIF without any EXIF, and a thumbnail; the stream says a photo came, not a new state', async () => {
    const original = await jpegWithGps();
    const before = await sharp(original).metadata();
    expect(before.exif).toBeDefined();
    const stream = await openSse(`${inject('baseUrl')}/api/stream`, { cookie: await demoSession('leader') });
    await stream.next((m) => m.event === 'hello');
    const res = await uploadPhoto(reporter.cookie, issue.id, original, 'IMG_0001.JPG');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const told = JSON.parse(
      (await stream.next((m) => m.event === 'issue' && JSON.parse(m.data).id === issue.id, 5000)).data,
    );
    stream.close();
    expect(told).toMatchObject({ id: issue.id, state: 'reported', photo: true, lateSignature: false });
    expect(res.body).toMatchObject({ kind: 'report', mediaType: 'image/jpeg', width: 640, height: 480 });
    const { rows } = await pool.query<{ path: string; thumbnail_path: string }>(
      'select path, thumbnail_path from issue_photos where county_code = $1 and id = $2',
      [COUNTY, res.body.id],
    );
    const stored = fs.readFileSync(path.join(uploadsDir(), rows[0].path));
    const meta = await sharp(stored).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(stored.includes(Buffer.from('TestPhone'))).toBe(false);
    const thumb = await sharp(fs.readFileSync(path.join(uploadsDir(), rows[0].thumbnail_path))).metadata();
    expect(Math.max(thumb.width!, thumb.height!)).toBeLessThanOrEqual(320);
    expect(thumb.exif).toBeUndefined();
  });

  it('takes PNG too, whatever the file is called', async () => {
    const png = await sharp({ create: { width: 50, height: 40, channels: 4, background: '#08f8' } })
      .png()
      .toBuffer();
    const res = await uploadPhoto(reporter.cookie, issue.id, png, 'scan.jpg', 'image/jpeg');
    expect(res.status).toBe(201);
    expect(res.body.mediaType).toBe('image/png');
  });

  it('refuses a text file named .jpg, an empty file, a broken image, a GIF and an oversized file — storing nothing', async () => {
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } })
      .gif()
      .toBuffer();
    const jpeg = await jpegWithGps();
    const cases: [string, Buffer, string, number][] = [
      ['text renamed .jpg', Buffer.from('this is not an image, just text\n'.repeat(20)), 'photo.jpg', 400],
      ['empty', Buffer.alloc(0), 'empty.jpg', 400],
      ['truncated JPEG', jpeg.subarray(0, 200), 'cut.jpg', 400],
      ['GIF', gif, 'anim.gif', 400],
      ['over 10 MB', Buffer.concat([jpeg, Buffer.alloc(10 * 1024 * 1024 + 1 - jpeg.length, 0)]), 'big.jpg', 413],
    ];
    for (const [what, bytes, name, status] of cases) {
      const files = storedUploads();
      const rows = await issueRowCounts(pool);
      const res = await uploadPhoto(reporter.cookie, issue.id, bytes, name);
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.body.error.message.length, what).toBeGreaterThan(10);
      expect(storedUploads(), what).toEqual(files);
      expect(await issueRowCounts(pool), what).toEqual(rows);
    }
  });

  it('refuses a request without a file or not multipart', async () => {
    const rows = await issueRowCounts(pool);
    const noFile = new FormData();
    noFile.append('kind', 'report');
    const res = await fetch(`${inject('baseUrl')}/api/issues/${issue.id}/photos`, {
      method: 'POST',
      headers: { cookie: reporter.cookie },
      body: noFile,
    });
    expect(res.status).toBe(400);
    const json = await fetch(`${inject('baseUrl')}/api/issues/${issue.id}/photos`, {
      method: 'POST',
      headers: { cookie: reporter.cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(400);
    const two = new FormData();
    const jpeg = await jpegWithGps();
    two.append('photo', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'a.jpg');
    two.append('photo', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'b.jpg');
    expect(
      (
        await fetch(`${inject('baseUrl')}/api/issues/${issue.id}/photos`, {
          method: 'POST',
          headers: { cookie: reporter.cookie },
          body: two,
        })
      ).status,
    ).toBe(400);
    expect(await issueRowCounts(pool)).toEqual(rows);
  });

  it('keeps photos to those who may see the issue: reporters their own (kind report), handlers in their area', async () => {
    const jpeg = await jpegWithGps();
    const stranger = await freshSession(pool, 'reporter');
    expect((await uploadPhoto(stranger.cookie, issue.id, jpeg)).status).toBe(404);
    expect((await uploadPhoto(reporter.cookie, issue.id, jpeg, 'a.jpg', 'image/jpeg', 'after')).status).toBe(403);
    const elsewhere = await report(pool, reporter.cookie, grids.otherCommunityGrid, 'facility_damage');
    expect((await uploadPhoto(await demoSession('grid_worker'), elsewhere.id, jpeg)).status).toBe(404);
    expect((await uploadPhoto(await demoSession('leader'), issue.id, jpeg)).status).toBe(403);
    const after = await uploadPhoto(await demoSession('grid_worker'), issue.id, jpeg);
    expect(after.status).toBe(201);
    expect(after.body.kind).toBe('after');
  });
});
