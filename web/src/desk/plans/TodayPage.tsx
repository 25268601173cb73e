import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Empty, Progress as Bar, Segmented, Select, Tag } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { shanghaiToday } from '../../app/dates.ts';
import { PageTitle, QueryState } from '../common.tsx';
import { hhmm, TaskStateTag, useKindOptions } from './shared.tsx';
import { TaskDrawer } from './TaskDrawer.tsx';
import type { Page, TaskRecord, TaskState } from './types.ts';
import './plans.css';

const STATES: TaskState[] = ['scheduled', 'in_progress', 'done', 'missed'];

/**
 * 今日任务: the day's tasks of every plan as cards in start order — state, who, how many
 * checkpoints are reached — with late ones orange and missed ones red; refreshed every minute.
 * A card opens the task's record.
 */
export default function TodayPage() {
  const { t } = useTranslation();
  const [date, setDate] = useState(shanghaiToday());
  const [kind, setKind] = useState<string | undefined>();
  const [state, setState] = useState<'all' | TaskState>('all');
  const [openId, setOpenId] = useState<string | null>(null);
  const kinds = useKindOptions();
  const day = useQuery({
    queryKey: ['records', 'day', date, kind],
    queryFn: () => api.get<Page<TaskRecord>>('/api/records/day', { date, kind }),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const all = day.data?.items ?? [];
  const items = state === 'all' ? all : all.filter((i) => i.state === state);
  const count = (f: (i: TaskRecord) => boolean) => all.filter(f).length;
  return (
    <div>
      <PageTitle
        title={t('nav.tasksToday')}
        sub={t('pl.today.sub', { date, n: all.length, done: count((i) => i.state === 'done'), late: count((i) => i.late), missed: count((i) => i.state === 'missed') })}
        extra={<Button icon={<ReloadOutlined />} onClick={() => void day.refetch()} loading={day.isFetching}>{t('pl.today.refresh')}</Button>}
      />
      <div className="filter-bar">
        <DatePicker value={dayjs(date)} allowClear={false} onChange={(d) => d && setDate(d.format('YYYY-MM-DD'))} data-testid="today-date" />
        <Select allowClear placeholder={t('pl.allKinds')} value={kind} onChange={setKind} options={kinds} style={{ width: 140 }} />
        <Segmented value={state} onChange={(v) => setState(v as typeof state)}
          options={[{ value: 'all', label: t('pl.results.all') }, ...STATES.map((s) => ({ value: s, label: `${t(`pl.states.${s}`)} ${count((i) => i.state === s)}` }))]} />
      </div>
      <QueryState loading={day.isPending} error={day.error} retry={() => void day.refetch()}>
        {items.length === 0 ? <Empty description={t('pl.today.empty')} /> : (
          <div className="pl-today" data-testid="today-board">
            {items.map((r) => {
              const tone = r.state === 'missed' ? 'missed' : r.late ? 'late' : r.state;
              const upcoming = r.state === 'scheduled' && new Date(r.startsAt) > new Date();
              return (
                <Card key={r.id} size="small" className={`pl-card pl-card-${tone}`} onClick={() => setOpenId(r.id)} data-testid="today-card">
                  <div className="pl-card-top">
                    <span className="pl-card-time">{hhmm(r.startsAt)}<span className="muted small"> – {hhmm(r.dueAt)}</span></span>
                    <TaskStateTag state={r.state} name={r.stateName} late={r.late} />
                  </div>
                  <div className="pl-card-name">{r.planName} <Tag>{r.kindName}</Tag></div>
                  <div className="muted small">
                    {t('pl.assignee')}：{r.doneByName ?? r.assigneeName ?? '—'}
                    {upcoming && ` · ${t('pl.today.upcoming')}`}
                    {r.findings > 0 && <Tag color="red" style={{ marginLeft: 6 }}>{t('pl.findings')} {r.findings}</Tag>}
                  </div>
                  <Bar percent={r.planned ? Math.round((r.visited / r.planned) * 100) : 0} size="small"
                    status={r.state === 'missed' || r.missedCheckpoints > 0 ? 'exception' : r.state === 'done' ? 'success' : 'normal'}
                    format={() => `${r.visited}/${r.planned}`} />
                </Card>
              );
            })}
          </div>
        )}
      </QueryState>
      {openId && <TaskDrawer id={openId} onClose={() => setOpenId(null)} />}
    </div>
  );
}
