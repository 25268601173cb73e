import { useSyncExternalStore } from 'react';
import { CSRF_HEADER, CSRF_VALUE, newIdempotencyKey, toApiError } from '../../app/api.ts';
import { currentLang } from '../../app/i18n.ts';
import type { Me } from '../../app/types.ts';
import { afterRetry, bySeq, classify, isLocalPhoto, LOCAL_PHOTO_PREFIX, nextEntry, nextWake, requestOf, retryScope, viewOf, type Action, type Backoff, type QueueEntry } from './queue.ts';
import * as store from './store.ts';
import type { TaskDetail } from './types.ts';

/**
 * The phone's offline state and sync loop (IN-3). Every task action is applied to the local copy
 * at once and appended to the IndexedDB queue with its own Idempotency-Key and time; the loop sends
 * the queue in order, one entry at a time, and removes an entry only after the server answered it.
 * Retryable errors are retried with backoff: an unreachable or overloaded server holds the whole
 * queue, any other 5xx only the task whose entry met it (other tasks go on, each task's entries
 * stay in order); a 4xx stops that task's queue (a conflict or a refusal, shown to the user, who
 * may retry or discard it). Sync runs at start, on `online`, every 30 s and
 * after each action. A reload mid-sync re-sends the unacknowledged entry with the same key: the
 * server answers the replay with its first answer, nothing is recorded twice.
 */

export interface OfflineState {
  ready: boolean;
  accountId: string | null;
  /** The browser's view (navigator.onLine), corrected by the last request: an unreachable server counts as offline. */
  online: boolean;
  /** The server's last copy of each task. */
  bases: Record<string, TaskDetail>;
  queue: QueueEntry[];
  /** What to show for each photo: an object URL of the stored blob, or the server's thumbnail. */
  photoUrls: Record<string, string>;
  syncing: boolean;
  lastSyncAt: string | null;
  /** The session ended: the queue waits until the user signs in again. */
  authLost: boolean;
  /** When the loop will try again after a retryable error (ms epoch), for the screen: the earliest of `retryAtByTask`. */
  retryAt: number | null;
  /** Per task waiting out a backoff, when it is tried again. */
  retryAtByTask: Record<string, number>;
}

let state: OfflineState = {
  ready: false, accountId: null, online: typeof navigator === 'undefined' ? true : navigator.onLine,
  bases: {}, queue: [], photoUrls: {}, syncing: false, lastSyncAt: null, authLost: false, retryAt: null, retryAtByTask: {},
};
const listeners = new Set<() => void>();
function set(patch: Partial<OfflineState>) {
  state = { ...state, ...patch };
  listeners.forEach((l) => l());
}
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function useOffline(): OfflineState {
  return useSyncExternalStore(subscribe, () => state);
}

