import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

/**
 * The phone app's service worker (IN-3, docs/offline.md). It precaches the phone entry only
 * (m.html and the files it links; vite.config.ts picks them) and answers every page load under
 * /m/ and /q/ with that m.html from the cache, so a scanned label opens with no network at all.
 * It never touches /api: data offline is the page's business (IndexedDB queue, offline/sync.ts).
 * Cache-first for the shell is safe because file names carry content hashes and a new build
 * changes m.html's revision: the new worker installs, takes over, and the next load is fresh.
 */
declare const self: {
  __WB_MANIFEST: Array<{ url: string; revision: string | null }>;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (e: { waitUntil(p: Promise<unknown>): void }) => void): void;
};

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('/m.html'), { allowlist: [/^\/m(\/|$)/, /^\/q\//] }));

// A new version takes over at once: the shell is one page with no lazy chunks to go missing.
self.addEventListener('install', (e) => e.waitUntil(self.skipWaiting()));
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
