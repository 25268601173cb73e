import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Empty, Space, Table, Typography } from 'antd';
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatShort, shanghaiToday } from '../../app/dates.ts';
import { useMe } from '../../app/auth.ts';
import { useNames } from '../../app/i18n.ts';
import { listJoin, paren } from '../../app/lists.ts';
import type { Site } from '../../app/types.ts';
import './locales.ts';
import './reports.css';
import { PageTitle, QueryState, useCan } from '../common.tsx';
import { EChart, type ChartOption } from './EChart.tsx';
import { pct, rateTone, scoreText, useXlsxExport } from './shared.tsx';
import type { MonthlyReport, Score } from './types.ts';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The last whole month in Shanghai: a monthly report is read after its month ends. */
function lastMonth(): string {
  const [y, m] = shanghaiToday().split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * 投诉月报 (CP-6): one month's complaints on an A4 page for the owner's meeting — volume against
 * the month before, categories, how often the limits were kept, repeat complainants and places,
 * revisit satisfaction with the dissatisfied cases, and the improvements made. Printed as it is
 * shown (the shell is hidden for print) or taken out as XLSX.
 */
export default function ComplaintsMonthlyPage() {
  const { t } = useTranslation();
  const allowed = useCan();
  const [params, setParams] = useSearchParams();
  const asked = params.get('month');
  const month = asked && MONTH.test(asked) ? asked : lastMonth();
  const report = useQuery({
    queryKey: ['reports', 'complaints', month],
    queryFn: () => api.get<MonthlyReport>('/api/reports/complaints/monthly', { month }),
    placeholderData: keepPreviousData,
  });

  const xlsx = useXlsxExport('/api/reports/complaints/monthly.xlsx', { month });

  return (
    <div>
      <div className="no-print">
        <PageTitle
          title={t('nav.complaintReport')}
          sub={t('rp.monthly.hint')}
          extra={(
            <Space>
              <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} data-testid="month-picker"
                disabledDate={(d) => d.format('YYYY-MM') > shanghaiToday().slice(0, 7)}
                onChange={(d) => d && setParams({ month: d.format('YYYY-MM') })} />
              <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="print">{t('rp.print')}</Button>
              {/* The details of the month's complaints leave the building: an export right, like the archive's. */}
              {allowed('archive.export') && (
                <Button icon={<DownloadOutlined />} onClick={() => void xlsx.run()} loading={xlsx.exporting} data-testid="monthly-export">{t('rp.exportXlsx')}</Button>
              )}
            </Space>
          )}
        />
      </div>
      <QueryState loading={report.isPending} error={report.error} retry={() => void report.refetch()}>
        {report.data && <MonthlySheet r={report.data} />}
      </QueryState>
    </div>
  );
}

