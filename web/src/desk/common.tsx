import type { ReactNode } from 'react';
import { Alert, App, Button, Result, Spin, Typography, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { formFieldOf, isApiError, type FieldProblem } from '../app/api.ts';
import { useMe } from '../app/auth.ts';
import { can, type Permission } from '../app/permissions.ts';

/** Permission check for the signed-in account, for hiding what the server would refuse. */
export function useCan() {
  const { data: me } = useMe();
  return (p: Permission) => can(me?.roles, p);
}

/**
 * Puts a server refusal onto a form: each `body.<field>` problem appears under its field; what
 * has no field on the form (a 409 about the whole record, a 403, offline) is returned as the text
 * for an Alert above the form. Returns null when every problem found its field.
 */
export function applyServerErrors(form: FormInstance, e: unknown, formFields: readonly string[]): string | null {
  if (!isApiError(e)) return (e as Error)?.message ?? String(e);
  const byField = new Map<string, string[]>();
  const loose: FieldProblem[] = [];
  for (const f of e.fields) {
    const name = formFieldOf(f.field);
    if (name && formFields.includes(name)) byField.set(name, [...(byField.get(name) ?? []), f.message]);
    else loose.push(f);
  }
  if (byField.size) form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  if (byField.size && loose.length === 0) return null;
  const extra = loose.map((f) => `${f.field.replace(/^body\.?/, '') || '—'}: ${f.message}`);
  return [e.message, ...extra].join('；');
}

/** The server's message with its field problems, for places that have no form to mark. */
export function errorText(e: unknown): string {
  if (!isApiError(e)) return (e as Error)?.message ?? String(e);
  const parts = [e.message, ...e.fields.map((f) => f.message)];
  return parts.filter((v, i) => v && parts.indexOf(v) === i).join('：');
}

/** A standard error line for actions outside forms (buttons, confirms). */
export function useErrorToast() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return (e: unknown) => {
    void message.error(isApiError(e) ? errorText(e) : t('error.generic'));
  };
}

export function PageTitle({ title, extra, sub }: { title: ReactNode; extra?: ReactNode; sub?: ReactNode }) {
  return (
    <div className="page-title">
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>{title}</Typography.Title>
        {sub && <Typography.Text type="secondary">{sub}</Typography.Text>}
      </div>
      {extra && <div className="page-title-extra">{extra}</div>}
    </div>
  );
}

/** Loading, failure (with retry) and content for one query-backed block. */
export function QueryState({ loading, error, retry, children }: { loading: boolean; error: unknown; retry?: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  if (loading) return <div className="center-pad"><Spin /></div>;
  if (error) {
    if (isApiError(error) && error.status === 403) return <Result status="403" title="403" subTitle={error.message} />;
    if (isApiError(error) && error.status === 404) return <Result status="404" title="404" subTitle={error.message} />;
    return (
      <Alert
        type="error"
        showIcon
        title={isApiError(error) ? error.message : t('error.generic')}
        action={retry && <Button size="small" onClick={retry}>{t('action.retry')}</Button>}
      />
    );
  }
  return <>{children}</>;
}

/** Masked phone, as the server sends it (138****1234); monospaced so the digits line up in tables. */
export function MaskedPhone({ value }: { value: string | null | undefined }) {
  if (!value) return <Typography.Text type="secondary">—</Typography.Text>;
  return <span className="phone">{value}</span>;
}
