import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { TRADE_LIST, TRADES } from '@towerdesk/domain';
import type { Queryable } from '../../db/index.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { NotFound, type FieldProblem } from '../../platform/errors.ts';
import { maskPhone } from '../../platform/mask.ts';
import type { Permission } from '../../platform/permissions.ts';
import { IsoDate, Name, Phone } from '../../platform/schemas.ts';
import { places } from '../places/schema.ts';
import { companies, contractors, occupants, staff } from './schema.ts';

/**
 * The four registers of people and organisations (issue 2 §6) are one mechanism configured four
 * times: a table, its input schema, who may read/write, the row scope, the unique keys and the
 * spreadsheet columns. service.ts and routes.ts serve any register from this description, so
 * the rules (masking, audit, all-or-nothing import) exist once.
 */
export interface Register {
  kind: 'company' | 'occupant' | 'staff' | 'contractor';
  path: string;
  label: { zh: string; en: string };
  table: PgTable & { id: PgColumn; siteId: PgColumn; active: PgColumn; updatedAt: PgColumn; name: PgColumn };
  read: Permission;
  write: Permission;
  /** Fields a client may send; create requires the non-optional ones. */
  input: z.ZodObject;
  /** The column holding a personal phone number: masked in lists, revealed on request (audited). */
  phoneKey: 'phone' | 'contactPhone';
  searchColumns: PgColumn[];
  /** Extra row scope beyond the site (occupants see their own company, themselves). */
  scope?: (ctx: SignedInCtx) => SQL | undefined;
  /** Unique keys within a site, checked before writing so the answer names the field. */
  unique: Array<{ key: string; column: PgColumn; label: { zh: string; en: string } }>;
  /** Foreign references to check (company exists in the site, units are office units…). */
  checkRefs?: (tx: Queryable, siteId: string, input: Record<string, unknown>) => Promise<FieldProblem[]>;
  /** Spreadsheet columns: header (zh) → input key, with how to read the cell. */
  columns: Array<{ header: string; headerEn: string; key: string; parse?: 'list' | 'int' | 'trades' | 'companyName' | 'unitCodes' }>;
}

const Trades = z.array(z.enum(TRADE_LIST)).max(TRADE_LIST.length);
const Units = z.array(z.uuid()).max(50);

export const companyRegister: Register = {
  kind: 'company', path: '/api/companies', label: { zh: '租户单位', en: 'Tenant companies' },
  table: companies, read: 'company.read', write: 'company.write',
  input: z.strictObject({
    name: Name, nameEn: z.string().trim().max(100).nullable().optional(), unitIds: Units.optional(),
    contactName: z.string().trim().max(50).nullable().optional(), contactPhone: Phone.nullable().optional(),
  }),
  phoneKey: 'contactPhone',
  searchColumns: [companies.name, companies.contactName],
  scope: (ctx) => (ctx.actor.roles.includes('occupant') && !isStaffish(ctx) ? eq(companies.id, ctx.actor.companyId ?? '00000000-0000-0000-0000-000000000000') : undefined),
  unique: [{ key: 'name', column: companies.name, label: { zh: '单位名称已存在', en: 'A company with this name exists' } }],
  checkRefs: (tx, siteId, input) => checkUnits(tx, siteId, input.unitIds as string[] | undefined),
  columns: [
    { header: '单位名称', headerEn: 'name', key: 'name' },
    { header: '英文名称', headerEn: 'nameEn', key: 'nameEn' },
    { header: '租用单元', headerEn: 'units', key: 'unitIds', parse: 'unitCodes' },
    { header: '联系人', headerEn: 'contactName', key: 'contactName' },
    { header: '联系电话', headerEn: 'contactPhone', key: 'contactPhone' },
  ],
};

export const occupantRegister: Register = {
  kind: 'occupant', path: '/api/occupants', label: { zh: '业主/使用人', en: 'Occupants' },
  table: occupants, read: 'occupant.read', write: 'occupant.write',
  input: z.strictObject({
    name: Name, phone: Phone, companyId: z.uuid().nullable().optional(), unitIds: Units.optional(),
    companyRole: z.enum(['admin', 'member']).optional(),
  }),
  phoneKey: 'phone',
  searchColumns: [occupants.name, occupants.phone],
  // SEC-1 / RP-4: an occupant sees themselves; their company's people only as its admin contact.
  scope: (ctx) => {
    if (!ctx.actor.roles.includes('occupant') || isStaffish(ctx)) return undefined;
    if (ctx.actor.companyRole === 'admin' && ctx.actor.companyId) return eq(occupants.companyId, ctx.actor.companyId);
    return eq(occupants.id, ctx.actor.occupantId ?? '00000000-0000-0000-0000-000000000000');
  },
  unique: [{ key: 'phone', column: occupants.phone, label: { zh: '该手机号已登记', en: 'This phone is already registered' } }],
  checkRefs: async (tx, siteId, input) => [
    ...(await checkCompany(tx, siteId, input.companyId as string | null | undefined)),
    ...(await checkUnits(tx, siteId, input.unitIds as string[] | undefined)),
  ],
  columns: [
    { header: '姓名', headerEn: 'name', key: 'name' },
    { header: '手机号', headerEn: 'phone', key: 'phone' },
    { header: '所属单位', headerEn: 'company', key: 'companyId', parse: 'companyName' },
    { header: '所在单元', headerEn: 'units', key: 'unitIds', parse: 'unitCodes' },
    { header: '单位角色', headerEn: 'companyRole', key: 'companyRole' },
  ],
};

