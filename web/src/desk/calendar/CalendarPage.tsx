import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, Modal, Radio, Space, Table, Tag, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { shanghaiToday } from '../../app/dates.ts';
import type { CalendarDay, CalendarEdit, CalendarYear } from '../../app/types.ts';
import { errorText, PageTitle, QueryState, useCan, useErrorToast } from '../common.tsx';
import { HoursEditor } from './HoursEditor.tsx';
import { holidayRuns } from './runs.ts';
import './calendar.css';

/**
 * The site's working calendar for a year: the State Council holiday arrangement shipped with the
 * product, the site's own edits on top, and the working hours. SLA clocks on "working hours"
 * count only the time this page shows as working.
 */
export default function CalendarPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const canWrite = useCan()('calendar.write');
  const today = shanghaiToday();
  // The year is in the URL (?year=2027) so a link or a reload keeps the year being checked.
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('year'));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : Number(today.slice(0, 4));
  const setYear = (f: (y: number) => number) => setParams({ year: String(f(year)) }, { replace: true });
  const [picked, setPicked] = useState<CalendarDay | null>(null);
  const cal = useQuery({ queryKey: ['calendar', year], queryFn: () => api.get<CalendarYear>('/api/calendar', { year }) });

  const byDate = useMemo(() => new Map((cal.data?.days ?? []).map((d) => [d.date, d])), [cal.data]);
  const edits = useMemo(() => new Map((cal.data?.edits ?? []).map((e) => [e.date, e])), [cal.data]);
  const runs = useMemo(() => holidayRuns(cal.data?.days ?? [], en), [cal.data, en]);
  const makeups = (cal.data?.days ?? []).filter((d) => d.kind === 'makeup');
  const workdays = (cal.data?.days ?? []).filter((d) => d.kind === 'workday' || d.kind === 'makeup').length;

  return (
    <div>
      <PageTitle
        title={t('nav.calendar')}
        sub={t('cal.sub')}
        extra={
          <Space.Compact>
            <Button icon={<LeftOutlined />} onClick={() => setYear((y) => y - 1)} aria-label={t('cal.prevYear')} />
            <Button className="cal-year" data-testid="cal-year">{t('cal.year', { year })}</Button>
            <Button icon={<RightOutlined />} onClick={() => setYear((y) => y + 1)} aria-label={t('cal.nextYear')} />
          </Space.Compact>
        }
      />
      <QueryState loading={cal.isPending} error={cal.error} retry={() => void cal.refetch()}>
        {cal.data && (
          <>
            {cal.data.provisional && <Alert type="warning" showIcon title={t('cal.provisional', { year })} style={{ marginBottom: 12 }} />}
            <div className="cal-top">
              <Card size="small" className="cal-summary" title={t('cal.holidays', { year })}>
                {runs.length === 0 ? <Typography.Text type="secondary">{t('cal.noHolidays')}</Typography.Text> : (
                  <ul className="cal-runs" data-testid="holiday-runs">
                    {runs.map((r) => (
                      <li key={r.from}>
                        <span className="cal-run-name">{r.name || t('cal.holiday')}</span>
                        <span className="cal-run-dates">{fmtRange(r.from, r.to, en)}</span>
                        <Tag color="red">{t('cal.days', { n: r.days })}</Tag>
                      </li>
                    ))}
                  </ul>
                )}
                {makeups.length > 0 && (
                  <div className="cal-makeups">
                    <Typography.Text strong>{t('cal.makeupDays')}</Typography.Text>{' '}
                    {makeups.map((d) => <Tag key={d.date} color="blue">{fmtDay(d.date, en)} {t(`cal.wd${d.weekday}`)}</Tag>)}
                  </div>
                )}
                <div className="cal-facts">
                  <span>{t('cal.workdayCount', { n: workdays })}</span>
                  {cal.data.source && <span className="muted">{t('cal.source')}: {cal.data.source}</span>}
                </div>
              </Card>
              <div className="cal-legend">
                <span><i className="sw sw-workday" />{t('cal.kind.workday')}</span>
                <span><i className="sw sw-weekend" />{t('cal.kind.weekend')}</span>
                <span><i className="sw sw-holiday" />{t('cal.kind.holiday')}</span>
                <span><i className="sw sw-makeup" />{t('cal.kind.makeup')}</span>
                <span><i className="sw sw-edited" />{t('cal.edited')}</span>
                {canWrite && <span className="muted">{t('cal.clickHint')}</span>}
              </div>
            </div>
            <div className="cal-year-grid" data-testid="year-grid">
              {Array.from({ length: 12 }, (_, m) => (
                <Month key={m} year={year} month={m} byDate={byDate} edits={edits} today={today} en={en} onPick={canWrite ? setPicked : undefined} />
              ))}
            </div>
            <div className="cal-bottom">
              <HoursEditor hours={cal.data.hours} canWrite={canWrite} year={year} />
              <EditsCard edits={cal.data.edits} year={year} canWrite={canWrite} />
            </div>
          </>
        )}
      </QueryState>
      {picked && <DayDialog day={picked} edit={edits.get(picked.date) ?? null} year={year} onClose={() => setPicked(null)} />}
    </div>
  );
}

function fmtDay(date: string, en: boolean) {
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return en ? `${date.slice(5)}` : `${m}月${d}日`;
}
function fmtRange(from: string, to: string, en: boolean) {
  return from === to ? fmtDay(from, en) : `${fmtDay(from, en)} – ${fmtDay(to, en)}`;
}

