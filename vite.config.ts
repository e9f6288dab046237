import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The client lives in client/; the server serves dist/ in production and mounts Vite as middleware in dev.
export default defineConfig({
  root: 'client',
  publicDir: 'public',
  plugins: [vue()],
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
});
