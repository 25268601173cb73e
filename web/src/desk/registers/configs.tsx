import type { ReactNode } from 'react';
import { DatePicker, Form, Input, InputNumber, Select, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { daysBetween, expiryState, shanghaiToday, type ExpiryState } from '../../app/dates.ts';
import { currentLang, type useNames } from '../../app/i18n.ts';
import { listJoin } from '../../app/lists.ts';
import type { Permission } from '../../app/permissions.ts';
import type { Certificate, Company, Contractor, Occupant, Staff } from '../../app/types.ts';
import { MaskedPhone } from '../common.tsx';
import { CompanySelect, TradeSelect, UnitSelect } from './pickers.tsx';

/**
 * The four registers (companies, occupants, staff, contractors) are one screen configured four
 * times, as on the server (parties/registers.ts): a list, a detail drawer, a form and an import.
 * A config says only what differs: columns, fields, filters and permissions.
 */
export type RegisterKind = 'company' | 'occupant' | 'staff' | 'contractor';

export interface Ctx {
  t: TFunction;
  names: ReturnType<typeof useNames>;
  today: string;
}

export interface DetailItem { key: string; label: ReactNode; children: ReactNode; span?: number }

export interface RegisterConfig<T extends { id: string; name: string }> {
  kind: RegisterKind;
  path: string;
  titleKey: string;
  read: Permission;
  write: Permission;
  phoneKey: 'phone' | 'contactPhone';
  importable: boolean;
  filters: Array<'company' | 'trade'>;
  searchHintKey: string;
  columns: (c: Ctx) => ColumnsType<T>;
  details: (row: T, c: Ctx) => DetailItem[];
  /** Field names on the form, so server problems (`body.<name>`) land under the right field. */
  fields: string[];
  form: (mode: 'create' | 'edit', c: Ctx, row?: T) => ReactNode;
  toForm: (row: T) => Record<string, unknown>;
  toBody: (v: Record<string, unknown>, mode: 'create' | 'edit') => Record<string, unknown>;
  rowClass?: (row: T, c: Ctx) => string;
}

const trim = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
const orNull = (v: unknown) => {
  const s = trim(v);
  return s === '' || s === undefined ? null : s;
};
const dateOut = (v: unknown) => (v && dayjs.isDayjs(v) ? (v as Dayjs).format('YYYY-MM-DD') : null);
const PHONE_RE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

/**
 * The phone on a form. Lists and details carry it masked, so an edit form starts empty: leaving
 * it empty keeps the stored number, typing replaces it. A masked value is never sent back.
 */
function phoneItem(c: Ctx, name: string, label: string, mode: 'create' | 'edit', required: boolean, current?: string | null) {
  return (
    <Form.Item
      name={name}
      label={label}
      extra={mode === 'edit' ? c.t('reg.phoneKeep', { current: current ?? '—' }) : undefined}
      rules={[{ required: required && mode === 'create' }, { pattern: PHONE_RE, message: c.t('reg.phoneFormat') }]}
    >
      <Input inputMode="tel" className="mono" placeholder="13812345678 / 021-62345678" />
    </Form.Item>
  );
}

const tradeTags = (trades: string[] | undefined, c: Ctx) => (trades ?? []).map((tr) => <Tag key={tr}>{c.names.trade(tr)}</Tag>);

export function expiryLabel(state: ExpiryState, date: string | null, c: Ctx) {
  if (!date) return c.t('reg.noExpiry');
  const days = daysBetween(c.today, date);
  if (state === 'expired') return c.t('reg.expiredOn', { date, days: -days });
  if (state === 'expiring') return c.t('reg.expiresIn', { date, days });
  return c.t('reg.validUntil', { date });
}

const EXPIRY_COLOR: Record<ExpiryState, string | undefined> = { expired: 'red', expiring: 'orange', valid: undefined, none: undefined };

export function CertTag({ cert, c }: { cert: Certificate; c: Ctx }) {
  const state = expiryState(cert.expiresOn, c.today);
  return (
    <Tooltip title={`${cert.number}${cert.issuer ? ` · ${cert.issuer}` : ''} · ${expiryLabel(state, cert.expiresOn, c)}`}>
      <Tag color={EXPIRY_COLOR[state]} className={`cert-tag cert-${state}`} data-expiry={state}>
        {cert.name}
        {(state === 'expired' || state === 'expiring') && <span className="cert-date"> {cert.expiresOn}</span>}
      </Tag>
    </Tooltip>
  );
}

/** The worst state among a person's certificates: it colours the whole row. */
export function worstExpiry(certs: Certificate[] | undefined, today: string): ExpiryState {
  const states = (certs ?? []).map((x) => expiryState(x.expiresOn, today));
  return states.includes('expired') ? 'expired' : states.includes('expiring') ? 'expiring' : 'valid';
}

export const companyConfig: RegisterConfig<Company> = {
  kind: 'company', path: '/api/companies', titleKey: 'nav.companies', read: 'company.read', write: 'company.write',
  phoneKey: 'contactPhone', importable: true, filters: [], searchHintKey: 'reg.searchCompany',
  columns: (c) => [
    { title: c.t('reg.companyName'), dataIndex: 'name', render: (_, r) => <div><div>{r.name}</div>{r.nameEn && <Typography.Text type="secondary" className="small">{r.nameEn}</Typography.Text>}</div> },
    { title: c.t('reg.units'), dataIndex: 'unitNames', render: (u: string[] | undefined) => (u?.length ? listJoin(u, currentLang()) : '—') },
    { title: c.t('reg.contactName'), dataIndex: 'contactName', width: 120, render: (v) => v ?? '—' },
    { title: c.t('reg.contactPhone'), dataIndex: 'contactPhone', width: 150, render: (v) => <MaskedPhone value={v} /> },
  ],
  details: (r, c) => [
    { key: 'name', label: c.t('reg.companyName'), children: r.name, span: 2 },
    { key: 'nameEn', label: c.t('reg.nameEn'), children: r.nameEn ?? '—', span: 2 },
    { key: 'units', label: c.t('reg.units'), children: r.unitNames?.length ? listJoin(r.unitNames, currentLang()) : '—', span: 2 },
    { key: 'contactName', label: c.t('reg.contactName'), children: r.contactName ?? '—', span: 2 },
  ],
  fields: ['name', 'nameEn', 'unitIds', 'contactName', 'contactPhone'],
  form: (mode, c, row) => (
    <>
      <Form.Item name="name" label={c.t('reg.companyName')} rules={[{ required: true, whitespace: true, max: 100 }]}><Input /></Form.Item>
      <Form.Item name="nameEn" label={c.t('reg.nameEn')} rules={[{ max: 100 }]}><Input /></Form.Item>
      <Form.Item name="unitIds" label={c.t('reg.units')} extra={c.t('reg.unitsHint')}>
        <UnitSelect known={row ? Object.fromEntries(row.unitIds.map((id, i) => [id, row.unitNames?.[i] ?? id])) : undefined} placeholder={c.t('reg.unitsPlaceholder')} />
      </Form.Item>
      <Space.Compact block>
        <Form.Item name="contactName" label={c.t('reg.contactName')} rules={[{ max: 50 }]} style={{ flex: 1, marginRight: 12 }}><Input /></Form.Item>
        <div style={{ flex: 1 }}>{phoneItem(c, 'contactPhone', c.t('reg.contactPhone'), mode, false, row?.contactPhone)}</div>
      </Space.Compact>
    </>
  ),
  toForm: (r) => ({ name: r.name, nameEn: r.nameEn ?? '', unitIds: r.unitIds, contactName: r.contactName ?? '' }),
  toBody: (v, mode) => ({
    name: trim(v.name), nameEn: orNull(v.nameEn), unitIds: v.unitIds ?? [], contactName: orNull(v.contactName),
    ...(mode === 'create' ? { contactPhone: orNull(v.contactPhone) } : v.contactPhone ? { contactPhone: trim(v.contactPhone) } : {}),
  }),
};

export const occupantConfig: RegisterConfig<Occupant> = {
  kind: 'occupant', path: '/api/occupants', titleKey: 'nav.occupants', read: 'occupant.read', write: 'occupant.write',
  phoneKey: 'phone', importable: true, filters: ['company'], searchHintKey: 'reg.searchOccupant',
  columns: (c) => [
    { title: c.t('reg.personName'), dataIndex: 'name', width: 120 },
    { title: c.t('reg.phone'), dataIndex: 'phone', width: 150, render: (v) => <MaskedPhone value={v} /> },
    { title: c.t('reg.company'), dataIndex: 'companyName', render: (v) => v ?? '—' },
    { title: c.t('reg.units'), dataIndex: 'unitNames', render: (u: string[] | undefined) => (u?.length ? listJoin(u, currentLang()) : '—') },
    { title: c.t('reg.companyRole'), dataIndex: 'companyRole', width: 130, render: (v: string) => (v === 'admin' ? <Tag color="blue">{c.t('reg.roleAdmin')}</Tag> : c.t('reg.roleMember')) },
  ],
  details: (r, c) => [
    { key: 'name', label: c.t('reg.personName'), children: r.name, span: 2 },
    { key: 'company', label: c.t('reg.company'), children: r.companyName ?? '—', span: 2 },
    { key: 'units', label: c.t('reg.units'), children: r.unitNames?.length ? listJoin(r.unitNames, currentLang()) : '—', span: 2 },
    { key: 'role', label: c.t('reg.companyRole'), children: r.companyRole === 'admin' ? c.t('reg.roleAdmin') : c.t('reg.roleMember'), span: 2 },
  ],
  fields: ['name', 'phone', 'companyId', 'unitIds', 'companyRole'],
  form: (mode, c, row) => (
    <>
      <Form.Item name="name" label={c.t('reg.personName')} rules={[{ required: true, whitespace: true, max: 100 }]}><Input /></Form.Item>
      {phoneItem(c, 'phone', c.t('reg.phone'), mode, true, row?.phone)}
      <Form.Item name="companyId" label={c.t('reg.company')}>
        <CompanySelect known={row?.companyId ? { [row.companyId]: row.companyName ?? row.companyId } : undefined} placeholder={c.t('reg.companyPlaceholder')} />
      </Form.Item>
      <Form.Item name="unitIds" label={c.t('reg.units')}>
        <UnitSelect known={row ? Object.fromEntries(row.unitIds.map((id, i) => [id, row.unitNames?.[i] ?? id])) : undefined} placeholder={c.t('reg.unitsPlaceholder')} />
      </Form.Item>
      <Form.Item name="companyRole" label={c.t('reg.companyRole')} extra={c.t('reg.companyRoleHint')}>
        <Select options={[{ value: 'member', label: c.t('reg.roleMember') }, { value: 'admin', label: c.t('reg.roleAdmin') }]} />
      </Form.Item>
    </>
  ),
  toForm: (r) => ({ name: r.name, companyId: r.companyId ?? undefined, unitIds: r.unitIds, companyRole: r.companyRole }),
  toBody: (v, mode) => ({
    name: trim(v.name), companyId: v.companyId ?? null, unitIds: v.unitIds ?? [], companyRole: v.companyRole ?? 'member',
    ...(mode === 'create' || v.phone ? { phone: trim(v.phone) } : {}),
  }),
};

export const staffConfig: RegisterConfig<Staff> = {
  kind: 'staff', path: '/api/staff', titleKey: 'nav.staff', read: 'staff.read', write: 'staff.write',
  phoneKey: 'phone', importable: true, filters: ['trade'], searchHintKey: 'reg.searchStaff',
  columns: (c) => [
    { title: c.t('reg.employeeNo'), dataIndex: 'employeeNo', width: 100, render: (v) => <span className="mono">{v}</span> },
    { title: c.t('reg.personName'), dataIndex: 'name', width: 100 },
    { title: c.t('reg.position'), dataIndex: 'position', width: 130 },
    { title: c.t('reg.trades'), dataIndex: 'trades', render: (v: string[]) => tradeTags(v, c) },
    { title: c.t('reg.phone'), dataIndex: 'phone', width: 140, render: (v) => <MaskedPhone value={v} /> },
    { title: c.t('reg.experience'), dataIndex: 'experienceYears', width: 90, render: (v: number) => c.t('reg.years', { n: v }) },
    {
      title: c.t('reg.certificates'),
      dataIndex: 'certificates',
      render: (certs: Certificate[] | undefined) => (certs?.length ? certs.map((x) => <CertTag key={x.id} cert={x} c={c} />) : <Typography.Text type="secondary">—</Typography.Text>),
    },
  ],
  rowClass: (r, c) => `row-cert-${worstExpiry(r.certificates, c.today)}`,
  details: (r, c) => [
    { key: 'no', label: c.t('reg.employeeNo'), children: <span className="mono">{r.employeeNo}</span> },
    { key: 'name', label: c.t('reg.personName'), children: r.name },
    { key: 'position', label: c.t('reg.position'), children: r.position },
    { key: 'hire', label: c.t('reg.hireDate'), children: r.hireDate },
    { key: 'exp', label: c.t('reg.experience'), children: c.t('reg.years', { n: r.experienceYears }) },
    { key: 'trades', label: c.t('reg.trades'), children: tradeTags(r.trades, c), span: 2 },
  ],
  fields: ['employeeNo', 'name', 'phone', 'position', 'trades', 'hireDate', 'experienceYears'],
  form: (mode, c, row) => (
    <>
      <Space.Compact block>
        <Form.Item name="employeeNo" label={c.t('reg.employeeNo')} rules={[{ required: true, whitespace: true, max: 30 }]} style={{ flex: 1, marginRight: 12 }}><Input className="mono" /></Form.Item>
        <Form.Item name="name" label={c.t('reg.personName')} rules={[{ required: true, whitespace: true, max: 100 }]} style={{ flex: 1 }}><Input /></Form.Item>
      </Space.Compact>
      {phoneItem(c, 'phone', c.t('reg.phone'), mode, true, row?.phone)}
      <Form.Item name="position" label={c.t('reg.position')} rules={[{ required: true, whitespace: true, max: 50 }]}><Input placeholder={c.t('reg.positionPlaceholder')} /></Form.Item>
      <Form.Item name="trades" label={c.t('reg.trades')}><TradeSelect /></Form.Item>
      <Space size="large">
        <Form.Item name="hireDate" label={c.t('reg.hireDate')} rules={[{ required: true }]}><DatePicker /></Form.Item>
        <Form.Item name="experienceYears" label={c.t('reg.experience')} extra={c.t('reg.experienceHint')}><InputNumber min={0} max={60} precision={0} /></Form.Item>
      </Space>
    </>
  ),
  toForm: (r) => ({ employeeNo: r.employeeNo, name: r.name, position: r.position, trades: r.trades, hireDate: dayjs(r.hireDate), experienceYears: r.experienceYears }),
  toBody: (v, mode) => ({
    employeeNo: trim(v.employeeNo), name: trim(v.name), position: trim(v.position), trades: v.trades ?? [],
    hireDate: dateOut(v.hireDate), ...(v.experienceYears != null ? { experienceYears: v.experienceYears } : {}),
    ...(mode === 'create' || v.phone ? { phone: trim(v.phone) } : {}),
  }),
};

export const contractorConfig: RegisterConfig<Contractor> = {
  kind: 'contractor', path: '/api/contractors', titleKey: 'nav.contractors', read: 'contractor.read', write: 'contractor.write',
  phoneKey: 'contactPhone', importable: false, filters: ['trade'], searchHintKey: 'reg.searchCompany',
  columns: (c) => [
    { title: c.t('reg.contractorName'), dataIndex: 'name' },
    { title: c.t('reg.trades'), dataIndex: 'trades', render: (v: string[]) => tradeTags(v, c) },
    { title: c.t('reg.contactName'), dataIndex: 'contactName', width: 110, render: (v) => v ?? '—' },
    { title: c.t('reg.contactPhone'), dataIndex: 'contactPhone', width: 150, render: (v) => <MaskedPhone value={v} /> },
    {
      title: c.t('reg.contractEnds'),
      dataIndex: 'contractEndsOn',
      width: 150,
      render: (v: string | null) => {
        const state = expiryState(v, c.today);
        return v ? <Tooltip title={expiryLabel(state, v, c)}><Tag color={EXPIRY_COLOR[state]}>{v}</Tag></Tooltip> : '—';
      },
    },
  ],
  details: (r, c) => [
    { key: 'name', label: c.t('reg.contractorName'), children: r.name, span: 2 },
    { key: 'trades', label: c.t('reg.trades'), children: tradeTags(r.trades, c), span: 2 },
    { key: 'contact', label: c.t('reg.contactName'), children: r.contactName ?? '—', span: 2 },
    { key: 'ends', label: c.t('reg.contractEnds'), children: r.contractEndsOn ? expiryLabel(expiryState(r.contractEndsOn, c.today), r.contractEndsOn, c) : '—', span: 2 },
  ],
  fields: ['name', 'trades', 'contactName', 'contactPhone', 'contractEndsOn'],
  form: (mode, c, row) => (
    <>
      <Form.Item name="name" label={c.t('reg.contractorName')} rules={[{ required: true, whitespace: true, max: 100 }]}><Input /></Form.Item>
      <Form.Item name="trades" label={c.t('reg.trades')}><TradeSelect /></Form.Item>
      <Space.Compact block>
        <Form.Item name="contactName" label={c.t('reg.contactName')} rules={[{ max: 50 }]} style={{ flex: 1, marginRight: 12 }}><Input /></Form.Item>
        <div style={{ flex: 1 }}>{phoneItem(c, 'contactPhone', c.t('reg.contactPhone'), mode, false, row?.contactPhone)}</div>
      </Space.Compact>
      <Form.Item name="contractEndsOn" label={c.t('reg.contractEnds')}><DatePicker /></Form.Item>
    </>
  ),
  toForm: (r) => ({ name: r.name, trades: r.trades, contactName: r.contactName ?? '', contractEndsOn: r.contractEndsOn ? dayjs(r.contractEndsOn) : undefined }),
  toBody: (v, mode) => ({
    name: trim(v.name), trades: v.trades ?? [], contactName: orNull(v.contactName), contractEndsOn: dateOut(v.contractEndsOn),
    ...(mode === 'create' ? { contactPhone: orNull(v.contactPhone) } : v.contactPhone ? { contactPhone: trim(v.contactPhone) } : {}),
  }),
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the page treats rows generically
export const REGISTER_CONFIGS: Record<RegisterKind, RegisterConfig<any>> = {
  company: companyConfig, occupant: occupantConfig, staff: staffConfig, contractor: contractorConfig,
};

export const todayForRegisters = () => shanghaiToday();
