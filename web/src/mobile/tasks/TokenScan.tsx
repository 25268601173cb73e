import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../app/types.ts';
import { PlaceView } from '../PlaceView.tsx';
import { linkProps, navigate } from '../router.ts';
import { matchToken } from '../offline/queue.ts';
import { act, hasQueued, scanDirect, tasksView, useOffline } from '../offline/sync.ts';
import { Card, Spinner, TopBar } from '../ui.tsx';
import { SyncBar } from './SyncBar.tsx';
import './tasks.css';

/** The label last taken as a scan, so a re-render (or React's double effects) never queues it twice. */
let lastTaken: { token: string; at: number } | null = null;

/**
 * A label opened as /q/<token> (the phone's camera or WeChat scanned it; offline the service
 * worker serves the app). During a task it is that checkpoint's scan, recorded on the phone and
 * synced (IN-3); a label that is not in the task in progress says so (online with the server's
 * own 422 message); with no task in progress it is the place page as before.
 */
export function TokenScan({ token, me }: { token: string; me: Me }) {
  const { t } = useTranslation();
  const s = useOffline();
  const [server, setServer] = useState<string | null>(null);
  /** The stray label queued behind the task's waiting records: its sequence number, to follow its answer. */
  const [queuedSeq, setQueuedSeq] = useState<number | null>(null);
  const match = s.ready && me.staffId ? matchToken(tasksView(s), token) : null;

  useEffect(() => {
    if (match?.kind !== 'checkpoint') return;
    const { task, checkpoint } = match;
    if (checkpoint.state === 'pending' && !(lastTaken?.token === token && Date.now() - lastTaken.at < 5000)) {
      lastTaken = { token, at: Date.now() };
      void act(task.id, { type: 'scan', order: checkpoint.order, token });
    }
    navigate(`/m/tasks/${task.id}?cp=${checkpoint.order}`, { replace: true });
  }, [match?.kind, token]); // eslint-disable-line react-hooks/exhaustive-deps

  const notInTask = match?.kind === 'not_in_task' ? match.task : null;
  useEffect(() => {
    // Online, the server has the last word: its 422 names the problem (or it knows the place after all).
    if (!notInTask || !s.online) return;
    if (hasQueued(s, notInTask.id)) {
      // Sent directly it would overtake the task's queued start and scans: it waits its turn instead.
      if (lastTaken?.token === token && Date.now() - lastTaken.at < 5000) return;
      lastTaken = { token, at: Date.now() };
      void act(notInTask.id, { type: 'scan', order: null, token }).then((e) => setQueuedSeq(e.seq!));
      return;
    }
    void scanDirect(notInTask.id, token).then((r) => {
      if (r.ok) navigate(`/m/tasks/${notInTask.id}`, { replace: true });
      else setServer(r.message);
    });
  }, [notInTask?.id, token]); // eslint-disable-line react-hooks/exhaustive-deps

  // The queued label's answer: refused → the server's message; taken (the server knew the place) → the task.
  const queued = queuedSeq === null ? undefined : s.queue.find((e) => e.seq === queuedSeq);
  useEffect(() => {
    if (queuedSeq === null || !notInTask) return;
    if (queued?.error) setServer(queued.error.message);
    else if (!queued && s.bases[notInTask.id]?.checkpoints.some((c) => c.placeToken === token && c.state === 'visited')) navigate(`/m/tasks/${notInTask.id}`, { replace: true });
  }, [queuedSeq, queued, notInTask?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!me.staffId || match?.kind === 'none') return <PlaceView token={token} me={me} />;
  if (!notInTask) return <><TopBar title={t('m.task.title')} back="/m/tasks" /><main className="m-main"><Spinner /></main></>;
  // Not on the route: say so above the place page (a repair's arrival by this label still works there).
  const banner = (
    <>
      <SyncBar />
      <Card className="t-wrong">
        <div data-testid="not-in-task">
          <p className="t-wrong-title">{t('m.task.notInTask', { task: notInTask.planName })}</p>
          {server && <p className="m-muted" data-testid="server-says">{t('m.task.serverSays', { msg: server })}</p>}
        </div>
        <a className="m-btn m-btn-primary m-btn-block" {...linkProps(`/m/tasks/${notInTask.id}`)}>{t('m.task.backToTask')}</a>
      </Card>
    </>
  );
  return <PlaceView token={token} me={me} banner={banner} />;
}
