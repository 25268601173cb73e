import { useEffect, useMemo, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Modal, Popconfirm, Space, Switch, Table, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined, StopOutlined, CheckCircleOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatDateTime, shanghaiToday } from '../../app/dates.ts';
import { useNames } from '../../app/i18n.ts';
import type { Page, Staff } from '../../app/types.ts';
import { applyServerErrors, PageTitle, QueryState, useCan, useErrorToast } from '../common.tsx';
import { Certificates } from './Certificates.tsx';
import { REGISTER_CONFIGS, type Ctx, type RegisterKind } from './configs.tsx';
import { ImportDialog } from './ImportDialog.tsx';
import { PhoneReveal } from './PhoneReveal.tsx';
import { CompanySelect, TradeSelect } from './pickers.tsx';

type Row = { id: string; name: string; active: boolean; updatedAt: string } & Record<string, unknown>;

/** List, search, detail, edit and import of one register (companies, occupants, staff or contractors). */
export default function RegisterPage({ kind }: { kind: RegisterKind }) {
  const config = REGISTER_CONFIGS[kind];
  const { t } = useTranslation();
  const names = useNames();
  const allowed = useCan();
  const canWrite = allowed(config.write);
  const ctx: Ctx = useMemo(() => ({ t, names, today: shanghaiToday() }), [t, names]);

  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [companyId, setCompanyId] = useState<string | undefined>();
  const [trade, setTrade] = useState<string | undefined>();
  const [includeInactive, setIncludeInactive] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [openId, setOpenId] = useState<string | null>(null);
  const [form, setForm] = useState<null | { mode: 'create' } | { mode: 'edit'; row: Row }>(null);
  const [importing, setImporting] = useState(false);

  const [onlyAttention, setOnlyAttention] = useState(false);

  // A new filter starts from the first page.
  useEffect(() => setPage(1), [search, companyId, trade, includeInactive, onlyAttention]);

  const filters = { q: search || undefined, companyId, trade, includeInactive: includeInactive || undefined };
  // 只看证书需续期: staff with a certificate expiring within 30 days or already expired (CS-6),
  // filtered by the server so paging and the count stay right.
  const attentionFilter = kind === 'staff' ? { certExpiringWithinDays: 30 } : null;
  const list = useQuery({
    queryKey: ['register', kind, 'list', { ...filters, onlyAttention, page, pageSize }],
    queryFn: () => api.get<Page<Row>>(config.path, { ...filters, ...(onlyAttention ? attentionFilter : {}), limit: pageSize, offset: (page - 1) * pageSize }),
    placeholderData: keepPreviousData,
  });
  const attention = useQuery({
    queryKey: ['register', kind, 'attention', filters],
    queryFn: () => api.get<Page<Row>>(config.path, { ...filters, ...attentionFilter, limit: 1 }),
    enabled: attentionFilter !== null,
  });
  const attentionCount = attention.data?.total ?? 0;

  const columns = useMemo(() => [
    ...config.columns(ctx),
    {
      title: t('reg.status'), dataIndex: 'active', width: 90,
      render: (v: boolean) => (v ? <Tag color="green">{t('reg.active')}</Tag> : <Tag>{t('reg.inactive')}</Tag>),
    },
  ], [config, ctx, t]);

  return (
    <div>
      <PageTitle
        title={t(config.titleKey)}
        sub={list.data ? t('reg.total', { n: list.data.total }) : undefined}
        extra={canWrite && (
          <Space>
            {config.importable && <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>{t('import.button')}</Button>}
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ mode: 'create' })}>{t('reg.new')}</Button>
          </Space>
        )}
      />
      <div className="filter-bar">
        <Input.Search
          allowClear
          placeholder={t(config.searchHintKey)}
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            if (!e.target.value) setSearch('');
          }}
          onSearch={(v) => setSearch(v.trim())}
          style={{ width: 280 }}
          data-testid="register-search"
        />
        {config.filters.includes('company') && (
          <CompanySelect value={companyId} onChange={(v: string | undefined) => setCompanyId(v)} placeholder={t('reg.filterCompany')} style={{ width: 260 }} />
        )}
        {config.filters.includes('trade') && (
          <TradeSelect mode={undefined} value={trade} onChange={(v: string | undefined) => setTrade(v)} placeholder={t('reg.filterTrade')} style={{ width: 180 }} />
        )}
        <Space size={6}>
          <Switch size="small" checked={includeInactive} onChange={setIncludeInactive} />
          <span className="muted">{t('reg.includeInactive')}</span>
        </Space>
        {kind === 'staff' && attentionCount > 0 && (
          <Space size={6}>
            <Switch size="small" checked={onlyAttention} onChange={setOnlyAttention} data-testid="only-attention" />
            <span className="muted">{t('reg.onlyAttention', { n: attentionCount })}</span>
          </Space>
        )}
        {kind === 'staff' && (
          <Space size={6} className="legend">
            <Tag color="orange">{t('reg.legendExpiring')}</Tag>
            <Tag color="red">{t('reg.legendExpired')}</Tag>
          </Space>
        )}
      </div>
      {list.error ? (
        <QueryState loading={false} error={list.error} retry={() => void list.refetch()}>{null}</QueryState>
      ) : (
        <Table<Row>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          columns={columns as never}
          rowClassName={(r) => [config.rowClass?.(r, ctx) ?? '', r.active ? '' : 'row-inactive', 'clickable'].join(' ')}
          onRow={(r) => ({ onClick: () => setOpenId(r.id) })}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (n) => t('reg.total', { n }),
            onChange: (p, s) => {
              setPage(s !== pageSize ? 1 : p);
              setPageSize(s);
            },
          }}
        />
      )}

      {openId && (
        <DetailDrawer
          kind={kind}
          id={openId}
          ctx={ctx}
          onClose={() => setOpenId(null)}
          onEdit={(row) => setForm({ mode: 'edit', row })}
        />
      )}
      {form && (
        <RegisterForm
          kind={kind}
          ctx={ctx}
          mode={form.mode}
          row={form.mode === 'edit' ? form.row : undefined}
          onClose={() => setForm(null)}
          onSaved={(row) => {
            setForm(null);
            if (form.mode === 'create') setOpenId(row.id);
          }}
        />
      )}
      {importing && (
        <ImportDialog
          path={config.path}
          title={t(config.titleKey)}
          onClose={() => setImporting(false)}
          onImported={() => {
            setImporting(false);
            void list.refetch();
          }}
        />
      )}
    </div>
  );
}

