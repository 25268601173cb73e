import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAct, useWorkItem } from '../../app/workQueries.ts';
import { useQrScanner } from '../camera.ts';
import { navigate } from '../router.ts';
import { scannedToken } from '../routes.ts';
import { Card, ErrorBox, Spinner, TopBar } from '../ui.tsx';

/**
 * 扫码到场 (RP-3): the technician scans the place's label and the server checks it is the item's
 * place (or inside it); that proves the arrival and stops the arrival clock. Where the page cannot
 * scan, the phone's camera opens the label's /q/<token> page, which offers the same arrival. A
 * manual arrival needs a reason and is marked unproven in reports.
 */
export function Arrive({ id }: { id: string }) {
  const { t } = useTranslation();
  const item = useWorkItem(id);
  const act = useAct(id);
  const [hint, setHint] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [manual, setManual] = useState(false);
  // A label that was refused is not sent again while it stays in front of the camera.
  const refused = useRef<{ token: string; at: number } | null>(null);
  const back = `/m/items/${id}`;
  const canArrive = item.data?.can.includes('arrive') ?? true;

  const arrive = (input: { qrToken?: string; reason?: string }) => new Promise<boolean>((resolve) => {
    act.mutate({ action: 'arrive', input }, {
      onSuccess: () => { resolve(true); navigate(back, { replace: true }); },
      onError: () => resolve(false),
    });
  });

  const { video, state } = useQrScanner(async (text) => {
    const token = scannedToken(text, window.location.origin);
    if (!token) {
      setHint(t('m.scanner.notOurs'));
      return false;
    }
    if (act.isPending) return false;
    if (refused.current && refused.current.token === token && Date.now() - refused.current.at < 4000) return false;
    setHint(t('m.arrive.checking'));
    const ok = await arrive({ qrToken: token });
    if (!ok) {
      refused.current = { token, at: Date.now() };
      setHint(null);
    }
    return ok;
  }, canArrive);

  const it = item.data;
  return (
    <>
      <TopBar title={t('m.arrive.title')} back={back} />
      <main className="m-main">
        {item.isPending && <Spinner />}
        {item.error && <ErrorBox error={item.error} retry={() => void item.refetch()} />}
        {it && (
          <Card>
            <div className="m-item-no">{it.number}</div>
            <div className="m-item-title">{it.title}</div>
            <p className="m-arrive-where">{it.place ? t('m.arrive.scanThis', { place: it.place.name, code: it.place.code }) : t('m.arrive.noPlace')}</p>
          </Card>
        )}
        {it && !canArrive && <p className="m-note">{t('m.arrive.notNow', { state: it.stateName })}</p>}
        {act.error != null && <ErrorBox error={act.error} />}
        {canArrive && (state === 'starting' || state === 'scanning') && (
          <div className="m-camera">
            <video ref={video} playsInline muted />
            <div className="m-camera-frame" />
            <div className="m-camera-hint">{state === 'starting' ? t('m.scanner.starting') : hint ?? t('m.scanner.aim')}</div>
          </div>
        )}
        {canArrive && state === 'unsupported' && <p className="m-note">{t('m.arrive.unsupported')}</p>}
        {canArrive && state === 'denied' && <p className="m-note">{t('m.arrive.denied')}</p>}
        {canArrive && (
          <Card title={t('m.arrive.manualTitle')}>
            {!manual ? (
              <button type="button" className="m-btn m-btn-block" data-testid="manual-arrive" onClick={() => setManual(true)}>{t('m.arrive.manual')}</button>
            ) : (
              <form className="m-form" onSubmit={(e) => { e.preventDefault(); if (reason.trim()) void arrive({ reason: reason.trim() }); }}>
                <p className="m-muted m-tight">{t('m.arrive.manualHint')}</p>
                <textarea className="m-textarea" name="reason" rows={3} maxLength={500} required value={reason}
                  placeholder={t('m.arrive.reasonHint')} onChange={(e) => setReason(e.target.value)} />
                <button type="submit" className="m-btn m-btn-primary m-btn-block" disabled={act.isPending || !reason.trim()}>{t('m.arrive.manualSubmit')}</button>
              </form>
            )}
          </Card>
        )}
      </main>
    </>
  );
}
