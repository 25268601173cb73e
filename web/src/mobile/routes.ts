/** The phone app's paths, as pure data so they can be tested without a browser. */
export type Route =
  | { name: 'home' }
  | { name: 'scan' }
  | { name: 'token'; token: string }
  | { name: 'place'; id: string }
  | { name: 'report' }
  | { name: 'items' }
  | { name: 'item'; id: string }
  | { name: 'arrive'; id: string }
  | { name: 'inbox' }
  | { name: 'tasks' }
  | { name: 'task'; id: string };

/**
 * Paths of the phone app: /m/, /m/scan, /m/places/<id>, /q/<token> from a QR label, and the work
 * items: /m/report (报修, ?placeId=), /m/items, /m/items/<id>, /m/items/<id>/arrive (扫码到场),
 * /m/inbox (消息).
 */
export function matchRoute(pathname: string): Route {
  let m = /^\/q\/([A-Za-z0-9_-]{8,64})\/?$/.exec(pathname);
  if (m) return { name: 'token', token: m[1]! };
  m = /^\/m\/places\/([0-9a-f-]{36})\/?$/.exec(pathname);
  if (m) return { name: 'place', id: m[1]! };
  if (/^\/m\/scan\/?$/.test(pathname)) return { name: 'scan' };
  m = /^\/m\/items\/([0-9a-f-]{36})(\/arrive)?\/?$/.exec(pathname);
  if (m) return m[2] ? { name: 'arrive', id: m[1]! } : { name: 'item', id: m[1]! };
  if (/^\/m\/items\/?$/.test(pathname)) return { name: 'items' };
  if (/^\/m\/report\/?$/.test(pathname)) return { name: 'report' };
  if (/^\/m\/inbox\/?$/.test(pathname)) return { name: 'inbox' };
  // 我的任务 (IN-3): /m/tasks, /m/tasks/<id> (?cp=<checkpoint order>).
  m = /^\/m\/tasks\/([0-9a-f-]{36})\/?$/.exec(pathname);
  if (m) return { name: 'task', id: m[1]! };
  if (/^\/m\/tasks\/?$/.test(pathname)) return { name: 'tasks' };
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

/** The place token in a scanned label text (for arrival by scan), or null when it is not our label. */
export function scannedToken(text: string, origin: string): string | null {
  const path = scannedPath(text, origin);
  if (!path) return null;
  const r = matchRoute(path);
  return r.name === 'token' ? r.token : null;
}
