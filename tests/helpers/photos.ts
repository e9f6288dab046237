// Photos of issues for tests: a JPEG carrying GPS EXIF, an upload through the API, and the files the server
// has stored in the uploads folder of the test data directory.
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

/** A JPEG with GPS EXIF, made with sharp. */
export async function jpegWithGps(): Promise<Buffer> {
  const sharp = (await import('sharp')).default;
  return sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'X1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '37/1 47/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '107/1 24/1 0/1' },
    })
    .toBuffer();
}

/** Uploads one file as the multipart field "photo". */
export async function uploadPhoto(
  cookie: string,
  issueId: number,
  bytes: Buffer,
  filename = 'photo.jpg',
  type = 'image/jpeg',
  kind?: 'report' | 'after',
  idempotencyKey?: string,
): Promise<{ status: number; body: any }> {
  const form = new FormData();
  if (kind) form.append('kind', kind);
  if (idempotencyKey) form.append('idempotency_key', idempotencyKey);
  form.append('photo', new Blob([new Uint8Array(bytes)], { type }), filename);
  const res = await fetch(`${inject('baseUrl')}/api/issues/${issueId}/photos`, {
    method: 'POST',
    headers: { cookie },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** The folder of the stored photos and thumbnails. */
export const uploadsDir = (): string => path.join(inject('dataDir'), 'uploads');

/** Every file below the uploads folder, sorted: a refused upload must leave the list unchanged. */
export function storedUploads(): string[] {
  const folder = uploadsDir();
  if (!fs.existsSync(folder)) return [];
  return (fs.readdirSync(folder, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(folder, f)).isFile())
    .sort();
}
