import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, DatePicker, Input, Modal, Segmented, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, LinkOutlined, PhoneOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { api, withQuery } from '../../app/api.ts';
import { addDays, formatDateTime, formatShort, shanghaiToday } from '../../app/dates.ts';
import { listJoin, paren } from '../../app/lists.ts';
import { MaskedPhone, PageTitle, QueryState, useCan, useErrorToast } from '../common.tsx';
import { CompanySelect } from '../registers/pickers.tsx';
import { ReceptionForm, WorkItemSelect } from './ReceptionForm.tsx';
import { CHANNELS, STATS_BY, TOPICS, type Channel, type PhoneCall, type Reception, type ReceptionFilter, type ReceptionStats, type StatsBy, type Topic } from './types.ts';
import './reception.css';

const CHANNEL_COLOR: Record<Channel, string> = { call: 'blue', walk_in: 'green', message: 'purple' };
const keys = {
  all: ['receptions'] as const,
  list: (f: object) => ['receptions', 'list', f] as const,
  stats: (f: object) => ['receptions', 'stats', f] as const,
  calls: ['receptions', 'calls'] as const,
};

/**
 * 接待记录 (CS-4): every desk contact — call, walk-in, message — with its topic and the work items
 * made of it; calls pushed by the phone system that nobody has recorded yet (RP-1); counts by
 * topic, floor, company and week; XLSX export of the period.
 */
export default function ReceptionPage() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [tab, setTab] = useState('list');
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs(addDays(shanghaiToday(), -29)), dayjs(shanghaiToday())]);
  const [channel, setChannel] = useState<Channel>();
  const [topic, setTopic] = useState<Topic>();
  const [companyId, setCompanyId] = useState<string>();
  const [q, setQ] = useState('');
  const [formOpen, setFormOpen] = useState(false);
  const [call, setCall] = useState<PhoneCall | null>(null);
  const write = can('reception.write');

  const filter: ReceptionFilter = useMemo(() => ({
    from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), channel, topic, companyId, q: q.trim() || undefined,
  }), [range, channel, topic, companyId, q]);
  const calls = useQuery({
    queryKey: keys.calls,
    queryFn: () => api.get<{ items: PhoneCall[] }>('/api/phone-calls', { limit: 100 }),
    enabled: write,
    refetchInterval: 30_000,
  });
  const waiting = (calls.data?.items ?? []).filter((c) => !c.receptionId);

  const saved = (r: Reception) => {
    void message.success(t('rc.saved'));
    void qc.invalidateQueries({ queryKey: keys.all });
    setTab('list');
    return r;
  };

  return (
    <div>
      <PageTitle
        title={t('nav.reception')}
        sub={t('rc.sub')}
        extra={(
          <Space>
            <Button icon={<DownloadOutlined />} href={withQuery('/api/receptions/export.xlsx', { ...filter })} download data-testid="rc-export">{t('rc.export')}</Button>
            {write && <Button type="primary" icon={<PlusOutlined />} onClick={() => { setCall(null); setFormOpen(true); }} data-testid="rc-new">{t('rc.new')}</Button>}
          </Space>
        )}
      />
      <div className="rc-filters">
        <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])} />
        <Select allowClear style={{ width: 130 }} placeholder={t('rc.allChannels')} value={channel} onChange={setChannel} options={CHANNELS.map((c) => ({ value: c, label: t(`rc.ch.${c}`) }))} />
        <Select allowClear style={{ width: 130 }} placeholder={t('rc.allTopics')} value={topic} onChange={setTopic} options={TOPICS.map((c) => ({ value: c, label: t(`rc.tp.${c}`) }))} />
        <CompanySelect style={{ width: 220 }} placeholder={t('rc.allCompanies')} value={companyId} onChange={(v) => setCompanyId(v as string | undefined)} />
        {tab === 'list' && <Input.Search allowClear style={{ width: 220 }} placeholder={t('rc.search')} onSearch={setQ} />}
      </div>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'list', label: t('rc.tab.list'), children: <ReceptionList filter={filter} write={write} /> },
          ...(write ? [{
            key: 'calls',
            label: <Badge count={waiting.length} size="small" offset={[8, -2]}><span>{t('rc.tab.calls')}</span></Badge>,
            children: (
              <QueryState loading={calls.isPending} error={calls.error} retry={() => void calls.refetch()}>
                <CallList calls={calls.data?.items ?? []} onRecord={(c) => { setCall(c); setFormOpen(true); }} />
              </QueryState>
            ),
          }] : []),
          { key: 'stats', label: t('rc.tab.stats'), children: <StatsPanel filter={filter} /> },
        ]}
      />
      <ReceptionForm open={formOpen} call={call} onClose={() => { setFormOpen(false); setCall(null); }} onSaved={saved} />
    </div>
  );
}

