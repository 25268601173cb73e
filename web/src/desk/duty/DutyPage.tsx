import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, DatePicker, Form, Input, Modal, Popconfirm, Segmented, Select, Space, Tag, TimePicker, Tooltip, Typography } from 'antd';
import { CalendarOutlined, DownloadOutlined, LeftOutlined, PhoneOutlined, PlusOutlined, RightOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { TRADE_LIST, type Trade } from '@towerdesk/domain';
import { api, withQuery } from '../../app/api.ts';
import { addDays, shanghaiToday } from '../../app/dates.ts';
import { useNames } from '../../app/i18n.ts';
import { applyServerErrors, PageTitle, QueryState, useErrorToast } from '../common.tsx';
import { StaffSelect } from '../registers/pickers.tsx';
import './duty.css';

const KINDS = ['day', 'night', 'weekend', 'holiday'] as const;
type Kind = (typeof KINDS)[number];
const KIND_COLOR: Record<Kind, string> = { day: 'blue', night: 'purple', weekend: 'cyan', holiday: 'red' };

interface Shift {
  id: string; staffId: string; staffName: string; trade: Trade; tradeName: string; startsAt: string; endsAt: string;
  kind: Kind; kindName: string; onCallPhone: string | null; phoneMasked: boolean; phoneIsStaffPhone: boolean; note: string | null;
}
interface Roster { from: string; to: string; items: Shift[]; gaps: Array<{ startsAt: string; endsAt: string }>; can: { write: boolean } }

const hm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
/** 17:30 in Shanghai (24:00 shows as 00:00). */
const hhmm = (iso: string) => hm.format(new Date(iso)).replace(/^24/, '00');
/** Shanghai calendar date of an instant. */
const dayOf = (iso: string) => shanghaiToday(new Date(iso));
/** Monday of the week holding `date` (YYYY-MM-DD). */
const mondayOf = (date: string) => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));
const instant = (date: string, time: string) => `${date}T${time}:00+08:00`;

/**
 * 值班表 (CS-3, RP-2): one week as a grid — rows are trades (or people), columns are days — with
 * day shifts, night/weekend/holiday on-call and the number to call. Managers click a cell to add
 * a shift or a shift to edit/delete it, fill a period from a rotation, and hand each person
 * their iCal link; everybody who may read it can export the week as XLSX.
 */
