import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CATEGORY_TREES, type Category } from '@towerdesk/domain';
import { api, newIdempotencyKey } from '../../app/api.ts';
import { formatShort } from '../../app/dates.ts';
import { useNames } from '../../app/i18n.ts';
import type { Me, Occupant, Page, Place } from '../../app/types.ts';
import type { Upload, WorkItemDetail } from '../../app/workItems.ts';
import { workKeys } from '../../app/workQueries.ts';
import { useWorkNames } from '../../app/workNames.ts';
import { linkProps, navigate, useLocation } from '../router.ts';
import { Card, ErrorBox, Spinner, TopBar } from '../ui.tsx';
import { PhotoPicker } from './PhotoPicker.tsx';

interface PickedPlace { id: string; name: string; code?: string }

/**
 * 报修 on the phone (RP-1): a fault category from the tree (two levels, big tiles), the place
 * (own units, a scanned label's place, or a search), a description and up to six photos. One
 * Idempotency-Key per submission, reused when the submit is retried on a weak signal.
 */
export function ReportForm({ me }: { me: Me }) {
  const { t } = useTranslation();
  const names = useWorkNames();
  const placeNames = useNames();
  const qc = useQueryClient();
  const { search } = useLocation();
  const presetPlaceId = search.get('placeId');

  const [parent, setParent] = useState<Category | null>(null);
  const [category, setCategory] = useState<Category | null>(null);
  const [place, setPlace] = useState<PickedPlace | null>(null);
  const [otherOpen, setOtherOpen] = useState(false);
  const [description, setDescription] = useState('');
  const [photos, setPhotos] = useState<Upload[]>([]);
  const [uploading, setUploading] = useState(false);
  const [urgent, setUrgent] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<WorkItemDetail | null>(null);
  const key = useRef(newIdempotencyKey());

  const occupant = useQuery({ queryKey: ['occupant', me.occupantId], queryFn: () => api.get<Occupant>(`/api/occupants/${me.occupantId}`), enabled: !!me.occupantId });
  const preset = useQuery({ queryKey: ['place', presetPlaceId], queryFn: () => api.get<Place>(`/api/places/${presetPlaceId}`), enabled: !!presetPlaceId });
  const units: PickedPlace[] = (occupant.data?.unitIds ?? []).map((id, i) => ({ id, name: occupant.data?.unitNames?.[i] ?? id }));

  // A scanned label's place, else the only unit the occupant has.
  useEffect(() => {
    if (place) return;
    if (preset.data) setPlace({ id: preset.data.id, name: placeNames.place(preset.data), code: preset.data.code });
    else if (!presetPlaceId && units.length === 1) setPlace(units[0]!);
  }, [preset.data, presetPlaceId, units.length]); // eslint-disable-line react-hooks/exhaustive-deps

  const pick = (c: Category) => {
    if (c.children?.length) {
      setParent(c);
      return;
    }
    setCategory(c);
    setUrgent(c.defaultUrgency === 'urgent');
  };

  const submit = async () => {
    setProblem(null);
    setError(null);
    if (!category) return setProblem(t('m.report.needCategory'));
    if (!place) return setProblem(t('m.report.needPlace'));
    if (!description.trim()) return setProblem(t('m.report.needDescription'));
    if (uploading) return setProblem(t('m.photos.waitUpload'));
    setBusy(true);
    try {
      const item = await api.postOnce<WorkItemDetail>('/api/work-items', {
        kind: 'repair', category: category.code, urgency: urgent ? 'urgent' : category.defaultUrgency === 'urgent' ? 'normal' : category.defaultUrgency,
        placeId: place.id, description: description.trim(), channel: 'app', attachmentIds: photos.map((p) => p.id),
      }, key.current);
      key.current = newIdempotencyKey();
      void qc.invalidateQueries({ queryKey: workKeys.all });
      setDone(item);
      window.scrollTo(0, 0);
    } catch (e) {
      setError(e); // the same key goes with the retry: no second item if the first one arrived
    } finally {
      setBusy(false);
    }
  };

  if (done) return <Submitted item={done} />;

  const tiles = parent ? parent.children ?? [] : CATEGORY_TREES.repair;
  return (
    <>
      <TopBar title={t('m.report.title')} back={presetPlaceId ? `/m/places/${presetPlaceId}` : '/m/'} />
      <main className="m-main">
        <form className="m-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <Card title={t('m.report.category')}>
            {category ? (
              <div className="m-picked" data-testid="picked-category">
                <span>{names.category(category.code)}{category.defaultUrgency === 'urgent' && <span className="m-chip m-urg-urgent">{names.urgency('urgent')}</span>}</span>
                <button type="button" className="m-link" onClick={() => { setCategory(null); }}>{t('m.report.change')}</button>
              </div>
            ) : (
              <>
                {parent && (
                  <button type="button" className="m-crumb-back" onClick={() => setParent(null)}>‹ {t('m.report.allCategories')} / {names.en ? parent.en : parent.zh}</button>
                )}
                <div className="m-tiles" data-testid="category-tiles">
                  {tiles.map((c) => (
                    <button key={c.code} type="button" className={`m-tile${c.defaultUrgency === 'urgent' ? ' m-tile-urgent' : ''}`} data-code={c.code} onClick={() => pick(c)}>
                      <span>{names.en ? c.en : c.zh}</span>
                      {c.children?.length ? <span className="m-chev">›</span> : c.defaultUrgency === 'urgent' ? <small>{names.urgency('urgent')}</small> : null}
                    </button>
                  ))}
                </div>
              </>
            )}
          </Card>

          <Card title={t('m.report.place')}>
            {place && (
              <div className="m-picked" data-testid="picked-place">
                <span>{place.name}{place.code && <small className="m-code">{place.code}</small>}</span>
                <button type="button" className="m-link" onClick={() => { setPlace(null); setOtherOpen(false); }}>{t('m.report.change')}</button>
              </div>
            )}
            {!place && (
              <>
                {occupant.isPending && me.occupantId && <Spinner />}
                {units.length > 0 && (
                  <div className="m-tiles">
                    {units.map((u) => (
                      <button key={u.id} type="button" className="m-tile" onClick={() => setPlace(u)}>
                        <span>{u.name}</span><small>{t('m.report.myUnit')}</small>
                      </button>
                    ))}
                  </div>
                )}
                <div className="m-actions m-mt">
                  <a className="m-btn m-btn-small" {...linkProps('/m/scan')}>{t('m.report.scanPlace')}</a>
                  <button type="button" className="m-btn m-btn-small" onClick={() => setOtherOpen((v) => !v)}>{t('m.report.otherPlace')}</button>
                </div>
                {otherOpen && <PlaceSearch onPick={(p) => setPlace({ id: p.id, name: placeNames.place(p), code: p.code })} />}
              </>
            )}
          </Card>

          <Card title={t('m.report.description')}>
            <textarea className="m-textarea" name="description" rows={4} maxLength={2000} value={description}
              placeholder={t('m.report.descriptionHint')} onChange={(e) => setDescription(e.target.value)} />
          </Card>

          <Card title={t('m.report.photos')}>
            <PhotoPicker value={photos} onChange={setPhotos} onBusy={setUploading} testId="report-photos" />
          </Card>

          {category && (
            <label className="m-check">
              <input type="checkbox" checked={urgent} onChange={(e) => setUrgent(e.target.checked)} />
              <span>{t('m.report.urgent')}<small>{t('m.report.urgentHint')}</small></span>
            </label>
          )}

          {problem && <div className="m-error" role="alert">{problem}</div>}
          {error != null && <ErrorBox error={error} />}
          <button type="submit" className="m-btn m-btn-primary m-btn-block m-btn-big" disabled={busy || uploading} data-testid="report-submit">
            {busy ? t('loading') : error ? t('m.report.retry') : t('m.report.submit')}
          </button>
        </form>
      </main>
    </>
  );
}

