import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import { formatDateTime } from '../../app/dates.ts';
import { useNames } from '../../app/i18n.ts';
import { ALL_ROLES } from '../../app/permissions.ts';
import type { Account, Occupant, Page, Role, Staff } from '../../app/types.ts';
import { applyServerErrors, MaskedPhone, PageTitle, QueryState, useErrorToast } from '../common.tsx';
import { OccupantSelect, StaffSelect } from '../registers/pickers.tsx';

const ROLE_COLOR: Partial<Record<Role, string>> = { admin: 'red', supervisor: 'volcano', agent: 'blue', owner_rep: 'purple', occupant: 'cyan' };

/** Accounts and their roles (admin only). Role changes and disabling end the account's sessions on the server. */
export default function AccountsPage() {
  const { t } = useTranslation();
  const names = useNames();
  const { data: me } = useMe();
  const qc = useQueryClient();
  const toast = useErrorToast();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | undefined>();
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<null | { mode: 'create' } | { mode: 'edit'; account: Account }>(null);
  const [resetting, setResetting] = useState<Account | null>(null);
  useEffect(() => setPage(1), [search, role]);

  const list = useQuery({
    queryKey: ['accounts', { search, role, page }],
    queryFn: () => api.get<Page<Account>>('/api/accounts', { q: search || undefined, role, limit: 20, offset: (page - 1) * 20 }),
    placeholderData: keepPreviousData,
  });

  const setDisabled = async (a: Account, disabled: boolean) => {
    try {
      await api.post(`/api/accounts/${a.id}/${disabled ? 'disable' : 'enable'}`);
      void message.success(disabled ? t('acc.disabledOk') : t('acc.enabledOk'));
      await qc.invalidateQueries({ queryKey: ['accounts'] });
    } catch (e) {
      toast(e);
    }
  };

  return (
    <div>
      <PageTitle
        title={t('nav.accounts')}
        sub={t('acc.sub')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create' })}>{t('acc.new')}</Button>}
      />
      <div className="filter-bar">
        <Input.Search allowClear placeholder={t('acc.search')} value={q} onChange={(e) => { setQ(e.target.value); if (!e.target.value) setSearch(''); }} onSearch={(v) => setSearch(v.trim())} style={{ width: 260 }} />
        <Select allowClear placeholder={t('acc.filterRole')} value={role} onChange={setRole} style={{ width: 180 }} options={ALL_ROLES.map((r) => ({ value: r, label: names.role(r) }))} />
      </div>
      {list.error ? (
        <QueryState loading={false} error={list.error} retry={() => void list.refetch()}>{null}</QueryState>
      ) : (
        <Table<Account>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          rowClassName={(a) => (a.disabled ? 'row-inactive' : '')}
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (n) => t('reg.total', { n }) }}
          columns={[
            { title: t('acc.username'), dataIndex: 'username', width: 140, render: (v) => <span className="mono">{v}</span> },
            { title: t('acc.displayName'), dataIndex: 'displayName', width: 140 },
            { title: t('acc.roles'), dataIndex: 'roles', render: (rs: Role[]) => rs.map((r) => <Tag key={r} color={ROLE_COLOR[r]}>{names.role(r)}</Tag>) },
            { title: t('reg.phone'), dataIndex: 'phone', width: 140, render: (v) => <MaskedPhone value={v} /> },
            { title: t('acc.lastSignIn'), dataIndex: 'lastSignInAt', width: 170, render: (v) => formatDateTime(v, names.en ? 'en-US' : 'zh-CN') },
            { title: t('reg.status'), dataIndex: 'disabled', width: 90, render: (d: boolean) => (d ? <Tag color="red">{t('acc.disabled')}</Tag> : <Tag color="green">{t('acc.enabled')}</Tag>) },
            {
              title: t('acc.actions'), key: 'actions', width: 250,
              render: (_, a) => (
                <Space size={4} wrap>
                  <Button size="small" onClick={() => setEditing({ mode: 'edit', account: a })}>{t('reg.edit')}</Button>
                  <Button size="small" icon={<KeyOutlined />} onClick={() => setResetting(a)}>{t('acc.resetPassword')}</Button>
                  {a.id !== me?.id && (
                    <Popconfirm
                      title={a.disabled ? t('acc.confirmEnable', { name: a.displayName }) : t('acc.confirmDisable', { name: a.displayName })}
                      description={a.disabled ? undefined : t('acc.disableHint')}
                      onConfirm={() => setDisabled(a, !a.disabled)}
                    >
                      <Button size="small" danger={!a.disabled}>{a.disabled ? t('acc.enable') : t('acc.disable')}</Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
      {editing && <AccountForm editing={editing} onClose={() => setEditing(null)} />}
      {resetting && <ResetPassword account={resetting} onClose={() => setResetting(null)} />}
    </div>
  );
}

const ACCOUNT_FIELDS = ['username', 'displayName', 'password', 'roles', 'phone', 'email', 'staffId', 'occupantId'];
const PHONE_RE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

function AccountForm({ editing, onClose }: { editing: { mode: 'create' } | { mode: 'edit'; account: Account }; onClose: () => void }) {
  const { t } = useTranslation();
  const names = useNames();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const account = editing.mode === 'edit' ? editing.account : null;
  const roles: Role[] = Form.useWatch('roles', form) ?? account?.roles ?? [];
  const needsOccupant = roles.includes('occupant');
  // Names for the people the account is linked to, so the pickers show who, not an id.
  const linkedStaff = useQuery({
    queryKey: ['register', 'staff', 'one', account?.staffId],
    queryFn: () => api.get<Staff>(`/api/staff/${account!.staffId}`),
    enabled: !!account?.staffId,
  });
  const linkedOccupant = useQuery({
    queryKey: ['register', 'occupant', 'one', account?.occupantId],
    queryFn: () => api.get<Occupant>(`/api/occupants/${account!.occupantId}`),
    enabled: !!account?.occupantId,
  });
  const isStaff = roles.some((r) => r !== 'occupant' && r !== 'owner_rep');

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    setBusy(true);
    setProblem(null);
    try {
      if (account) {
        await api.patch(`/api/accounts/${account.id}`, {
          displayName: v.displayName.trim(), roles: v.roles,
          staffId: v.staffId ?? null, occupantId: v.occupantId ?? null,
          // The list shows the phone masked: only a newly typed number is sent.
          ...(v.phone ? { phone: v.phone.trim() } : {}),
          ...(v.email ? { email: v.email.trim() } : {}),
        });
      } else {
        await api.post('/api/accounts', {
          username: v.username.trim(), displayName: v.displayName.trim(), password: v.password, roles: v.roles,
          phone: v.phone?.trim() || null, email: v.email?.trim() || null, staffId: v.staffId ?? null, occupantId: v.occupantId ?? null,
        });
      }
      void message.success(account ? (v.roles.join() !== account.roles.join() ? t('acc.savedRoles') : t('reg.saved')) : t('acc.created'));
      await qc.invalidateQueries({ queryKey: ['accounts'] });
      onClose();
    } catch (e) {
      setProblem(applyServerErrors(form, e, ACCOUNT_FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open width={600} title={account ? `${t('reg.edit')} · ${account.username}` : t('acc.new')} onCancel={onClose} onOk={() => void submit()} okText={t('action.save')} confirmLoading={busy} destroyOnHidden>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={account ? { username: account.username, displayName: account.displayName, roles: account.roles, staffId: account.staffId ?? undefined, occupantId: account.occupantId ?? undefined } : { roles: [] }}
      >
        <Space.Compact block>
          <Form.Item name="username" label={t('acc.username')} extra={account ? undefined : t('acc.usernameHint')} style={{ flex: 1, marginRight: 12 }}
            rules={[{ required: true }, { min: 2, max: 40 }, { pattern: /^[A-Za-z0-9_.-]+$/, message: t('acc.usernamePattern') }]}>
            <Input className="mono" disabled={!!account} autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label={t('acc.displayName')} rules={[{ required: true, whitespace: true, max: 100 }]} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
        </Space.Compact>
        {!account && (
          <Form.Item name="password" label={t('acc.initialPassword')} extra={t('shell.passwordRule')} rules={[{ required: true, min: 8, max: 128 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item name="roles" label={t('acc.roles')} extra={account ? t('acc.rolesHint') : undefined} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Select mode="multiple" options={ALL_ROLES.map((r) => ({ value: r, label: names.role(r) }))} />
        </Form.Item>
        <Form.Item name="phone" label={t('acc.phone')} extra={account ? t('reg.phoneKeep', { current: account.phone ?? '—' }) : t('acc.phoneHint')} rules={[{ pattern: PHONE_RE, message: t('reg.phoneFormat') }]}>
          <Input inputMode="tel" className="mono" />
        </Form.Item>
        <Form.Item name="email" label={t('acc.email')} extra={account ? t('acc.emailKeep', { current: account.email ?? '—' }) : t('acc.emailHint')} rules={[{ type: 'email', max: 200, message: t('acc.emailFormat') }]}>
          <Input inputMode="email" className="mono" autoComplete="off" />
        </Form.Item>
        {isStaff && (
          <Form.Item name="staffId" label={t('acc.staffLink')} extra={t('acc.staffLinkHint')}>
            <StaffSelect placeholder={t('acc.pickStaff')} known={linkedStaff.data ? { [linkedStaff.data.id]: `${linkedStaff.data.name} · ${linkedStaff.data.employeeNo} · ${linkedStaff.data.position}` } : undefined} />
          </Form.Item>
        )}
        {needsOccupant && (
          <Form.Item name="occupantId" label={t('acc.occupantLink')} rules={[{ required: true, message: t('acc.occupantRequired') }]}>
            <OccupantSelect placeholder={t('acc.pickOccupant')} known={linkedOccupant.data ? { [linkedOccupant.data.id]: `${linkedOccupant.data.name} · ${linkedOccupant.data.phone}${linkedOccupant.data.companyName ? ` · ${linkedOccupant.data.companyName}` : ''}` } : undefined} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function ResetPassword({ account, onClose }: { account: Account; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ newPassword: string }>();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    setBusy(true);
    try {
      await api.post(`/api/accounts/${account.id}/password`, { newPassword: v.newPassword });
      void message.success(t('acc.passwordReset'));
      onClose();
    } catch (e) {
      setProblem(applyServerErrors(form, e, ['newPassword']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('acc.resetTitle', { name: account.displayName })} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okText={t('action.save')} destroyOnHidden>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph type="secondary">{t('acc.resetHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="newPassword" label={t('shell.newPassword')} extra={t('shell.passwordRule')} rules={[{ required: true, min: 8, max: 128 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