/** Today's tasks as the user sees them: the server's copies with the waiting actions applied. */
export function tasksView(s: OfflineState): TaskDetail[] {
  const ctx = { lang: currentLang() };
  return Object.values(s.bases).map((b) => viewOf(b, s.queue, ctx)).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

export function taskView(s: OfflineState, id: string): TaskDetail | null {
  const b = s.bases[id];
  return b ? viewOf(b, s.queue, { lang: currentLang() }) : null;
}

// ---------------------------------------------------------------------------------------------
// Start

let me: Me | null = null;
let started = false;
let retryTimer = 0;
let listening = false;
/** Tasks waiting after a retryable error (kept in memory: a reload simply tries again at once). */
let backoffs: Map<string, Backoff> = new Map();

/** Called once the account is known (also from the cached one when offline). Idempotent. */
export async function startOffline(account: Me): Promise<void> {
  if (started && me?.id === account.id) return;
  me = account;
  started = true;
  let loaded: Awaited<ReturnType<typeof store.loadAll>>;
  try {
    loaded = await store.loadAll(account.id);
  } catch {
    // No IndexedDB (some private modes): the pages still open; tasks need the network then.
    set({ ready: true, accountId: account.id });
    return;
  }
  const { tasks, queue, photos } = loaded;
  const photoUrls: Record<string, string> = {};
  for (const p of photos) {
    if (p.blob) photoUrls[p.localId] = URL.createObjectURL(p.blob);
    else if (p.thumbUrl) photoUrls[p.localId] = p.thumbUrl;
  }
  set({ ready: true, accountId: account.id, bases: Object.fromEntries(tasks.map((t) => [t.id, t])), queue: queue.sort(bySeq), photoUrls, authLost: false });
  if (!listening) {
    listening = true;
    window.addEventListener('online', () => { set({ online: true }); backoffs = new Map(); void syncNow(); });
    window.addEventListener('offline', () => set({ online: false }));
    window.setInterval(() => void syncNow(), 30_000);
  }
  void syncNow();
}

// ---------------------------------------------------------------------------------------------
// Actions

/** Records an action: applied to the screen at once, queued in IndexedDB, sent when the network allows. */
export async function act(taskId: string, action: Action): Promise<QueueEntry> {
  if (!me) throw new Error('offline store not started');
  const entry: QueueEntry = {
    key: newIdempotencyKey(), accountId: me.id, byName: me.displayName, taskId, at: new Date().toISOString(),
    action, status: 'pending', attempts: 0, error: null,
  };
  const saved = await store.append(entry);
  set({ queue: [...state.queue, saved] });
  void syncNow();
  return saved;
}

/**
 * A photo taken for a task: kept as a blob in IndexedDB and queued for upload before the action
 * that uses it, so in-order sending always has its server id ready. Returns the local id.
 */
export async function addPhoto(taskId: string, file: Blob, name: string): Promise<string> {
  if (!me) throw new Error('offline store not started');
  const localId = `${LOCAL_PHOTO_PREFIX}${newIdempotencyKey()}`;
  const entry: QueueEntry = {
    key: newIdempotencyKey(), accountId: me.id, byName: me.displayName, taskId, at: new Date().toISOString(),
    action: { type: 'upload', photoId: localId }, status: 'pending', attempts: 0, error: null,
  };
  const saved = await store.append(entry, { localId, blob: file, name, serverId: null, thumbUrl: null });
  set({ queue: [...state.queue, saved], photoUrls: { ...state.photoUrls, [localId]: URL.createObjectURL(file) } });
  void syncNow();
  return localId;
}

/**
 * The user sends a refused entry again (重试): back to pending under the SAME Idempotency-Key,
 * which is safe because a refused request stored nothing under its key (the server rolls the claim
 * back), so the retry is a first attempt to the server — and a replay if it succeeds and its answer is lost.
 */
export async function retryEntry(seq: number): Promise<void> {
  const e = state.queue.find((x) => x.seq === seq);
  if (!e || e.status === 'pending') return;
  const next: QueueEntry = { ...e, status: 'pending', error: null };
  await store.updateEntry(next);
  backoffs.delete(e.taskId);
  set({ queue: state.queue.map((x) => (x.seq === seq ? next : x)) });
  void syncNow();
}

/** The user gives up queued entries (a conflict or a refusal): they are removed and never sent. */
export async function discard(seqs: readonly number[]): Promise<void> {
  await store.removeEntries(seqs);
  const drop = new Set(seqs);
  set({ queue: state.queue.filter((e) => !drop.has(e.seq!)) });
  void syncNow();
}

/** Fetches one task (opened by link, not in today's list) into the store. */
export async function loadTask(id: string): Promise<TaskDetail> {
  const res = await call('GET', `/api/tasks/${id}`);
  if (!res.ok) throw toApiError(res.status, res.data, res.status ? `${res.status}` : 'offline');
  const task = res.data as TaskDetail;
  if (me) await store.putTask(me.id, task);
  set({ bases: { ...state.bases, [task.id]: task } });
  return task;
}

/**
 * A scan the phone cannot place (the label is none of the task's checkpoints). Asked of the server
 * directly when online and nothing of the task waits in the queue, so the user sees the server's
 * own answer (422) at once — or, should the server know better than the local copy, the scan is
 * recorded. While the task has queued entries the scan is queued behind them instead (`act` with
 * order null): sent directly it could overtake the task's queued start and scans.
 */
export function hasQueued(s: OfflineState, taskId: string): boolean {
  return s.queue.some((e) => e.taskId === taskId && e.accountId === s.accountId);
}

export async function scanDirect(taskId: string, token: string): Promise<{ ok: true; task: TaskDetail } | { ok: false; status: number; message: string }> {
  const res = await call('POST', `/api/tasks/${taskId}/scan`, { token, at: new Date().toISOString() }, newIdempotencyKey());
  if (res.ok) {
    const task = res.data as TaskDetail;
    if (me) await store.putTask(me.id, task);
    set({ bases: { ...state.bases, [task.id]: task } });
    return { ok: true, task };
  }
  const err = toApiError(res.status, res.data, `${res.status}`);
  return { ok: false, status: res.status, message: err.message };
}

// ---------------------------------------------------------------------------------------------
// Sync loop

let running: Promise<void> | null = null;

/**
 * Sends what waits, then refreshes today's list. One loop at a time in this page, and across tabs
 * (Web Locks). `force` (立即同步) forgets the backoffs: the user asks to try now.
 */
export function syncNow(opts: { force?: boolean } = {}): Promise<void> {
  if (!me || !state.ready) return Promise.resolve();
  if (opts.force) backoffs = new Map();
  // With no network at all nothing is tried (and no attempt counted): the `online` event restarts it.
  if (!navigator.onLine) {
    if (state.online) set({ online: false });
    return Promise.resolve();
  }
  running ??= (async () => {
    set({ syncing: true });
    try {
      const locks = (navigator as Navigator & { locks?: LockManager }).locks;
      if (locks) await locks.request('towerdesk-sync', () => drain());
      else await drain();
    } finally {
      running = null;
      set({ syncing: false });
    }
  })();
  return running;
}

async function drain(): Promise<void> {
  window.clearTimeout(retryTimer);
  // Another tab may have sent entries meanwhile: start from what IndexedDB holds, keeping what this
  // page appended since the read (sequence numbers only grow, so those are above the stored ones).
  const { queue } = await store.loadAll(me!.id);
  const top = queue.reduce((m, e) => Math.max(m, e.seq!), 0);
  set({ queue: [...queue, ...state.queue.filter((e) => e.seq! > top)].sort(bySeq) });
  let serverDown = false;
  for (;;) {
    const entry = nextEntry(state.queue, me!.id, backoffs, Date.now());
    if (!entry) break;
    const outcome = await sendOne(entry);
    if (typeof outcome === 'object') {
      // A retryable error: this task (or, the server being unreachable, every task) waits; others go on.
      const scope = retryScope(outcome.status);
      backoffs = afterRetry(backoffs, state.queue, me!.id, entry.taskId, scope, Date.now(), Math.random());
      if (scope === 'all') {
        serverDown = true;
        break;
      }
      continue;
    }
    if (outcome === 'auth') {
      showBackoffs();
      set({ authLost: true });
      return;
    }
    backoffs.delete(entry.taskId);
  }
  const wake = showBackoffs();
  if (wake !== null) retryTimer = window.setTimeout(() => void syncNow(), Math.max(0, wake - Date.now()));
  set({ authLost: false });
  if (!serverDown) await refreshToday();
}

/** Publishes which tasks wait and until when; returns the earliest wake-up (null: nothing waits). */
function showBackoffs(): number | null {
  const now = Date.now();
  const wake = nextWake(backoffs, state.queue, me!.id, now);
  const byTask: Record<string, number> = {};
  for (const [taskId, b] of backoffs) if (b.until > now && state.queue.some((e) => e.taskId === taskId && e.status === 'pending')) byTask[taskId] = b.until;
  set({ retryAt: wake, retryAtByTask: byTask });
  return wake;
}

async function refreshToday(): Promise<void> {
  const res = await call('GET', '/api/tasks/today');
  if (!res.ok) return;
  const items = (res.data as { items: TaskDetail[] }).items;
  await store.replaceTasks(me!.id, items);
  const { tasks } = await store.loadAll(me!.id);
  set({ bases: Object.fromEntries(tasks.map((t) => [t.id, t])), lastSyncAt: new Date().toISOString() });
}

/** One entry sent; a retryable error comes back with its HTTP status (0: not reached) for retryScope. */
type Sent = 'done' | 'auth' | 'stopped' | { retry: true; status: number };

async function sendOne(entry: QueueEntry): Promise<Sent> {
  if (entry.action.type === 'upload') return sendUpload(entry, entry.action.photoId);
  const photoIds = new Map<string, string | null>();
  for (const id of photoIdsOf(entry)) {
    const p = await store.getPhoto(id);
    if (p?.serverId) photoIds.set(id, p.serverId);
    // Its upload left the queue without a server id (refused, then discarded): the photo is gone;
    // the request leaves it out rather than losing the checkpoint's other answers.
    else if (!state.queue.some((e) => e.action.type === 'upload' && e.action.photoId === id)) photoIds.set(id, null);
  }
  const req = requestOf(entry, photoIds);
  if (!req) {
    // A photo it needs is still waiting for its upload (cannot happen in order). Nothing to send; the user sees why.
    await fail(entry, 'failed', { status: 0, code: 'photo_missing', message: currentLang() === 'en-US' ? 'A photo of this entry was not uploaded' : '此记录的照片未能上传' });
    return 'stopped';
  }
  const res = await call(req.method, req.path, req.body, entry.key);
  const outcome = classify(res.status, (res.data as { error?: { code?: string } } | null)?.error?.code);
  if (outcome === 'done') {
    await store.acknowledge(me!.id, entry.seq!, res.data as TaskDetail);
    set({ queue: state.queue.filter((e) => e.seq !== entry.seq), bases: { ...state.bases, [entry.taskId]: res.data as TaskDetail } });
    return 'done';
  }
  if (outcome === 'retry' || outcome === 'auth') return countAttempt(entry, outcome, res.status);
  const err = toApiError(res.status, res.data, `${res.status}`);
  await fail(entry, outcome, { status: res.status, code: err.code, message: err.message });
  // Show the task as the server has it (who owns it now); the refused records stay listed until discarded.
  if (outcome === 'conflict') await loadTask(entry.taskId).catch(() => {});
  return 'stopped';
}

async function sendUpload(entry: QueueEntry, localId: string): Promise<Sent> {
  const photo = await store.getPhoto(localId);
  if (photo?.serverId) {
    // Uploaded before a reload, entry not yet removed: the mapping is what counts.
    await store.removeEntries([entry.seq!]);
    set({ queue: state.queue.filter((e) => e.seq !== entry.seq) });
    return 'done';
  }
  if (!photo?.blob) {
    await fail(entry, 'failed', { status: 0, code: 'photo_missing', message: currentLang() === 'en-US' ? 'The photo is no longer on this phone' : '照片已不在本机' });
    return 'stopped';
  }
  const form = new FormData();
  form.append('file', photo.blob, photo.name);
  const res = await call('POST', '/api/uploads', form, entry.key);
  const outcome = classify(res.status, (res.data as { error?: { code?: string } } | null)?.error?.code);
  if (outcome === 'done') {
    const up = (res.data as Array<{ id: string; thumbUrl: string }>)[0]!;
    // The mapping local id → server id is stored before the entry leaves the queue (same transaction).
    const next = { ...photo, serverId: up.id, thumbUrl: up.thumbUrl };
    await store.acknowledgeUpload(entry.seq!, next);
    set({ queue: state.queue.filter((e) => e.seq !== entry.seq) });
    return 'done';
  }
  if (outcome === 'retry' || outcome === 'auth') return countAttempt(entry, outcome, res.status);
  const err = toApiError(res.status, res.data, `${res.status}`);
  await fail(entry, 'failed', { status: res.status, code: err.code, message: err.message });
  return 'stopped';
}

function photoIdsOf(entry: QueueEntry): string[] {
  const a = entry.action;
  if (a.type === 'problem') return a.photoIds.filter(isLocalPhoto);
  if (a.type === 'answers') return a.answers.flatMap((x) => (Array.isArray(x.value) ? x.value.filter(isLocalPhoto) : []));
  return [];
}

async function countAttempt(entry: QueueEntry, outcome: 'retry' | 'auth', status: number): Promise<Sent> {
  const next = { ...entry, attempts: entry.attempts + 1 };
  await store.updateEntry(next);
  set({ queue: state.queue.map((e) => (e.seq === entry.seq ? next : e)) });
  return outcome === 'auth' ? 'auth' : { retry: true, status };
}

async function fail(entry: QueueEntry, status: 'failed' | 'conflict', error: NonNullable<QueueEntry['error']>) {
  const next: QueueEntry = { ...entry, status, error, attempts: entry.attempts + 1 };
  await store.updateEntry(next);
  set({ queue: state.queue.map((e) => (e.seq === entry.seq ? next : e)) });
}

interface CallResult { ok: boolean; status: number; data: unknown }

/** One request; status 0 when the server was not reached. Flips `online` by what happened. */
async function call(method: string, path: string, body?: unknown, key?: string): Promise<CallResult> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLang() };
  if (method !== 'GET') headers[CSRF_HEADER] = CSRF_VALUE;
  if (key) headers['Idempotency-Key'] = key;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    if (state.online) set({ online: false });
    return { ok: false, status: 0, data: null };
  }
  if (!state.online) set({ online: true });
  const text = await res.text().catch(() => '');
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  return { ok: res.ok, status: res.status, data };
}
