import { useTranslation } from 'react-i18next';
import { formatShort } from '../../app/dates.ts';
import { clockStatus, minutesUntil, pressingClock, type Attachment, type WorkItem } from '../../app/workItems.ts';
import { useWorkNames } from '../../app/workNames.ts';
import { linkProps } from '../router.ts';

export function UrgencyChip({ urgency }: { urgency: string }) {
  const names = useWorkNames();
  if (urgency === 'normal') return null;
  return <span className={`m-chip m-urg-${urgency}`}>{names.urgency(urgency)}</span>;
}

const STATE_TONE: Record<string, string> = {
  new: 'blue', assigned: 'blue', accepted: 'blue', on_the_way: 'blue', on_site: 'blue', in_progress: 'blue', waiting_parts: 'orange',
  completed: 'green', resolved: 'green', answered: 'green', closed: 'grey', cancelled: 'grey',
};

export function StateChip({ item }: { item: Pick<WorkItem, 'state' | 'stateName'> }) {
  return <span className={`m-chip m-state m-tone-${STATE_TONE[item.state] ?? 'blue'}`} data-testid="state">{item.stateName}</span>;
}

/** The pressing promise of an item: 到场时限 剩 23 分 (orange when warned, red when late). */
export function Countdown({ item, now, big }: { item: Pick<WorkItem, 'clocks' | 'scheduledFor' | 'urgency'>; now: number; big?: boolean }) {
  const { t } = useTranslation();
  const names = useWorkNames();
  // The revisit after completion is the desk's promise, not the field worker's.
  const c = pressingClock({ clocks: item.clocks.filter((x) => x.clock !== 'revisit') });
  // Reported off-hours (CS-2): nothing counts before the next working period.
  if (c && item.scheduledFor && item.urgency !== 'urgent' && Date.parse(item.scheduledFor) > now) {
    return <span className={`m-clock m-clock-paused${big ? ' m-clock-big' : ''}`} data-testid="countdown">{names.clock(c.clock)} · {t('m.wi.startsAt', { time: formatShort(item.scheduledFor) })}</span>;
  }
  if (!c) {
    const paused = item.clocks.find((x) => !x.running && !x.stoppedAt && x.clock !== 'revisit');
    return paused ? <span className={`m-clock m-clock-paused${big ? ' m-clock-big' : ''}`}>{names.clock(paused.clock)} · {t('wi.paused')}</span> : null;
  }
  const status = clockStatus(c, now);
  return (
    <span className={`m-clock m-clock-${status}${big ? ' m-clock-big' : ''}`} data-testid="countdown">
      {names.clock(c.clock)} · {minutesUntil(c.dueAt, now) > 12 * 60 ? t('m.wi.dueAt', { time: formatShort(c.dueAt) }) : names.timeLeft(minutesUntil(c.dueAt, now))}
    </span>
  );
}

/** One item in a list: number, title, place, state; the countdown for field staff. */
export function ItemRow({ item, now, showClock, mineLabel }: { item: WorkItem; now: number; showClock?: boolean; mineLabel?: string | null }) {
  const names = useWorkNames();
  return (
    <a className="m-item" data-testid="item-row" data-number={item.number} {...linkProps(`/m/items/${item.id}`)}>
      <div className="m-item-head">
        <span className="m-item-no">{item.number}</span>
        <UrgencyChip urgency={item.urgency} />
        {mineLabel && <span className="m-chip">{mineLabel}</span>}
        <span className="m-item-state"><StateChip item={item} /></span>
      </div>
      <div className="m-item-title">{item.title}</div>
      <div className="m-item-sub">
        <span>{item.place ? item.place.name : names.categoryLeaf(item.category)}</span>
        <span>{formatShort(item.createdAt)}</span>
      </div>
      {showClock && <Countdown item={item} now={now} />}
    </a>
  );
}

export function PhotoStrip({ photos, testId }: { photos: Attachment[]; testId?: string }) {
  const { t } = useTranslation();
  if (!photos.length) return null;
  return (
    <div className="m-photo-grid" data-testid={testId}>
      {photos.map((p, i) => (
        <a key={p.id} className="m-photo" href={p.url} target="_blank" rel="noreferrer">
          <img src={p.thumbUrl} alt={t('m.photos.photoN', { n: i + 1 })} loading="lazy" />
        </a>
      ))}
    </div>
  );
}
