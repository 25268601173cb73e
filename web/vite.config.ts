import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Two entries (DESIGN §3): `index.html` is the desk app (antd, lazy routes) and `m.html` the phone
 * app (no antd, small JS). The server hands `/m/*` and `/q/*` to m.html and every other path to
 * index.html; `phonePages` gives the dev server the same routing so links behave alike in both.
 */
const apiTarget = process.env.TOWERDESK_API ?? `http://localhost:${process.env.TOWERDESK_PORT ?? 8080}`;

function phonePages(): Plugin {
  return {
    name: 'towerdesk-phone-pages',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const url = req.url ?? '';
        if (url === '/m' || url.startsWith('/m/') || url.startsWith('/q/')) {
          const accept = req.headers.accept ?? '';
          // Only page loads: scripts and assets under /m/… are never requested, but be exact anyway.
          if (accept.includes('text/html')) req.url = '/m.html';
        }
        next();
      });
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), phonePages()],
  server: {
    port: Number(process.env.WEB_PORT ?? 5173),
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  build: {
    outDir: path.join(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    // antd alone is ~300 kB gzip; it is the desk's known cost and no longer worth a warning.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      input: {
        index: path.join(import.meta.dirname, 'index.html'),
        m: path.join(import.meta.dirname, 'm.html'),
      },
    },
  },
});
