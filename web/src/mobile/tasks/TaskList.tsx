import { useTranslation } from 'react-i18next';
import { useNames } from '../../app/i18n.ts';
import { linkProps } from '../router.ts';
import { tasksView, useOffline } from '../offline/sync.ts';
import type { TaskDetail } from '../offline/types.ts';
import { Card, Spinner, TopBar } from '../ui.tsx';
import { SyncBar } from './SyncBar.tsx';
import { hhmm, useNowTick } from './time.ts';
import './tasks.css';

/**
 * 我的任务 (IN-3): today's tasks from the phone's own store (so the list opens offline), grouped
 * by state, late ones flagged, with the sync bar on top.
 */
export function TaskList() {
  const { t } = useTranslation();
  const s = useOffline();
  const tasks = tasksView(s);
  const groups: Array<{ key: 'in_progress' | 'scheduled' | 'done'; items: TaskDetail[] }> = [
    { key: 'in_progress', items: tasks.filter((x) => x.state === 'in_progress') },
    { key: 'scheduled', items: tasks.filter((x) => x.state === 'scheduled') },
    { key: 'done', items: tasks.filter((x) => x.state === 'done' || x.state === 'missed') },
  ];
  return (
    <>
      <TopBar title={t('m.task.title')} back="/m/" />
      <main className="m-main">
        <SyncBar />
        {!s.ready && <Spinner />}
        {s.ready && !tasks.length && <p className="m-note" data-testid="no-tasks">{s.lastSyncAt || !s.online ? t('m.task.none') : t('m.task.loading')}</p>}
        {groups.filter((g) => g.items.length).map((g) => (
          <Card key={g.key} title={`${t(`m.task.group.${g.key}`)} (${g.items.length})`}>
            <div className="m-items">
              {g.items.map((task) => <TaskRow key={task.id} task={task} />)}
            </div>
          </Card>
        ))}
      </main>
    </>
  );
}

export function isLate(task: TaskDetail, now: number): boolean {
  if (task.late) return true;
  return (task.state === 'scheduled' || task.state === 'in_progress') && now > Date.parse(task.lateAt);
}

function TaskRow({ task }: { task: TaskDetail }) {
  const { t } = useTranslation();
  const names = useNames();
  const now = useNowTick(60_000);
  const visited = task.checkpoints.filter((c) => c.state === 'visited').length;
  const late = isLate(task, now);
  const waiting = useOffline().queue.filter((e) => e.taskId === task.id).length;
  return (
    <a className="m-item t-task" data-testid="task-row" data-task={task.id} data-state={task.state} {...linkProps(`/m/tasks/${task.id}`)}>
      <div className="m-item-head">
        <span className={`m-chip t-kind t-kind-${task.kind}`}>{task.kindName}</span>
        <span className="t-window">{t('m.task.window', { from: hhmm(task.startsAt), to: hhmm(task.dueAt) })}</span>
        {late && <span className="m-chip m-urg-urgent" data-testid="late">{t('m.task.late')}</span>}
        <span className={`m-chip m-item-state t-state-${task.state}`}>{t(`m.task.state.${task.state}`)}</span>
      </div>
      <div className="m-item-title">{task.planName}</div>
      <div className="m-item-sub">
        <span>{t('m.task.points', { done: visited, n: task.checkpoints.length })}{task.findings.length ? ` · ${t('m.task.findings')} ${task.findings.length}` : ''}</span>
        <span>{waiting ? t('m.task.sync.waiting', { n: waiting }) : task.assigneeName ?? (task.assigneeTrade ? t('m.task.pool', { trade: names.trade(task.assigneeTrade) }) : '')}</span>
      </div>
    </a>
  );
}
