import { useMemo } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Empty, Select, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { PageTitle, QueryState } from '../common.tsx';
import { Chart, type ChartOption } from './Chart.tsx';
import { minute, PeriodPicker, useUrlFilter } from './shared.tsx';
import type { ReadingItem, Readings } from './types.ts';
import '../reports/reports.css';
import './plans.css';

const KEYS = ['from', 'to', 'placeItem'] as const;
const keyOf = (i: ReadingItem) => `${i.planId}|${i.placeId}|${i.itemId}`;

/**
 * 读数趋势 (IN-5): one number or meter item at one checkpoint (e.g. the pump room's outlet
 * pressure) over a period as a line, with the template's allowed range shaded and the readings
 * outside it marked red.
 */
export default function ReadingsPage() {
  const { t } = useTranslation();
  const { filter, set } = useUrlFilter(KEYS, 90);
  const items = useQuery({ queryKey: ['records', 'reading-items'], queryFn: () => api.get<{ items: ReadingItem[] }>('/api/records/readings/items'), staleTime: 5 * 60_000 });
  // Without a choice: the first inspection reading with a band (a pump pressure, a voltage), the chart this page is for.
  const chosen = items.data?.items.find((i) => keyOf(i) === filter.placeItem)
    ?? items.data?.items.find((i) => i.planKind === 'inspection' && i.min !== null && i.max !== null) ?? items.data?.items[0];
  const series = useQuery({
    queryKey: ['records', 'readings', filter.from, filter.to, chosen && keyOf(chosen)],
    queryFn: () => api.get<Readings>('/api/records/readings', { from: filter.from, to: filter.to, planId: chosen!.planId, placeId: chosen!.placeId, itemId: chosen!.itemId }),
    enabled: !!chosen,
    placeholderData: keepPreviousData,
  });
  const d = series.data;
  const option = useMemo<ChartOption | null>(() => {
    if (!d) return null;
    const { min, max, unit } = d.item;
    const out = (v: number) => (min !== null && v < min) || (max !== null && v > max);
    const values = d.points.map((p) => p.value);
    const lo = Math.min(...values, ...(min !== null ? [min] : []));
    const hi = Math.max(...values, ...(max !== null ? [max] : []));
    const pad = (hi - lo) * 0.15 || 1;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${v} ${unit}` },
      grid: { left: 56, right: 80, top: 24, bottom: 40 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', name: unit, min: Math.floor((lo - pad) * 100) / 100, max: Math.ceil((hi + pad) * 100) / 100 },
      series: [{
        type: 'line', name: d.item.label, showSymbol: true, symbolSize: 6,
        data: d.points.map((p) => ({ value: [p.at, p.value], itemStyle: out(p.value) ? { color: '#f5222d' } : undefined })),
        markArea: min !== null || max !== null ? {
          silent: true, itemStyle: { color: 'rgba(82, 196, 26, 0.12)' },
          data: [[{ yAxis: min ?? lo - pad, name: t('pl.readings.band') }, { yAxis: max ?? hi + pad }]],
        } : undefined,
        markLine: {
          silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#52c41a' }, label: { formatter: `{c} ${unit}` },
          data: [...(min !== null ? [{ yAxis: min }] : []), ...(max !== null ? [{ yAxis: max }] : [])],
        },
      }],
    };
  }, [d, t]);
  return (
    <div>
      <PageTitle title={t('nav.readings')} sub={t('pl.readings.sub')} />
      <div className="filter-bar rp-filters">
        <PeriodPicker from={filter.from} to={filter.to} onChange={(from, to) => set({ from, to })} />
        <Select showSearch={{ optionFilterProp: 'label' }} placeholder={t('pl.readings.pick')} style={{ width: 460 }} value={chosen && keyOf(chosen)}
          onChange={(v: string) => set({ placeItem: v })} popupMatchSelectWidth={520} data-testid="reading-item"
          options={(items.data?.items ?? []).map((i) => ({ value: keyOf(i), label: `${i.planName} · ${i.placeName} · ${i.label}（${i.unit}）` }))} />
      </div>
      <QueryState loading={items.isPending} error={items.error} retry={() => void items.refetch()}>
        {!chosen ? <Empty description={t('pl.readings.noItems')} /> : (
          <QueryState loading={series.isPending} error={series.error} retry={() => void series.refetch()}>
            {d && (
              <>
                <div className="rp-kpis">
                  <Card size="small"><Statistic title={`${d.item.placeName} · ${d.item.label}`} value={t('pl.readings.n', { n: d.summary.n })} /></Card>
                  <Card size="small"><Statistic title={t('pl.readings.band')} value={d.item.min !== null || d.item.max !== null ? `${d.item.min ?? '—'} – ${d.item.max ?? '—'} ${d.item.unit}` : '—'} /></Card>
                  <Card size="small"><Statistic title={`${t('pl.readings.min')} / ${t('pl.readings.mean')} / ${t('pl.readings.max')}`} value={d.summary.n ? `${d.summary.min} / ${d.summary.mean} / ${d.summary.max}` : '—'} /></Card>
                  <Card size="small" className={d.summary.outOfRange ? 'rp-kpi rp-kpi-red' : ''}><Statistic title={t('pl.findings')} value={t('pl.readings.out', { n: d.summary.outOfRange })} /></Card>
                </div>
                <Card size="small" className="rp-card" title={`${d.item.planName} · ${d.item.placeName} · ${d.item.label}`}
                  extra={d.points.length > 0 && <span className="muted small">{minute(d.points[0]!.at)} – {minute(d.points[d.points.length - 1]!.at)}</span>}>
                  {d.points.length === 0 || !option ? <Empty description={t('pl.readings.noPoints')} /> : <Chart option={option} height={360} testId="readings-chart" />}
                </Card>
              </>
            )}
          </QueryState>
        )}
      </QueryState>
    </div>
  );
}
