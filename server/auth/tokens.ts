import { createHash, randomBytes } from 'node:crypto';

/** A new secret for a session or a display token: 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a token: its sha256, hex. A stolen table gives no usable token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A random password for generated (demo) accounts. */
export function newPassword(): string {
  return randomBytes(12).toString('base64url');
}
