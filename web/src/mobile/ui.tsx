import { useEffect, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../app/api.ts';
import { useLogout } from '../app/auth.ts';
import { setLang, type Lang } from '../app/i18n.ts';
import { useLive } from '../app/live.ts';
import { useUnread } from '../app/workQueries.ts';
import { linkProps } from './router.ts';

/** Top bar: where you are, the language switch and sign-out within thumb reach. */
export function TopBar({ title, back }: { title: ReactNode; back?: string }) {
  const { t, i18n } = useTranslation();
  const logout = useLogout();
  const other: Lang = i18n.language === 'en-US' ? 'zh-CN' : 'en-US';
  return (
    <header className="m-top">
      {back ? <a className="m-top-btn" aria-label={t('action.back')} {...linkProps(back)}>‹</a> : <span className="m-logo">金</span>}
      <div className="m-top-title">{title}</div>
      <Bell />
      <button type="button" className="m-top-btn m-top-lang" onClick={() => void setLang(other)}>{other === 'en-US' ? 'EN' : '中'}</button>
      <button type="button" className="m-top-btn m-top-out" onClick={() => logout.mutate()} disabled={logout.isPending}>{t('action.logout')}</button>
    </header>
  );
}

export function Spinner() {
  const { t } = useTranslation();
  return <div className="m-spin" role="status" aria-label={t('loading')}><span /></div>;
}

export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  const offline = isApiError(error) && error.offline;
  return (
    <div className={`m-error${offline ? ' m-error-offline' : ''}`} role="alert">
      <div>{offline ? t('m.offline') : isApiError(error) ? error.message : t('error.generic')}</div>
      {retry && <button type="button" className="m-btn m-btn-small" onClick={retry}>{t('action.retry')}</button>}
    </div>
  );
}

export function Card({ title, children, className }: { title?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`m-card${className ? ` ${className}` : ''}`}>
      {title && <h2 className="m-card-title">{title}</h2>}
      {children}
    </section>
  );
}

/** The inbox bell with the unread count, pushed live (app/live.ts; RP-4: a notice on each step). */
function Bell() {
  const { t } = useTranslation();
  useLive();
  const unread = useUnread();
  const n = unread.data?.unread ?? 0;
  return (
    <a className="m-top-btn m-bell" data-testid="bell" aria-label={n ? t('m.inbox.bellUnread', { n }) : t('m.inbox.title')} {...linkProps('/m/inbox')}>
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {n > 0 && <span className="m-badge" data-testid="bell-count">{n > 99 ? '99+' : n}</span>}
    </a>
  );
}

/**
 * A bottom sheet for what an action needs (a reason, a date, photos, a rating): thumb-reachable,
 * over the page, closed by the backdrop or 取消.
 */
export function Sheet({ title, children, onClose, onSubmit, submitText, busy, error, testId }: {
  title: ReactNode; children: ReactNode; onClose: () => void; onSubmit: () => void; submitText: string; busy?: boolean; error?: unknown; testId?: string;
}) {
  const { t } = useTranslation();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') onClose(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="m-sheet-backdrop" onClick={(e) => { if (e.target === e.currentTarget && !busy) onClose(); }}>
      <form
        className="m-sheet"
        role="dialog"
        aria-modal="true"
        data-testid={testId}
        onSubmit={(e: FormEvent) => { e.preventDefault(); if (!busy) onSubmit(); }}
      >
        <h2 className="m-sheet-title">{title}</h2>
        {children}
        {error != null && <ErrorBox error={error} />}
        <div className="m-actions">
          <button type="button" className="m-btn" onClick={onClose} disabled={busy}>{t('action.cancel')}</button>
          <button type="submit" className="m-btn m-btn-primary" disabled={busy}>{busy ? t('loading') : submitText}</button>
        </div>
      </form>
    </div>
  );
}

/** 1–5 stars, big enough to tap. */
export function Stars({ value, onChange }: { value: number; onChange?: (n: number) => void }) {
  const { t } = useTranslation();
  return (
    <div className="m-stars" role={onChange ? 'radiogroup' : undefined} aria-label={t('m.wi.rating')}>
      {[1, 2, 3, 4, 5].map((n) => (onChange ? (
        <button key={n} type="button" role="radio" aria-checked={value === n} aria-label={t('m.wi.stars', { n })} data-testid={`star-${n}`}
          className={`m-star${n <= value ? ' m-star-on' : ''}`} onClick={() => onChange(n)}>★</button>
      ) : (
        <span key={n} className={`m-star${n <= value ? ' m-star-on' : ''}`} aria-hidden="true">★</span>
      )))}
    </div>
  );
}