export default function DutyPage() {
  const { t } = useTranslation();
  const names = useNames();
  const [monday, setMonday] = useState(() => mondayOf(shanghaiToday()));
  const [rowsBy, setRowsBy] = useState<'trade' | 'person'>('trade');
  const [editing, setEditing] = useState<{ shift: Shift | null; date: string; trade?: Trade; staffId?: string } | null>(null);
  const [generating, setGenerating] = useState(false);
  const [feed, setFeed] = useState<{ name: string; url: string } | null>(null);
  const toast = useErrorToast();
  const { message } = App.useApp();
  const sunday = addDays(monday, 6);
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const roster = useQuery({ queryKey: ['duty', 'week', monday], queryFn: () => api.get<Roster>('/api/duty', { from: monday, to: sunday }) });
  const write = roster.data?.can.write ?? false;
  const today = shanghaiToday();

  const rows = useMemo(() => {
    const items = roster.data?.items ?? [];
    if (rowsBy === 'trade') {
      const present = new Set(items.map((s) => s.trade));
      return TRADE_LIST.filter((tr) => present.has(tr)).map((tr) => ({ key: tr, label: names.trade(tr), trade: tr as Trade, staffId: undefined as string | undefined, shifts: items.filter((s) => s.trade === tr) }));
    }
    const people = new Map<string, { name: string; shifts: Shift[] }>();
    for (const s of items) people.set(s.staffId, { name: s.staffName, shifts: [...(people.get(s.staffId)?.shifts ?? []), s] });
    return [...people].sort((a, b) => a[1].name.localeCompare(b[1].name, 'zh-CN'))
      .map(([id, p]) => ({ key: id, label: p.name, trade: p.shifts[0]?.trade, staffId: id, shifts: p.shifts }));
  }, [roster.data, rowsBy, names]);

  const makeFeed = async (staffId: string, name: string) => {
    try {
      const r = await api.post<{ url: string }>(`/api/duty/ical-token/${staffId}`);
      // Copying needs a secure context (https or localhost); the dialog shows the link anyway.
      await navigator.clipboard?.writeText(r.url).then(() => void message.success(t('duty.copied')), () => {});
      setFeed({ name, url: r.url });
    } catch (e) {
      toast(e);
    }
  };

  return (
    <div>
      <PageTitle
        title={t('nav.duty')}
        sub={t('duty.sub')}
        extra={(
          <Space>
            <Button icon={<DownloadOutlined />} href={withQuery('/api/duty/export.xlsx', { from: monday, to: sunday })} download data-testid="duty-export">{t('duty.export')}</Button>
            {write && <Button icon={<ThunderboltOutlined />} onClick={() => setGenerating(true)}>{t('duty.generate')}</Button>}
            {write && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ shift: null, date: today < monday || today > sunday ? monday : today })}>{t('duty.add')}</Button>}
          </Space>
        )}
      />
      <div className="duty-bar">
        <Space>
          <Button icon={<LeftOutlined />} onClick={() => setMonday(addDays(monday, -7))} aria-label={t('duty.prev')} />
          <Button onClick={() => setMonday(mondayOf(today))}>{t('duty.thisWeek')}</Button>
          <Button icon={<RightOutlined />} onClick={() => setMonday(addDays(monday, 7))} aria-label={t('duty.next')} data-testid="duty-next" />
          <Typography.Text strong className="mono" data-testid="duty-week">{monday} – {sunday}</Typography.Text>
        </Space>
        <Space>
          <Segmented value={rowsBy} onChange={(v) => setRowsBy(v as 'trade' | 'person')} options={[{ value: 'trade', label: t('duty.byTrade') }, { value: 'person', label: t('duty.byPerson') }]} />
          <span className="duty-legend">{KINDS.map((k) => <Tag key={k} color={KIND_COLOR[k]}>{t(`duty.kind.${k}`)}</Tag>)}<Tag color="orange"><PhoneOutlined /> {t('duty.onCall')}</Tag></span>
        </Space>
      </div>
      <QueryState loading={roster.isPending} error={roster.error} retry={() => void roster.refetch()}>
        <div className="duty-grid" style={{ gridTemplateColumns: `150px repeat(7, minmax(0, 1fr))` }} data-testid="duty-grid">
          <div className="duty-head duty-corner">{rowsBy === 'trade' ? t('duty.trade') : t('duty.person')}</div>
          {days.map((d, i) => (
            <div key={d} className={`duty-head${d === today ? ' duty-today' : ''}${i >= 5 ? ' duty-weekend' : ''}`}>
              <div>{t(`duty.wd.${i}`)}</div><div className="mono small">{d.slice(5)}</div>
            </div>
          ))}
          {rows.length === 0 && <div className="duty-empty muted">{t('duty.empty')}</div>}
          {rows.map((row) => (
            <RowCells key={row.key} row={row} days={days} today={today} write={write}
              onAdd={(date) => setEditing({ shift: null, date, trade: row.trade, staffId: row.staffId })}
              onEdit={(s) => setEditing({ shift: s, date: dayOf(s.startsAt) })}
              onFeed={rowsBy === 'person' && write && row.staffId ? () => void makeFeed(row.staffId!, row.label) : undefined}
            />
          ))}
        </div>
      </QueryState>
      {editing && <ShiftDialog {...editing} onClose={() => setEditing(null)} />}
      <GenerateDialog open={generating} monday={monday} onClose={() => setGenerating(false)} />
      <Modal open={!!feed} title={t('duty.feedTitle', { name: feed?.name })} onCancel={() => setFeed(null)} footer={<Button onClick={() => setFeed(null)}>{t('action.close')}</Button>}>
        <p className="muted">{t('duty.feedHint')}</p>
        <Typography.Paragraph copyable={{ text: feed?.url }} className="mono small" data-testid="duty-feed-url">{feed?.url}</Typography.Paragraph>
      </Modal>
    </div>
  );
}

