import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../app/api.ts';
import { useLogout } from '../app/auth.ts';
import { setLang, type Lang } from '../app/i18n.ts';
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
