import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api.ts';
import { addDays, daysBetween, expiryState, shanghaiToday } from '../app/dates.ts';
import { useNames } from '../app/i18n.ts';
import { listJoin } from '../app/lists.ts';
import type { CalendarDay, CalendarYear, Me, Occupant, Staff } from '../app/types.ts';
import { can } from '../app/permissions.ts';
import { FindPlaceBox } from './FindPlaceBox.tsx';
import { linkProps } from './router.ts';
import { Card, ErrorBox, Spinner, TopBar } from './ui.tsx';
import { TasksButton } from './tasks/TasksButton.tsx';
import { ItemsCard } from './work/ItemList.tsx';

/**
 * The phone home of field staff and occupants: who you are, the scan button, and what is coming
 * (today's hours, the next holiday, make-up working days, certificates about to expire).
 */
export function Home({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <>
      <TopBar title={t('brand')} />
      <main className="m-main">
        <Profile me={me} />
        {me.occupantId && can(me.roles, 'workItem.create') && (
          <a className="m-scan m-report" data-testid="report-button" {...linkProps('/m/report')}>
            <ReportIcon />
            <span className="m-scan-text">
              <strong>{t('m.report.title')}</strong>
              <small>{t('m.report.sub')}</small>
            </span>
          </a>
        )}
        <a className="m-scan" data-testid="scan-button" {...linkProps('/m/scan')}>
          <ScanIcon />
          <span className="m-scan-text">
            <strong>{t('m.scan')}</strong>
            <small>{t('m.scanSub')}</small>
          </span>
        </a>
        {me.staffId && <TasksButton />}
        {(me.staffId || me.occupantId) && <ItemsCard me={me} />}
        <Today />
        {me.occupantId ? <MyUnits occupantId={me.occupantId} /> : <FindPlaceBox title={t('m.findPlace')} />}
        {me.layout === 'desk' && <a className="m-desk-link" href="/">{t('m.deskLink')}</a>}
      </main>
    </>
  );
}

function ReportIcon() {
  return (
    <svg viewBox="0 0 24 24" width="34" height="34" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M14.7 6.3a1 1 0 0 0 0 1.4l1.6 1.6a1 1 0 0 0 1.4 0l3.77-3.77a6 6 0 0 1-7.94 7.94l-6.91 6.91a2.12 2.12 0 0 1-3-3l6.91-6.91a6 6 0 0 1 7.94-7.94l-3.76 3.76z" />
    </svg>
  );
}

function ScanIcon() {
  return (
    <svg viewBox="0 0 24 24" width="34" height="34" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
      <path d="M4 8V5a1 1 0 0 1 1-1h3M16 4h3a1 1 0 0 1 1 1v3M20 16v3a1 1 0 0 1-1 1h-3M8 20H5a1 1 0 0 1-1-1v-3M4 12h16" />
    </svg>
  );
}

