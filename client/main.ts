// Entry point: zod without eval, fonts and page styles, then the Vue app with router, i18n and Pinia.
import './zod-config';
import '@fontsource/noto-sans-sc/400.css';
import './styles/app.css';
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';

createApp(App).use(createPinia()).use(i18n).use(router).mount('#app');
