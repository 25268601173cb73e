import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DatePicker, Input, Select, Table, Tag, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatDateTime } from '../../app/dates.ts';
import type { Account, AuditEntry, Page } from '../../app/types.ts';
import { PageTitle, QueryState, useCan } from '../common.tsx';

const ENTITY_TYPES = ['place', 'company', 'occupant', 'staff', 'certificate', 'contractor', 'account', 'calendar_day', 'site'];
const ACTION_PREFIXES = ['auth.', 'place.', 'company.', 'occupant.', 'staff.', 'contractor.', 'account.', 'calendar.'];

/** A Shanghai calendar day as the instant it starts, with its offset (the API wants ISO with offset). */
const dayStart = (d: Dayjs) => `${d.format('YYYY-MM-DD')}T00:00:00+08:00`;
const nextDayStart = (d: Dayjs) => `${d.add(1, 'day').format('YYYY-MM-DD')}T00:00:00+08:00`;

/**
 * The audit log (SEC-3): every change and sign-in, who, when, from where, before and after.
 * Read-only by design — the API has no route that changes it.
 */
export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const canListAccounts = useCan()('account.read');
  const [action, setAction] = useState<string | undefined>();
  const [entityType, setEntityType] = useState<string | undefined>();
  const [entityId, setEntityId] = useState('');
  const [entityIdQ, setEntityIdQ] = useState('');
  const [actorId, setActorId] = useState<string | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  useEffect(() => setPage(1), [action, entityType, entityIdQ, actorId, range]);

  const accounts = useQuery({
    queryKey: ['accounts', 'all-for-audit'],
    queryFn: () => api.get<Page<Account>>('/api/accounts', { limit: 500 }),
    enabled: canListAccounts,
    staleTime: 5 * 60_000,
  });

  const list = useQuery({
    queryKey: ['audit', { action, entityType, entityIdQ, actorId, from: range?.[0]?.valueOf(), to: range?.[1]?.valueOf(), page, pageSize }],
    queryFn: () => api.get<Page<AuditEntry>>('/api/audit', {
      action, entityType, entityId: entityIdQ || undefined, actorId,
      from: range?.[0] ? dayStart(range[0]) : undefined,
      to: range?.[1] ? nextDayStart(range[1]) : undefined,
      limit: pageSize, offset: (page - 1) * pageSize,
    }),
    placeholderData: keepPreviousData,
  });

  const actionLabel = (a: string) => t(`audit.action.${a.replace('.', '_')}`, { defaultValue: a });

  return (
    <div>
      <PageTitle title={t('nav.audit')} sub={t('audit.sub')} />
      <div className="filter-bar">
        <Select
          allowClear
          style={{ width: 220 }}
          placeholder={t('audit.filterAction')}
          value={action}
          onChange={setAction}
          showSearch={{ optionFilterProp: 'label' }}
          options={ACTION_PREFIXES.map((p) => ({
            label: t(`audit.group.${p.slice(0, -1)}`),
            options: [{ value: p, label: `${t(`audit.group.${p.slice(0, -1)}`)} · ${t('audit.all')}` }, ...ACTIONS.filter((a) => a.startsWith(p)).map((a) => ({ value: a, label: actionLabel(a) }))],
          }))}
        />
        <Select allowClear style={{ width: 160 }} placeholder={t('audit.filterEntity')} value={entityType} onChange={setEntityType} options={ENTITY_TYPES.map((e) => ({ value: e, label: t(`audit.entity.${e}`) }))} />
        <Input.Search allowClear style={{ width: 240 }} placeholder={t('audit.filterEntityId')} value={entityId} onChange={(e) => { setEntityId(e.target.value); if (!e.target.value) setEntityIdQ(''); }} onSearch={(v) => setEntityIdQ(v.trim())} />
        {canListAccounts && (
          <Select allowClear style={{ width: 180 }} placeholder={t('audit.filterActor')} value={actorId} onChange={setActorId} showSearch={{ optionFilterProp: 'label' }}
            options={(accounts.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.displayName} (${a.username})` }))} />
        )}
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)} allowEmpty={[true, true]} />
      </div>
      {list.error ? (
        <QueryState loading={false} error={list.error} retry={() => void list.refetch()}>{null}</QueryState>
      ) : (
        <Table<AuditEntry>
          rowKey="id"
          size="small"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          expandable={{
            expandedRowRender: (r) => <AuditDiff before={r.before} after={r.after} />,
            rowExpandable: (r) => r.before != null || r.after != null,
          }}
          pagination={{
            current: page, pageSize, total: list.data?.total ?? 0, showSizeChanger: true, pageSizeOptions: [20, 50, 100, 200],
            showTotal: (n) => t('reg.total', { n }), onChange: (p, s) => { setPage(s !== pageSize ? 1 : p); setPageSize(s); },
          }}
          columns={[
            { title: t('audit.at'), dataIndex: 'at', width: 190, render: (v) => <span className="mono nowrap">{formatDateTime(v, i18n.language)}</span> },
            { title: t('audit.actor'), dataIndex: 'actorName', width: 130, render: (v) => v ?? <Typography.Text type="secondary">{t('audit.system')}</Typography.Text> },
            {
              title: t('audit.actionCol'), dataIndex: 'action', width: 190,
              render: (a: string) => <Tooltip title={a}><Tag color={a.includes('failed') ? 'red' : a.startsWith('auth.') ? 'default' : a.includes('reveal') ? 'gold' : 'blue'}>{actionLabel(a)}</Tag></Tooltip>,
            },
            { title: t('audit.entityCol'), dataIndex: 'entityType', width: 110, render: (e: string) => t(`audit.entity.${e}`, { defaultValue: e }) },
            {
              title: t('audit.entityIdCol'), dataIndex: 'entityId',
              render: (v: string | null) => (v ? <Typography.Text className="mono small" copyable={{ text: v }} ellipsis style={{ maxWidth: 280 }}>{v}</Typography.Text> : '—'),
            },
            { title: 'IP', dataIndex: 'ip', width: 130, render: (v) => <span className="mono small">{v ?? '—'}</span> },
          ]}
        />
      )}
    </div>
  );
}

const ACTIONS = [
  'auth.login', 'auth.login_failed', 'auth.logout',
  'place.create', 'place.update', 'place.move', 'place.deactivate', 'place.activate', 'place.delete', 'place.qr_regenerate',
  'company.create', 'company.update', 'company.import', 'company.deactivate', 'company.activate', 'company.reveal_phone',
  'occupant.create', 'occupant.update', 'occupant.import', 'occupant.deactivate', 'occupant.activate', 'occupant.reveal_phone',
  'staff.create', 'staff.update', 'staff.import', 'staff.deactivate', 'staff.activate', 'staff.reveal_phone', 'staff.certificate_add', 'staff.certificate_remove',
  'contractor.create', 'contractor.update', 'contractor.deactivate', 'contractor.activate', 'contractor.reveal_phone',
  'account.create', 'account.update', 'account.disable', 'account.enable', 'account.password_reset', 'account.password_change',
  'calendar.hours', 'calendar.day_set', 'calendar.day_clear',
];

const show = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** What changed: the fields whose values differ, then both records in full. */
function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useTranslation();
  const b = (before && typeof before === 'object' && !Array.isArray(before) ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === 'object' && !Array.isArray(after) ? after : {}) as Record<string, unknown>;
  // Timestamps change on every write; they say nothing the row's own time does not.
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => k !== 'updatedAt' && show(b[k]) !== show(a[k]));
  const both = before != null && after != null;
  return (
    <div className="audit-diff">
      {both && keys.length > 0 && (
        <table className="audit-changes">
          <thead><tr><th>{t('audit.field')}</th><th>{t('audit.before')}</th><th>{t('audit.after')}</th></tr></thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k}><td className="mono">{k}</td><td className="audit-old">{show(b[k]) || '—'}</td><td className="audit-new">{show(a[k]) || '—'}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="audit-json">
        <div>
          <Typography.Text type="secondary">{t('audit.before')}</Typography.Text>
          <pre>{before == null ? '—' : JSON.stringify(before, null, 2)}</pre>
        </div>
        <div>
          <Typography.Text type="secondary">{t('audit.after')}</Typography.Text>
          <pre>{after == null ? '—' : JSON.stringify(after, null, 2)}</pre>
        </div>
      </div>
    </div>
  );
}