function RowCells({ row, days, today, write, onAdd, onEdit, onFeed }: {
  row: { key: string; label: string; shifts: Shift[] }; days: string[]; today: string; write: boolean;
  onAdd: (date: string) => void; onEdit: (s: Shift) => void; onFeed?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <div className="duty-rowhead">
        <span>{row.label}</span>
        {onFeed && <Tooltip title={t('duty.feed')}><Button size="small" type="text" icon={<CalendarOutlined />} onClick={onFeed} data-testid="duty-feed" /></Tooltip>}
      </div>
      {days.map((d, i) => {
        const shifts = row.shifts.filter((s) => dayOf(s.startsAt) === d).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
        return (
          <div
            key={d}
            className={`duty-cell${d === today ? ' duty-today' : ''}${i >= 5 ? ' duty-weekend' : ''}${write ? ' duty-cell-edit' : ''}`}
            onClick={write ? () => onAdd(d) : undefined}
            data-date={d}
            data-row={row.key}
          >
            {shifts.map((s) => (
              <div
                key={s.id}
                className={`duty-shift duty-k-${s.kind}`}
                onClick={write ? (e) => { e.stopPropagation(); onEdit(s); } : undefined}
                data-testid="duty-shift"
                data-shift={s.id}
                title={s.note ?? undefined}
              >
                <div className="duty-shift-top"><Tag color={KIND_COLOR[s.kind]} className="duty-kind">{s.kindName}</Tag><strong>{s.staffName}</strong></div>
                <div className="mono small nowrap">{hhmm(s.startsAt)}–{hhmm(s.endsAt)}{dayOf(s.endsAt) !== d ? ` ${t('duty.nextDay')}` : ''}</div>
                {s.kind !== 'day' && s.onCallPhone && <div className="phone small duty-phone"><PhoneOutlined /> {s.onCallPhone}</div>}
              </div>
            ))}
          </div>
        );
      })}
    </>
  );
}

interface ShiftValues { staffId: string; trade: Trade; date: Dayjs; start: Dayjs; end: Dayjs; kind?: Kind; onCallPhone?: string; note?: string }
const SHIFT_FIELDS = ['staffId', 'trade', 'startsAt', 'endsAt', 'kind', 'onCallPhone', 'note'];