function Month({ year, month, byDate, edits, today, en, onPick }: {
  year: number; month: number; byDate: Map<string, CalendarDay>; edits: Map<string, CalendarEdit>; today: string; en: boolean;
  onPick?: (d: CalendarDay) => void;
}) {
  const { t } = useTranslation();
  const first = new Date(Date.UTC(year, month, 1));
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7; // weeks start on Monday in China
  const cells: Array<string | null> = [...Array(lead).fill(null)];
  for (let d = 1; d <= daysInMonth; d++) cells.push(`${year}-${String(month + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  while (cells.length % 7) cells.push(null);
  return (
    <div className="cal-month">
      <div className="cal-month-title">{en ? new Date(Date.UTC(year, month, 1)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' }) : `${month + 1}月`}</div>
      <div className="cal-grid">
        {[1, 2, 3, 4, 5, 6, 7].map((w) => <div key={w} className={`cal-wd${w >= 6 ? ' cal-wd-end' : ''}`}>{t(`cal.wdShort${w}`)}</div>)}
        {cells.map((date, i) => {
          if (!date) return <div key={`x${i}`} />;
          const d = byDate.get(date);
          const kind = d?.kind ?? 'workday';
          const name = d ? (en ? d.nameEn : d.name) ?? d.name : undefined;
          const edit = edits.get(date);
          const title = [date, t(`cal.kind.${kind}`), name, edit ? `${t('cal.edited')}${edit.note ? `：${edit.note}` : ''}` : null].filter(Boolean).join(' · ');
          return (
            <button
              type="button"
              key={date}
              className={`cal-day cal-${kind}${date === today ? ' cal-today' : ''}${edit ? ' cal-has-edit' : ''}`}
              data-date={date}
              data-kind={kind}
              title={title}
              disabled={!onPick}
              onClick={() => d && onPick?.(d)}
            >
              {Number(date.slice(8))}
              {kind === 'holiday' && <span className="cal-mark">{t('cal.markRest')}</span>}
              {kind === 'makeup' && <span className="cal-mark">{t('cal.markWork')}</span>}
            </button>
          );
        })}
      </div>
    </div>
  );
}

function DayDialog({ day, edit, year, onClose }: { day: CalendarDay; edit: CalendarEdit | null; year: number; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [kind, setKind] = useState<'holiday' | 'workday' | 'normal'>(edit?.kind ?? (day.kind === 'holiday' ? 'workday' : 'holiday'));
  const [note, setNote] = useState(edit?.note ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await fn();
      void message.success(t('cal.daySaved'));
      await qc.invalidateQueries({ queryKey: ['calendar', year] });
      onClose();
    } catch (e) {
      setProblem(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const name = (en ? day.nameEn : day.name) ?? day.name;
  return (
    <Modal
      open
      title={`${day.date} ${t(`cal.wd${day.weekday}`)}`}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        edit && <Button key="undo" onClick={() => void run(() => api.del(`/api/calendar/days/${day.date}`))} disabled={busy}>{t('cal.undoEdit')}</Button>,
        <Button key="cancel" onClick={onClose}>{t('action.cancel')}</Button>,
        <Button key="ok" type="primary" loading={busy} onClick={() => void run(() => api.put(`/api/calendar/days/${day.date}`, { kind, note: note.trim() || null }))}>{t('action.save')}</Button>,
      ]}
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph>
        {t('cal.now')}: <Tag className={`tag-${day.kind}`}>{t(`cal.kind.${day.kind}`)}</Tag>{name && <Tag>{name}</Tag>}
        {edit && <Tag color="gold">{t('cal.edited')}</Tag>}
      </Typography.Paragraph>
      <Radio.Group value={kind} onChange={(e) => setKind(e.target.value)} className="cal-radio">
        <Radio value="holiday">{t('cal.setHoliday')}</Radio>
        <Radio value="workday">{t('cal.setWorkday')}</Radio>
        <Radio value="normal">{t('cal.setNormal')}</Radio>
      </Radio.Group>
      <Input style={{ marginTop: 12 }} maxLength={100} placeholder={t('cal.notePlaceholder')} value={note} onChange={(e) => setNote(e.target.value)} />
    </Modal>
  );
}

function EditsCard({ edits, year, canWrite }: { edits: CalendarEdit[]; year: number; canWrite: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useErrorToast();
  return (
    <Card size="small" title={t('cal.editsTitle', { year })} className="cal-edits">
      <Table<CalendarEdit>
        size="small"
        rowKey="date"
        pagination={false}
        dataSource={edits}
        locale={{ emptyText: t('cal.noEdits') }}
        columns={[
          { title: t('cal.date'), dataIndex: 'date', width: 110 },
          { title: t('cal.setTo'), dataIndex: 'kind', width: 110, render: (k: string) => t(`cal.override.${k}`) },
          { title: t('cal.note'), dataIndex: 'note', render: (v) => v ?? '—' },
          ...(canWrite ? [{
            title: '', key: 'x', width: 70,
            render: (_: unknown, e: CalendarEdit) => (
              <Button size="small" type="link" onClick={async () => {
                try {
                  await api.del(`/api/calendar/days/${e.date}`);
                  await qc.invalidateQueries({ queryKey: ['calendar', year] });
                } catch (err) {
                  toast(err);
                }
              }}>{t('cal.undo')}</Button>
            ),
          }] : []),
        ]}
      />
    </Card>
  );
}
