import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../app/api.ts';
import { useNames } from '../app/i18n.ts';
import { can } from '../app/permissions.ts';
import type { Me, Page, Place, PlaceDetail } from '../app/types.ts';
import type { WorkItem } from '../app/workItems.ts';
import { useAct, useWorkItems } from '../app/workQueries.ts';
import { linkProps, navigate } from './router.ts';
import { Card, ErrorBox, Spinner, TopBar } from './ui.tsx';

/**
 * A place on the phone: what a scanned label (/q/<token>) or a search result opens. Large name,
 * code to read out over the radio, the breadcrumb to know which floor, and the places inside.
 */
export function PlaceView({ token, id, me, banner }: { token?: string; id?: string; me: Me; banner?: ReactNode }) {
  const { t } = useTranslation();
  const names = useNames();
  const place = useQuery({
    queryKey: token ? ['scan', token] : ['place', id],
    queryFn: () => api.get<PlaceDetail>(token ? `/api/q/${encodeURIComponent(token)}` : `/api/places/${id}`),
  });
  const p = place.data;
  const children = useQuery({
    queryKey: ['places', 'children', p?.id],
    queryFn: () => api.get<Page<Place>>('/api/places', { parentId: p!.id, limit: 200 }),
    enabled: !!p,
  });

  return (
    <>
      <TopBar title={p ? names.place(p) : t('brand')} back="/m/" />
      <main className="m-main">
        {banner}
        {place.isPending && <Spinner />}
        {place.error && (
          isApiError(place.error) && place.error.status === 404 ? (
            <Card className="m-notfound">
              <p>{t('m.place.notFound')}</p>
              <div className="m-actions">
                <a className="m-btn m-btn-primary" {...linkProps('/m/scan')}>{t('m.place.scanAgain')}</a>
                <a className="m-btn" {...linkProps('/m/')}>{t('m.place.home')}</a>
              </div>
            </Card>
          ) : <ErrorBox error={place.error} retry={() => void place.refetch()} />
        )}
        {p && (
          <>
            {me.staffId && <ArriveHere place={p} token={token} />}
            <Card className="m-place">
              {p.ancestors.length > 0 && (
                <nav className="m-crumbs" aria-label={t('m.place.breadcrumb')} data-testid="place-breadcrumb">
                  {p.ancestors.map((a) => (
                    <a key={a.id} {...linkProps(`/m/places/${a.id}`)}>{a.name}</a>
                  ))}
                </nav>
              )}
              <h1 className="m-place-name" data-testid="place-name">{names.place(p)}</h1>
              {names.en ? null : p.nameEn && <div className="m-muted">{p.nameEn}</div>}
              {!p.active && <div className="m-error">{t('m.place.inactive')}</div>}
              <dl className="m-facts">
                <div><dt>{t('m.place.code')}</dt><dd className="m-code-lg" data-testid="place-code">{p.code}</dd></div>
                <div><dt>{t('m.place.kind')}</dt><dd>{names.kind(p.kind)}</dd></div>
                {p.areaM2 != null && <div><dt>{t('m.place.area')}</dt><dd>{p.areaM2} m²</dd></div>}
              </dl>
            </Card>
            {me.occupantId && can(me.roles, 'workItem.create') && p.active && (
              <a className="m-btn m-btn-primary m-btn-block m-btn-big" data-testid="report-here" {...linkProps(`/m/report?placeId=${p.id}`)}>{t('m.report.here')}</a>
            )}
            {children.data && children.data.items.length > 0 && (
              <Card title={`${t('m.place.children')} (${children.data.total})`}>
                <ul className="m-list">
                  {children.data.items.map((c) => (
                    <li key={c.id}>
                      <a className="m-list-item" {...linkProps(`/m/places/${c.id}`)}>
                        <span><span>{names.place(c)}</span><small className="m-code">{c.code}</small></span>
                        <span className="m-chev">›</span>
                      </a>
                    </li>
                  ))}
                </ul>
              </Card>
            )}
            <div className="m-actions">
              <a className="m-btn m-btn-primary" {...linkProps('/m/scan')}>{t('m.place.scanAgain')}</a>
              <a className="m-btn" {...linkProps('/m/')}>{t('m.place.home')}</a>
            </div>
          </>
        )}
      </main>
    </>
  );
}

/**
 * A technician who opens a place's label (scanned with the phone's camera or WeChat) sees their
 * items at this place, or at a place it lies inside, that wait for arrival: one tap records the
 * arrival, proven by the label's token (RP-3). Reached by search (no token), it links the item.
 */
function ArriveHere({ place, token }: { place: PlaceDetail; token?: string }) {
  const { t } = useTranslation();
  const mine = useWorkItems({ mine: true, open: true, limit: 100 });
  const here = new Set([place.id, ...place.ancestors.map((a) => a.id)]);
  const items = (mine.data?.items ?? []).filter((it) => it.place && here.has(it.place.id) && it.can.includes('arrive'));
  if (!items.length) return null;
  return (
    <Card title={t('m.arrive.here')} className="m-arrive-here">
      {items.map((it) => <ArriveRow key={it.id} item={it} token={token} />)}
    </Card>
  );
}

function ArriveRow({ item, token }: { item: WorkItem; token?: string }) {
  const { t } = useTranslation();
  const act = useAct(item.id);
  return (
    <div className="m-arrive-row" data-testid="arrive-here" data-number={item.number}>
      <div><strong>{item.number}</strong> {item.title}</div>
      {token ? (
        <button type="button" className="m-btn m-btn-primary m-btn-block m-btn-big" disabled={act.isPending}
          onClick={() => act.mutate({ action: 'arrive', input: { qrToken: token } }, { onSuccess: () => navigate(`/m/items/${item.id}`) })}>
          {act.isPending ? t('loading') : t('m.arrive.confirm')}
        </button>
      ) : (
        <a className="m-btn m-btn-block" {...linkProps(`/m/items/${item.id}/arrive`)}>{t('m.wi.act.arrive')}</a>
      )}
      {act.error != null && <ErrorBox error={act.error} />}
    </div>
  );
}