function PlaceSearch({ onPick }: { onPick: (p: Place) => void }) {
  const { t } = useTranslation();
  const names = useNames();
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const id = setTimeout(() => setDebounced(q.trim()), 300);
    return () => clearTimeout(id);
  }, [q]);
  const found = useQuery({
    queryKey: ['places', 'find', debounced],
    queryFn: () => api.get<Page<Place>>('/api/places', { q: debounced, limit: 20 }),
    enabled: debounced.length > 0,
  });
  return (
    <div className="m-mt">
      <input className="m-input" type="search" enterKeyHint="search" placeholder={t('m.findPlaceHint')} value={q} onChange={(e) => setQ(e.target.value)} />
      {found.isFetching && <Spinner />}
      {found.error && <ErrorBox error={found.error} retry={() => void found.refetch()} />}
      {found.data && (found.data.items.length === 0 ? <p className="m-muted">{t('m.noResults')}</p> : (
        <ul className="m-list">
          {found.data.items.map((p) => (
            <li key={p.id}>
              <button type="button" className="m-list-item m-list-button" onClick={() => onPick(p)}>
                <span><span>{names.place(p)}</span><small className="m-code">{p.code}</small></span>
                <span className="m-chev">›</span>
              </button>
            </li>
          ))}
        </ul>
      ))}
    </div>
  );
}

/** After the submit: the number to quote on the phone, and when work starts if it is off-hours (CS-2). */
function Submitted({ item }: { item: WorkItemDetail }) {
  const { t } = useTranslation();
  return (
    <>
      <TopBar title={t('m.report.title')} back="/m/" />
      <main className="m-main">
        <Card className="m-done" >
          <div className="m-done-icon" aria-hidden="true">✓</div>
          <h1>{t('m.report.submitted')}</h1>
          <div className="m-label">{t('m.wi.number')}</div>
          <div className="m-code-lg" data-testid="new-number">{item.number}</div>
          {item.scheduledFor && (
            <p className="m-offhours" data-testid="offhours">{t('m.report.offHours', { time: formatShort(item.scheduledFor) })}</p>
          )}
          {item.urgency === 'urgent' && <p className="m-muted">{t('m.report.urgentNote')}</p>}
        </Card>
        <div className="m-actions">
          <button type="button" className="m-btn m-btn-primary" onClick={() => navigate(`/m/items/${item.id}`, { replace: true })}>{t('m.report.follow')}</button>
          <a className="m-btn" {...linkProps('/m/')}>{t('m.place.home')}</a>
        </div>
      </main>
    </>
  );
}
