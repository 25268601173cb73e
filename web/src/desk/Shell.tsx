import { useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Avatar, Button, Dropdown, Form, Input, Layout, Menu, Modal, Segmented, Space, Typography } from 'antd';
import {
  ApartmentOutlined, AuditOutlined, BankOutlined, CalendarOutlined, CheckSquareOutlined, CustomerServiceOutlined, DashboardOutlined, FieldTimeOutlined,
  FileSearchOutlined, FileTextOutlined, IdcardOutlined, KeyOutlined,
  LogoutOutlined, SafetyCertificateOutlined, TeamOutlined, ToolOutlined, UserOutlined,
  ContactsOutlined, PhoneOutlined, ScheduleOutlined,
  ProfileOutlined, CarryOutOutlined, HistoryOutlined, PieChartOutlined, WarningOutlined, LineChartOutlined, ExperimentOutlined,
  AccountBookOutlined, InboxOutlined, ShoppingCartOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api.ts';
import { useLogout, useMe } from '../app/auth.ts';
import { currentLang, setLang, useNames, type Lang } from '../app/i18n.ts';
import { listJoin } from '../app/lists.ts';
import { can, type Permission } from '../app/permissions.ts';
import type { Role, Site } from '../app/types.ts';
import { applyServerErrors } from './common.tsx';

interface NavItem { path: string; key: string; permission: Permission; icon: React.ReactNode; group: 'service' | 'rounds' | 'reports' | 'stock' | 'base' | 'people' | 'system' }

/**
 * The side navigation; an entry shows only to roles the server would serve (permissions.ts). The
 * service desk comes first: it is where agents and supervisors spend the day, so they land on it.
 */
const NAV: NavItem[] = [
  { path: '/work-items', key: 'nav.board', permission: 'workItem.read', icon: <DashboardOutlined />, group: 'service' },
  { path: '/intake', key: 'nav.intake', permission: 'workItem.create', icon: <CustomerServiceOutlined />, group: 'service' },
  { path: '/reception', key: 'nav.reception', permission: 'reception.read', icon: <ContactsOutlined />, group: 'service' },
  { path: '/revisits', key: 'nav.revisits', permission: 'revisit.manage', icon: <PhoneOutlined />, group: 'service' },
  { path: '/places', key: 'nav.places', permission: 'place.read', icon: <ApartmentOutlined />, group: 'base' },
  { path: '/calendar', key: 'nav.calendar', permission: 'calendar.read', icon: <CalendarOutlined />, group: 'base' },
  { path: '/duty', key: 'nav.duty', permission: 'duty.read', icon: <ScheduleOutlined />, group: 'base' },
  { path: '/companies', key: 'nav.companies', permission: 'company.read', icon: <BankOutlined />, group: 'people' },
  { path: '/occupants', key: 'nav.occupants', permission: 'occupant.read', icon: <TeamOutlined />, group: 'people' },
  { path: '/staff', key: 'nav.staff', permission: 'staff.read', icon: <IdcardOutlined />, group: 'people' },
  { path: '/contractors', key: 'nav.contractors', permission: 'contractor.read', icon: <ToolOutlined />, group: 'people' },
  { path: '/accounts', key: 'nav.accounts', permission: 'account.read', icon: <SafetyCertificateOutlined />, group: 'system' },
  { path: '/audit', key: 'nav.audit', permission: 'audit.read', icon: <AuditOutlined />, group: 'system' },
  // Listed last so an administrator still lands on the building data (homeFor); shown second (groups below).
  { path: '/reports/archive', key: 'nav.archive', permission: 'report.read', icon: <FileSearchOutlined />, group: 'reports' },
  { path: '/reports/complaints', key: 'nav.complaintReport', permission: 'report.read', icon: <FileTextOutlined />, group: 'reports' },
  { path: '/reports/sla', key: 'nav.sla', permission: 'report.read', icon: <FieldTimeOutlined />, group: 'reports' },
  { path: '/reports/spot-checks', key: 'nav.spotChecks', permission: 'report.read', icon: <CheckSquareOutlined />, group: 'reports' },
  { path: '/tasks/today', key: 'nav.tasksToday', permission: 'report.read', icon: <CarryOutOutlined />, group: 'rounds' },
  { path: '/plans', key: 'nav.plans', permission: 'plan.read', icon: <ProfileOutlined />, group: 'rounds' },
  { path: '/records/search', key: 'nav.records', permission: 'report.read', icon: <HistoryOutlined />, group: 'rounds' },
  { path: '/records/rates', key: 'nav.rates', permission: 'report.read', icon: <PieChartOutlined />, group: 'rounds' },
  { path: '/records/missed', key: 'nav.missed', permission: 'report.read', icon: <WarningOutlined />, group: 'rounds' },
  { path: '/records/readings', key: 'nav.readings', permission: 'report.read', icon: <LineChartOutlined />, group: 'rounds' },
  { path: '/records/chemicals', key: 'nav.chemicals', permission: 'report.read', icon: <ExperimentOutlined />, group: 'rounds' },
  // Stock (issue 4 §7: RP-9, CL-4, AR-2).
  { path: '/stock/items', key: 'nav.stock', permission: 'stock.read', icon: <InboxOutlined />, group: 'stock' },
  { path: '/stock/tools', key: 'nav.stockTools', permission: 'stock.read', icon: <ToolOutlined />, group: 'stock' },
  { path: '/stock/reorder', key: 'nav.stockReorder', permission: 'stock.read', icon: <ShoppingCartOutlined />, group: 'stock' },
  { path: '/stock/cost', key: 'nav.stockCost', permission: 'report.read', icon: <AccountBookOutlined />, group: 'stock' },
];

export const navItemsFor = (roles: Role[]) => NAV.filter((n) => can(roles, n.permission));

/**
 * Where a role lands after sign-in: the service desk for those who work it or watch it (agent,
 * supervisor, owner's representative); the building data for the administrator, who sets it up.
 */
export function homeFor(roles: Role[]): string | undefined {
  const items = navItemsFor(roles);
  const desk = roles.some((r) => r === 'agent' || r === 'supervisor' || r === 'owner_rep');
  return (desk ? items[0] : items.find((i) => i.group !== 'service') ?? items[0])?.path;
}

export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  return (
    <Segmented
      size="small"
      value={i18n.language}
      options={(['zh-CN', 'en-US'] as Lang[]).map((l) => ({ value: l, label: t(`lang.${l}`) }))}
      onChange={(v) => void setLang(v as Lang)}
      aria-label="Language"
    />
  );
}

