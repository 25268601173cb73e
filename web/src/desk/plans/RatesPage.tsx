import { useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Segmented, Table } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { PageTitle, QueryState } from '../common.tsx';
import { pct, shanghaiNow } from '../reports/shared.tsx';
import { Chart, type ChartOption } from './Chart.tsx';
import { RecordFilters, useUrlFilter } from './shared.tsx';
import type { RateFigures, Rates, RouteMonth } from './types.ts';
import '../reports/reports.css';
import './plans.css';

const KEYS = ['from', 'to', 'planId', 'kind', 'placeId', 'staffId', 'by'] as const;
const GROUPS = ['plan', 'kind', 'person', 'week'] as const;

/**
 * 完成率 (IN-5): completion and on-time rates of the tasks past their window, per plan, kind,
 * person or ISO week, with the checkpoints reached and missed; a bar chart of both rates; and the
 * month's route report per plan (tasks, done, on time, missed points, findings, answers).
 */
export default function RatesPage() {
  const { t } = useTranslation();
  const { filter, set } = useUrlFilter(KEYS);
  const by = (filter.by ?? 'plan') as (typeof GROUPS)[number];
  const rates = useQuery({
    queryKey: ['records', 'rates', filter],
    queryFn: () => api.get<Rates>('/api/records/rates', { ...filter, by }),
    placeholderData: keepPreviousData,
  });
  const [month, setMonth] = useState(shanghaiNow().format('YYYY-MM'));
  const routes = useQuery({
    queryKey: ['records', 'routes', month],
    queryFn: () => api.get<RouteMonth>('/api/records/routes/monthly', { month }),
    placeholderData: keepPreviousData,
  });
  const items = rates.data?.items ?? [];
  const option = useMemo<ChartOption>(() => ({
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${v}%` },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 72 },
    xAxis: { type: 'category', data: items.map((i) => i.name), axisLabel: { interval: 0, rotate: items.length > 6 ? 30 : 0, width: 110, overflow: 'truncate' } },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      { type: 'bar', name: t('pl.rates.completion'), data: items.map((i) => (i.completionRate === null ? null : Math.round(i.completionRate * 1000) / 10)) },
      { type: 'bar', name: t('pl.rates.onTimeRate'), data: items.map((i) => (i.onTimeRate === null ? null : Math.round(i.onTimeRate * 1000) / 10)) },
      { type: 'bar', name: t('pl.rates.cpRate'), data: items.map((i) => (i.checkpointRate === null ? null : Math.round(i.checkpointRate * 1000) / 10)) },
    ],
  }), [items, t]);
  type Row = RateFigures & { key: string | null; name: string };
  const rows: Row[] = rates.data ? [...items, { ...rates.data.total, key: '__total', name: t('pl.rates.totalRow') }] : [];
  return (
    <div>
      <PageTitle title={t('nav.rates')} sub={t('pl.rates.sub')} />
      <RecordFilters filter={filter} set={set} />
      <div className="filter-bar">
        <span>{t('pl.rates.by')}</span>
        <Segmented value={by} onChange={(v) => set({ by: v === 'plan' ? undefined : String(v) })} options={GROUPS.map((g) => ({ value: g, label: t(`pl.rates.groups.${g}`) }))} data-testid="rates-by" />
      </div>
      <QueryState loading={rates.isPending} error={rates.error} retry={() => void rates.refetch()}>
        <Card size="small" className="rp-card" title={t('pl.rates.chart')}>
          <Chart option={option} height={300} testId="rates-chart" />
        </Card>
        <Table<Row>
          rowKey={(r) => r.key ?? '__none'} size="small" pagination={false} dataSource={rows} scroll={{ x: 900 }} data-testid="rates-table"
          rowClassName={(r) => (r.key === '__total' ? 'pl-total-row' : '')}
          columns={[
            { title: t(`pl.rates.groups.${by}`), dataIndex: 'name' },
            { title: t('pl.rates.tasks'), dataIndex: 'tasks', align: 'right', width: 70 },
            { title: t('pl.rates.done'), dataIndex: 'done', align: 'right', width: 70 },
            { title: t('pl.rates.onTime'), dataIndex: 'onTime', align: 'right', width: 70 },
            { title: t('pl.rates.missed'), dataIndex: 'missed', align: 'right', width: 80, render: (v: number) => (v ? <span className="text-red">{v}</span> : v) },
            { title: t('pl.rates.completion'), dataIndex: 'completionRate', align: 'right', width: 80, render: (v: number | null) => pct(v) },
            { title: t('pl.rates.onTimeRate'), dataIndex: 'onTimeRate', align: 'right', width: 80, render: (v: number | null) => pct(v) },
            { title: t('pl.rates.cps'), dataIndex: 'checkpoints', align: 'right', width: 80 },
            { title: t('pl.rates.cpMissed'), dataIndex: 'missedCheckpoints', align: 'right', width: 80, render: (v: number) => (v ? <span className="text-red">{v}</span> : v) },
            { title: t('pl.rates.cpRate'), dataIndex: 'checkpointRate', align: 'right', width: 80, render: (v: number | null) => pct(v) },
          ]}
        />
      </QueryState>
      <Card size="small" className="rp-card" style={{ marginTop: 16 }} title={t('pl.rates.month')}
        extra={<DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && setMonth(d.format('YYYY-MM'))} data-testid="route-month" />}>
        <div className="muted small" style={{ marginBottom: 8 }}>{t('pl.rates.monthSub')}</div>
        <QueryState loading={routes.isPending} error={routes.error} retry={() => void routes.refetch()}>
          <Table<RouteMonth['items'][number]>
            rowKey="planId" size="small" pagination={false} dataSource={routes.data?.items ?? []} scroll={{ x: 900 }} data-testid="route-report"
            columns={[
              { title: t('pl.plan'), dataIndex: 'planName', render: (v: string, r) => <div>{v} <span className="muted small">{r.kindName}</span></div> },
              { title: t('pl.rates.tasks'), dataIndex: 'tasks', align: 'right', width: 70 },
              { title: t('pl.rates.decided'), dataIndex: 'decided', align: 'right', width: 70 },
              { title: t('pl.rates.done'), dataIndex: 'done', align: 'right', width: 70 },
              { title: t('pl.rates.onTime'), dataIndex: 'onTime', align: 'right', width: 70 },
              { title: t('pl.rates.completion'), dataIndex: 'completionRate', align: 'right', width: 80, render: (v: number | null) => pct(v) },
              { title: t('pl.rates.onTimeRate'), dataIndex: 'onTimeRate', align: 'right', width: 80, render: (v: number | null) => pct(v) },
              { title: t('pl.rates.missed'), dataIndex: 'missed', align: 'right', width: 80 },
              { title: t('pl.rates.cpMissed'), dataIndex: 'missedCheckpoints', align: 'right', width: 80 },
              { title: t('pl.rates.findingsCol'), dataIndex: 'findings', align: 'right', width: 70 },
              { title: t('pl.rates.answersCol'), dataIndex: 'answers', align: 'right', width: 80 },
            ]}
          />
        </QueryState>
      </Card>
    </div>
  );
}
