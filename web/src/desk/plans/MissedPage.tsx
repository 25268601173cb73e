import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { PageTitle, QueryState } from '../common.tsx';
import { minute, RecordFilters, useUrlFilter } from './shared.tsx';
import { TaskDrawer } from './TaskDrawer.tsx';
import type { MissedCheckpoint, Page } from './types.ts';
import '../reports/reports.css';
import './plans.css';

const KEYS = ['from', 'to', 'planId', 'kind', 'placeId', 'staffId'] as const;

/** 漏检 (IN-5): the checkpoints nobody reached in the period's tasks — plan, task time, place, who. */
export default function MissedPage() {
  const { t } = useTranslation();
  const { filter, set } = useUrlFilter(KEYS);
  const [page, setPage] = useState(1);
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['records', 'missed', filter, page],
    queryFn: () => api.get<Page<MissedCheckpoint>>('/api/records/missed', { ...filter, limit: 50, offset: (page - 1) * 50 }),
    placeholderData: keepPreviousData,
  });
  return (
    <div>
      <PageTitle title={t('nav.missed')} sub={list.data ? `${t('pl.missed.sub')} · ${t('pl.total', { n: list.data.total })}` : t('pl.missed.sub')} />
      <RecordFilters filter={filter} set={(p) => { set(p); setPage(1); }} />
      <QueryState loading={list.isPending} error={list.error} retry={() => void list.refetch()}>
        <Table<MissedCheckpoint>
          rowKey={(r) => `${r.taskId}:${r.checkpoint}`} size="middle" loading={list.isFetching} dataSource={list.data?.items ?? []} data-testid="missed-table"
          rowClassName={() => 'clickable'} onRow={(r) => ({ onClick: () => setOpenId(r.taskId) })}
          pagination={{ current: page, pageSize: 50, total: list.data?.total ?? 0, onChange: setPage, showTotal: (n) => t('pl.total', { n }) }}
          columns={[
            { title: t('pl.startsAt'), dataIndex: 'startsAt', width: 150, render: (v: string) => <span className="mono nowrap">{minute(v)}</span> },
            { title: t('pl.plan'), dataIndex: 'planName', render: (v: string, r) => <div>{v} <span className="muted small">{r.kindName}</span></div> },
            { title: t('pl.missed.checkpoint'), key: 'cp', render: (_, r) => <div><Tag color="red">{t('pl.missed.order', { n: r.checkpoint })}</Tag>{r.place.name} <span className="muted small mono">{r.place.code}</span></div> },
            { title: t('pl.missed.taskState'), dataIndex: 'taskStateName', width: 100 },
            { title: t('pl.assignee'), dataIndex: 'assigneeName', width: 140, render: (v: string | null) => v ?? '—' },
          ]}
        />
      </QueryState>
      {openId && <TaskDrawer id={openId} onClose={() => setOpenId(null)} />}
    </div>
  );
}
