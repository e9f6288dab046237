/**
 * Photo intake (no express, no pg): checks an upload by its content, not its name, and re-encodes it
 * without metadata (EXIF with GPS, XMP, ICC) plus a thumbnail. JPEG and PNG only.
 */
import sharp, { type OutputInfo } from 'sharp';

export type PhotoType = 'image/jpeg' | 'image/png';

export interface ProcessedPhoto {
  mediaType: PhotoType;
  extension: 'jpg' | 'png';
  image: Buffer;
  thumbnail: Buffer;
  width: number;
  height: number;
}

/** A problem with the upload itself: the route answers it with this status and message. */
export class PhotoRejected extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

const THUMBNAIL_EDGE = 320;
/** Decompression bombs: a small file that would expand to more pixels than any phone camera takes. */
export const MAX_PIXELS = 80_000_000;
/** Photos one issue may have (the upload route checks before decoding; the workflow again at commit). */
export const MAX_PHOTOS_PER_ISSUE = 9;

/** The type the first bytes say, whatever the file is called. */
export function sniffImageType(bytes: Buffer): PhotoType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'image/png';
  return undefined;
}

/** Checks and re-encodes an upload; throws PhotoRejected for anything that is not a usable JPEG or PNG. */
export async function processPhoto(bytes: Buffer, maxBytes: number): Promise<ProcessedPhoto> {
  if (bytes.length === 0) throw new PhotoRejected(400, 'the photo is empty (0 bytes)');
  if (bytes.length > maxBytes)
    throw new PhotoRejected(413, `the photo is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
  const mediaType = sniffImageType(bytes);
  if (!mediaType)
    throw new PhotoRejected(400, 'the file is not a JPEG or PNG image (checked by its content, not its name)');
  // The size the header declares, read before anything is decoded: a bomb is refused for what it claims.
  let declared: { width?: number; height?: number };
  try {
    declared = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new PhotoRejected(400, `the image cannot be read (${(e as Error).message.split('\n')[0]})`);
  }
  const { width = 0, height = 0 } = declared;
  if (width * height > MAX_PIXELS) {
    throw new PhotoRejected(
      413,
      `the image is ${width}×${height} pixels; at most ${MAX_PIXELS / 1_000_000} megapixels are accepted`,
    );
  }
  let image: Buffer;
  let info: OutputInfo;
  let thumbnail: Buffer;
  try {
    // rotate() applies the EXIF orientation before the metadata goes; sharp writes none unless asked.
    const decoded = sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate();
    ({ data: image, info } = await (
      mediaType === 'image/jpeg' ? decoded.jpeg({ quality: 85, mozjpeg: false }) : decoded.png()
    ).toBuffer({ resolveWithObject: true }));
    thumbnail = await sharp(image)
      .resize(THUMBNAIL_EDGE, THUMBNAIL_EDGE, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 75 })
      .toBuffer();
  } catch (e) {
    throw new PhotoRejected(400, `the image cannot be read (${(e as Error).message.split('\n')[0]})`);
  }
  return {
    mediaType,
    extension: mediaType === 'image/jpeg' ? 'jpg' : 'png',
    image,
    thumbnail,
    width: info.width,
    height: info.height,
  };
}
