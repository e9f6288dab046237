import type { Request, RequestHandler } from 'express';
import type { Pool } from '../postgres/pool.ts';
import type { AuthConfig } from '../config.ts';
import { HttpError } from '../http-error.ts';
import { findLiveDisplayToken, findSessionUser } from '../db/sessions-repo.ts';
import { writeAudit } from '../db/audit-repo.ts';
import { can, type Permission, type Principal, type Role } from '../../shared/roles.ts';
import { cookieOptions, DISPLAY_COOKIE, DISPLAY_COOKIE_MAX_AGE_MS, readCookie, SESSION_COOKIE } from './cookies.ts';
import { hashToken } from './tokens.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** What REQUIRE_LOGIN=1 leaves open under /api: how to log in, and the load balancer's probe. */
const OPEN_WITHOUT_LOGIN = new Set(['/api/auth/login', '/api/auth/logout', '/api/health', '/api/session']);

/**
 * Cross-site writes refused: a request that changes something and names its page (Origin, or Referer
 * when a browser sends no Origin) must come from this host. Callers that are not browsers send neither
 * and pass; browsers always send Origin on cross-site writes.
 */
export const originCheck: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const source = req.get('origin') ?? req.get('referer');
  if (source === undefined) return next();
  let host: string | undefined;
  try {
    host = new URL(source).host;
  } catch {
    host = undefined;
  }
  if (host && host === req.host) return next();
  next(
    new HttpError(
      403,
      `cross-site request refused: ${req.get('origin') ? 'Origin' : 'Referer'} "${source}" is not this site`,
      'CrossSiteRequest',
    ),
  );
};

export interface Auth {
  /** Who sent the request (resolved once per request, and only when someone asks). */
  principalOf(req: Request): Promise<Principal>;
  /** Any account or wall display; 401 for anonymous callers. */
  requireLogin: RequestHandler;
  /** Accounts of these roles (admin always included); 401 anonymous, 403 others. */
  requireRole(...roles: Role[]): RequestHandler;
  /** Principals that have this permission (shared/roles.ts); 401 anonymous, 403 others. */
  requirePermission(permission: Permission): RequestHandler;
  /**
   * Mounted on /tiles, /ogc, /styles and /api: anyone may read, unless REQUIRE_LOGIN=1 — then only the
   * login itself and the health check stay open (the pages load, and ask for a login).
   */
  publicRead: RequestHandler;
  /** `?token=` on any request: a wall display token exchanged for the display cookie. */
  displayTokenExchange: RequestHandler;
}

const unauthenticated = () => new HttpError(401, 'log in first (POST /api/auth/login) or use a wall display token');
const forbidden = () => new HttpError(403, 'your role may not do this');

export function createAuth(
  pool: Pool,
  countyCode: string,
  config: AuthConfig,
  isPage: (path: string) => boolean,
): Auth {
  const resolved = new WeakMap<Request, Promise<Principal>>();

  async function resolve(req: Request): Promise<Principal> {
    const session = readCookie(req, SESSION_COOKIE);
    if (session) {
      const sessionHash = hashToken(session);
      const user = await findSessionUser(pool, countyCode, sessionHash);
      if (user) return { kind: 'user', ...user, sessionHash };
    }
    const display = readCookie(req, DISPLAY_COOKIE);
    if (display) {
      const token = await findLiveDisplayToken(pool, countyCode, hashToken(display));
      if (token) return { kind: 'wall', displayTokenId: token.id, screen: token.screen };
    }
    return { kind: 'anonymous' };
  }

  const principalOf = (req: Request) => {
    let p = resolved.get(req);
    if (!p) resolved.set(req, (p = resolve(req)));
    return p;
  };

  const guard =
    (allowed: (p: Principal) => boolean): RequestHandler =>
    async (req, _res, next) => {
      const principal = await principalOf(req);
      if (principal.kind === 'anonymous') throw unauthenticated();
      if (!allowed(principal)) throw forbidden();
      next();
    };

  return {
    principalOf,
    requireLogin: guard(() => true),
    requireRole: (...roles) => guard((p) => p.kind === 'user' && (p.role === 'admin' || roles.includes(p.role))),
    requirePermission: (permission) => guard((p) => can(p, permission)),
    publicRead: async (req, _res, next) => {
      if (!config.requireLogin || OPEN_WITHOUT_LOGIN.has(req.originalUrl.split('?')[0])) return next();
      if ((await principalOf(req)).kind === 'anonymous') throw unauthenticated();
      next();
    },
    displayTokenExchange: async (req, res, next) => {
      if (!req.url.includes('token=')) return next();
      const url = new URL(req.url, 'http://gridlink.invalid');
      const tokens = url.searchParams.getAll('token');
      if (tokens.length === 0) return next();
      if (tokens.length > 1 || !tokens[0]) throw new HttpError(400, 'give one display token: ?token=…');
      const token = await findLiveDisplayToken(pool, countyCode, hashToken(tokens[0]));
      if (!token) throw new HttpError(401, 'this display token is unknown or has been revoked', 'InvalidToken');
      res.cookie(DISPLAY_COOKIE, tokens[0], cookieOptions(req, DISPLAY_COOKIE_MAX_AGE_MS));
      await writeAudit(pool, countyCode, {
        actorUserId: null,
        actor: `wall:${token.screen}`,
        action: 'display_token.use',
        target: `display_token:${token.id}`,
        ip: req.ip,
      });
      url.searchParams.delete('token');
      const withoutToken = url.pathname + url.search;
      // A page: reload it without the token, so the secret stays out of the address bar and history.
      if ((req.method === 'GET' || req.method === 'HEAD') && isPage(url.pathname)) {
        res.set('Cache-Control', 'no-store').redirect(303, withoutToken);
        return;
      }
      resolved.set(req, Promise.resolve({ kind: 'wall', displayTokenId: token.id, screen: token.screen }));
      // Off the request before any route sees it (OGC builds its links from originalUrl).
      req.url = withoutToken;
      req.originalUrl = withoutToken;
      next();
    },
  };
}