function MonthlySheet({ r }: { r: MonthlyReport }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const place = useNames();
  const { data: me } = useMe();
  const site = useQuery({ queryKey: ['sites'], queryFn: () => api.get<Site[]>('/api/sites'), staleTime: 10 * 60_000 });
  const mySite = site.data?.find((s) => s.id === me?.siteId) ?? site.data?.[0];
  const v = r.volume;
  const [y, m] = r.month.split('-');
  const monthName = en ? dayjs(`${r.month}-01`).locale('en').format('MMMM YYYY') : `${y}年${Number(m)}月`;
  const changeText = v.previousMonth === 0 ? '—'
    : `${v.change > 0 ? '+' : ''}${v.change}${paren(`${v.change > 0 ? '+' : ''}${((v.change / v.previousMonth) * 100).toFixed(1)}%`, i18n.language)}`;

  const categoryOption = useMemo<ChartOption>(() => ({
    tooltip: { trigger: 'item', formatter: en ? '{b}: {c} ({d}%)' : '{b}：{c}（{d}%）' },
    legend: { type: 'plain', orient: 'vertical', right: 8, top: 'middle', itemWidth: 12, itemHeight: 12, textStyle: { fontSize: 12 } },
    series: [{
      type: 'pie', radius: ['38%', '68%'], center: ['32%', '50%'], avoidLabelOverlap: true,
      label: { formatter: '{c}', fontSize: 12 }, labelLine: { length: 6, length2: 6 },
      data: r.byCategory.map((c) => ({ name: c.name, value: c.count })),
    }],
  }), [r.byCategory, en]);

  const timelinessOption = useMemo<ChartOption>(() => {
    const rows: Array<[string, Score]> = [
      [t('rp.monthly.acknowledge'), r.timeliness.acknowledge], [t('rp.monthly.resolution'), r.timeliness.resolution], [t('rp.monthly.update'), r.timeliness.update],
    ];
    return {
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: rows.map(([n]) => n), inverse: true },
      series: [{
        type: 'bar', barWidth: 18,
        data: rows.map(([, s]) => ({ value: s.rate === null ? 0 : Math.round(s.rate * 1000) / 10, itemStyle: { color: TONE[rateTone(s.rate)] } })),
        label: { show: true, position: 'right', formatter: '{c}%' },
      }],
    };
  }, [r.timeliness, t]);

  return (
    <article className="rp-sheet" data-testid="monthly-sheet">
      <header className="rp-sheet-head">
        <div>
          <div className="rp-sheet-site">{mySite ? place.place(mySite) : t('brand')}</div>
          <h1 className="rp-sheet-title">{t('rp.monthly.title', { month: monthName })}</h1>
          <div className="rp-sheet-meta">{t('rp.monthly.period', { from: r.from, to: r.to })}</div>
        </div>
        <div className="rp-sheet-meta rp-sheet-right">{t('rp.monthly.printed', { time: formatShort(new Date().toISOString()) })}</div>
      </header>

      <section className="rp-section">
        <h2>{t('rp.monthly.volume')}</h2>
        <div className="rp-figures" data-testid="monthly-volume">
          <Figure label={t('rp.monthly.total')} value={v.total} strong />
          <Figure label={t('rp.monthly.previous')} value={v.previousMonth} />
          <Figure label={t('rp.monthly.change')} value={changeText} tone={v.change > 0 ? 'red' : v.change < 0 ? 'green' : undefined} />
          <Figure label={t('rp.monthly.open')} value={v.open} />
          <Figure label={t('rp.monthly.resolved')} value={v.resolved} />
          <Figure label={t('rp.monthly.closed')} value={v.closed} />
          <Figure label={t('rp.monthly.cancelled')} value={v.cancelled} />
          <Figure label={t('rp.monthly.aboutRepairs')} value={v.aboutRepairs} />
        </div>
      </section>

      <div className="rp-two">
        <section className="rp-section">
          <h2>{t('rp.monthly.categories')}</h2>
          {r.byCategory.length ? <EChart option={categoryOption} height={230} testId="category-chart" /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
        </section>
        <section className="rp-section">
          <h2>{t('rp.monthly.timeliness')}</h2>
          <EChart option={timelinessOption} height={150} testId="timeliness-chart" />
          <table className="rp-table rp-compact">
            <tbody>
              <tr><th>{t('rp.monthly.acknowledge')}</th><td>{scoreText(r.timeliness.acknowledge, i18n.language)}</td></tr>
              <tr><th>{t('rp.monthly.resolution')}</th><td>{scoreText(r.timeliness.resolution, i18n.language)}</td></tr>
              <tr><th>{t('rp.monthly.update')}</th><td>{scoreText(r.timeliness.update, i18n.language)}</td></tr>
              <tr><th>{t('rp.monthly.overdueOpen')}</th><td>{r.timeliness.overdueOpen}</td></tr>
            </tbody>
          </table>
        </section>
      </div>

      <section className="rp-section">
        <h2>{t('rp.monthly.repeats')}</h2>
        <div className="rp-two">
          <div>
            <h3>{t('rp.monthly.byCompany')}</h3>
            <Table size="small" pagination={false} rowKey="companyId" data-testid="repeats-company" dataSource={r.repeats.byCompany}
              locale={{ emptyText: t('rp.monthly.noRepeats') }}
              columns={[
                { title: t('rp.monthly.company'), dataIndex: 'name' },
                { title: t('rp.monthly.count'), dataIndex: 'count', width: 56, align: 'right' },
                { title: t('rp.monthly.categoriesCol'), dataIndex: 'categories', render: (c: string[]) => listJoin(c, i18n.language) },
              ]} />
          </div>
          <div>
            <h3>{t('rp.monthly.byPlace')}</h3>
            <Table size="small" pagination={false} rowKey="placeId" data-testid="repeats-place" dataSource={r.repeats.byPlace}
              locale={{ emptyText: t('rp.monthly.noRepeats') }}
              columns={[
                { title: t('wb.col.place'), key: 'place', render: (_, p) => <span>{p.name} <span className="muted small mono">{p.code}</span></span> },
                { title: t('rp.monthly.count'), dataIndex: 'count', width: 56, align: 'right' },
                { title: t('rp.monthly.categoriesCol'), dataIndex: 'categories', render: (c: string[]) => listJoin(c, i18n.language) },
              ]} />
          </div>
        </div>
      </section>

      <section className="rp-section">
        <h2>{t('rp.monthly.revisits')}</h2>
        <div className="rp-figures">
          <Figure label={t('rp.monthly.revisitsDone')} value={r.revisits.done} />
          <Figure label={t('rp.monthly.reached')} value={r.revisits.reached} />
          <Figure label={t('rp.monthly.satisfied')} value={r.revisits.satisfied} />
          <Figure label={t('rp.monthly.satisfaction')} value={pct(r.revisits.rate)} strong tone={rateTone(r.revisits.rate)} />
        </div>
        {r.revisits.dissatisfied.length > 0 && (
          <Table size="small" pagination={false} rowKey="number" dataSource={r.revisits.dissatisfied} data-testid="dissatisfied" style={{ marginTop: 8 }}
            columns={[
              { title: t('wb.col.number'), dataIndex: 'number', width: 170, render: (n: string) => <span className="mono">{n}</span> },
              { title: t('rp.monthly.comment'), dataIndex: 'comment', render: (c: string | null) => c ?? '—' },
              { title: t('rp.monthly.followUp'), dataIndex: 'followUp', width: 160, render: (c: string | null) => (c ? t(`rp.monthly.followUps.${c}`, { defaultValue: c }) : '—') },
            ]} />
        )}
      </section>

      <section className="rp-section">
        <h2>{t('rp.monthly.improvements')} <span className="muted small">{paren(r.improvements.length, i18n.language)}</span></h2>
        <Table size="small" pagination={false} rowKey="id" dataSource={r.improvements} data-testid="improvements"
          locale={{ emptyText: t('rp.monthly.noImprovements') }}
          columns={[
            {
              title: `${t('wb.col.number')} / ${t('rp.monthly.categoryCol')}`, dataIndex: 'number', width: 150,
              render: (n: string, i) => <div><div className="mono nowrap">{n}</div><span className="muted small">{i.categoryName}</span></div>,
            },
            {
              title: t('rp.monthly.where'), key: 'where', width: 170,
              render: (_, i) => <div><div>{i.company ?? '—'}</div>{i.place && <span className="muted small">{i.place}</span>}</div>,
            },
            { title: t('rp.monthly.responsible'), dataIndex: 'responsible', width: 64, render: (v: string | null) => v ?? '—' },
            { title: t('rp.monthly.resolutionCol'), dataIndex: 'resolution' },
          ]} />
      </section>
      <Typography.Paragraph type="secondary" className="rp-sheet-foot">{t('rp.monthly.foot')}</Typography.Paragraph>
    </article>
  );
}

const TONE = { green: '#52c41a', orange: '#fa8c16', red: '#f5222d', grey: '#bfbfbf', blue: '#0b5cab' } as const;

function Figure({ label, value, strong, tone }: { label: string; value: React.ReactNode; strong?: boolean; tone?: keyof typeof TONE }) {
  return (
    <div className={`rp-figure${strong ? ' rp-figure-strong' : ''}`}>
      <div className="rp-figure-value" style={tone ? { color: TONE[tone] } : undefined}>{value}</div>
      <div className="rp-figure-label">{label}</div>
    </div>
  );
}
