import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { DatePicker, Select, Tag, Tooltip } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { PLAN_KIND_DEFS } from '@towerdesk/domain';
import { api } from '../../app/api.ts';
import { addDays } from '../../app/dates.ts';
import { PlaceSelect, StaffSelect } from '../registers/pickers.tsx';
import { shanghaiNow } from '../reports/shared.tsx';
import type { Plan, TaskState } from './types.ts';
import './locales.ts';

/** The plan kinds in the reader's language (domain data). */
export function useKindOptions() {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  return PLAN_KIND_DEFS.map((d) => ({ value: d.kind, label: en ? d.en : d.zh }));
}

/** Every plan of the site (active or not), for pickers and names. */
export function usePlans() {
  return useQuery({ queryKey: ['plans', 'all'], queryFn: () => api.get<{ items: Plan[] }>('/api/plans'), staleTime: 60_000 });
}

export type Filter = Partial<Record<'from' | 'to' | 'planId' | 'kind' | 'placeId' | 'staffId' | 'result' | 'by' | 'placeItem', string>>;

/**
 * The search lives in the address (?from=…&planId=…), so it can be linked to and shared. Without
 * a period the last 30 days (Shanghai) are shown: every records query is of a period.
 */
export function useUrlFilter(keys: readonly (keyof Filter)[], defaultDays = 30) {
  const [params, setParams] = useSearchParams();
  const raw = useMemo(() => Object.fromEntries(keys.map((k) => [k, params.get(k) || undefined])) as Filter, [params, keys]);
  const today = shanghaiNow().format('YYYY-MM-DD');
  const filter: Filter & { from: string; to: string } = { ...raw, from: raw.from ?? addDays(today, -(defaultDays - 1)), to: raw.to ?? today };
  const set = (patch: Filter) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  return { filter, set };
}

export function PeriodPicker({ from, to, onChange }: { from: string; to: string; onChange: (from?: string, to?: string) => void }) {
  const { t } = useTranslation();
  const value: [Dayjs, Dayjs] = [dayjs(from), dayjs(to)];
  return (
    <DatePicker.RangePicker value={value} allowClear={false} data-testid="period"
      onChange={(v) => onChange(v?.[0]?.format('YYYY-MM-DD'), v?.[1]?.format('YYYY-MM-DD'))}
      presets={[
        { label: t('rp.last', { n: 7 }), value: [shanghaiNow().subtract(6, 'day'), shanghaiNow()] },
        { label: t('rp.last', { n: 30 }), value: [shanghaiNow().subtract(29, 'day'), shanghaiNow()] },
        { label: t('rp.thisMonth'), value: [shanghaiNow().startOf('month'), shanghaiNow()] },
        { label: t('rp.lastMonth'), value: [shanghaiNow().subtract(1, 'month').startOf('month'), shanghaiNow().subtract(1, 'month').endOf('month')] },
        { label: t('rp.last', { n: 90 }), value: [shanghaiNow().subtract(89, 'day'), shanghaiNow()] },
      ]} />
  );
}

/** Period, plan, kind, place subtree, person (and result where it applies) for the records pages. */
export function RecordFilters({ filter, set, result = false, person = true }: {
  filter: Filter & { from: string; to: string }; set: (p: Filter) => void; result?: boolean; person?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const plans = usePlans();
  const kinds = useKindOptions();
  const en = i18n.language === 'en-US';
  const planOptions = (plans.data?.items ?? [])
    .filter((p) => !filter.kind || p.kind === filter.kind)
    .map((p) => ({ value: p.id, label: `${en ? p.nameEn ?? p.name : p.name}${p.active ? '' : ` (${t('pl.plans.inactive')})`}` }));
  return (
    <div className="filter-bar rp-filters" data-testid="record-filters">
      <PeriodPicker from={filter.from} to={filter.to} onChange={(from, to) => set({ from, to })} />
      <Select allowClear placeholder={t('pl.kind')} value={filter.kind} style={{ width: 130 }} options={kinds}
        onChange={(v?: string) => set({ kind: v, planId: undefined })} data-testid="filter-kind" />
      <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('pl.plan')} value={filter.planId} style={{ width: 220 }}
        options={planOptions} onChange={(v?: string) => set({ planId: v })} popupMatchSelectWidth={300} data-testid="filter-plan" />
      <PlaceSelect placeholder={t('pl.place')} value={filter.placeId} onChange={(v?: string) => set({ placeId: v })} style={{ width: 200 }} />
      {person && <StaffSelect placeholder={t('pl.person')} value={filter.staffId} onChange={(v?: string) => set({ staffId: v })} style={{ width: 180 }} />}
      {result && (
        <Select value={filter.result ?? 'all'} style={{ width: 110 }} onChange={(v: string) => set({ result: v === 'all' ? undefined : v })} data-testid="filter-result"
          options={(['all', 'findings', 'missed', 'late'] as const).map((r) => ({ value: r, label: t(`pl.results.${r}`) }))} />
      )}
    </div>
  );
}

const STATE_COLOURS: Record<TaskState, string> = { scheduled: 'default', in_progress: 'processing', done: 'success', missed: 'error' };

/** A task's state, with "late" beside it when it finished (or still runs) past its window and grace. */
export function TaskStateTag({ state, name, late }: { state: TaskState; name: string; late?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className="nowrap">
      <Tag color={STATE_COLOURS[state] ?? 'default'}>{name}</Tag>
      {late && <Tooltip title={t('pl.task.lateFlag')}><Tag color="orange">{t('pl.late')}</Tag></Tooltip>}
    </span>
  );
}

/** "3/4" checkpoints reached, red when some were missed. */
export function Progress({ visited, planned, missed }: { visited: number; planned: number; missed: number }) {
  const { t } = useTranslation();
  return (
    <span className="nowrap">
      <span className="mono">{visited}/{planned}</span>
      {missed > 0 && <Tag color="red" style={{ marginLeft: 6 }}>{t('pl.missedCp', { n: missed })}</Tag>}
    </span>
  );
}

/** `YYYY-MM-DD HH:mm` in Shanghai. */
export const minute = (iso: string | null | undefined) => (iso ? dayjs(new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16)).format('YYYY-MM-DD HH:mm') : '—');
/** `HH:mm` in Shanghai. */
export const hhmm = (iso: string | null | undefined) => (iso ? new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(11, 16) : '—');
