import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../app/api.ts';
import { useLogin } from '../app/auth.ts';
import { setLang, type Lang } from '../app/i18n.ts';

/**
 * Sign-in on the phone. It renders in place of whatever page was asked for, so a scanned label
 * (/q/<token>) opens its place right after signing in, without a redirect round.
 */
export function Login() {
  const { t, i18n } = useTranslation();
  const login = useLogin();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [waitUntil, setWaitUntil] = useState(0);
  const [now, setNow] = useState(Date.now());
  const waitLeft = Math.max(0, Math.ceil((waitUntil - now) / 1000));
  useEffect(() => {
    if (waitUntil <= Date.now()) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [waitUntil]);

  const error = login.error;
  const errorText = error ? (isApiError(error) && error.retryAfterSeconds && waitLeft > 0 ? t('login.wait', { seconds: waitLeft }) : isApiError(error) && error.offline ? t('m.offline') : error.message) : null;
  const other: Lang = i18n.language === 'en-US' ? 'zh-CN' : 'en-US';

  return (
    <main className="m-login">
      <button type="button" className="m-login-lang" onClick={() => void setLang(other)}>{t(`lang.${other}`)}</button>
      <div className="m-login-head">
        <div className="m-logo m-logo-lg">金</div>
        <h1>{t('brand')}</h1>
        <p>{t('product')}</p>
      </div>
      <form
        className="m-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim() || !password) return;
          login.mutate({ login: name.trim(), password }, {
            onError: (err) => {
              if (isApiError(err) && err.retryAfterSeconds) {
                setWaitUntil(Date.now() + err.retryAfterSeconds * 1000);
                setNow(Date.now());
              }
            },
          });
        }}
      >
        <label className="m-field">
          <span>{t('login.login')}</span>
          <input name="login" autoComplete="username" autoCapitalize="none" autoCorrect="off" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label className="m-field">
          <span>{t('login.password')}</span>
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {errorText && <div className="m-error" role="alert">{errorText}</div>}
        <button type="submit" className="m-btn m-btn-primary m-btn-block" disabled={login.isPending || waitLeft > 0}>
          {login.isPending ? t('loading') : waitLeft > 0 ? `${t('login.submit')} (${waitLeft})` : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
