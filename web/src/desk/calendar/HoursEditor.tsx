import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, Space, Table, Typography } from 'antd';
import { CloseOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { validateWorkingHours, type WorkingHours as DomainHours } from '@towerdesk/domain';
import { api, formFieldOf, isApiError } from '../../app/api.ts';
import type { Windows, WorkingHours } from '../../app/types.ts';
import { errorText } from '../common.tsx';

type RowKey = '1' | '2' | '3' | '4' | '5' | '6' | '7' | 'makeUpDay';
const ROWS: RowKey[] = ['1', '2', '3', '4', '5', '6', '7', 'makeUpDay'];

/** The row a problem path points at: `byWeekday.3[1]` / `body.byWeekday.3.1` → '3', `makeUpDay[0]` → 'makeUpDay'. */
function rowOf(path: string): RowKey | null {
  const m = /byWeekday\.(\d)/.exec(path);
  if (m) return m[1] as RowKey;
  return /makeUpDay/.test(path) ? 'makeUpDay' : null;
}

const windowsOf = (h: WorkingHours, k: RowKey): Windows => (k === 'makeUpDay' ? h.makeUpDay : h.byWeekday[k]);

/**
 * Working hours per weekday, several windows a day (a lunch break is two windows), plus the hours
 * of a make-up working day. Checked with the same rule the server applies (domain package) before
 * saving, so mistakes show beside the row at once.
 */
export function HoursEditor({ hours, canWrite, year }: { hours: WorkingHours; canWrite: boolean; year: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [draft, setDraft] = useState<WorkingHours>(hours);
  const [problems, setProblems] = useState<Partial<Record<RowKey, string>>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(hours), [hours]);
  const dirty = JSON.stringify(draft) !== JSON.stringify(hours);

  const update = (k: RowKey, w: Windows) => {
    setDraft((d) => (k === 'makeUpDay' ? { ...d, makeUpDay: w } : { ...d, byWeekday: { ...d.byWeekday, [k]: w } }));
    setProblems((p) => ({ ...p, [k]: undefined }));
  };

  const save = async () => {
    const issues = validateWorkingHours(draft as unknown as DomainHours);
    if (issues.length) {
      const p: Partial<Record<RowKey, string>> = {};
      for (const i of issues) {
        const row = rowOf(i.field);
        if (row) p[row] = t(`cal.hoursIssue.${i.code}`);
      }
      setProblems(p);
      return;
    }
    setBusy(true);
    setGeneral(null);
    try {
      await api.put('/api/calendar/hours', draft);
      void message.success(t('cal.hoursSaved'));
      await qc.invalidateQueries({ queryKey: ['calendar', year] });
    } catch (e) {
      const p: Partial<Record<RowKey, string>> = {};
      if (isApiError(e)) for (const f of e.fields) {
        const row = formFieldOf(f.field) ? rowOf(f.field) : null;
        if (row) p[row] = f.message;
      }
      setProblems(p);
      if (!Object.keys(p).length) setGeneral(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      size="small"
      className="cal-hours"
      title={t('cal.hoursTitle')}
      extra={canWrite && (
        <Space>
          <Button size="small" disabled={!dirty || busy} onClick={() => { setDraft(hours); setProblems({}); }}>{t('cal.hoursReset')}</Button>
          <Button size="small" type="primary" disabled={!dirty} loading={busy} onClick={() => void save()}>{t('action.save')}</Button>
        </Space>
      )}
    >
      {general && <Alert type="error" showIcon title={general} style={{ marginBottom: 8 }} />}
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={ROWS.map((k) => ({ key: k }))}
        columns={[
          { title: t('cal.day'), dataIndex: 'key', width: 120, render: (k: RowKey) => (k === 'makeUpDay' ? t('cal.makeupRow') : t(`cal.wd${k}`)) },
          {
            title: t('cal.windows'),
            key: 'w',
            render: (_, { key: k }) => (
              <WindowsCell value={windowsOf(draft, k as RowKey)} onChange={(w) => update(k as RowKey, w)} readOnly={!canWrite} problem={problems[k as RowKey]} />
            ),
          },
        ]}
      />
      <Typography.Paragraph type="secondary" className="small" style={{ marginTop: 8, marginBottom: 0 }}>{t('cal.hoursHint')}</Typography.Paragraph>
    </Card>
  );
}

function WindowsCell({ value, onChange, readOnly, problem }: { value: Windows; onChange: (w: Windows) => void; readOnly: boolean; problem?: string }) {
  const { t } = useTranslation();
  if (readOnly) {
    return value.length ? <span className="mono">{value.map(([a, b]) => `${a}–${b}`).join('，')}</span> : <Typography.Text type="secondary">{t('cal.rest')}</Typography.Text>;
  }
  const set = (i: number, j: 0 | 1, v: string) => onChange(value.map((w, k) => (k === i ? (j === 0 ? [v, w[1]] : [w[0], v]) : w)) as Windows);
  return (
    <div>
      <Space wrap size={[8, 6]}>
        {value.length === 0 && <Typography.Text type="secondary">{t('cal.rest')}</Typography.Text>}
        {value.map(([a, b], i) => (
          <Space.Compact key={i} size="small">
            <Input className="mono time-input" value={a} maxLength={5} status={problem ? 'error' : undefined} onChange={(e) => set(i, 0, e.target.value)} aria-label={t('cal.from')} />
            <Input className="mono time-sep" value="–" disabled tabIndex={-1} />
            <Input className="mono time-input" value={b} maxLength={5} status={problem ? 'error' : undefined} onChange={(e) => set(i, 1, e.target.value)} aria-label={t('cal.to')} />
            <Button icon={<CloseOutlined />} onClick={() => onChange(value.filter((_, k) => k !== i))} aria-label={t('cal.removeWindow')} />
          </Space.Compact>
        ))}
        {value.length < 6 && (
          <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => onChange([...value, value.length ? [value[value.length - 1]![1], '17:00'] : ['09:00', '17:00']])}>
            {t('cal.addWindow')}
          </Button>
        )}
      </Space>
      {problem && <div className="field-error">{problem}</div>}
    </div>
  );
}
