// Routes: one view per page of the dashboard. `/` opens the leaders' map.
import { createRouter, createWebHistory, type NavigationGuard, type RouteRecordRaw } from 'vue-router';
import { requestEarly } from '../api/early-requests';
import { onUnauthorized } from '../api/http';
import { STATIONS_URL } from '../api/stations';
import { STYLE_URL } from '../api/style';
import { WALL_FIGURES_URL } from '../api/wall';
import type { Session } from '../api/auth';
import { useSessionStore } from '../stores/session';
import { PAGE_PATHS, type PageName } from '../../shared/pages';
import { installLocaleSync } from '../i18n/locale-sync';

const WALL_FIRST_REQUESTS = [STYLE_URL, WALL_FIGURES_URL, STATIONS_URL];

/** The session's answer to `test`, else the login page (which returns here): the server enforces it on every
 * request; this spares others a page of errors. */
function requireSession(test: (me: Session) => boolean, need?: 'admin'): NavigationGuard {
  return async (to) => {
    const me = await useSessionStore().load();
    return me && test(me)
      ? true
      : { path: PAGE_PATHS.login, query: need ? { next: to.fullPath, need } : { next: to.fullPath } };
  };
}
const adminOnly = requireSession((me) => me.role === 'admin', 'admin');

/** Each page's view (and guard); the paths are shared/pages.ts. */
const VIEWS: Record<PageName, Omit<RouteRecordRaw, 'path' | 'name' | 'children' | 'redirect'>> = {
  // The wall's first requests go out while its code loads.
  wall: { component: () => import('../views/WallView.vue'), beforeEnter: () => void requestEarly(WALL_FIRST_REQUESTS) },
  inspect: { component: () => import('../views/InspectView.vue') },
  plan: { component: () => import('../views/PlanView.vue') },
  report: { component: () => import('../views/ReportView.vue') },
  events: { component: () => import('../views/EventsView.vue') },
  login: { component: () => import('../views/LoginView.vue') },
  admin: { component: () => import('../views/AdminView.vue'), beforeEnter: adminOnly },
  // The community workforce (admins only, like /admin).
  'admin-workforce': { component: () => import('../views/WorkforceAdminView.vue'), beforeEnter: adminOnly },
  // A county's data package: upload, check, import (admins only).
  'admin-data': { component: () => import('../views/AdminDataView.vue'), beforeEnter: adminOnly },
  // The logged-in account: its password, and logging out.
  account: {
    component: () => import('../views/AccountView.vue'),
    beforeEnter: requireSession((me) => me.kind === 'user'),
  },
};

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: PAGE_PATHS.inspect },
    ...(Object.keys(VIEWS) as PageName[]).map(
      (name) => ({ path: PAGE_PATHS[name], name, ...VIEWS[name] }) as RouteRecordRaw,
    ),
    { path: '/:unknown(.*)*', redirect: PAGE_PATHS.inspect },
  ],
});

installLocaleSync(router);

// A 401 from the API: the session has ended (or never was); log in first, then come back here.
onUnauthorized(() => {
  void useSessionStore().refresh();
  const current = router.currentRoute.value;
  if (current.name !== 'login') void router.push({ path: PAGE_PATHS.login, query: { next: current.fullPath } });
});
