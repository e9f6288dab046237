import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testPool } from '../helpers/db.ts';
import { demoGrids, freshSession, issueRowCounts, report } from '../helpers/issues-fixtures.ts';
import { storedUploads, uploadPhoto } from '../helpers/photos.ts';

/**
 * Photo limits are checked before anything is decoded: the pixel count the header declares (a decompression
 * bomb), the photos an issue already has, and the multipart limits while the upload streams in.
 */
const pool = testPool();
let reporter: { cookie: string; userId: number };
let grid: string;

/** A valid one-colour PNG of width × height, 1 bit per pixel: 20000 × 20000 is 400 megapixels in about 60 kB. */
function bombPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height); // filter byte 0 and black pixels, row by row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An upload that must be refused with `status`, a message matching `message`, and nothing stored. */
async function refused(upload: () => Promise<{ status: number; body: any }>, status: number, message: RegExp) {
  const files = storedUploads();
  const rows = await issueRowCounts(pool);
  const start = performance.now();
  const res = await upload();
  const ms = performance.now() - start;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.message).toMatch(message);
  expect(storedUploads()).toEqual(files);
  expect(await issueRowCounts(pool)).toEqual(rows);
  return ms;
}

beforeAll(async () => {
  grid = (await demoGrids(pool)).workerGrid;
  reporter = await freshSession(pool, 'reporter');
});
afterAll(() => pool.end());

describe('photo limits', () => {
  it('a decompression bomb (a 60 kB PNG declaring 20000×20000 pixels) gets a prompt 413 naming its size, nothing stored', async () => {
    const issue = await report(pool, reporter.cookie, grid, 'facility_damage');
    const bomb = bombPng(20_000, 20_000);
    expect(bomb.length).toBeLessThan(200_000);
    expect(await sharp(bomb, { limitInputPixels: false }).metadata()).toMatchObject({
      width: 20_000,
      height: 20_000,
      format: 'png',
    });
    const ms = await refused(
      () => uploadPhoto(reporter.cookie, issue.id, bomb, 'bomb.png', 'image/png'),
      413,
      /20000×20000 pixels; at most 80 megapixels/,
    );
    expect(ms).toBeLessThan(2000);
    // Just under the limit is a photo like any other (10000 × 7900 = 79 megapixels), stored.
    const large = await uploadPhoto(reporter.cookie, issue.id, bombPng(10_000, 7_900), 'large.png', 'image/png');
    expect(large.status, JSON.stringify(large.body)).toBe(201);
    expect(large.body).toMatchObject({ width: 10_000, height: 7_900 });
  });

  it('an issue with its 9 photos refuses a 10th before decoding it, whatever it is; a retry of a stored one is still replayed', async () => {
    const issue = await report(pool, reporter.cookie, grid, 'facility_damage');
    const png = (i: number) =>
      sharp({ create: { width: 20, height: 20, channels: 3, background: { r: i * 20, g: 0, b: 0 } } })
        .png()
        .toBuffer();
    for (let i = 0; i < 9; i++) {
      const res = await uploadPhoto(
        reporter.cookie,
        issue.id,
        await png(i),
        `p${i}.png`,
        'image/png',
        'report',
        `photo-key-${i}`,
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    // Not an image, a bomb, a good photo: each is the issue's 10th, refused without a look at its content.
    await refused(
      () => uploadPhoto(reporter.cookie, issue.id, Buffer.from('not an image at all'), 'x.jpg'),
      409,
      /at most 9 photos/,
    );
    await refused(
      () => uploadPhoto(reporter.cookie, issue.id, bombPng(20_000, 20_000), 'bomb.png', 'image/png'),
      409,
      /at most 9 photos/,
    );
    await refused(
      async () => uploadPhoto(reporter.cookie, issue.id, await png(10), 'p10.png', 'image/png'),
      409,
      /at most 9 photos/,
    );
    const retry = await uploadPhoto(
      reporter.cookie,
      issue.id,
      await png(3),
      'p3.png',
      'image/png',
      'report',
      'photo-key-3',
    );
    expect(retry.status).toBe(200);
    expect(retry.body.replayed).toBe(true);
  });

  it('refuses uploads past the multipart limits while they stream in: two files, many fields, a long field', async () => {
    const issue = await report(pool, reporter.cookie, grid, 'facility_damage');
    const photo = await sharp({ create: { width: 20, height: 20, channels: 3, background: 'blue' } })
      .png()
      .toBuffer();
    const post = (form: FormData) => async () => {
      const res = await fetch(`${inject('baseUrl')}/api/issues/${issue.id}/photos`, {
        method: 'POST',
        headers: { cookie: reporter.cookie },
        body: form,
      });
      return { status: res.status, body: await res.json() };
    };
    const withPhotos = (n: number) => {
      const form = new FormData();
      for (let i = 0; i < n; i++)
        form.append('photo', new Blob([new Uint8Array(photo)], { type: 'image/png' }), `p${i}.png`);
      return form;
    };
    await refused(post(withPhotos(2)), 400, /Too many files/);
    const fields = withPhotos(1);
    for (let i = 0; i < 10; i++) fields.append(`f${i}`, 'x');
    await refused(post(fields), 400, /Too many (parts|fields)/);
    const long = withPhotos(1);
    long.append('idempotency_key', 'k'.repeat(2000));
    await refused(post(long), 400, /Field value too long/);
  });
});
