import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatShort } from '../../app/dates.ts';
import { useInbox, useMarkRead, workKeys } from '../../app/workQueries.ts';
import { navigate } from '../router.ts';
import { ErrorBox, Spinner, TopBar } from '../ui.tsx';

/** 消息: every step of one's items, assignments, warnings; a tap opens the item and marks it read. */
export function Inbox() {
  const { t } = useTranslation();
  const inbox = useInbox();
  const mark = useMarkRead();
  const qc = useQueryClient();
  const all = useMutation({
    mutationFn: () => api.post('/api/notifications/all/read'),
    onSuccess: () => void qc.invalidateQueries({ queryKey: workKeys.inbox }),
  });
  const unread = inbox.data?.unread ?? 0;
  return (
    <>
      <TopBar title={t('m.inbox.title')} back="/m/" />
      <main className="m-main">
        {unread > 0 && (
          <button type="button" className="m-btn m-btn-small" onClick={() => all.mutate()} disabled={all.isPending}>{t('m.inbox.readAll', { n: unread })}</button>
        )}
        {inbox.isPending && <Spinner />}
        {inbox.error && <ErrorBox error={inbox.error} retry={() => void inbox.refetch()} />}
        {inbox.data && (inbox.data.items.length === 0 ? <p className="m-note m-muted">{t('m.inbox.empty')}</p> : (
          <ul className="m-inbox" data-testid="inbox">
            {inbox.data.items.map((n) => (
              <li key={n.id}>
                <button type="button" className={`m-note-item${n.read ? '' : ' m-unread'}`} onClick={() => {
                  if (!n.read) mark.mutate(n.id);
                  if (n.entityType === 'work_item' && n.entityId) navigate(`/m/items/${n.entityId}`);
                }}>
                  <span className="m-note-title">{!n.read && <span className="m-dot" aria-label={t('m.inbox.unread')} />}{n.title}</span>
                  {n.body && <span className="m-note-body">{n.body}</span>}
                  <span className="m-note-at">{formatShort(n.at)}</span>
                </button>
              </li>
            ))}
          </ul>
        ))}
      </main>
    </>
  );
}
