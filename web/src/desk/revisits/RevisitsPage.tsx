import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Radio, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatShort } from '../../app/dates.ts';
import type { Occupant } from '../../app/types.ts';
import { minutesUntil } from '../../app/workItems.ts';
import { useWorkItem, workKeys } from '../../app/workQueries.ts';
import { useWorkNames } from '../../app/workNames.ts';
import { applyServerErrors, PageTitle, QueryState } from '../common.tsx';
import { PhoneReveal } from '../registers/PhoneReveal.tsx';
import { StateTag } from '../work-items/parts.tsx';
import './revisits.css';

interface Revisit {
  id: string; itemId: string; number: string; title: string; kind: string; reason: 'urgent' | 'complaint' | 'low_rating' | 'sample' | string;
  state: 'pending' | 'done'; attempts: number; occupantId: string | null; contactName: string | null; dueAt: string | null;
  channel: 'phone' | 'email' | 'on_site' | null; reached: boolean | null; satisfied: boolean | null; comment: string | null;
  followUp: 'none' | 'reopened' | 'complaint' | null; followUpItemId: string | null; doneAt: string | null; createdAt: string;
}
const REASON_COLOR: Record<string, string> = { urgent: 'red', complaint: 'volcano', low_rating: 'orange', sample: 'default' };
/** Less than this many minutes left: shown orange before it turns red. */
const SOON_MINUTES = 4 * 60;

function useNow(ms = 30_000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/**
 * 回访 (RP-8, CP-7): the queue of revisits the policy created — every urgent repair, every
 * complaint, every rating ≤ 3 and a sample of the rest — soonest due first, with the time left;
 * the agent records channel, reached, satisfied and a comment. Dissatisfied: the server reopens a
 * completed repair or opens a linked complaint, and tells the supervisor.
 */
export default function RevisitsPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<'pending' | 'done'>('pending');
  const [recording, setRecording] = useState<Revisit | null>(null);
  return (
    <div>
      <PageTitle title={t('nav.revisits')} sub={t('rv.sub')} />
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as 'pending' | 'done')}
        items={[
          { key: 'pending', label: t('rv.pending'), children: <RevisitTable state="pending" onRecord={setRecording} /> },
          { key: 'done', label: t('rv.done'), children: <RevisitTable state="done" onRecord={setRecording} /> },
        ]}
      />
      {recording && <RecordDialog revisit={recording} onClose={() => setRecording(null)} />}
    </div>
  );
}