function ReceptionList({ filter, write }: { filter: ReceptionFilter; write: boolean }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [linking, setLinking] = useState<Reception | null>(null);
  const list = useQuery({
    queryKey: keys.list({ ...filter, page, pageSize }),
    queryFn: () => api.get<{ items: Reception[]; total: number }>('/api/receptions', { ...filter, limit: pageSize, offset: (page - 1) * pageSize }),
  });
  return (
    <QueryState loading={false} error={list.error} retry={() => void list.refetch()}>
      <Table<Reception>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={{
          current: page, pageSize, total: list.data?.total ?? 0, showSizeChanger: true,
          showTotal: (n) => t('reg.total', { n }), onChange: (p, s) => { setPage(s !== pageSize ? 1 : p); setPageSize(s); },
        }}
        expandable={{
          expandedRowRender: (r) => (
            <div className="rc-detail">
              <div><span className="muted">{t('rc.action')}：</span>{r.actionTaken ?? '—'}</div>
              <div><span className="muted">{t('rc.result')}：</span>{r.result ?? '—'}</div>
              <div><span className="muted">{t('rc.recordedAt')}：</span>{formatDateTime(r.createdAt, i18n.language)}</div>
            </div>
          ),
        }}
        columns={[
          { title: t('rc.at'), dataIndex: 'at', width: 120, render: (v: string) => <span className="mono nowrap">{formatShort(v)}</span> },
          { title: t('rc.channel'), dataIndex: 'channel', width: 80, render: (c: Channel, r) => <Tag color={CHANNEL_COLOR[c]}>{r.channelName}</Tag> },
          {
            title: t('rc.who'), key: 'who', width: 220,
            render: (_, r) => (
              <div>
                <div>{r.occupant?.name ?? r.contactName ?? '—'}{r.contactPhone && <> <MaskedPhone value={r.contactPhone} /></>}</div>
                <div className="muted small">{[r.company?.name, r.unit?.name].filter(Boolean).join(' · ') || '—'}</div>
              </div>
            ),
          },
          { title: t('rc.topic'), dataIndex: 'topicName', width: 100, className: 'nowrap' },
          { title: t('rc.summary'), dataIndex: 'summary', ellipsis: true, render: (v: string) => <Tooltip title={v}>{v}</Tooltip> },
          {
            title: t('rc.items'), key: 'items', width: 210,
            render: (_, r) => (
              <Space size={[4, 4]} wrap>
                {r.workItems.map((w) => <a key={w.id} className="mono small" onClick={() => navigate(`/work-items?item=${w.id}`)}>{w.number}</a>)}
                {write && <Button size="small" type="link" icon={<LinkOutlined />} onClick={() => setLinking(r)} data-testid="rc-link">{t('rc.link')}</Button>}
              </Space>
            ),
          },
          { title: t('rc.agent'), key: 'agent', width: 90, render: (_, r) => r.agent.name },
        ]}
      />
      <LinkDialog reception={linking} onClose={() => setLinking(null)} />
    </QueryState>
  );
}

