import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Table, Tag, Tooltip } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { PageTitle, QueryState, useCan } from '../common.tsx';
import { useXlsxExport } from '../reports/shared.tsx';
import { minute, Progress, RecordFilters, TaskStateTag, useUrlFilter } from './shared.tsx';
import { TaskDrawer } from './TaskDrawer.tsx';
import type { Page, TaskRecord } from './types.ts';
import '../reports/reports.css';
import './plans.css';

const KEYS = ['from', 'to', 'planId', 'kind', 'placeId', 'staffId', 'result'] as const;

/**
 * 巡检记录 (IN-5, AR-1): task and checkpoint records of a period by plan, kind, place (and what is
 * inside it), person and result; a row opens the task's record; the same search leaves the
 * building as XLSX, one row per answer (audited).
 */
export default function RecordsPage() {
  const { t } = useTranslation();
  const allowed = useCan();
  const { filter, set } = useUrlFilter(KEYS);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['records', 'tasks', filter, page, pageSize],
    queryFn: () => api.get<Page<TaskRecord>>('/api/records/tasks', { ...filter, limit: pageSize, offset: (page - 1) * pageSize }),
    placeholderData: keepPreviousData,
  });
  const xlsx = useXlsxExport('/api/records/tasks.xlsx', filter);
  const setFilter = (p: Parameters<typeof set>[0]) => { set(p); setPage(1); };
  return (
    <div>
      <PageTitle
        title={t('nav.records')}
        sub={list.data ? `${t('pl.total', { n: list.data.total })} · ${t('pl.records.open')}` : t('pl.records.sub')}
        extra={allowed('archive.export') && (
          <Tooltip title={t('pl.exportHint')}>
            <Button icon={<DownloadOutlined />} onClick={() => void xlsx.run()} loading={xlsx.exporting} data-testid="records-export">{t('pl.exportXlsx')}</Button>
          </Tooltip>
        )}
      />
      <RecordFilters filter={filter} set={setFilter} result />
      {list.error && !list.data ? <QueryState loading={false} error={list.error} retry={() => void list.refetch()}>{null}</QueryState> : (
        <Table<TaskRecord>
          rowKey="id" size="middle" loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 1000 }}
          rowClassName={(r) => `clickable${r.state === 'missed' ? ' pl-row-missed' : r.late ? ' pl-row-late' : ''}`}
          onRow={(r) => ({ onClick: () => setOpenId(r.id) })}
          pagination={{
            current: page, pageSize, total: list.data?.total ?? 0, showSizeChanger: true, pageSizeOptions: [20, 50, 100],
            showTotal: (n) => t('pl.total', { n }), onChange: (p, s) => { setPage(s !== pageSize ? 1 : p); setPageSize(s); },
          }}
          columns={[
            { title: t('pl.startsAt'), dataIndex: 'startsAt', width: 140, render: (v: string) => <span className="nowrap mono">{minute(v)}</span> },
            { title: t('pl.plan'), dataIndex: 'planName', onCell: () => ({ style: { minWidth: 200 } }), render: (v: string, r) => <div><div>{v}</div><span className="muted small">{r.kindName}</span></div> },
            { title: t('pl.state'), dataIndex: 'state', width: 150, render: (_, r) => <TaskStateTag state={r.state} name={r.stateName} late={r.late} /> },
            { title: t('pl.progress'), key: 'progress', width: 150, render: (_, r) => <Progress visited={r.visited} planned={r.planned} missed={r.missedCheckpoints} /> },
            { title: t('pl.flags'), key: 'cps', width: 260, render: (_, r) => <CheckpointChips record={r} /> },
            { title: t('pl.answers'), dataIndex: 'answers', width: 70, align: 'right' },
            { title: t('pl.findings'), dataIndex: 'findings', width: 70, align: 'right', render: (v: number) => (v ? <Tag color="red">{v}</Tag> : <span className="muted">0</span>) },
            { title: t('pl.doneBy'), key: 'who', width: 100, render: (_, r) => r.doneByName ?? <span className="muted">{r.assigneeName ?? '—'}</span> },
            { title: t('pl.task.finished'), dataIndex: 'finishedAt', width: 120, render: (v: string | null) => <span className="nowrap">{v ? minute(v).slice(5) : '—'}</span> },
          ]}
        />
      )}
      {openId && <TaskDrawer id={openId} onClose={() => setOpenId(null)} />}
    </div>
  );
}

/** Only the checkpoints worth a look (missed, late, out of order, entered by hand), else one green tag. */
function CheckpointChips({ record: r }: { record: TaskRecord }) {
  const { t } = useTranslation();
  const flagged = r.checkpoints.filter((c) => c.state === 'missed' || c.late || c.outOfOrder || c.proof === 'manual');
  if (!flagged.length) return r.visited > 0 ? <Tag color="green">{t('pl.allScanned')}</Tag> : <span className="muted">—</span>;
  const shown = flagged.slice(0, 10);
  return (
    <span className="pl-cp-chips">
      {shown.map((c) => (
        <Tooltip key={c.order} title={`${c.placeName} ${c.at ? minute(c.at).slice(11) : ''}${c.state === 'missed' ? ` · ${t('pl.task.missed')}` : ''}${c.outOfOrder ? ` · ${t('pl.outOfOrder')}` : ''}${c.late ? ` · ${t('pl.late')}` : ''}${c.proof === 'manual' ? ` · ${t('pl.proofManual')}` : ''}`}>
          <Tag color={c.state === 'missed' ? 'red' : c.late || c.outOfOrder ? 'orange' : 'gold'}>{c.order}</Tag>
        </Tooltip>
      ))}
      {flagged.length > shown.length && <span className="muted small">+{flagged.length - shown.length}</span>}
    </span>
  );
}
