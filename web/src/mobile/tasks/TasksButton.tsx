import { useTranslation } from 'react-i18next';
import { linkProps } from '../router.ts';
import { tasksView, useOffline } from '../offline/sync.ts';
import './tasks.css';

/** 我的任务 on the phone home of staff: today's count and what waits to sync, from the offline store. */
export function TasksButton() {
  const { t } = useTranslation();
  const s = useOffline();
  const open = tasksView(s).filter((x) => x.state === 'scheduled' || x.state === 'in_progress').length;
  return (
    <a className="m-scan t-home" data-testid="tasks-button" {...linkProps('/m/tasks')}>
      <svg viewBox="0 0 24 24" width="34" height="34" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M9 5H7a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-2M9 5a2 2 0 0 0 2 2h2a2 2 0 0 0 2-2M9 5a2 2 0 0 1 2-2h2a2 2 0 0 1 2 2M9 14l2 2 4-4" />
      </svg>
      <span className="m-scan-text">
        <strong>{t('m.task.title')}</strong>
        <small>{open ? t('m.task.homeCount', { n: open }) : t('m.task.homeNone')}{s.queue.length ? ` · ${t('m.task.sync.waiting', { n: s.queue.length })}` : ''}</small>
      </span>
    </a>
  );
}