/** 关联工单: a work item made of this contact afterwards (audited on the server). */
function LinkDialog({ reception, onClose }: { reception: Reception | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useErrorToast();
  const [itemId, setItemId] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!reception || !itemId) return;
    setBusy(true);
    try {
      await api.post(`/api/receptions/${reception.id}/link`, { workItemId: itemId });
      void qc.invalidateQueries({ queryKey: keys.all });
      setItemId(undefined);
      onClose();
    } catch (e) {
      toast(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={!!reception} title={t('rc.linkTitle')} onCancel={onClose} onOk={() => void submit()} okButtonProps={{ disabled: !itemId }} confirmLoading={busy} destroyOnHidden>
      <p className="muted">{reception?.summary}</p>
      <WorkItemSelect value={itemId} onChange={(v) => setItemId(v as string)} placeholder={t('rc.itemHint')} />
    </Modal>
  );
}

/** Calls from the phone system (last 24 h): those without a record first, each with 登记. */
function CallList({ calls, onRecord }: { calls: PhoneCall[]; onRecord: (c: PhoneCall) => void }) {
  const { t, i18n } = useTranslation();
  const sorted = [...calls].sort((a, b) => Number(!!a.receptionId) - Number(!!b.receptionId) || b.startedAt.localeCompare(a.startedAt));
  return (
    <Table<PhoneCall>
      rowKey="id"
      size="small"
      dataSource={sorted}
      pagination={false}
      locale={{ emptyText: t('rc.noCalls') }}
      columns={[
        { title: t('rc.callAt'), dataIndex: 'startedAt', width: 120, render: (v: string) => <span className="mono">{formatShort(v)}</span> },
        { title: t('rc.caller'), dataIndex: 'caller', width: 150, render: (v: string) => <MaskedPhone value={v} /> },
        {
          title: t('rc.matched'), key: 'matches',
          render: (_, c) => (c.matches.length ? listJoin(c.matches.map((m) => `${m.name}${m.company ? paren(m.company.name, i18n.language) : ''}`), i18n.language) : <span className="muted">{t('rc.unknownCaller')}</span>),
        },
        { title: t('rc.duration'), dataIndex: 'durationSeconds', width: 90, render: (s: number | null) => (s == null ? '—' : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`) },
        {
          title: t('rc.recording'), dataIndex: 'recordingUrl', width: 80,
          render: (u: string | null) => (u ? <a href={u} target="_blank" rel="noreferrer">{t('rc.listen')}</a> : '—'),
        },
        {
          title: '', key: 'act', width: 160,
          render: (_, c) => (c.receptionId
            ? <Tag color="green">{t('rc.recorded')}{c.workItems.length ? ` · ${listJoin(c.workItems.map((w) => w.number), i18n.language)}` : ''}</Tag>
            : <Button size="small" type="primary" icon={<PhoneOutlined />} onClick={() => onRecord(c)} data-testid="rc-call-record">{t('rc.recordCall')}</Button>),
        },
      ]}
    />
  );
}

/** Counts by topic, floor, company or week (CS-4) as a table with plain CSS bars. */
function StatsPanel({ filter }: { filter: ReceptionFilter }) {
  const { t } = useTranslation();
  const [by, setBy] = useState<StatsBy>('topic');
  const { q: _q, ...f } = filter; // the text search is for the list only
  const stats = useQuery({ queryKey: keys.stats({ ...f, by }), queryFn: () => api.get<ReceptionStats>('/api/receptions/stats', { ...f, by }) });
  const max = Math.max(1, ...(stats.data?.rows ?? []).map((r) => r.count));
  return (
    <div data-testid="rc-stats">
      <Space style={{ marginBottom: 12 }}>
        <Segmented value={by} onChange={(v) => setBy(v as StatsBy)} options={STATS_BY.map((b) => ({ value: b, label: t(`rc.by.${b}`) }))} />
        {stats.data && <Typography.Text type="secondary">{t('rc.statsTotal', { n: stats.data.total })}</Typography.Text>}
      </Space>
      <QueryState loading={stats.isPending} error={stats.error} retry={() => void stats.refetch()}>
        <Table
          rowKey={(r) => r.key ?? '—'}
          size="small"
          pagination={false}
          dataSource={stats.data?.rows ?? []}
          scroll={{ y: 520 }}
          columns={[
            { title: t(`rc.by.${by}`), dataIndex: 'label', width: 260 },
            { title: t('rc.count'), dataIndex: 'count', width: 90, align: 'right' },
            {
              title: t('rc.share'), key: 'bar',
              render: (_, r) => (
                <div className="rc-bar-row">
                  <div className="rc-bar"><div style={{ width: `${(r.count / max) * 100}%` }} /></div>
                  <span className="muted small mono">{((r.count / Math.max(1, stats.data?.total ?? 0)) * 100).toFixed(1)}%</span>
                </div>
              ),
            },
          ]}
        />
      </QueryState>
    </div>
  );
}
