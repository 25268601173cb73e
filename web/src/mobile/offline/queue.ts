import { judgeAnswer, type ChecklistItem } from '@towerdesk/domain';
import type { AnswerValue, TaskCheckpoint, TaskDetail } from './types.ts';

/**
 * The offline queue's rules, pure (no IndexedDB, no fetch) so they are unit-tested: what each
 * queued action does to the local copy of a task (optimistic apply), which entry goes next, how a
 * server answer is classified, how long to wait before retrying, and which checkpoint a scanned
 * label is. store.ts keeps the entries, sync.ts sends them.
 */

/** One thing the user did on the phone, as it will be sent. Photos are referred to by local id. */
export type Action =
  | { type: 'start' }
  /**
   * `order` null: a label the phone cannot place on its copy of the route, queued behind the task's
   * other entries so the server (which may know the place) answers it in order; see nextEntry.
   */
  | { type: 'scan'; order: number | null; token?: string; placeId?: string; reason?: string }
  | { type: 'answers'; checkpoint: number; answers: Array<{ itemId: string; value: AnswerValue }> }
  | { type: 'problem'; checkpoint: number; description: string; photoIds: string[] }
  | { type: 'finish'; note?: string }
  /** A photo taken offline: its blob waits in IndexedDB (store.ts) until uploaded. */
  | { type: 'upload'; photoId: string };

export type EntryStatus = 'pending' | 'failed' | 'conflict';

export interface QueueEntry {
  /** IndexedDB's auto-increment key: the order the actions were taken in, and the order they are sent in. */
  seq?: number;
  /** Sent as Idempotency-Key on every attempt, so a replay after a lost answer records nothing twice. */
  key: string;
  /** The account that acted; another account signed in on the same phone never sends it. */
  accountId: string;
  /** For the optimistic "started by". */
  byName: string;
  taskId: string;
  /** When it happened on the phone (ISO); the server records offline actions at their own time. */
  at: string;
  action: Action;
  status: EntryStatus;
  attempts: number;
  /** The server's refusal (failed / conflict), shown to the user who may discard the entry. */
  error?: { status: number; code: string; message: string } | null;
}

/** Photo ids made on the phone before their upload; replaced by the server's upload id when sent. */
export const LOCAL_PHOTO_PREFIX = 'local-';
export const isLocalPhoto = (id: string) => id.startsWith(LOCAL_PHOTO_PREFIX);

// ---------------------------------------------------------------------------------------------
// Ordering

/** A task whose entries wait after a retryable error: its attempts so far and when it may be tried again (ms epoch). */
export interface Backoff {
  attempts: number;
  until: number;
}

/** A refused scan of a label the phone could not place: nothing later of its task depends on it. */
const isStrayScan = (e: QueueEntry) => e.action.type === 'scan' && e.action.order === null;

/**
 * The entry to send next: the oldest pending one of this account whose task has no refused entry
 * before it and is not waiting out a backoff at `now`. A refused start or scan would make every
 * later action of that task fail too (and an answer must follow its scan), so a task's queue stops
 * at its first refusal until the user retries or discards it — except a refused scan of a label
 * the phone could not place, which no later entry depends on. Other tasks go on; a task's own
 * entries are never sent out of order.
 */
export function nextEntry(entries: readonly QueueEntry[], accountId: string, backoffs: ReadonlyMap<string, Backoff> = new Map(), now = 0): QueueEntry | null {
  const blocked = new Set<string>();
  for (const e of [...entries].sort(bySeq)) {
    if (e.accountId !== accountId) continue;
    if (e.status !== 'pending') {
      if (!(e.status === 'failed' && isStrayScan(e))) blocked.add(e.taskId);
      continue;
    }
    if (blocked.has(e.taskId)) continue;
    if ((backoffs.get(e.taskId)?.until ?? 0) > now) {
      // The task waits; none of its later entries may overtake this one.
      blocked.add(e.taskId);
      continue;
    }
    return e;
  }
  return null;
}

export const bySeq = (a: QueueEntry, b: QueueEntry) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER);

// ---------------------------------------------------------------------------------------------
// Server answers

export type Outcome = 'done' | 'retry' | 'auth' | 'conflict' | 'failed';

