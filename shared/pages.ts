// The pages of the app, declared once: the router gives each its view, the server answers each path with the
// single-page app, the navigation links the pages of NAV_PAGES.

export const PAGE_PATHS = {
  wall: '/wall',
  inspect: '/inspect',
  plan: '/plan',
  report: '/report',
  events: '/events',
  login: '/login',
  admin: '/admin',
  'admin-workforce': '/admin/workforce',
  'admin-data': '/admin/data',
  account: '/account',
} as const;
export type PageName = keyof typeof PAGE_PATHS;

/** The links of the navigation, in their order. */
export const NAV_PAGES = [
  'wall',
  'inspect',
  'plan',
  'report',
  'events',
  'admin',
  'account',
] as const satisfies readonly PageName[];
export type NavPage = (typeof NAV_PAGES)[number];

/** Every path the server answers with the single-page app (`/` opens /inspect). */
export const SPA_PATHS: string[] = ['/', ...Object.values(PAGE_PATHS)];
