import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/en-gb';
// The ES module itself: 'antd/locale/en_GB' is CommonJS, and its default does not survive the bundle's interop.
import enGB from 'antd/es/date-picker/locale/en_GB';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatShort } from '../../app/dates.ts';
import { applyServerErrors, errorText, PageTitle, QueryState, useCan } from '../common.tsx';
import { UrgencyTag } from '../work-items/parts.tsx';
import { isoWeekOf } from './format.ts';
import { Kpi, pct, rateTone, shanghaiNow } from './shared.tsx';
import type { CheckResult, SpotCheck, SpotCheckList, SpotCheckProposal } from './types.ts';
import './locales.ts';
import './reports.css';

type Proposed = SpotCheckProposal['items'][number];

/**
 * 质量抽检 (RP-7): the week's proposal — 30 % of the urgent and 10 % of the other repairs completed
 * that week, the same list every time it is asked for — with a pass / fail per repair for the
 * supervisors (a fail needs a note), and every check recorded with the pass rate. Others read it.
 */
export default function SpotChecksPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const allowed = useCan();
  const canCheck = allowed('spotCheck.write');
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [week, setWeek] = useState<string | undefined>();
  const [failing, setFailing] = useState<Proposed | null>(null);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [result, setResult] = useState<'all' | CheckResult>('all');
  const [page, setPage] = useState(1);

  const proposal = useQuery({
    queryKey: ['reports', 'spot-checks', 'proposed', week ?? 'last'],
    queryFn: () => api.get<SpotCheckProposal>('/api/reports/spot-checks/proposed', { week }),
    placeholderData: keepPreviousData,
  });
  const listQuery = { from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD'), result: result === 'all' ? undefined : result };
  const list = useQuery({
    queryKey: ['reports', 'spot-checks', 'list', listQuery, page],
    queryFn: () => api.get<SpotCheckList>('/api/reports/spot-checks', { ...listQuery, limit: 20, offset: (page - 1) * 20 }),
    placeholderData: keepPreviousData,
  });

  const record = useMutation({
    mutationFn: (body: { itemId: string; result: CheckResult; note?: string }) => api.post<SpotCheck>('/api/reports/spot-checks', body),
    onSuccess: (c) => {
      void message.success(c.result === 'pass' ? t('rp.spot.passed', { number: c.number }) : t('rp.spot.failed', { number: c.number }));
      if (c.followUp) void message.info(c.followUp, 8);
      void qc.invalidateQueries({ queryKey: ['reports', 'spot-checks'] });
    },
  });
  const pass = (it: Proposed) => record.mutate({ itemId: it.itemId, result: 'pass' }, { onError: (e) => void message.error(errorText(e)) });

  const p = proposal.data;
  const done = p?.items.filter((i) => i.check).length ?? 0;
  const s = list.data?.summary;

  return (
    <div>
      <PageTitle title={t('nav.spotChecks')} sub={t('rp.spot.sub')} />
      <Card
        size="small"
        className="rp-card"
        title={p ? t('rp.spot.proposalTitle', { week: p.week, from: p.from, to: p.to }) : t('rp.spot.proposal')}
        extra={(
          <DatePicker picker="week" allowClear={false} value={p ? dayjs(p.from) : null} data-testid="week-picker"
            disabledDate={(d) => d.isAfter(shanghaiNow(), 'day')}
            // Rows are ISO weeks (Monday first) in both languages, so the day picked names its row's week.
            locale={en ? enGB : undefined}
            onChange={(d) => d && setWeek(isoWeekOf(d.format('YYYY-MM-DD')))} />
        )}
        data-testid="proposal"
      >
        <QueryState loading={proposal.isPending} error={proposal.error} retry={() => void proposal.refetch()}>
          {p && (
            <>
              <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
                {t('rp.spot.rule', { completed: p.completed, urgent: p.completedUrgent, su: Math.round(p.share.urgent * 100), so: Math.round(p.share.other * 100), n: p.items.length, done })}
              </Typography.Paragraph>
              <Table<Proposed>
                size="small" rowKey="itemId" pagination={false} dataSource={p.items}
                locale={{ emptyText: t('rp.spot.noneProposed') }}
                onRow={(it) => ({ 'data-number': it.number } as React.HTMLAttributes<HTMLElement>)}
                columns={[
                  { title: t('wb.col.number'), dataIndex: 'number', width: 160, render: (n: string) => <span className="mono nowrap">{n}</span> },
                  { title: t('wb.col.urgency'), dataIndex: 'urgency', width: 70, render: (u: string) => <UrgencyTag urgency={u} /> },
                  { title: t('rp.spot.reason'), dataIndex: 'reason', width: 90, render: (r: string) => <Tag color={r === 'urgent' ? 'volcano' : 'default'}>{t(`rp.spot.reason_${r}`)}</Tag> },
                  { title: t('rp.monthly.categoryCol'), dataIndex: 'categoryName' },
                  { title: t('wb.col.place'), dataIndex: 'place', render: (v: string | null) => v ?? '—' },
                  { title: t('rp.archive.technician'), dataIndex: 'technician', width: 90, render: (v: string | null) => v ?? '—' },
                  { title: t('rp.archive.done'), dataIndex: 'completedAt', width: 110, render: (v: string) => formatShort(v) },
                  { title: t('wb.rating'), dataIndex: 'rating', width: 60, render: (v: number | null) => (v ? `${v}★` : '—') },
                  {
                    title: t('rp.spot.check'), key: 'check', width: 190,
                    render: (_, it) => {
                      if (it.check) {
                        return (
                          <span data-testid="check-result">
                            <Tag color={it.check.result === 'pass' ? 'green' : 'red'}>{t(`rp.spot.${it.check.result}`)}</Tag>
                            <span className="muted small">{it.check.checkedBy} {formatShort(it.check.checkedAt)}</span>
                            {it.check.note && <div className="small">{it.check.note}</div>}
                          </span>
                        );
                      }
                      if (!canCheck) return <span className="muted">{t('rp.spot.unchecked')}</span>;
                      const busy = record.isPending && record.variables?.itemId === it.itemId;
                      return (
                        <Space size={6}>
                          <Button size="small" type="primary" icon={<CheckOutlined />} loading={busy && record.variables?.result === 'pass'} onClick={() => pass(it)} data-action="pass">{t('rp.spot.pass')}</Button>
                          <Button size="small" danger icon={<CloseOutlined />} onClick={() => setFailing(it)} data-action="fail">{t('rp.spot.fail')}</Button>
                        </Space>
                      );
                    },
                  },
                ]}
              />
            </>
          )}
        </QueryState>
      </Card>

      <Card
        size="small"
        className="rp-card"
        title={t('rp.spot.recorded')}
        extra={(
          <Space>
            <Segmented size="small" value={result} onChange={(v) => { setResult(v as typeof result); setPage(1); }}
              options={[{ value: 'all', label: t('rp.spot.all') }, { value: 'pass', label: t('rp.spot.pass') }, { value: 'fail', label: t('rp.spot.fail') }]} />
            <DatePicker.RangePicker size="small" value={range} onChange={(v) => { setRange(v as typeof range); setPage(1); }} />
          </Space>
        )}
      >
        {s && (
          <div className="rp-kpis rp-kpis-3">
            <Kpi testId="kpi-pass-rate" tone={rateTone(s.passRate)} label={t('rp.spot.passRate')} value={pct(s.passRate)} sub={t('rp.spot.passSub', { p: s.passed, n: s.checked })} />
            <Kpi label={t('rp.spot.checked')} value={s.checked} tone="blue" />
            <Kpi label={t('rp.spot.failedCount')} value={s.failed} tone={s.failed ? 'red' : 'grey'} />
          </div>
        )}
        <QueryState loading={list.isPending} error={list.error} retry={() => void list.refetch()}>
          <Table
            size="small" rowKey="id" dataSource={list.data?.items ?? []} data-testid="recorded" loading={list.isFetching}
            pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, showSizeChanger: false, onChange: setPage, showTotal: (n) => t('reg.total', { n }) }}
            columns={[
              { title: t('rp.spot.checkedAt'), dataIndex: 'checkedAt', width: 120, render: (v: string) => formatShort(v) },
              { title: t('wb.col.number'), dataIndex: 'number', width: 160, render: (n: string) => <span className="mono nowrap">{n}</span> },
              { title: t('wb.col.urgency'), dataIndex: 'urgency', width: 70, render: (u: string) => <UrgencyTag urgency={u} /> },
              { title: t('rp.monthly.categoryCol'), dataIndex: 'categoryName' },
              { title: t('rp.archive.technician'), dataIndex: 'technician', width: 90, render: (v: string | null) => v ?? '—' },
              { title: t('rp.spot.result'), dataIndex: 'result', width: 80, render: (r: CheckResult) => <Tag color={r === 'pass' ? 'green' : 'red'}>{t(`rp.spot.${r}`)}</Tag> },
              { title: t('rp.spot.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
              { title: t('rp.spot.checkedBy'), dataIndex: 'checkedBy', width: 90 },
              { title: t('rp.spot.week'), dataIndex: 'proposedWeek', width: 90, render: (v: string | null) => v ?? <span className="muted">{t('rp.spot.extra')}</span> },
            ]}
          />
        </QueryState>
      </Card>
      {failing && <FailDialog item={failing} onClose={() => setFailing(null)} submit={(note) => record.mutateAsync({ itemId: failing.itemId, result: 'fail', note })} />}
    </div>
  );
}

/** A fail needs a note saying what is wrong (the server refuses it without one). */
function FailDialog({ item, onClose, submit }: { item: Proposed; onClose: () => void; submit: (note: string) => Promise<unknown> }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note: string }>();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ok = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setProblem(null);
    try {
      await submit(v.note);
      onClose();
    } catch (e) {
      setProblem(applyServerErrors(form, e, ['note']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('rp.spot.failTitle', { number: item.number })} onCancel={onClose} onOk={() => void ok()} confirmLoading={busy}
      okText={t('rp.spot.fail')} okButtonProps={{ danger: true, ...{ 'data-testid': 'fail-ok' } }} destroyOnHidden>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="note" label={t('rp.spot.note')} extra={t('rp.spot.failHint')} rules={[{ required: true, whitespace: true, message: t('rp.spot.needNote') }, { max: 500 }]}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('rp.spot.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
