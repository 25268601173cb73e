import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import SignaturePad from 'signature_pad';
import type { WorkItem } from '../../app/workItems.ts';

/**
 * RP-5, on the technician's phone at completion: the occupant confirms by reading out the 4-digit
 * code their app shows, or by signing on this screen; when nobody can (a public area, the occupant
 * is away) the technician says why and the completion is recorded as unconfirmed.
 */
export type ConfirmMode = 'code' | 'signature' | 'absent';
export interface ConfirmValue {
  mode: ConfirmMode;
  code: string;
  reason: string;
  /** The drawn signature as a PNG, null while the pad is empty. */
  signature: Blob | null;
}
export const EMPTY_CONFIRM: ConfirmValue = { mode: 'code', code: '', reason: '', signature: null };

/** Why the value cannot be sent yet (a message key), or null when it can. */
export function confirmProblem(v: ConfirmValue): string | null {
  if (v.mode === 'code') return /^\d{4}$/.test(v.code) ? null : 'm.wi.needCode';
  if (v.mode === 'signature') return v.signature ? null : 'm.wi.confirm.needSignature';
  return v.reason.trim() ? null : 'm.wi.confirm.needReason';
}

export function ConfirmationField({ value, onChange }: { value: ConfirmValue; onChange: (v: ConfirmValue) => void }) {
  const { t } = useTranslation();
  const modes: ConfirmMode[] = ['code', 'signature', 'absent'];
  return (
    <div className="m-field" data-testid="confirmation">
      <span>{t('m.wi.confirm.title')}</span>
      <div className="m-tabs" role="tablist">
        {modes.map((m) => (
          <button key={m} type="button" role="tab" aria-selected={value.mode === m} data-mode={m}
            className={`m-tab${value.mode === m ? ' m-tab-on' : ''}`} onClick={() => onChange({ ...value, mode: m })}>
            {t(`m.wi.confirm.${m}`)}
          </button>
        ))}
      </div>
      {value.mode === 'code' && (
        <label className="m-field">
          <span className="m-muted">{t('m.wi.confirm.codeHint')}</span>
          <input className="m-input" name="confirmationCode" inputMode="numeric" autoComplete="one-time-code" pattern="\d{4}" maxLength={4}
            value={value.code} onChange={(e) => onChange({ ...value, code: e.target.value.replace(/\D/g, '').slice(0, 4) })}
            style={{ fontSize: 28, letterSpacing: '0.5em', textAlign: 'center', fontVariantNumeric: 'tabular-nums' }} />
        </label>
      )}
      {value.mode === 'signature' && <Signature onChange={(signature) => onChange({ ...value, signature })} />}
      {value.mode === 'absent' && (
        <label className="m-field">
          <span className="m-muted">{t('m.wi.confirm.absentHint')}</span>
          <textarea className="m-textarea" name="confirmationReason" rows={2} maxLength={500} value={value.reason}
            placeholder={t('m.wi.confirm.absentPlaceholder')} onChange={(e) => onChange({ ...value, reason: e.target.value })} />
        </label>
      )}
    </div>
  );
}

/** A white signing pad the width of the sheet; each finished stroke hands the PNG up. */
function Signature({ onChange }: { onChange: (png: Blob | null) => void }) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad | null>(null);
  const [empty, setEmpty] = useState(true);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const el = canvas.current!;
    // Drawn at the screen's pixel density, so the strokes are sharp on a 2× phone.
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    el.width = el.offsetWidth * ratio;
    el.height = el.offsetHeight * ratio;
    el.getContext('2d')!.scale(ratio, ratio);
    const p = new SignaturePad(el, { backgroundColor: 'rgb(255,255,255)', penColor: '#111', minWidth: 1, maxWidth: 3 });
    pad.current = p;
    const onEnd = () => {
      setEmpty(p.isEmpty());
      el.toBlob((b) => changed.current(b), 'image/png');
    };
    p.addEventListener('endStroke', onEnd);
    changed.current(null);
    return () => {
      p.removeEventListener('endStroke', onEnd);
      p.off();
    };
  }, []);

  return (
    <div className="m-field">
      <span className="m-muted">{t('m.wi.confirm.signHint')}</span>
      <canvas ref={canvas} data-testid="signature-pad" aria-label={t('m.wi.confirm.signature')}
        style={{ width: '100%', height: 180, border: '1px dashed #98a2b3', borderRadius: 12, background: '#fff', touchAction: 'none', display: 'block' }} />
      <button type="button" className="m-btn m-btn-small" disabled={empty}
        onClick={() => { pad.current?.clear(); setEmpty(true); changed.current(null); }}>{t('m.wi.confirm.clear')}</button>
    </div>
  );
}

/** The occupant's side: the code to read out to the technician, while the work is not done yet. */
export function MyCode({ item }: { item: Pick<WorkItem, 'confirmationCode' | 'completedAt'> }) {
  const { t } = useTranslation();
  if (!item.confirmationCode || item.completedAt) return null;
  return (
    <div className="m-row" data-testid="my-code">
      <span className="m-label">{t('m.wi.confirm.myCode')}</span>
      <span>
        <strong data-testid="confirmation-code" style={{ fontSize: 24, letterSpacing: '0.2em', fontVariantNumeric: 'tabular-nums' }}>{item.confirmationCode}</strong>
        <span className="m-muted" style={{ display: 'block', fontSize: 13 }}>{t('m.wi.confirm.myCodeHint')}</span>
      </span>
    </div>
  );
}

/** How a completion was confirmed, for the outcome card (both sides). */
export function ConfirmedLine({ item }: { item: Pick<WorkItem, 'confirmedBy' | 'confirmationReason' | 'completedAt' | 'occupantId'> }) {
  const { t } = useTranslation();
  if (!item.completedAt || (!item.occupantId && !item.confirmedBy && !item.confirmationReason)) return null;
  const text = item.confirmedBy ? t(`m.wi.confirm.by.${item.confirmedBy}`)
    : item.confirmationReason ? t('m.wi.confirm.noneWhy', { reason: item.confirmationReason }) : t('m.wi.confirm.by.none');
  return <div className="m-row" data-testid="confirmed-by"><span className="m-label">{t('m.wi.confirm.title')}</span><span>{text}</span></div>;
}
