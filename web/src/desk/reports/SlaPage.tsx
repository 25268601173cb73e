import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Table, Tag, Tooltip } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { useNames } from '../../app/i18n.ts';
import { listJoin, paren } from '../../app/lists.ts';
import { PageTitle, QueryState } from '../common.tsx';
import { EChart, type ChartOption } from './EChart.tsx';
import { Kpi, minutesText, pct, rateTone, scoreText, shanghaiNow } from './shared.tsx';
import type { Percentiles, Score, SlaReport } from './types.ts';
import './locales.ts';
import './reports.css';

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
/** A zero-length bar segment gets no number drawn beside it. */
const hideZero = (p: { value?: unknown }) => (p.value ? String(p.value) : '');

/**
 * 服务时效 (RP-3, RP-10, CP-5): how the promises were kept in a period — urgent repairs reached
 * within 30 minutes (a QR scan proves the arrival; a manual one is counted apart), response and
 * completion times per trade, first-time fixes and reopens, each technician's record and each
 * complaint owner's. Every figure is counted from the items' clocks on the server.
 */
export default function SlaPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const names = useNames();
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const q = { from: range?.[0].format('YYYY-MM-DD'), to: range?.[1].format('YYYY-MM-DD') };
  const sla = useQuery({
    queryKey: ['reports', 'sla', q],
    queryFn: () => api.get<SlaReport>('/api/reports/sla', q),
    placeholderData: keepPreviousData,
  });
  const r = sla.data;
  const shown: [Dayjs, Dayjs] | null = range ?? (r ? [dayjs(r.from), dayjs(r.to)] : null);

  const tradeOption = useMemo<ChartOption | null>(() => {
    if (!r) return null;
    const trades = r.byTrade.filter((b) => b.repairs > 0);
    const bar = (name: string, data: Array<number | null>) => ({ type: 'bar' as const, name, data, barMaxWidth: 16 });
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: [{ left: 8, top: 64, width: '46%', bottom: 8, containLabel: true }, { right: 8, top: 64, width: '46%', bottom: 8, containLabel: true }],
      xAxis: [
        { type: 'category', gridIndex: 0, data: trades.map((b) => b.name), axisLabel: { interval: 0, fontSize: 11 }, name: '' },
        { type: 'category', gridIndex: 1, data: trades.map((b) => b.name), axisLabel: { interval: 0, fontSize: 11 } },
      ],
      yAxis: [
        { type: 'value', gridIndex: 0, name: t('rp.sla.responseMin'), nameTextStyle: { align: 'left', padding: [0, 0, 0, -24] } },
        { type: 'value', gridIndex: 1, name: t('rp.sla.resolutionH'), nameTextStyle: { align: 'left', padding: [0, 0, 0, -24] } },
      ],
      series: [
        { ...bar(t('rp.sla.responseP50'), trades.map((b) => round1(b.response.p50))), xAxisIndex: 0, yAxisIndex: 0 },
        { ...bar(t('rp.sla.responseP90'), trades.map((b) => round1(b.response.p90))), xAxisIndex: 0, yAxisIndex: 0 },
        { ...bar(t('rp.sla.resolutionP50'), trades.map((b) => round1(b.resolution.p50 === null ? null : b.resolution.p50 / 60))), xAxisIndex: 1, yAxisIndex: 1 },
        { ...bar(t('rp.sla.resolutionP90'), trades.map((b) => round1(b.resolution.p90 === null ? null : b.resolution.p90 / 60))), xAxisIndex: 1, yAxisIndex: 1 },
      ],
    };
  }, [r, t]);

  const arrivalOption = useMemo<ChartOption | null>(() => {
    if (!r) return null;
    const ua = r.urgentArrival;
    const rows: Array<[string, Percentiles]> = [[t('rp.sla.proven'), ua.proven], [t('rp.sla.unproven'), ua.unproven]];
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map(([n]) => n), inverse: true },
      series: [
        { type: 'bar', stack: 'a', name: t('rp.sla.inTime', { n: ua.limitMinutes }), data: rows.map(([, p]) => p.met), itemStyle: { color: '#52c41a' }, label: { show: true, formatter: hideZero }, barMaxWidth: 28 },
        { type: 'bar', stack: 'a', name: t('rp.sla.late'), data: rows.map(([, p]) => p.n - p.met), itemStyle: { color: '#f5222d' }, label: { show: true, formatter: hideZero }, barMaxWidth: 28 },
      ],
    };
  }, [r, t]);

  const ua = r?.urgentArrival;
  /** The person's items of the period in the archive, to see which ones were late. */
  const archiveOf = (staffId: string, kind: string) => `/reports/archive?${new URLSearchParams({ technicianId: staffId, kind, from: r?.from ?? '', to: r?.to ?? '' })}`;
  return (
    <div>
      <PageTitle
        title={t('nav.sla')}
        sub={r ? t('rp.sla.sub', { from: r.from, to: r.to, n: r.repairs.total }) : undefined}
        extra={(
          <DatePicker.RangePicker value={shown} allowClear={false} data-testid="sla-period"
            disabledDate={(d) => d.isAfter(shanghaiNow(), 'day')}
            presets={[
              { label: t('rp.last', { n: 30 }), value: [shanghaiNow().subtract(29, 'day'), shanghaiNow()] },
              { label: t('rp.last', { n: 90 }), value: [shanghaiNow().subtract(89, 'day'), shanghaiNow()] },
              { label: t('rp.last', { n: 180 }), value: [shanghaiNow().subtract(179, 'day'), shanghaiNow()] },
            ]}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
        )}
      />
      <QueryState loading={sla.isPending} error={sla.error} retry={() => void sla.refetch()}>
        {r && ua && (
          <>
            <div className="rp-kpis">
              <Kpi testId="kpi-urgent-arrival" tone={rateTone(ua.rate)} label={t('rp.sla.urgentArrival', { n: ua.limitMinutes })} value={pct(ua.rate)}
                sub={t('rp.sla.urgentArrivalSub', { met: ua.met, n: ua.n, p50: minutesText(ua.p50, en), p90: minutesText(ua.p90, en) })} />
              <Kpi testId="kpi-proven" tone={ua.n && ua.unproven.n / ua.n > 0.2 ? 'orange' : 'blue'} label={t('rp.sla.provenShare')}
                value={ua.n ? pct(ua.proven.n / ua.n) : '—'}
                sub={t('rp.sla.provenSub', { proven: ua.proven.n, unproven: ua.unproven.n, pr: pct(ua.proven.rate), ur: pct(ua.unproven.rate) })}
                hint={t('rp.sla.provenHint')} />
              <Kpi testId="kpi-first-fix" tone={rateTone(r.repairs.firstTimeFix.rate)} label={t('rp.sla.firstTimeFix')} value={pct(r.repairs.firstTimeFix.rate)}
                sub={t('rp.sla.ofCompleted', { met: r.repairs.firstTimeFix.met, n: r.repairs.firstTimeFix.n })} hint={t('rp.sla.firstTimeFixHint')} />
              <Kpi testId="kpi-reopen" tone={r.repairs.reopen.rate === null ? 'grey' : r.repairs.reopen.rate <= 0.05 ? 'green' : r.repairs.reopen.rate <= 0.1 ? 'orange' : 'red'}
                label={t('rp.sla.reopen')} value={pct(r.repairs.reopen.rate)}
                sub={t('rp.sla.reopenSub', { k: r.repairs.reopen.reopened, n: r.repairs.reopen.n, c: r.repairs.complainedAbout })} />
            </div>
            <div className="rp-charts">
              <Card size="small" title={t('rp.sla.byTrade')} className="rp-card">
                {tradeOption && <EChart option={tradeOption} height={300} testId="trade-chart" />}
              </Card>
              <Card size="small" title={t('rp.sla.arrivalTitle', { n: ua.limitMinutes })} className="rp-card">
                {arrivalOption && <EChart option={arrivalOption} height={300} testId="arrival-chart" />}
              </Card>
            </div>
            <Card size="small" title={t('rp.sla.tradeTable')} className="rp-card">
              <Table size="small" pagination={false} rowKey="trade" dataSource={r.byTrade} data-testid="trade-table"
                columns={[
                  { title: t('wb.trade'), dataIndex: 'name' },
                  { title: t('rp.sla.repairs'), dataIndex: 'repairs', align: 'right', width: 70 },
                  { title: t('rp.sla.urgentCount'), dataIndex: 'urgent', align: 'right', width: 70 },
                  { title: t('rp.sla.arrivalCol'), key: 'a', render: (_, b) => <P50P90 p={b.arrival} en={en} /> },
                  { title: t('rp.sla.responseCol'), key: 'r', render: (_, b) => <P50P90 p={b.response} en={en} /> },
                  { title: t('rp.sla.resolutionCol'), key: 's', render: (_, b) => <P50P90 p={b.resolution} en={en} /> },
                  { title: t('rp.sla.urgentResolutionCol'), key: 'u', render: (_, b) => <P50P90 p={b.urgentResolution} en={en} /> },
                ]} />
            </Card>
            <div className="rp-charts rp-charts-even">
              <Card size="small" title={t('rp.sla.byTechnician')} className="rp-card">
                <Table size="small" rowKey="staffId" dataSource={r.byTechnician} data-testid="tech-table" pagination={{ pageSize: 10, hideOnSinglePage: true, size: 'small' }}
                  columns={[
                    {
                      title: t('rp.sla.technician'), dataIndex: 'name',
                      render: (n: string, s) => <span><Link to={archiveOf(s.staffId, 'repair')} title={t('rp.sla.toArchive')}>{n}</Link> <span className="muted small">{listJoin(s.trades.map(names.trade), i18n.language)}</span></span>,
                    },
                    { title: t('rp.sla.items'), dataIndex: 'items', align: 'right', width: 60, sorter: (a, b) => a.items - b.items, defaultSortOrder: 'descend' },
                    { title: t('rp.sla.completed'), dataIndex: 'completed', align: 'right', width: 60 },
                    { title: t('rp.sla.onTime'), key: 'o', width: 130, render: (_, s) => <Rate s={s.onTime} />, sorter: (a, b) => (a.onTime.rate ?? -1) - (b.onTime.rate ?? -1) },
                    { title: t('rp.sla.reopened'), dataIndex: 'reopened', align: 'right', width: 60 },
                    { title: t('rp.sla.rating'), key: 'g', width: 92, className: 'nowrap', render: (_, s) => (s.averageRating === null ? '—' : `${s.averageRating.toFixed(1)}★${paren(s.rated, i18n.language)}`) },
                  ]} />
              </Card>
              <Card size="small" title={t('rp.sla.byResponsible')} className="rp-card">
                <Table size="small" rowKey="staffId" dataSource={r.complaintsByResponsible} data-testid="responsible-table" pagination={{ pageSize: 10, hideOnSinglePage: true, size: 'small' }}
                  columns={[
                    { title: t('rp.sla.responsible'), dataIndex: 'name', className: 'nowrap', render: (n: string, s) => <Link to={archiveOf(s.staffId, 'complaint')} title={t('rp.sla.toArchive')}>{n}</Link> },
                    { title: t('rp.sla.complaints'), dataIndex: 'complaints', align: 'right', width: 60 },
                    { title: t('rp.monthly.acknowledge'), key: 'a', render: (_, s) => <Rate s={s.acknowledge} /> },
                    { title: t('rp.monthly.resolution'), key: 'r', render: (_, s) => <Rate s={s.resolution} /> },
                    { title: t('rp.monthly.update'), key: 'u', render: (_, s) => <Rate s={s.update} /> },
                    { title: t('rp.sla.breached'), dataIndex: 'breachedItems', align: 'right', width: 60 },
                  ]} />
              </Card>
            </div>
          </>
        )}
      </QueryState>
    </div>
  );
}

const TAG = { green: 'green', orange: 'orange', red: 'red', grey: 'default' } as const;

function Rate({ s }: { s: Score }) {
  const { i18n } = useTranslation();
  if (!s.n) return <span className="muted">—</span>;
  return <Tooltip title={scoreText(s, i18n.language)}><span className="nowrap"><Tag color={TAG[rateTone(s.rate)]}>{pct(s.rate)}</Tag><span className="muted small">{s.met}/{s.n}</span></span></Tooltip>;
}

function P50P90({ p, en }: { p: Percentiles; en: boolean }) {
  if (!p.n) return <span className="muted">—</span>;
  return (
    <span className="nowrap">
      {minutesText(p.p50, en)} / {minutesText(p.p90, en)} <Tag color={TAG[rateTone(p.rate)]} style={{ marginInlineStart: 4 }}>{pct(p.rate, 0)}</Tag>
    </span>
  );
}