function RevisitTable({ state, onRecord }: { state: 'pending' | 'done'; onRecord: (r: Revisit) => void }) {
  const { t } = useTranslation();
  const names = useWorkNames();
  const navigate = useNavigate();
  const now = useNow();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const list = useQuery({
    queryKey: ['revisits', state, page, pageSize],
    queryFn: () => api.get<{ items: Revisit[]; total: number }>('/api/revisits', { state, limit: pageSize, offset: (page - 1) * pageSize }),
    refetchInterval: 60_000,
  });
  const item = (r: Revisit) => (
    <div>
      <a className="mono" onClick={() => navigate(`/work-items?item=${r.itemId}`)}>{r.number}</a> <Tag>{names.kind(r.kind)}</Tag>
      <div className="small">{r.title}</div>
    </div>
  );
  const columns = state === 'pending'
    ? [
      { title: t('rv.item'), key: 'item', render: (_: unknown, r: Revisit) => item(r) },
      { title: t('rv.reason'), dataIndex: 'reason', width: 110, render: (v: string) => <Tag color={REASON_COLOR[v]} data-reason={v}>{t(`rv.why.${v}`, { defaultValue: v })}</Tag> },
      { title: t('rv.due'), dataIndex: 'dueAt', width: 180, render: (v: string | null) => <DueTag dueAt={v} now={now} /> },
      { title: t('rv.reporter'), key: 'who', width: 260, render: (_: unknown, r: Revisit) => <Reporter revisit={r} /> },
      { title: t('rv.attempts'), dataIndex: 'attempts', width: 90, render: (n: number) => (n ? t('rv.attemptsN', { n }) : '—') },
      {
        title: '', key: 'act', width: 100,
        render: (_: unknown, r: Revisit) => <Button type="primary" size="small" onClick={() => onRecord(r)} data-testid="rv-record" data-number={r.number}>{t('rv.record')}</Button>,
      },
    ]
    : [
      { title: t('rv.doneAt'), dataIndex: 'doneAt', width: 110, render: (v: string | null) => <span className="mono">{formatShort(v)}</span> },
      { title: t('rv.item'), key: 'item', render: (_: unknown, r: Revisit) => item(r) },
      { title: t('rv.reason'), dataIndex: 'reason', width: 100, render: (v: string) => <Tag color={REASON_COLOR[v]}>{t(`rv.why.${v}`, { defaultValue: v })}</Tag> },
      { title: t('rv.channel'), dataIndex: 'channel', width: 80, render: (v: string | null) => (v ? t(`rv.ch.${v}`) : '—') },
      {
        title: t('rv.result'), key: 'res', width: 110,
        render: (_: unknown, r: Revisit) => (r.satisfied === null ? <Tag>{t('rv.noOpinion')}</Tag> : r.satisfied ? <Tag color="green">{t('rv.satisfied')}</Tag> : <Tag color="red">{t('rv.dissatisfied')}</Tag>),
      },
      { title: t('rv.comment'), dataIndex: 'comment', ellipsis: true, render: (v: string | null) => (v ? <Tooltip title={v}>{v}</Tooltip> : '—') },
      {
        title: t('rv.followUp'), key: 'fu', width: 130,
        render: (_: unknown, r: Revisit) => (r.followUp === 'reopened' ? <Tag color="orange">{t('rv.fu.reopened')}</Tag>
          : r.followUp === 'complaint' && r.followUpItemId ? <a onClick={() => navigate(`/work-items?item=${r.followUpItemId}`)}><Tag color="volcano">{t('rv.fu.complaint')}</Tag></a>
            : '—'),
      },
    ];
  return (
    <QueryState loading={false} error={list.error} retry={() => void list.refetch()}>
      <Table<Revisit>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        columns={columns}
        locale={{ emptyText: state === 'pending' ? t('rv.nonePending') : t('rv.noneDone') }}
        rowClassName={(r) => (state === 'pending' && r.dueAt && minutesUntil(r.dueAt, now) < 0 ? 'rv-overdue' : '')}
        pagination={{
          current: page, pageSize, total: list.data?.total ?? 0, showSizeChanger: true,
          showTotal: (n) => t('reg.total', { n }), onChange: (p, s) => { setPage(s !== pageSize ? 1 : p); setPageSize(s); },
        }}
      />
    </QueryState>
  );
}

/** Time left to the revisit clock's due time: green, orange in its last hours, red when overdue. */
function DueTag({ dueAt, now }: { dueAt: string | null; now: number }) {
  const names = useWorkNames();
  if (!dueAt) return <span className="muted">—</span>;
  const left = minutesUntil(dueAt, now);
  const status = left < 0 ? 'breached' : left < SOON_MINUTES ? 'warned' : 'ok';
  return (
    <Tooltip title={formatShort(dueAt)}>
      <Tag color={status === 'breached' ? 'red' : status === 'warned' ? 'orange' : 'green'} data-status={status}>
        {names.timeLeft(left)} · {formatShort(dueAt)}
      </Tag>
    </Tooltip>
  );
}

