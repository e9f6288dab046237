import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import type { Express } from 'express';
import type { Role } from '../../shared/roles.ts';
import { DEMO_ACCOUNTS_FILE } from '../../server/auth/accounts.ts';

export interface DemoAccount {
  role: Role;
  username: string;
  password: string;
}

/** The demo accounts the test server wrote to its DATA_DIR on first start. */
export function demoAccounts(dataDir = inject('dataDir')): DemoAccount[] {
  return fs
    .readFileSync(path.join(dataDir, DEMO_ACCOUNTS_FILE), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [role, username, password] = line.split(' ');
      return { role: role as Role, username, password };
    });
}

export function demoAccount(role: Role): DemoAccount {
  const a = demoAccounts().find((x) => x.role === role);
  if (!a) throw new Error(`no demo account for ${role}`);
  return a;
}

/** POST a JSON body. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** The `name=value` of a Set-Cookie header of a response, for the next request's Cookie header. */
export function cookieFrom(res: Response, name: string): string {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!line) throw new Error(`no ${name} cookie in ${JSON.stringify(res.headers.getSetCookie())}`);
  return line.split(';')[0];
}

/** Logs in on base (the test server unless given) and returns the session cookie. */
export async function loginCookie(
  account: { username: string; password: string },
  base = inject('baseUrl'),
): Promise<string> {
  const res = await postJson(`${base}/api/auth/login`, { username: account.username, password: account.password });
  if (res.status !== 200) throw new Error(`login of ${account.username} failed: ${res.status} ${await res.text()}`);
  return cookieFrom(res, 'gridlink_session');
}

/** A new wall display token for `screen`, made by the demo admin on the test server. */
export async function displayToken(screen: string): Promise<string> {
  const admin = await loginCookie(demoAccount('admin'));
  const res = await postJson(`${inject('baseUrl')}/api/admin/display-tokens`, { screen }, { cookie: admin });
  if (res.status !== 201) throw new Error(`display token for ${screen}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export interface RegisteredRoute {
  method: string;
  path: string;
}

/** Every route the Express app registers, walking its router stack (routers must be mounted at /). */
export function registeredRoutes(app: Express): RegisteredRoute[] {
  const out: RegisteredRoute[] = [];
  type Layer = {
    route?: { path: string | string[]; methods: Record<string, boolean> };
    handle: { stack?: Layer[] };
    slash?: boolean;
    name?: string;
  };
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          for (const [m, on] of Object.entries(layer.route.methods))
            if (on && m !== '_all') out.push({ method: m.toUpperCase(), path: p });
        }
      } else if (layer.handle.stack) {
        if (!layer.slash) throw new Error('a router mounted below / : extend registeredRoutes to prefix its paths');
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}
