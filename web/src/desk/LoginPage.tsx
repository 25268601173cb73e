import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../app/api.ts';
import { useLogin, useMe } from '../app/auth.ts';
import { LanguageSwitch } from './Shell.tsx';

/** Where to go after signing in: only paths of this app, never another origin (open redirect). */
function safeNext(next: string | null) {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const me = useMe();
  const login = useLogin();
  const [waitUntil, setWaitUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const waitLeft = Math.max(0, Math.ceil((waitUntil - now) / 1000));

  // Counts down the throttle wait (429) so the button comes back by itself.
  useEffect(() => {
    if (waitUntil <= Date.now()) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [waitUntil]);

  const goOn = (layout: 'desk' | 'phone') => {
    if (layout === 'phone') window.location.assign('/m/');
    else navigate(safeNext(params.get('next')), { replace: true });
  };

  if (me.data && !login.isPending && !login.isSuccess) {
    if (me.data.layout === 'phone') {
      window.location.replace('/m/');
      return null;
    }
    return <Navigate to={safeNext(params.get('next'))} replace />;
  }

  const error = login.error;
  const errorText = error ? (isApiError(error) && error.retryAfterSeconds != null && waitLeft > 0 ? t('login.wait', { seconds: waitLeft }) : error.message) : null;

  return (
    <div className="login-page">
      <div className="login-lang"><LanguageSwitch /></div>
      <Card className="login-card" variant="borderless">
        <div className="login-head">
          <div className="shell-logo login-logo">金</div>
          <div>
            <Typography.Title level={2} style={{ margin: 0 }}>{t('brand')}</Typography.Title>
            <Typography.Text type="secondary">{t('product')}</Typography.Text>
          </div>
        </div>
        {errorText && <Alert type="error" showIcon title={errorText} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form
          layout="vertical"
          size="large"
          requiredMark={false}
          onFinish={(v: { login: string; password: string }) => {
            login.mutate({ login: v.login.trim(), password: v.password }, {
              onSuccess: (m) => goOn(m.layout),
              onError: (e) => {
                if (isApiError(e) && e.retryAfterSeconds) {
                  setWaitUntil(Date.now() + e.retryAfterSeconds * 1000);
                  setNow(Date.now());
                }
              },
            });
          }}
        >
          <Form.Item name="login" label={t('login.login')} rules={[{ required: true, message: t('login.loginRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus id="login" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" id="password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending} disabled={waitLeft > 0}>
            {waitLeft > 0 ? `${t('login.submit')} (${waitLeft})` : t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