export const staffRegister: Register = {
  kind: 'staff', path: '/api/staff', label: { zh: '员工花名册', en: 'Staff register' },
  table: staff, read: 'staff.read', write: 'staff.write',
  input: z.strictObject({
    employeeNo: z.string().trim().min(1).max(30), name: Name, phone: Phone, position: z.string().trim().min(1).max(50),
    trades: Trades.optional(), hireDate: IsoDate, experienceYears: z.number().int().min(0).max(60).optional(),
  }),
  phoneKey: 'phone',
  searchColumns: [staff.name, staff.employeeNo, staff.position],
  unique: [
    { key: 'employeeNo', column: staff.employeeNo, label: { zh: '工号已存在', en: 'Employee number exists' } },
    { key: 'phone', column: staff.phone, label: { zh: '该手机号已登记', en: 'This phone is already registered' } },
  ],
  columns: [
    { header: '工号', headerEn: 'employeeNo', key: 'employeeNo' },
    { header: '姓名', headerEn: 'name', key: 'name' },
    { header: '手机号', headerEn: 'phone', key: 'phone' },
    { header: '岗位', headerEn: 'position', key: 'position' },
    { header: '工种', headerEn: 'trades', key: 'trades', parse: 'trades' },
    { header: '入职日期', headerEn: 'hireDate', key: 'hireDate' },
    { header: '从业年限', headerEn: 'experienceYears', key: 'experienceYears', parse: 'int' },
  ],
};

export const contractorRegister: Register = {
  kind: 'contractor', path: '/api/contractors', label: { zh: '外包单位', en: 'Contractors' },
  table: contractors, read: 'contractor.read', write: 'contractor.write',
  input: z.strictObject({
    name: Name, trades: Trades.optional(), contactName: z.string().trim().max(50).nullable().optional(),
    contactPhone: Phone.nullable().optional(), contractEndsOn: IsoDate.nullable().optional(),
  }),
  phoneKey: 'contactPhone',
  searchColumns: [contractors.name, contractors.contactName],
  unique: [{ key: 'name', column: contractors.name, label: { zh: '单位名称已存在', en: 'A contractor with this name exists' } }],
  columns: [],
};

export const REGISTERS = [companyRegister, occupantRegister, staffRegister, contractorRegister];

/** Staff roles see registers by site; the occupant scope applies only to pure occupant accounts. */
const isStaffish = (ctx: SignedInCtx) => ctx.actor.roles.some((r) => r !== 'occupant');

/** A row as the API lists it: the phone masked (SEC-2). */
export function toView(reg: Register, row: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = v instanceof Date ? v.toISOString() : v;
  out[reg.phoneKey] = maskPhone(row[reg.phoneKey] as string | null);
  return out;
}

export function scopeOf(reg: Register, ctx: SignedInCtx): SQL | undefined {
  return and(ctx.actor.siteId ? eq(reg.table.siteId, ctx.actor.siteId) : undefined, reg.scope?.(ctx));
}

export async function findVisible(reg: Register, tx: Queryable, ctx: SignedInCtx, id: string, lock = false) {
  const q = tx.select().from(reg.table as PgTable).where(and(eq(reg.table.id, id), scopeOf(reg, ctx)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw NotFound();
  return row as Record<string, unknown> & { id: string; siteId: string };
}

async function checkCompany(tx: Queryable, siteId: string, companyId: string | null | undefined): Promise<FieldProblem[]> {
  if (!companyId) return [];
  const [c] = await tx.select({ id: companies.id }).from(companies).where(and(eq(companies.id, companyId), eq(companies.siteId, siteId)));
  return c ? [] : [{ field: 'body.companyId', code: 'not_found', message: { zh: '单位不存在', en: 'No such company' } }];
}

async function checkUnits(tx: Queryable, siteId: string, unitIds: string[] | undefined): Promise<FieldProblem[]> {
  if (!unitIds?.length) return [];
  const found = await tx.select({ id: places.id }).from(places)
    .where(and(inArray(places.id, unitIds), eq(places.siteId, siteId), eq(places.kind, 'office_unit')));
  return found.length === new Set(unitIds).size ? [] : [{ field: 'body.unitIds', code: 'not_found', message: { zh: '单元不存在或不是办公单元', en: 'A unit does not exist or is not an office unit' } }];
}

/** Trade names as users type them in a spreadsheet: 电工、给排水 or electrical,plumbing. */
export function parseTrades(text: string): string[] {
  const byName = new Map<string, string>();
  for (const [key, t] of Object.entries(TRADES)) { byName.set(key, key); byName.set(t.zh, key); byName.set(t.en.toLowerCase(), key); }
  return splitList(text).map((t) => byName.get(t) ?? byName.get(t.toLowerCase()) ?? t);
}

export const splitList = (text: string) => text.split(/[,，、;；\s]+/).map((s) => s.trim()).filter(Boolean);

