import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatShort, useNowTick } from './time.ts';
import { discard, retryEntry, syncNow, useOffline } from '../offline/sync.ts';
import type { QueueEntry } from '../offline/queue.ts';

/**
 * Online/offline and what waits to sync (IN-3): a count that opens the list of queued actions;
 * refused ones show the server's message and can be sent again (重试, a refusal only) or discarded.
 * On a task's screen (`taskId`) the retry countdown is that task's, and the refusals are shown by
 * the screen itself (RefusedEntries), so the bar does not repeat them.
 */
export function SyncBar({ taskId }: { taskId?: string }) {
  const { t } = useTranslation();
  const s = useOffline();
  const now = useNowTick(s.retryAt ? 1000 : 0);
  const [open, setOpen] = useState(false);
  const entries = s.queue.filter((e) => !taskId || e.taskId === taskId);
  const refused = entries.filter((e) => e.status !== 'pending');
  const retryAt = taskId ? s.retryAtByTask[taskId] ?? null : s.retryAt;
  const waitSecs = retryAt ? Math.max(0, Math.ceil((retryAt - now) / 1000)) : null;
  return (
    <section className={`t-sync${s.online ? '' : ' t-sync-off'}`} data-testid="sync-bar" data-online={s.online ? '1' : '0'} data-waiting={entries.length}>
      <div className="t-sync-row">
        <span className={`t-dot${s.online ? ' t-dot-on' : ''}`} aria-hidden="true" />
        <strong>{s.online ? t('m.task.sync.online') : t('m.task.sync.offline')}</strong>
        <button type="button" className="t-sync-count" data-testid="sync-count" onClick={() => setOpen((o) => !o)} disabled={!entries.length}>
          {entries.length ? t('m.task.sync.waiting', { n: entries.length }) : t('m.task.sync.synced')}
          {entries.length > 0 && <span className="t-caret" aria-hidden="true">{open ? '▴' : '▾'}</span>}
        </button>
        {s.syncing && <span className="t-sync-note">{t('m.task.sync.syncing')}</span>}
        {!s.online && entries.length > 0 && <span className="t-sync-note">{t('m.task.sync.whenOnline')}</span>}
        {s.online && !s.syncing && waitSecs !== null && entries.length > 0 && <span className="t-sync-note">{t('m.task.sync.retryAt', { s: waitSecs })}</span>}
        {s.online && entries.some((e) => e.status === 'pending') && !s.syncing && (
          <button type="button" className="m-link t-sync-now" onClick={() => void syncNow({ force: true })}>{t('m.task.sync.now')}</button>
        )}
      </div>
      {s.authLost && <div className="t-sync-warn">{t('m.task.sync.auth')}</div>}
      {refused.length > 0 && !open && !taskId && <div className="t-sync-warn" data-testid="sync-refused">{t('m.task.sync.failed')}: {refused[0]!.error?.message}</div>}
      {open && entries.length > 0 && (
        <ol className="t-queue" data-testid="sync-list" aria-label={t('m.task.sync.list')}>
          {entries.map((e) => <QueueRow key={e.seq} e={e} />)}
        </ol>
      )}
      {!entries.length && s.lastSyncAt && <div className="t-sync-last">{t('m.task.sync.lastSync', { time: formatShort(s.lastSyncAt) })}</div>}
    </section>
  );
}

function QueueRow({ e }: { e: QueueEntry }) {
  const { t } = useTranslation();
  const what = t(`m.task.sync.kind.${e.action.type}`);
  const { bases } = useOffline();
  const task = bases[e.taskId];
  const order = e.action.type === 'scan' ? e.action.order : e.action.type === 'answers' || e.action.type === 'problem' ? e.action.checkpoint : null;
  const place = order !== null ? task?.checkpoints.find((c) => c.order === order)?.placeName : null;
  const detail = place ? ` · ${place}` : '';
  return (
    <li className={`t-queue-row t-queue-${e.status}`}>
      <span className="t-queue-time">{formatShort(e.at)}</span>
      <span className="t-queue-what">{what}{detail}</span>
      {e.status === 'pending' ? (
        <span className="t-queue-state">{e.attempts ? `×${e.attempts}` : ''}</span>
      ) : (
        <>
          <span className="t-queue-state">{e.status === 'conflict' ? t('m.task.sync.conflict') : t('m.task.sync.failed')}</span>
          {e.status === 'failed' && (
            <button type="button" className="m-btn m-btn-small" data-testid="entry-retry" onClick={() => void retryEntry(e.seq!)}>{t('m.task.sync.retry')}</button>
          )}
          <button type="button" className="m-btn m-btn-small m-btn-danger" data-testid="entry-discard" onClick={() => void discard([e.seq!])}>{t('m.task.sync.discard')}</button>
          {e.error && <div className="t-queue-error">{e.error.message}</div>}
        </>
      )}
    </li>
  );
}
