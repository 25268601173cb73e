import { Workbox } from 'workbox-window';

/**
 * Registers the service worker (src/sw/sw.ts, built to /sw.js) for the phone entry only, in
 * production builds (the dev server has no sw.js). Scope `/`: it must see /q/<token> page loads too.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const wb = new Workbox('/sw.js', { scope: '/' });
  wb.register().catch(() => {
    // No worker (private mode, http on a LAN host): the app still works online.
  });
}
