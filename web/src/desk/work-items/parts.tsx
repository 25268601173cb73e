import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Select, Space, Switch, Tag, Tooltip, Upload, type SelectProps, type UploadFile } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CATEGORY_TREES, tradeOf, findCategory, type Category, type WorkItemKind } from '@towerdesk/domain';
import { api } from '../../app/api.ts';
import { formatShort } from '../../app/dates.ts';
import { useNames } from '../../app/i18n.ts';
import { listJoin } from '../../app/lists.ts';
import type { Page, Staff } from '../../app/types.ts';
import { clockStatus, MAX_PHOTOS, minutesUntil, type ClockView, type Upload as Uploaded, type WorkItem } from '../../app/workItems.ts';
import { uploadPhotos } from '../../app/workQueries.ts';
import { useWorkNames } from '../../app/workNames.ts';
import { errorText } from '../common.tsx';

/** Beyond this many minutes a countdown shows its due time instead. */
export const FAR_MINUTES = 12 * 60;

export const URGENCY_COLOR: Record<string, string> = { urgent: 'red', normal: 'blue', low: 'default' };
const STATE_COLOR: Record<string, string> = {
  new: 'gold', assigned: 'blue', accepted: 'cyan', on_the_way: 'cyan', on_site: 'geekblue', in_progress: 'processing',
  waiting_parts: 'orange', completed: 'green', resolved: 'green', answered: 'green', closed: 'default', cancelled: 'default',
};
const CLOCK_COLOR: Record<string, string> = { ok: 'green', warned: 'orange', breached: 'red', paused: 'default', met: 'green', missed: 'red', ended: 'default' };

export function UrgencyTag({ urgency }: { urgency: string }) {
  const names = useWorkNames();
  return <Tag color={URGENCY_COLOR[urgency]} data-urgency={urgency}>{names.urgency(urgency)}</Tag>;
}

export function StateTag({ state, name }: { state: string; name: string }) {
  return <Tag color={STATE_COLOR[state] ?? 'blue'} data-state={state}>{name}</Tag>;
}

/**
 * When the clocks of an item begin to count: the next working period for a non-urgent item
 * reported off-hours (CS-2). An urgent one counts at once (after a change to urgent the server
 * keeps the old scheduledFor, so it is ignored then).
 */
export const clocksFrom = (it: Pick<WorkItem, 'scheduledFor' | 'urgency'>) => (it.urgency === 'urgent' ? null : it.scheduledFor);

/** One clock as a coloured tag: 到场时限 剩 12 分 (green ok, orange warned, red breached). */
export function ClockTag({ clock, now, withDue, notBefore }: { clock: ClockView; now: number; withDue?: boolean; notBefore?: string | null }) {
  const { t } = useTranslation();
  const names = useWorkNames();
  // Reported off-hours (CS-2): the clock counts from the next working period.
  if (notBefore && Date.parse(notBefore) > now && !clock.stoppedAt) {
    return (
      <Tooltip title={`${names.clock(clock.clock)} · ${t('wb.due')} ${formatShort(clock.dueAt)}`}>
        <Tag color="default" className="clock-tag clock-scheduled" data-clock={clock.clock} data-status="scheduled">
          {names.clock(clock.clock)} {t('wb.startsAt', { time: formatShort(notBefore) })}
        </Tag>
      </Tooltip>
    );
  }
  const status = clockStatus(clock, now);
  const text = status === 'paused' ? t('wi.paused')
    : status === 'met' ? t('wi.met')
    : status === 'missed' ? t('wi.late', { t: names.duration(clock.minutesLate ?? 0) })
    : status === 'ended' ? t('wi.ended')
    // Far off (a working-time clock over a night or a weekend): the due time says more than hours.
    : minutesUntil(clock.dueAt, now) > FAR_MINUTES ? t('wb.dueAt', { time: formatShort(clock.dueAt) })
    : names.timeLeft(minutesUntil(clock.dueAt, now));
  return (
    <Tooltip title={`${names.clock(clock.clock)} · ${t('wb.due')} ${formatShort(clock.dueAt)}${clock.escalationLevel ? ` · ${t('wb.escalated', { n: clock.escalationLevel })}` : ''}`}>
      <Tag color={CLOCK_COLOR[status]} className={`clock-tag clock-${status}`} data-clock={clock.clock} data-status={status}>
        {names.clock(clock.clock)} {text}{withDue && (status === 'ok' || status === 'warned' || status === 'breached') && minutesUntil(clock.dueAt, now) <= FAR_MINUTES ? ` · ${formatShort(clock.dueAt)}` : ''}
      </Tag>
    </Tooltip>
  );
}

/** Open clocks of an item (running or paused), the pressing one first. */
export function OpenClocks({ clocks, now, notBefore }: { clocks: ClockView[]; now: number; notBefore?: string | null }) {
  const open = clocks.filter((c) => !c.stoppedAt).sort((a, b) => Number(b.running) - Number(a.running) || a.dueAt.localeCompare(b.dueAt));
  if (!open.length) return <span className="muted">—</span>;
  return <Space size={[0, 4]} wrap>{open.map((c) => <ClockTag key={c.clock} clock={c} now={now} notBefore={notBefore} />)}</Space>;
}

