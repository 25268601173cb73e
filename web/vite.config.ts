import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

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

/** The phone app's web manifest (installable, docs/offline.md) and its icons, drawn here so no binary sits in the repo. */
const BRAND: [number, number, number] = [0x0b, 0x5c, 0xab];
function phoneManifest(): Plugin {
  return {
    name: 'towerdesk-phone-manifest',
    apply: 'build',
    generateBundle() {
      for (const size of [192, 512]) this.emitFile({ type: 'asset', fileName: `icons/icon-${size}.png`, source: iconPng(size) });
      const manifest = {
        name: '楼宇运维 towerdesk', short_name: '楼宇运维', description: '金文大厦物业运维 · 巡检巡逻、报修、扫码',
        lang: 'zh-CN', start_url: '/m/', scope: '/', display: 'standalone', orientation: 'portrait',
        theme_color: '#0b5cab', background_color: '#f2f4f7',
        icons: [192, 512].map((s) => ({ src: `/icons/icon-${s}.png`, sizes: `${s}x${s}`, type: 'image/png', purpose: 'any maskable' })),
      };
      this.emitFile({ type: 'asset', fileName: 'manifest.webmanifest', source: JSON.stringify(manifest, null, 2) });
    },
  };
}

/** A square PNG: the brand blue, full bleed (maskable), with the white "T" of the favicon inside the safe zone. */
function iconPng(size: number): Buffer {
  const inT = (x: number, y: number) => (x >= 10 && x < 22 && y >= 7 && y < 11) || (x >= 14 && x < 18 && y >= 11 && y < 25);
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) row.set(inT((x * 32) / size, (y * 32) / size) ? [255, 255, 255] : BRAND, 1 + x * 3);
    rows.push(row);
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const chunk = (type: string, data: Buffer) => {
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    let c = 0xffffffff;
    for (const b of td) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    td.copy(out, 4);
    out.writeUInt32BE((c ^ 0xffffffff) >>> 0, 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * The service worker (src/sw/sw.ts, docs/decisions.md): injectManifest precaches the phone entry
 * only — m.html, the scripts and styles it links (read from the built m.html), the manifest and
 * icons — never the desk's antd chunks.
 */
const outDir = path.join(import.meta.dirname, 'dist');
function phoneFilesOnly(entries: Array<{ url: string; revision: string | null; size: number }>) {
  const html = fs.readFileSync(path.join(outDir, 'm.html'), 'utf8');
  const linked = new Set([...html.matchAll(/(?:src|href)="\/([^"]+)"/g)].map((m) => m[1]!));
  // jsQR is loaded on demand by the scanner (src/mobile/camera.ts) and must work offline too.
  const keep = entries.filter((e) => e.url === 'm.html' || e.url === 'manifest.webmanifest' || e.url.startsWith('icons/') || linked.has(e.url) || /^assets\/jsQR-/i.test(e.url));
  return { manifest: keep, warnings: [] };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [
    react(),
    phonePages(),
    phoneManifest(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      injectRegister: false, // registered by the phone entry only (src/mobile/offline/register.ts)
      manifest: false, // written by phoneManifest and linked from m.html only: the desk is not an app to install
      injectManifest: {
        globPatterns: ['m.html', 'manifest.webmanifest', 'icons/*.png', 'assets/*.{js,css}'],
        manifestTransforms: [phoneFilesOnly],
      },
    }),
  ],
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
