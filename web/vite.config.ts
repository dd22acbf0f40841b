import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Paths are resolved from this file so the build works from any working directory.
const webRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: webRoot,
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    // `vite --config web/vite.config.ts` during development: the API comes from a running Baton server.
    proxy: {
      // ws: the realtime socket (/api/v1/realtime) goes through the same proxy.
      '/api': { target: 'http://127.0.0.1:3000', ws: true },
      '/files': 'http://127.0.0.1:3000',
    },
  },
});
