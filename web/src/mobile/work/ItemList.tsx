import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FALLBACK_REFETCH_MS, useLive } from '../../app/live.ts';
import type { Me } from '../../app/types.ts';
import { sortForWork } from '../../app/workItems.ts';
import { useNow, useWorkItems } from '../../app/workQueries.ts';
import { linkProps } from '../router.ts';
import { Card, ErrorBox, Spinner, TopBar } from '../ui.tsx';
import { ItemRow } from './parts.tsx';

/** Field staff work from what is assigned to them; occupants follow what they (or their company) reported. */
export const isFieldStaff = (me: Me) => !!me.staffId && !me.occupantId;

/**
 * 我的工单 (field staff: assigned to me, urgent and soonest-due first, with a countdown) or
 * 我的报修 (occupants: their own and, for the company admin, the company's).
 */
export function ItemList({ me }: { me: Me }) {
  const { t } = useTranslation();
  const staff = isFieldStaff(me);
  const [tab, setTab] = useState<'open' | 'all'>('open');
  const now = useNow(staff ? 1000 : 60_000);
  useLive();
  const list = useWorkItems({ mine: staff || undefined, open: tab === 'open' || undefined, limit: 100 }, { refetchInterval: FALLBACK_REFETCH_MS });
  const items = list.data ? (tab === 'open' && staff ? sortForWork(list.data.items) : list.data.items) : [];
  return (
    <>
      <TopBar title={staff ? t('m.wi.myWork') : t('m.wi.myReports')} back="/m/" />
      <main className="m-main">
        <div className="m-tabs" role="tablist">
          {(['open', 'all'] as const).map((k) => (
            <button key={k} type="button" role="tab" aria-selected={tab === k} className={`m-tab${tab === k ? ' m-tab-on' : ''}`} onClick={() => setTab(k)}>
              {t(`m.wi.tab.${k}`)}
            </button>
          ))}
        </div>
        {!staff && me.occupantId && (
          <a className="m-btn m-btn-primary m-btn-block" {...linkProps('/m/report')}>{t('m.report.new')}</a>
        )}
        {list.isPending && <Spinner />}
        {list.error && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
        {list.data && (items.length === 0 ? (
          <p className="m-note m-muted">{tab === 'open' ? t('m.wi.noneOpen') : t('m.wi.none')}</p>
        ) : (
          <div className="m-items" data-testid="item-list">
            {items.map((it) => (
              <ItemRow key={it.id} item={it} now={now} showClock={staff && tab === 'open'}
                mineLabel={!staff && me.occupantId && it.occupantId !== me.occupantId ? t('m.wi.colleague') : null} />
            ))}
          </div>
        ))}
        {list.data && list.data.total > items.length && <p className="m-muted m-center">{t('m.wi.more', { n: list.data.total - items.length })}</p>}
      </main>
    </>
  );
}

/** The home page's card: the few open items that matter now, and the way to all of them. */
export function ItemsCard({ me }: { me: Me }) {
  const { t } = useTranslation();
  const staff = isFieldStaff(me);
  const now = useNow(staff ? 1000 : 60_000);
  useLive();
  const list = useWorkItems({ mine: staff || undefined, open: true, limit: 100 }, { refetchInterval: FALLBACK_REFETCH_MS });
  const items = list.data ? sortForWork(list.data.items).slice(0, staff ? 5 : 3) : [];
  return (
    <Card title={<span className="m-card-title-row"><span>{staff ? t('m.wi.myWork') : t('m.wi.myReports')}{list.data ? ` (${list.data.total})` : ''}</span><a {...linkProps('/m/items')}>{t('m.wi.all')} ›</a></span>}>
      {list.isPending && <Spinner />}
      {list.error && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {list.data && (items.length === 0 ? <p className="m-muted m-tight">{t('m.wi.noneOpen')}</p> : (
        <div className="m-items" data-testid="home-items">
          {items.map((it) => <ItemRow key={it.id} item={it} now={now} showClock={staff} />)}
        </div>
      ))}
    </Card>
  );
}