/**
 * What to do with an entry after one attempt: `status` 0 means the server was not reached.
 * - network errors, 5xx, 408 and 429 → retry later with backoff (the same key makes it harmless; see retryScope);
 * - 401 → the session ended: keep the entry, stop until the user signs in again;
 * - 409 task_taken / task_done / task_missed / task_not_due → a conflict: someone else owns the task,
 *   it is closed, or it was started too early (the change carries its time: sending again cannot help);
 * - any other 4xx → failed: shown with its message; the user may retry it (same key) or discard it.
 */
export function classify(status: number, code?: string): Outcome {
  if (status >= 200 && status < 300) return 'done';
  if (status === 0 || status >= 500 || status === 408 || status === 429) return 'retry';
  if (status === 401) return 'auth';
  // The server lost the key's record between claiming and reading it: asking again is the fix.
  if (status === 409 && code === 'idempotency_key_gone') return 'retry';
  if (status === 409 && (code === 'task_taken' || code === 'task_done' || code === 'task_missed' || code === 'task_not_due')) return 'conflict';
  return 'failed';
}

/**
 * Whom a retryable error holds back. The server not reached (0), overloaded (429) or behind a
 * gateway that cannot reach it (502–504) fails every request alike: the whole queue waits. Any
 * other 5xx, a 408 or a lost key record is about this request: only its task waits, the others go on.
 */
export function retryScope(status: number): 'all' | 'task' {
  return status === 0 || status === 429 || status === 502 || status === 503 || status === 504 ? 'all' : 'task';
}

/**
 * The backoffs after a retryable error of `taskId`'s entry: that task waits 2 s, 4 s … 60 s by its
 * own count of failures; with scope 'all' every task with pending entries waits at least as long.
 */
export function afterRetry(backoffs: ReadonlyMap<string, Backoff>, entries: readonly QueueEntry[], accountId: string, taskId: string, scope: 'all' | 'task', now: number, jitter = 0): Map<string, Backoff> {
  const next = new Map(backoffs);
  const attempts = (backoffs.get(taskId)?.attempts ?? 0) + 1;
  const mine: Backoff = { attempts, until: now + backoffMs(attempts, jitter) };
  next.set(taskId, mine);
  if (scope === 'all') {
    for (const e of entries) {
      if (e.accountId !== accountId || e.status !== 'pending' || e.taskId === taskId) continue;
      const b = next.get(e.taskId);
      next.set(e.taskId, { attempts: Math.max(b?.attempts ?? 0, attempts), until: Math.max(b?.until ?? 0, mine.until) });
    }
  }
  return next;
}

/** When the loop should wake up next: the earliest backoff of a task that still has something to send. */
export function nextWake(backoffs: ReadonlyMap<string, Backoff>, entries: readonly QueueEntry[], accountId: string, now: number): number | null {
  let wake: number | null = null;
  for (const e of entries) {
    if (e.accountId !== accountId || e.status !== 'pending') continue;
    const until = backoffs.get(e.taskId)?.until;
    if (until !== undefined && until > now && (wake === null || until < wake)) wake = until;
  }
  return wake;
}

/** Wait before retry n (1-based): 2 s, 4 s, 8 s … capped at 60 s; `jitter` in [0,1) spreads phones apart. */
export function backoffMs(attempt: number, jitter = 0): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.max(1, attempt));
  return Math.round(base * (1 + 0.25 * jitter));
}

// ---------------------------------------------------------------------------------------------
// Requests

export interface PlannedRequest {
  method: 'POST' | 'PUT';
  path: string;
  body: Record<string, unknown>;
}

/**
 * The HTTP request of an action, photos mapped to their server ids. A photo mapped to null is gone
 * (its upload was refused and discarded): it is left out, so the rest of the answers still reach
 * the server (a required photo item left empty is then refused naming the item). Null when a photo
 * is not uploaded yet (cannot happen in order, but never send a local id to the server).
 */