/** Add or edit one shift; an end at or before the start means the next day (a night shift). */
function ShiftDialog({ shift, date, trade, staffId, onClose }: { shift: Shift | null; date: string; trade?: Trade; staffId?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const names = useNames();
  const qc = useQueryClient();
  const toast = useErrorToast();
  const [form] = Form.useForm<ShiftValues>();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const initial = shift
    ? {
      staffId: shift.staffId, trade: shift.trade, date: dayjs(date), start: dayjs(hhmm(shift.startsAt), 'HH:mm'), end: dayjs(hhmm(shift.endsAt), 'HH:mm'),
      kind: shift.kind, onCallPhone: shift.phoneIsStaffPhone || shift.phoneMasked ? undefined : shift.onCallPhone ?? undefined, note: shift.note ?? undefined,
    }
    : { staffId, trade, date: dayjs(date), start: dayjs('08:30', 'HH:mm'), end: dayjs('17:30', 'HH:mm') };
  const done = () => {
    void qc.invalidateQueries({ queryKey: ['duty'] });
    onClose();
  };
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const day = v.date.format('YYYY-MM-DD');
    const s = v.start.format('HH:mm');
    const e = v.end.format('HH:mm');
    const body = {
      staffId: v.staffId, trade: v.trade, startsAt: instant(day, s), endsAt: instant(e <= s ? addDays(day, 1) : day, e),
      kind: v.kind, note: v.note?.trim() || null,
      // A number not shown in full (masked, or the person's own) is kept unless the manager typed one.
      ...(!shift || form.isFieldTouched('onCallPhone') ? { onCallPhone: v.onCallPhone?.trim() || null } : {}),
    };
    setBusy(true);
    setProblem(null);
    try {
      if (shift) await api.patch(`/api/duty/${shift.id}`, body);
      else await api.post('/api/duty', body);
      done();
    } catch (err) {
      setProblem(applyServerErrors(form, err, SHIFT_FIELDS));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    try {
      await api.del(`/api/duty/${shift!.id}`);
      done();
    } catch (err) {
      toast(err);
    }
  };
  return (
    <Modal
      open
      title={shift ? t('duty.editTitle', { name: shift.staffName }) : t('duty.addTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={(
        <Space>
          {shift && <Popconfirm title={t('duty.confirmDelete')} onConfirm={() => void remove()}><Button danger data-testid="duty-delete">{t('duty.delete')}</Button></Popconfirm>}
          <Button onClick={onClose}>{t('action.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="duty-save">{t('action.save')}</Button>
        </Space>
      )}
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={initial} preserve={false}>
        <div className="duty-form-row">
          <Form.Item name="trade" label={t('duty.trade')} rules={[{ required: true }]}>
            <Select options={TRADE_LIST.map((tr) => ({ value: tr, label: names.trade(tr) }))} />
          </Form.Item>
          <Form.Item name="staffId" label={t('duty.person')} rules={[{ required: true }]}>
            <StaffSelect known={shift ? { [shift.staffId]: shift.staffName } : undefined} data-testid="duty-staff" />
          </Form.Item>
        </div>
        <div className="duty-form-row3">
          <Form.Item name="date" label={t('duty.date')} rules={[{ required: true }]}><DatePicker allowClear={false} style={{ width: '100%' }} /></Form.Item>
          <Form.Item name="start" label={t('duty.start')} rules={[{ required: true }]}><TimePicker format="HH:mm" minuteStep={15} allowClear={false} style={{ width: '100%' }} data-testid="duty-start" /></Form.Item>
          <Form.Item name="end" label={t('duty.end')} rules={[{ required: true }]} extra={t('duty.endHint')}><TimePicker format="HH:mm" minuteStep={15} allowClear={false} style={{ width: '100%' }} data-testid="duty-end" /></Form.Item>
        </div>
        <div className="duty-form-row">
          <Form.Item name="kind" label={t('duty.kindLabel')} extra={t('duty.kindHint')}>
            <Select allowClear options={KINDS.map((k) => ({ value: k, label: t(`duty.kind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="onCallPhone" label={t('duty.phone')} extra={shift?.phoneIsStaffPhone ? t('duty.phoneOwn') : t('duty.phoneHint')}>
            <Input maxLength={20} inputMode="tel" />
          </Form.Item>
        </div>
        <Form.Item name="note" label={t('duty.note')}><Input maxLength={500} data-testid="duty-note" /></Form.Item>
      </Form>
    </Modal>
  );
}

interface GenerateValues { trade: Trade; range: [Dayjs, Dayjs]; staffIds: string[]; includeDayShifts: boolean; note?: string }

/** 按轮换生成 (CS-3): day-night rotation of the chosen people over a period; all or nothing. */
function GenerateDialog({ open, monday, onClose }: { open: boolean; monday: string; onClose: () => void }) {
  const { t } = useTranslation();
  const names = useNames();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<GenerateValues>();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setProblem(null);
    try {
      const r = await api.post<{ created: number }>('/api/duty/generate', {
        trade: v.trade, from: v.range[0].format('YYYY-MM-DD'), to: v.range[1].format('YYYY-MM-DD'), staffIds: v.staffIds,
        includeDayShifts: v.includeDayShifts, note: v.note?.trim() || null,
      });
      void message.success(t('duty.generated', { n: r.created }));
      void qc.invalidateQueries({ queryKey: ['duty'] });
      onClose();
    } catch (e) {
      setProblem(applyServerErrors(form, e, ['trade', 'staffIds', 'note']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('duty.generate')} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} destroyOnHidden okText={t('duty.generateOk')}>
      <p className="muted">{t('duty.generateHint')}</p>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ range: [dayjs(addDays(monday, 7)), dayjs(addDays(monday, 13))], includeDayShifts: true }}>
        <Form.Item name="trade" label={t('duty.trade')} rules={[{ required: true }]}>
          <Select options={TRADE_LIST.map((tr) => ({ value: tr, label: names.trade(tr) }))} />
        </Form.Item>
        <Form.Item name="range" label={t('duty.period')} rules={[{ required: true }]}><DatePicker.RangePicker style={{ width: '100%' }} /></Form.Item>
        <Form.Item name="staffIds" label={t('duty.people')} extra={t('duty.peopleHint')} rules={[{ required: true }]}><StaffSelect mode="multiple" /></Form.Item>
        <Form.Item name="includeDayShifts" valuePropName="checked"><Checkbox>{t('duty.includeDay')}</Checkbox></Form.Item>
        <Form.Item name="note" label={t('duty.note')}><Input maxLength={500} /></Form.Item>
      </Form>
    </Modal>
  );
}
