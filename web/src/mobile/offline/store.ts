import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { QueueEntry } from './queue.ts';
import type { TaskDetail } from './types.ts';

/**
 * The phone's offline store (IndexedDB through `idb`): the server's last copy of today's tasks,
 * the queue of actions not yet acknowledged, photos taken offline (the blob until uploaded, then
 * the server's id) and who was signed in. Everything the sync loop needs survives a reload.
 */
interface OfflineDb extends DBSchema {
  tasks: { key: string; value: TaskDetail & { accountId: string } };
  queue: { key: number; value: QueueEntry; indexes: { byTask: string } };
  photos: { key: string; value: StoredPhoto };
  meta: { key: string; value: unknown };
}

export interface StoredPhoto {
  localId: string;
  /** Until uploaded; dropped once the server has it (the thumbnail then comes from the server). */
  blob: Blob | null;
  name: string;
  /** The upload id from POST /api/uploads, written before the upload entry leaves the queue. */
  serverId: string | null;
  /** The server's thumbnail URL once uploaded. */
  thumbUrl: string | null;
}

let dbPromise: Promise<IDBPDatabase<OfflineDb>> | null = null;

export function db(): Promise<IDBPDatabase<OfflineDb>> {
  dbPromise ??= openDB<OfflineDb>('towerdesk-offline', 1, {
    upgrade(d) {
      d.createObjectStore('tasks', { keyPath: 'id' });
      const q = d.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
      q.createIndex('byTask', 'taskId');
      d.createObjectStore('photos', { keyPath: 'localId' });
      d.createObjectStore('meta');
    },
  });
  return dbPromise;
}

export async function loadAll(accountId: string) {
  const d = await db();
  const [tasks, queue, photos] = await Promise.all([d.getAll('tasks'), d.getAll('queue'), d.getAll('photos')]);
  return { tasks: tasks.filter((t) => t.accountId === accountId), queue, photos };
}

/**
 * Today's list from the server replaces the stored one for this account; a task that left the
 * list (tomorrow came) is kept while it still has queued actions, so nothing waiting is orphaned.
 */
export async function replaceTasks(accountId: string, tasks: readonly TaskDetail[]): Promise<void> {
  const d = await db();
  const tx = d.transaction(['tasks', 'queue'], 'readwrite');
  const waiting = new Set((await tx.objectStore('queue').getAll()).map((e) => e.taskId));
  const keep = new Set(tasks.map((t) => t.id));
  for (const old of await tx.objectStore('tasks').getAll()) {
    if (old.accountId === accountId && !keep.has(old.id) && !waiting.has(old.id)) await tx.objectStore('tasks').delete(old.id);
  }
  for (const t of tasks) await tx.objectStore('tasks').put({ ...t, accountId });
  await tx.done;
}

export async function putTask(accountId: string, task: TaskDetail): Promise<void> {
  await (await db()).put('tasks', { ...task, accountId });
}

/** Appends an action; returns it with its sequence number. The photo, if any, is stored in the same transaction. */
export async function append(entry: QueueEntry, photo?: StoredPhoto): Promise<QueueEntry> {
  const d = await db();
  const tx = d.transaction(['queue', 'photos'], 'readwrite');
  if (photo) await tx.objectStore('photos').put(photo);
  const { seq: _drop, ...rest } = entry;
  const seq = await tx.objectStore('queue').add(rest as QueueEntry);
  await tx.done;
  return { ...entry, seq };
}

export async function updateEntry(entry: QueueEntry): Promise<void> {
  await (await db()).put('queue', entry);
}

/**
 * The server acknowledged an entry: its answer (the task, when it is one) is stored and the entry
 * removed in one transaction, so a reload sees either both or neither.
 */
export async function acknowledge(accountId: string, seq: number, task: TaskDetail | null): Promise<void> {
  const d = await db();
  const tx = d.transaction(['queue', 'tasks'], 'readwrite');
  if (task) await tx.objectStore('tasks').put({ ...task, accountId });
  await tx.objectStore('queue').delete(seq);
  await tx.done;
}

/** An upload went through: remember the server id (and drop the blob) in the same transaction that removes the entry. */
export async function acknowledgeUpload(seq: number, photo: StoredPhoto): Promise<void> {
  const d = await db();
  const tx = d.transaction(['queue', 'photos'], 'readwrite');
  await tx.objectStore('photos').put(photo);
  await tx.objectStore('queue').delete(seq);
  await tx.done;
}

export async function removeEntries(seqs: readonly number[]): Promise<void> {
  const d = await db();
  const tx = d.transaction('queue', 'readwrite');
  for (const s of seqs) await tx.store.delete(s);
  await tx.done;
}

export async function getPhoto(localId: string): Promise<StoredPhoto | undefined> {
  return (await db()).get('photos', localId);
}

export async function getMeta<T>(key: string): Promise<T | undefined> {
  return (await (await db()).get('meta', key)) as T | undefined;
}

export async function setMeta(key: string, value: unknown): Promise<void> {
  await (await db()).put('meta', value, key);
}
