/** The phone app's paths, as pure data so they can be tested without a browser. */
export type Route =
  | { name: 'home' }
  | { name: 'scan' }
  | { name: 'token'; token: string }
  | { name: 'place'; id: string };

/** Paths of the phone app: /m/, /m/scan, /m/places/<id>, and /q/<token> from a QR label. */
export function matchRoute(pathname: string): Route {
  let m = /^\/q\/([A-Za-z0-9_-]{8,64})\/?$/.exec(pathname);
  if (m) return { name: 'token', token: m[1]! };
  m = /^\/m\/places\/([0-9a-f-]{36})\/?$/.exec(pathname);
  if (m) return { name: 'place', id: m[1]! };
  if (/^\/m\/scan\/?$/.test(pathname)) return { name: 'scan' };
  return { name: 'home' };
}

/**
 * Where a scanned text leads: our labels encode `<origin>/q/<token>`. The origin may differ (a
 * label printed while the site was reached under another host name); the path is what matters.
 * Anything else (a URL of another system, plain text) is not ours: null.
 */
export function scannedPath(text: string, origin: string): string | null {
  try {
    const url = new URL(text.trim(), origin);
    return matchRoute(url.pathname).name === 'token' ? url.pathname : null;
  } catch {
    return null;
  }
}