export function requestOf(entry: QueueEntry, photoIds: ReadonlyMap<string, string | null>): PlannedRequest | null {
  const a = entry.action;
  const base = `/api/tasks/${entry.taskId}`;
  const at = entry.at;
  const mapIds = (ids: readonly string[]): string[] | null => {
    const out: string[] = [];
    for (const id of ids) {
      const server = isLocalPhoto(id) ? photoIds.get(id) : id;
      if (server === null) continue;
      if (!server) return null;
      out.push(server);
    }
    return out;
  };
  switch (a.type) {
    case 'start':
      return { method: 'POST', path: `${base}/start`, body: { at } };
    case 'scan':
      return { method: 'POST', path: `${base}/scan`, body: a.token ? { token: a.token, at } : { placeId: a.placeId, reason: a.reason, at } };
    case 'answers': {
      const answers: Array<{ itemId: string; value: AnswerValue }> = [];
      for (const x of a.answers) {
        if (Array.isArray(x.value) && x.value.some(isLocalPhoto)) {
          const ids = mapIds(x.value);
          if (!ids) return null;
          answers.push({ itemId: x.itemId, value: ids });
        } else answers.push(x);
      }
      return { method: 'PUT', path: `${base}/answers`, body: { checkpoint: a.checkpoint, answers, at } };
    }
    case 'problem': {
      const ids = mapIds(a.photoIds);
      if (!ids) return null;
      return { method: 'POST', path: `${base}/problems`, body: { checkpoint: a.checkpoint, description: a.description, ...(ids.length ? { attachmentIds: ids } : {}), at } };
    }
    case 'finish':
      return { method: 'POST', path: `${base}/finish`, body: { ...(a.note ? { note: a.note } : {}), at } };
    case 'upload':
      return null; // multipart, sent by sync.ts from the stored blob
  }
}

// ---------------------------------------------------------------------------------------------
// Optimistic apply

export interface ApplyContext {
  lang: 'zh-CN' | 'en-US';
}

const STATE_NAMES = {
  'zh-CN': { scheduled: '待执行', in_progress: '进行中', done: '已完成', missed: '已错过', pendingFinding: '待同步' },
  'en-US': { scheduled: 'Scheduled', in_progress: 'In progress', done: 'Done', missed: 'Missed', pendingFinding: 'Waiting to sync' },
} as const;

function startIfScheduled(t: TaskDetail, e: QueueEntry, ctx: ApplyContext): TaskDetail {
  if (t.state !== 'scheduled') return t;
  return { ...t, state: 'in_progress', stateName: STATE_NAMES[ctx.lang].in_progress, startedAt: e.at, startedByName: e.byName };
}

function mapCheckpoint(t: TaskDetail, order: number, f: (c: TaskCheckpoint) => TaskCheckpoint): TaskDetail {
  return { ...t, checkpoints: t.checkpoints.map((c) => (c.order === order ? f(c) : c)) };
}

/** The server's judgement, re-done on the phone so a failed item shows as a finding at once. */
function judge(item: TaskDetail['checkpoints'][number]['items'][number], value: AnswerValue, lang: ApplyContext['lang']) {
  const def = { ...item, options: item.options ?? [], failing: item.failing ?? [], unit: item.unit ?? '', required: item.required ?? false } as unknown as ChecklistItem;
  // Photos are local ids here; the judgement of a photo item only looks at the count.
  const j = judgeAnswer(def, value);
  if (!j.valid || !j.finding) return { finding: false, why: null };
  return { finding: true, why: j.why ? (lang === 'en-US' ? j.why.en : j.why.zh) : null };
}

/**
 * One queued action applied to the local copy of its task, as the server will apply it. Applying
 * an action the copy already shows (the server took it, its answer was lost, the page reloaded)
 * changes nothing visible: scans keep their first time, answers replace, finish is final.
 */
