import type { CookieOptions, Request } from 'express';

export const SESSION_COOKIE = 'gridlink_session';
export const DISPLAY_COOKIE = 'gridlink_display';
/** A wall display keeps its cookie for a year; the token is revoked on the server, not by expiry. */
export const DISPLAY_COOKIE_MAX_AGE_MS = 365 * 24 * 3600 * 1000;

/** The value of one cookie of the request, undefined when absent or not URL-decodable. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** HttpOnly, SameSite=Strict, Path=/, and Secure when the request came over https (req.secure honours TRUST_PROXY). */
export function cookieOptions(req: Request, maxAgeMs?: number): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: req.secure,
    ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }),
  };
}
