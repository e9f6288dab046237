// Routes: one view per page of the dashboard. `/` opens the leaders' map.
import { createRouter, createWebHistory } from 'vue-router';
import { requestEarly } from '../api/early-requests';
import { onUnauthorized } from '../api/http';
import { STATIONS_URL } from '../api/stations';
import { STYLE_URL } from '../api/style';
import { WALL_FIGURES_URL } from '../api/wall';
import { fetchMe } from '../api/auth';
import { installLocaleSync } from '../i18n/locale-sync';

const WALL_FIRST_REQUESTS = [STYLE_URL, WALL_FIGURES_URL, STATIONS_URL];

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/inspect' },
    // The wall's first requests go out while its code loads.
    {
      path: '/wall',
      name: 'wall',
      component: () => import('../views/WallView.vue'),
      beforeEnter: () => void requestEarly(WALL_FIRST_REQUESTS),
    },
    { path: '/inspect', name: 'inspect', component: () => import('../views/InspectView.vue') },
    { path: '/plan', name: 'plan', component: () => import('../views/PlanView.vue') },
    { path: '/report', name: 'report', component: () => import('../views/ReportView.vue') },
    { path: '/events', name: 'events', component: () => import('../views/EventsView.vue') },
    { path: '/login', name: 'login', component: () => import('../views/LoginView.vue') },
    // Admins only (the server enforces it on every request; this spares others a page of errors).
    {
      path: '/admin',
      name: 'admin',
      component: () => import('../views/AdminView.vue'),
      beforeEnter: async (to) =>
        (await fetchMe())?.role === 'admin' ? true : { path: '/login', query: { next: to.fullPath, need: 'admin' } },
    },
    // The community workforce (admins only, like /admin).
    {
      path: '/admin/workforce',
      name: 'admin-workforce',
      component: () => import('../views/WorkforceAdminView.vue'),
      beforeEnter: async (to) =>
        (await fetchMe())?.role === 'admin' ? true : { path: '/login', query: { next: to.fullPath, need: 'admin' } },
    },
    // The logged-in account: its password, and logging out.
    {
      path: '/account',
      name: 'account',
      component: () => import('../views/AccountView.vue'),
      beforeEnter: async (to) =>
        (await fetchMe())?.kind === 'user' ? true : { path: '/login', query: { next: to.fullPath } },
    },
    { path: '/:unknown(.*)*', redirect: '/inspect' },
  ],
});

installLocaleSync(router);

// A 401 from the API: log in first, then come back here.
onUnauthorized(() => {
  const current = router.currentRoute.value;
  if (current.name !== 'login') void router.push({ path: '/login', query: { next: current.fullPath } });
});