export function applyEntry(task: TaskDetail, e: QueueEntry, ctx: ApplyContext): TaskDetail {
  const a = e.action;
  if (task.state === 'done' || task.state === 'missed') return task;
  switch (a.type) {
    case 'start':
      return startIfScheduled(task, e, ctx);
    case 'scan': {
      const order = a.order;
      const cp = order === null ? undefined : task.checkpoints.find((c) => c.order === order);
      // A label the phone cannot place shows nothing until the server answers it.
      if (!cp || order === null) return task;
      const started = startIfScheduled(task, e, ctx);
      if (cp.state === 'visited') return started;
      const earlierPending = task.checkpoints.some((c) => c.order < order && c.state === 'pending');
      return mapCheckpoint(started, order, (c) => ({
        ...c, state: 'visited', scannedAt: e.at, proof: a.token ? 'qr' : 'manual', outOfOrder: earlierPending,
        late: Date.parse(e.at) > Date.parse(task.lateAt),
      }));
    }
    case 'answers':
      return mapCheckpoint(task, a.checkpoint, (c) => ({
        ...c,
        items: c.items.map((it) => {
          const ans = a.answers.find((x) => x.itemId === it.id);
          if (!ans) return it;
          const j = judge(it, ans.value, ctx.lang);
          // A finding the server already raised for this item stays linked until the server says otherwise.
          return { ...it, answer: { value: ans.value, finding: j.finding, why: j.why, answeredAt: e.at, findingItem: j.finding ? it.answer?.findingItem ?? null : null } };
        }),
      }));
    case 'problem': {
      const id = `pending-${e.key}`;
      if (task.findings.some((f) => f.id === id)) return task;
      return {
        ...task,
        findings: [...task.findings, { id, number: '', title: a.description, state: 'pending', stateName: STATE_NAMES[ctx.lang].pendingFinding, checkpoint: a.checkpoint }],
      };
    }
    case 'finish':
      return {
        ...task,
        state: 'done', stateName: STATE_NAMES[ctx.lang].done, finishedAt: e.at, finishedByName: e.byName,
        checkpoints: task.checkpoints.map((c) => (c.state === 'pending' ? { ...c, state: 'missed' } : c)),
      };
    case 'upload':
      return task;
  }
}

/** The task as the user sees it: the server's last copy with every action not yet acknowledged on top. */
export function viewOf(base: TaskDetail, entries: readonly QueueEntry[], ctx: ApplyContext): TaskDetail {
  return [...entries].sort(bySeq).filter((e) => e.taskId === base.id).reduce((t, e) => applyEntry(t, e, ctx), base);
}

// ---------------------------------------------------------------------------------------------
// Scanned labels

/** How early a scan may start a scheduled task. */
export const EARLY_START_MS = 15 * 60_000;
/** How early the server lets a task be started at all (rounds.ts EARLY_START; 409 task_not_due). */
export const START_BUTTON_MS = 60 * 60_000;
/** Whether 开始任务 may be pressed now (an earlier start would only come back refused). */
export const mayStartNow = (task: Pick<TaskDetail, 'startsAt'>, now: number) => Date.parse(task.startsAt) - START_BUTTON_MS <= now;

export type TokenMatch =
  | { kind: 'checkpoint'; task: TaskDetail; checkpoint: TaskCheckpoint }
  /** A task is in progress but this label is none of its checkpoints. */
  | { kind: 'not_in_task'; task: TaskDetail }
  /** No task in progress: the label opens the place page as before. */
  | { kind: 'none' };

/**
 * Which checkpoint a scanned /q/<token> is. Tasks in progress come first (the newest started
 * first: the one in the user's hand); then a scheduled task due now that has this place, which
 * the scan starts (the server does the same).
 */
export function matchToken(tasks: readonly TaskDetail[], token: string, now: number = Date.now()): TokenMatch {
  const has = (t: TaskDetail) => t.checkpoints.find((c) => c.placeToken === token);
  const running = tasks.filter((t) => t.state === 'in_progress').sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
  for (const t of running) {
    const cp = has(t);
    if (cp) return { kind: 'checkpoint', task: t, checkpoint: cp };
  }
  if (running.length) return { kind: 'not_in_task', task: running[0]! };
  // A label scanned hours before a scheduled round does not start it: only rounds due within 15 minutes.
  const scheduled = tasks
    .filter((t) => t.state === 'scheduled' && Date.parse(t.startsAt) - EARLY_START_MS <= now)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  for (const t of scheduled) {
    const cp = has(t);
    if (cp) return { kind: 'checkpoint', task: t, checkpoint: cp };
  }
  return { kind: 'none' };
}

/** The checkpoint to show on the task screen: the first one visited but not fully answered, else the first pending. */
export function currentCheckpoint(task: TaskDetail): TaskCheckpoint | null {
  const open = task.checkpoints.find((c) => c.state === 'visited' && c.items.some((i) => !i.answer));
  return open ?? task.checkpoints.find((c) => c.state === 'pending') ?? null;
}