export function Shell() {
  const { t } = useTranslation();
  const names = useNames();
  const { data: me } = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const logout = useLogout();
  const [collapsed, setCollapsed] = useState(false);
  const [pwOpen, setPwOpen] = useState(false);
  const site = useQuery({ queryKey: ['sites'], queryFn: () => api.get<Site[]>('/api/sites'), staleTime: 10 * 60_000 });
  const mySite = site.data?.find((s) => s.id === me?.siteId) ?? site.data?.[0];

  const items = navItemsFor(me?.roles ?? []);
  const groups = (['service', 'rounds', 'reports', 'stock', 'base', 'people', 'system'] as const)
    .map((g) => ({
      type: 'group' as const,
      key: g,
      label: collapsed ? null : t(`nav.group.${g}`),
      children: items.filter((i) => i.group === g).map((i) => ({ key: i.path, icon: i.icon, label: t(i.key) })),
    }))
    .filter((g) => g.children.length > 0);
  const selected = items.find((i) => location.pathname.startsWith(i.path))?.path;

  return (
    <Layout className="shell">
      <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={208} theme="light" className="shell-sider">
        <div className="shell-brand" title={mySite?.address ?? undefined}>
          <div className="shell-logo">金</div>
          {!collapsed && (
            <div className="shell-brand-text">
              <div className="shell-brand-name">{mySite ? names.place(mySite) : t('brand')}</div>
              <div className="shell-brand-sub">{t('product')}</div>
            </div>
          )}
        </div>
        <Menu mode="inline" items={groups} selectedKeys={selected ? [selected] : []} onClick={(e) => navigate(e.key)} />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="shell-header">
          <Typography.Text type="secondary" className="shell-address">{mySite?.address}</Typography.Text>
          <Space size="middle">
            <LanguageSwitch />
            <Dropdown
              menu={{
                items: [
                  { key: 'roles', disabled: true, label: listJoin((me?.roles ?? []).map(names.role), currentLang()) },
                  { type: 'divider' },
                  { key: 'password', icon: <KeyOutlined />, label: t('shell.changePassword') },
                  { key: 'logout', icon: <LogoutOutlined />, label: t('action.logout') },
                ],
                onClick: ({ key }) => {
                  if (key === 'password') setPwOpen(true);
                  if (key === 'logout') logout.mutate(undefined, { onSuccess: () => navigate('/login', { replace: true }) });
                },
              }}
            >
              <Button type="text" className="shell-user" data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} style={{ background: '#0b5cab' }} />
                <span>{me?.displayName}</span>
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content className="shell-content">
          <Outlet />
        </Layout.Content>
      </Layout>
      <ChangePasswordDialog open={pwOpen} onClose={() => setPwOpen(false)} />
    </Layout>
  );
}

/** Changing one's own password; the server ends the account's other sessions. */
function ChangePasswordDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; confirm: string }>();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    setBusy(true);
    setProblem(null);
    try {
      await api.post('/api/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      void message.success(t('shell.passwordChanged'));
      form.resetFields();
      onClose();
    } catch (e) {
      setProblem(applyServerErrors(form, e, ['currentPassword', 'newPassword']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('shell.changePassword')} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} destroyOnHidden okText={t('action.save')}>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="currentPassword" label={t('shell.currentPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('shell.newPassword')} extra={t('shell.passwordRule')} rules={[{ required: true, min: 8, max: 128 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('shell.confirmPassword')}
          dependencies={['newPassword']}
          rules={[{ required: true }, ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('shell.passwordMismatch')))) })]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