function Profile({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const names = useNames();
  const staff = useQuery({ queryKey: ['staff', me.staffId], queryFn: () => api.get<Staff>(`/api/staff/${me.staffId}`), enabled: !!me.staffId });
  const occupant = useQuery({ queryKey: ['occupant', me.occupantId], queryFn: () => api.get<Occupant>(`/api/occupants/${me.occupantId}`), enabled: !!me.occupantId });
  const today = shanghaiToday();
  const s = staff.data;
  const o = occupant.data;
  // Certificates that need action first: expired, then soonest to expire.
  const certs = [...(s?.certificates ?? [])].sort((a, b) => (a.expiresOn ?? '9999').localeCompare(b.expiresOn ?? '9999'));
  return (
    <Card className="m-profile">
      <div className="m-profile-head">
        <div className="m-avatar" aria-hidden="true">{me.displayName.slice(-2)}</div>
        <div className="m-profile-who">
          <div className="m-profile-name" data-testid="profile-name">{me.displayName}</div>
          <div className="m-profile-sub">
            {s ? `${s.position} · ${t('m.employeeNo', { no: s.employeeNo })}` : o?.companyName ?? listJoin(me.roles.map(names.role), i18n.language)}
          </div>
          {s && s.trades.length > 0 && <div className="m-chips">{s.trades.map((tr) => <span key={tr} className="m-chip">{names.trade(tr)}</span>)}</div>}
          {o && o.companyRole === 'admin' && <div className="m-chips"><span className="m-chip m-chip-blue">{t('m.companyAdmin')}</span></div>}
        </div>
      </div>
      {(staff.error || occupant.error) && <ErrorBox error={staff.error ?? occupant.error} retry={() => { void staff.refetch(); void occupant.refetch(); }} />}
      {certs.length > 0 && (
        <div className="m-certs">
          <div className="m-label">{t('m.certs')}</div>
          {certs.map((c) => {
            const state = expiryState(c.expiresOn, today);
            const text = !c.expiresOn ? t('m.certNoExpiry')
              : state === 'expired' ? t('m.certExpired')
              : state === 'expiring' ? t('m.certExpiring', { n: daysBetween(today, c.expiresOn) })
              : t('m.certValid', { date: c.expiresOn });
            return (
              <div key={c.id} className={`m-cert m-cert-${state}`}>
                <span>{c.name}</span>
                <span className="m-cert-state">{text}</span>
              </div>
            );
          })}
        </div>
      )}
    </Card>
  );
}

function hoursText(cal: CalendarYear, day: CalendarDay): string {
  const windows = day.kind === 'workday' ? cal.hours.byWeekday[String(day.weekday) as '1'] : day.kind === 'makeup' ? cal.hours.makeUpDay : [];
  return windows.map(([a, b]) => `${a}–${b}`).join('，');
}

function Today() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const today = shanghaiToday();
  const year = Number(today.slice(0, 4));
  const cal = useQuery({ queryKey: ['calendar', year], queryFn: () => api.get<CalendarYear>('/api/calendar', { year }) });
  const remaining = (cal.data?.days ?? []).filter((d) => d.date >= today);
  const needNext = !!cal.data && !remaining.some((d) => d.kind === 'holiday');
  // Late in the year the next holiday is in next year's calendar.
  const next = useQuery({ queryKey: ['calendar', year + 1], queryFn: () => api.get<CalendarYear>('/api/calendar', { year: year + 1 }), enabled: needNext });

  if (cal.isPending) return <Card title={t('m.today')}><Spinner /></Card>;
  if (cal.error) return <Card title={t('m.today')}><ErrorBox error={cal.error} retry={() => void cal.refetch()} /></Card>;
  const data = cal.data;
  const day = data.days.find((d) => d.date === today);
  const upcoming = [...remaining, ...(next.data?.days ?? [])];
  const firstHoliday = upcoming.find((d) => d.kind === 'holiday');
  let holidayEnd = firstHoliday;
  if (firstHoliday) {
    for (const d of upcoming.slice(upcoming.indexOf(firstHoliday))) {
      if (d.kind !== 'holiday' || d.name !== firstHoliday.name) break;
      holidayEnd = d;
    }
  }
  const horizon = addDays(today, 45);
  const makeups = upcoming.filter((d) => d.kind === 'makeup' && d.date <= horizon);
  const dayName = (d: CalendarDay) => (en ? d.nameEn : d.name) ?? d.name ?? '';
  const md = (date: string) => (en ? date.slice(5) : `${Number(date.slice(5, 7))}月${Number(date.slice(8))}日`);
  const hours = day ? hoursText(data, day) : '';

  return (
    <Card title={t('m.today')} className="m-today">
      {day && (
        <div className={`m-day m-day-${day.kind}`} data-testid="today">
          <div className="m-day-date">{md(day.date)} {t(`m.weekday.${day.weekday}`)}</div>
          <div className="m-day-kind">{t(`m.${day.kind}`)}{day.name ? ` · ${dayName(day)}` : ''}</div>
          <div className="m-day-hours">{hours ? t('m.hoursToday', { hours }) : t('m.restToday')}</div>
        </div>
      )}
      {firstHoliday && (
        <div className="m-row">
          <span className="m-label">{t('m.nextHoliday')}</span>
          <span>
            <strong className="m-red">{dayName(firstHoliday) || t('m.holiday')}</strong> {md(firstHoliday.date)}{holidayEnd && holidayEnd.date !== firstHoliday.date ? `–${md(holidayEnd.date)}` : ''}
            <span className="m-muted"> · {firstHoliday.date === today ? t('m.startsToday') : t('m.inDays', { n: daysBetween(today, firstHoliday.date) })}</span>
          </span>
        </div>
      )}
      {makeups.map((d) => (
        <div key={d.date} className="m-row">
          <span className="m-label m-blue">{t('m.makeupSoon')}</span>
          <span>{md(d.date)} {t(`m.weekday.${d.weekday}`)}{d.name ? ` · ${dayName(d)}` : ''}</span>
        </div>
      ))}
    </Card>
  );
}

function MyUnits({ occupantId }: { occupantId: string }) {
  const { t } = useTranslation();
  const o = useQuery({ queryKey: ['occupant', occupantId], queryFn: () => api.get<Occupant>(`/api/occupants/${occupantId}`) });
  if (!o.data) return o.error ? <ErrorBox error={o.error} retry={() => void o.refetch()} /> : null;
  return (
    <Card title={t('m.myUnits')}>
      {o.data.companyName && <div className="m-row"><span className="m-label">{t('m.company')}</span><span>{o.data.companyName}</span></div>}
      <ul className="m-list">
        {o.data.unitIds.map((id, i) => (
          <li key={id}><a className="m-list-item" {...linkProps(`/m/places/${id}`)}><span>{o.data.unitNames?.[i] ?? id}</span><span className="m-chev">›</span></a></li>
        ))}
      </ul>
    </Card>
  );
}