/** Cascader options of a kind's category tree (two levels). */
export function useCategoryOptions(kind: WorkItemKind) {
  const names = useWorkNames();
  return useMemo(() => {
    interface Option { value: string; label: string; children?: Option[] }
    const map = (c: Category): Option => ({
      value: c.code,
      label: `${names.en ? c.en : c.zh}${!c.children && c.defaultUrgency === 'urgent' ? ` (${names.urgency('urgent')})` : ''}`,
      children: c.children?.map(map),
    });
    return CATEGORY_TREES[kind].map(map);
  }, [kind, names.en]); // eslint-disable-line react-hooks/exhaustive-deps
}

interface Suggestion { staffId: string; name: string; phone: string; onDuty: boolean; shiftId: string | null; openItems: number }

/**
 * Who to dispatch (RP-2, CS-3): the server's suggestions for the category's trade (tradeOf) —
 * on duty now first, then fewest open items; "all staff" widens the list to everyone (their load
 * counted from the board) when the usual people are away.
 */
export function StaffPicker({ category, load, ...rest }: Omit<SelectProps, 'options' | 'showSearch'> & { category: string; load: Map<string, number> }) {
  const { t, i18n } = useTranslation();
  const names = useNames();
  const trade = findCategory(category) ? tradeOf(category) : null;
  const [all, setAll] = useState(!trade);
  const suggested = useQuery({
    queryKey: ['duty', 'suggestions', trade],
    queryFn: () => api.get<{ items: Suggestion[] }>('/api/duty/suggestions', { trade }),
    enabled: !!trade && !all,
  });
  const everyone = useQuery({
    queryKey: ['staff', 'dispatch', 'all'],
    queryFn: () => api.get<Page<Staff>>('/api/staff', { limit: 500 }),
    enabled: all,
  });
  const options = useMemo(() => {
    if (!all) {
      return (suggested.data?.items ?? []).map((s) => ({
        value: s.staffId, label: s.name, search: s.name, onDuty: s.onDuty, open: s.openItems, sub: '',
      }));
    }
    return [...(everyone.data?.items ?? [])]
      .sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0) || a.name.localeCompare(b.name, 'zh-CN'))
      .map((s) => ({
        value: s.id, label: s.name, search: `${s.name} ${s.position} ${s.employeeNo}`, onDuty: false, open: load.get(s.id) ?? 0,
        sub: `${s.position} · ${listJoin(s.trades.map(names.trade), i18n.language)}`,
      }));
  }, [all, suggested.data, everyone.data, load, names, i18n.language]);
  const query = all ? everyone : suggested;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={4}>
      <Select
        {...rest}
        style={{ width: '100%' }}
        loading={query.isFetching}
        showSearch={{ optionFilterProp: 'search' }}
        placeholder={t('wb.pickStaff')}
        options={options}
        optionRender={(o) => (
          <span className="staff-option" data-staff={o.data.value}>
            <span>{o.data.label}{o.data.onDuty && <Tag color="green" className="wi-vis">{t('wb.onDuty')}</Tag>}{o.data.sub && <span className="muted small"> {o.data.sub}</span>}</span>
            <span className="muted small">{t('wb.onHand', { n: o.data.open })}</span>
          </span>
        )}
      />
      {query.error != null && <span className="field-error">{errorText(query.error)}</span>}
      {trade && (
        <Space size={6}>
          <Switch size="small" checked={all} onChange={setAll} />
          <span className="muted small">{all ? t('wb.allStaff') : t('wb.tradeOnly', { trade: names.trade(trade) })}</span>
        </Space>
      )}
    </Space>
  );
}

/** Photos for a desk action or intake: uploaded as they are chosen; the ids go with the submit. */
export function PhotoUpload({ onChange, onBusy }: { onChange: (v: Uploaded[]) => void; onBusy?: (b: boolean) => void }) {
  const { t } = useTranslation();
  const [files, setFiles] = useState<UploadFile[]>([]);
  return (
    <Upload
      listType="picture-card"
      accept="image/jpeg,image/png,image/webp,image/heic"
      multiple
      fileList={files}
      maxCount={MAX_PHOTOS}
      customRequest={({ file, onSuccess, onError }) => {
        onBusy?.(true);
        uploadPhotos([file as File]).then(
          (up) => onSuccess?.(up[0]),
          (e: unknown) => onError?.(e as Error),
        ).finally(() => onBusy?.(false));
      }}
      onChange={({ fileList }) => {
        setFiles(fileList);
        onChange(fileList.filter((f) => f.status === 'done' && f.response).map((f) => f.response as Uploaded));
      }}
    >
      {files.length < MAX_PHOTOS && <div><PlusOutlined /><div style={{ marginTop: 4 }}>{t('wb.addPhoto')}</div></div>}
    </Upload>
  );
}