/** The person to call: a registered occupant (masked number, revealed on request and audited) or the contact named on the item. */
function Reporter({ revisit }: { revisit: Revisit }) {
  const occupant = useQuery({
    queryKey: ['occupants', 'one', revisit.occupantId],
    queryFn: () => api.get<Occupant>(`/api/occupants/${revisit.occupantId}`),
    enabled: !!revisit.occupantId,
    staleTime: 5 * 60_000,
  });
  if (!revisit.occupantId) return <span>{revisit.contactName ?? '—'}</span>;
  const o = occupant.data;
  return (
    <div>
      <div>{o?.name ?? revisit.contactName ?? '…'}{o?.companyName ? <span className="muted small"> · {o.companyName}</span> : null}</div>
      {o && <PhoneReveal path="/api/occupants" id={o.id} masked={o.phone} />}
    </div>
  );
}

interface Values { channel: 'phone' | 'email' | 'on_site'; reached: boolean; satisfied?: boolean; comment?: string }

function RecordDialog({ revisit, onClose }: { revisit: Revisit; onClose: () => void }) {
  const { t } = useTranslation();
  const names = useWorkNames();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const item = useWorkItem(revisit.itemId);
  const reached = Form.useWatch('reached', form);
  const satisfied = Form.useWatch('satisfied', form);
  // What the server does with "dissatisfied" (revisits.ts): a completed repair is reopened, anything else gets a linked complaint.
  const reopens = item.data?.kind === 'repair' && item.data.state === 'completed';
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setProblem(null);
    try {
      const r = await api.post<{ state: string; followUp: string | null }>(`/api/revisits/${revisit.id}`, {
        channel: v.channel, reached: v.reached, satisfied: v.reached ? v.satisfied : undefined, comment: v.comment?.trim() || undefined,
      });
      void message.success(r.state === 'pending' ? t('rv.attemptSaved') : r.followUp === 'reopened' ? t('rv.savedReopened') : r.followUp === 'complaint' ? t('rv.savedComplaint') : t('rv.saved'));
      void qc.invalidateQueries({ queryKey: ['revisits'] });
      void qc.invalidateQueries({ queryKey: workKeys.all });
      onClose();
    } catch (e) {
      setProblem(applyServerErrors(form, e, ['channel', 'reached', 'satisfied', 'comment']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('rv.recordTitle', { number: revisit.number })} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okText={t('action.save')} okButtonProps={{ 'data-testid': 'rv-save' } as Record<`data-${string}`, string>} destroyOnHidden>
      <Typography.Paragraph>
        {revisit.title} {item.data && <StateTag state={item.data.state} name={names.state(item.data.kind, item.data.state)} />}
      </Typography.Paragraph>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ channel: 'phone', reached: true }} preserve={false}>
        <Form.Item name="channel" label={t('rv.channel')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" options={(['phone', 'email', 'on_site'] as const).map((c) => ({ value: c, label: t(`rv.ch.${c}`) }))} />
        </Form.Item>
        <Form.Item name="reached" label={t('rv.reached')} rules={[{ required: true }]}>
          <Radio.Group options={[{ value: true, label: t('rv.reachedYes') }, { value: false, label: t('rv.reachedNo') }]} data-testid="rv-reached" />
        </Form.Item>
        {reached !== false && (
          <Form.Item name="satisfied" label={t('rv.opinion')} rules={[{ required: true, message: t('rv.needOpinion') }]}>
            <Radio.Group optionType="button" buttonStyle="solid" options={[{ value: true, label: t('rv.satisfied') }, { value: false, label: t('rv.dissatisfied') }]} data-testid="rv-satisfied" />
          </Form.Item>
        )}
        {reached !== false && satisfied === false && (
          <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="rv-followup"
            title={reopens ? t('rv.willReopen', { number: revisit.number }) : t('rv.willComplain', { number: revisit.number })} />
        )}
        <Form.Item name="comment" label={t('rv.comment')} rules={[{ required: reached !== false && satisfied === false, whitespace: true, message: t('rv.needComment') }]}>
          <Input.TextArea rows={3} maxLength={1000} showCount data-testid="rv-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
