/**
 * Live updates (DESIGN §4, issue 3 items 5, 7, 12): one EventSource on /api/live per page, shared
 * by every component that calls `useLive()`. The server sends ids only (`work_item` {itemId},
 * `notification`); each event invalidates the react-query keys that show it, so the data itself
 * is re-read through the API and its row scope. After a reconnect everything work-related is
 * refetched once, since events sent while the stream was down are lost.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { workKeys } from './workQueries.ts';
import { ME_KEY } from './auth.ts';

export type LiveStatus = 'connecting' | 'open' | 'retrying';

/** Reconnect delays after the browser gave up (e.g. a 401 or 5xx answer): 1 s, 2 s, 4 s … 30 s. */
export const backoffMs = (attempt: number) => Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));

/** Lists change on any item event; bursts (a sweep firing many clocks) are coalesced into one refetch. */
const LIST_BATCH_MS = 250;

let users = 0;
let source: EventSource | null = null;
let client: QueryClient | null = null;
let status: LiveStatus = 'connecting';
let attempt = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let listTimer: ReturnType<typeof setTimeout> | undefined;
let closeTimer: ReturnType<typeof setTimeout> | undefined;
let everOpened = false;
const listeners = new Set<() => void>();

function setStatus(s: LiveStatus) {
  if (s === status) return;
  status = s;
  for (const l of listeners) l();
}

function invalidateLists() {
  if (listTimer) return;
  listTimer = setTimeout(() => {
    listTimer = undefined;
    void client?.invalidateQueries({ queryKey: workKeys.all, predicate: (q) => q.queryKey[1] === 'list' });
  }, LIST_BATCH_MS);
}

function connect() {
  if (typeof EventSource === 'undefined') return;
  setStatus(attempt ? 'retrying' : 'connecting');
  const es = new EventSource('/api/live');
  source = es;
  es.onopen = () => {
    attempt = 0;
    setStatus('open');
    // Whatever happened while the stream was down was not heard: read it all again once.
    if (everOpened) {
      void client?.invalidateQueries({ queryKey: workKeys.all });
      void client?.invalidateQueries({ queryKey: workKeys.inbox });
    }
    everOpened = true;
  };
  es.addEventListener('work_item', (e) => {
    let itemId: string | undefined;
    try { itemId = (JSON.parse((e as MessageEvent<string>).data) as { itemId?: string }).itemId; } catch { /* a ping without data */ }
    if (itemId) void client?.invalidateQueries({ queryKey: workKeys.detail(itemId) });
    invalidateLists();
  });
  es.addEventListener('notification', () => void client?.invalidateQueries({ queryKey: workKeys.inbox }));
  // The server ends a stream whose session has ended: asking who we are again shows the sign-in page.
  es.addEventListener('signed_out', () => void client?.invalidateQueries({ queryKey: ME_KEY }));
  es.onerror = () => {
    // CONNECTING: the browser retries by itself (the server asks for 5 s). CLOSED: it gave up
    // (an error status, e.g. the session ended), so we retry with backoff.
    if (es.readyState === EventSource.CLOSED) {
      es.close();
      source = null;
      setStatus('retrying');
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => { retryTimer = undefined; if (users > 0) connect(); }, backoffMs(attempt++));
    } else {
      setStatus('retrying');
    }
  };
}

function disconnect() {
  if (users > 0) return;
  clearTimeout(retryTimer);
  retryTimer = undefined;
  clearTimeout(listTimer);
  listTimer = undefined;
  source?.close();
  source = null;
  attempt = 0;
  everOpened = false;
  setStatus('connecting');
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const snapshot = () => status;

/** One more user of the stream (opened by the first); `release` undoes it. Exported for the unit test. */
export function acquireLive(qc: QueryClient) {
  client = qc;
  clearTimeout(closeTimer);
  if (users++ === 0 && !source && !retryTimer) connect();
}
export function releaseLive() {
  // Moving from one page to the next unmounts one user and mounts the next: keep the stream.
  if (--users === 0) closeTimer = setTimeout(disconnect, 2000);
}
export const liveStatus = snapshot;

/**
 * Keeps the page subscribed to live updates while the calling component is mounted, and returns
 * the stream's state (for a "live" / "reconnecting" hint). Safe to call from many components.
 */
export function useLive(enabled = true): LiveStatus {
  const qc = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    acquireLive(qc);
    return releaseLive;
  }, [enabled, qc]);
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

/** Polling only as a slow safety net when the live stream works; the stream does the real work. */
export const FALLBACK_REFETCH_MS = 120_000;