function DetailDrawer({ kind, id, ctx, onClose, onEdit }: { kind: RegisterKind; id: string; ctx: Ctx; onClose: () => void; onEdit: (row: Row) => void }) {
  const config = REGISTER_CONFIGS[kind];
  const { t } = useTranslation();
  const canWrite = useCan()(config.write);
  const qc = useQueryClient();
  const toast = useErrorToast();
  const { message } = App.useApp();
  const one = useQuery({ queryKey: ['register', kind, 'one', id], queryFn: () => api.get<Row>(`${config.path}/${id}`) });
  const row = one.data;

  const toggle = async () => {
    if (!row) return;
    try {
      await api.post(`${config.path}/${row.id}/${row.active ? 'deactivate' : 'activate'}`);
      void message.success(row.active ? t('reg.deactivated') : t('reg.activated'));
      await qc.invalidateQueries({ queryKey: ['register', kind] });
    } catch (e) {
      toast(e);
    }
  };

  return (
    <Drawer
      open
      size={640}
      title={row ? row.name : t('loading')}
      onClose={onClose}
      extra={row && canWrite && (
        <Space>
          <Popconfirm title={row.active ? t('reg.confirmDeactivate') : t('reg.confirmActivate')} description={row.active ? t('reg.deactivateHint') : undefined} onConfirm={toggle}>
            <Button icon={row.active ? <StopOutlined /> : <CheckCircleOutlined />}>{row.active ? t('reg.deactivate') : t('reg.activate')}</Button>
          </Popconfirm>
          <Button type="primary" icon={<EditOutlined />} onClick={() => onEdit(row)}>{t('reg.edit')}</Button>
        </Space>
      )}
    >
      <QueryState loading={one.isPending} error={one.error} retry={() => void one.refetch()}>
        {row && (
          <>
            {!row.active && <Alert type="warning" showIcon title={t('reg.inactiveBanner')} style={{ marginBottom: 16 }} />}
            <Descriptions
              bordered
              size="small"
              column={2}
              items={[
                ...config.details(row, ctx),
                {
                  key: 'phone',
                  label: config.phoneKey === 'phone' ? t('reg.phone') : t('reg.contactPhone'),
                  children: <PhoneReveal path={config.path} id={row.id} masked={(row[config.phoneKey] as string | null) ?? null} />,
                  span: 2,
                },
                { key: 'updated', label: t('reg.updatedAt'), children: formatDateTime(row.updatedAt, ctx.names.en ? 'en-US' : 'zh-CN'), span: 2 },
              ]}
            />
            {kind === 'staff' && <Certificates person={row as unknown as Staff} c={ctx} />}
          </>
        )}
      </QueryState>
    </Drawer>
  );
}

function RegisterForm({ kind, ctx, mode, row, onClose, onSaved }: {
  kind: RegisterKind; ctx: Ctx; mode: 'create' | 'edit'; row?: Row; onClose: () => void; onSaved: (row: Row) => void;
}) {
  const config = REGISTER_CONFIGS[kind];
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return; // the form shows what is missing
    setBusy(true);
    setProblem(null);
    try {
      const body = config.toBody(values, mode);
      const saved = mode === 'create' ? await api.post<Row>(config.path, body) : await api.patch<Row>(`${config.path}/${row!.id}`, body);
      void message.success(mode === 'create' ? t('reg.created') : t('reg.saved'));
      await qc.invalidateQueries({ queryKey: ['register', kind] });
      onSaved(saved);
    } catch (e) {
      setProblem(applyServerErrors(form, e, config.fields));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={620}
      title={mode === 'create' ? `${t('reg.new')} · ${t(config.titleKey)}` : `${t('reg.edit')} · ${row?.name}`}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('action.save')}
      confirmLoading={busy}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} data-testid="form-problem" />}
      <Form form={form} layout="vertical" preserve={false} initialValues={row ? config.toForm(row) : kind === 'occupant' ? { companyRole: 'member' } : undefined}>
        {config.form(mode, ctx, row)}
      </Form>
      {mode === 'edit' && <Typography.Text type="secondary" className="small">{t('reg.auditNote')}</Typography.Text>}
    </Modal>
  );
}
