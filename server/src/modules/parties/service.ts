import { and, asc, eq, ilike, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { shanghaiDate } from '@towerdesk/domain';
import type { Queryable, Tx } from '../../db/index.ts';
import { audit } from '../../platform/audit.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { AppError, Conflict, Invalid, type FieldProblem } from '../../platform/errors.ts';
import { fieldMessage } from '../../platform/i18n.ts';
import { writeSite } from '../../platform/scope.ts';
import { readSheet } from '../../platform/spreadsheet.ts';
import { places } from '../places/schema.ts';
import { registerPlaceReferenceCheck } from '../places/service.ts';
import { certificates, companies, occupants } from './schema.ts';
import { findVisible, parseTrades, scopeOf, splitList, toView, type Register } from './registers.ts';

// Places named in a lease or an occupant's units have records: they may not be hard-deleted.
registerPlaceReferenceCheck(async (tx, placeId) => {
  const [hit] = await tx.execute<{ n: number }>(sql`select 1 as n from ${companies} where ${placeId}::uuid = any(unit_ids)
    union all select 1 from ${occupants} where ${placeId}::uuid = any(unit_ids) limit 1`).then((r) => r.rows);
  return !!hit;
});

const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface ListQuery {
  q?: string;
  companyId?: string;
  trade?: string;
  includeInactive?: boolean;
  /** Staff only: certificates expiring within this many days (CS-6 highlight). */
  certExpiringWithinDays?: number;
  limit: number;
  offset: number;
}

export async function listRegister(reg: Register, ctx: SignedInCtx, q: ListQuery) {
  const conds: (SQL | undefined)[] = [scopeOf(reg, ctx)];
  if (!q.includeInactive) conds.push(eq(reg.table.active, true));
  if (q.q) conds.push(or(...reg.searchColumns.map((c) => ilike(c, like(q.q!)))));
  if (q.companyId && reg.kind === 'occupant') conds.push(eq(occupants.companyId, q.companyId));
  if (q.certExpiringWithinDays !== undefined && reg.kind === 'staff') {
    // CS-6: certificates that expire within N days of today (Shanghai), expired ones included.
    const until = shanghaiDate(new Date(ctx.now.getTime() + q.certExpiringWithinDays * 86_400_000));
    conds.push(sql`exists (select 1 from ${certificates} c where c.staff_id = ${reg.table.id} and c.expires_on <= ${until})`);
  }
  if (q.trade && (reg.kind === 'staff' || reg.kind === 'contractor')) conds.push(sql`${q.trade} = any(${(reg.table as unknown as { trades: PgColumn }).trades})`);
  const where = and(...conds);
  // Names repeat (two 王伟 in one company); the id keeps pages from skipping or repeating rows.
  const [rows, total] = await Promise.all([
    ctx.db.select().from(reg.table as PgTable).where(where).orderBy(asc(reg.table.name), asc(reg.table.id)).limit(q.limit).offset(q.offset),
    ctx.db.$count(reg.table as PgTable, where),
  ]);
  const items = await viewsOf(reg, ctx.db, rows as Record<string, unknown>[]);
  return { items, total };
}

/**
 * Rows as the API shows them, the same shape from every route (list, detail, create, edit,
 * deactivate): phone masked, staff with certificates, unit and company names for display.
 */
async function viewsOf(reg: Register, db: Queryable, rows: Record<string, unknown>[]) {
  const items = rows.map((r) => toView(reg, r));
  if (reg.kind === 'staff' && items.length) await attachCertificates(db, items);
  if (reg.kind === 'occupant' || reg.kind === 'company') await attachNames(db, reg, items);
  return items;
}
const viewOf = async (reg: Register, db: Queryable, row: Record<string, unknown>) => (await viewsOf(reg, db, [row]))[0]!;

/** Staff rows carry their certificates, so the register can highlight the ones about to expire. */
async function attachCertificates(db: Queryable, items: Record<string, unknown>[]) {
  const certs = await db.select().from(certificates).where(inArray(certificates.staffId, items.map((i) => i.id as string))).orderBy(asc(certificates.expiresOn));
  for (const i of items) i.certificates = certs.filter((c) => c.staffId === i.id).map(certView);
}

export const certView = (c: typeof certificates.$inferSelect) => ({ id: c.id, name: c.name, number: c.number, issuer: c.issuer, expiresOn: c.expiresOn });

/** Unit codes and company names for display, so a list needs no second round-trip. */
async function attachNames(db: Queryable, reg: Register, items: Record<string, unknown>[]) {
  const unitIds = [...new Set(items.flatMap((i) => (i.unitIds as string[]) ?? []))];
  const units = unitIds.length ? await db.select({ id: places.id, code: places.code, name: places.name }).from(places).where(inArray(places.id, unitIds)) : [];
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  for (const i of items) i.unitNames = ((i.unitIds as string[]) ?? []).map((u) => unitName.get(u) ?? '?');
  if (reg.kind === 'occupant') {
    const ids = [...new Set(items.map((i) => i.companyId as string).filter(Boolean))];
    const cs = ids.length ? await db.select({ id: companies.id, name: companies.name }).from(companies).where(inArray(companies.id, ids)) : [];
    const name = new Map(cs.map((c) => [c.id, c.name]));
    for (const i of items) i.companyName = i.companyId ? name.get(i.companyId as string) ?? null : null;
  }
}

export async function getRegisterRow(reg: Register, ctx: SignedInCtx, id: string) {
  return viewOf(reg, ctx.db, await findVisible(reg, ctx.db, ctx, id));
}

/** The full phone number for a detail view (SEC-2): only for roles that need it, and audited. */
export async function revealPhone(reg: Register, ctx: SignedInCtx, id: string) {
  const row = await findVisible(reg, ctx.db, ctx, id);
  await audit(ctx.db, ctx, { action: `${reg.kind}.reveal_phone`, entityType: reg.kind, entityId: id, siteId: row.siteId });
  return { phone: (row[reg.phoneKey] as string | null) ?? null };
}

async function checkUnique(reg: Register, tx: Tx, siteId: string, input: Record<string, unknown>, exceptId?: string): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  for (const u of reg.unique) {
    const value = input[u.key];
    if (value === undefined || value === null) continue;
    const [dup] = await tx.select({ id: reg.table.id }).from(reg.table as PgTable)
      .where(and(eq(reg.table.siteId, siteId), eq(u.column, value), exceptId ? ne(reg.table.id, exceptId) : undefined));
    if (dup) problems.push({ field: `body.${u.key}`, code: 'duplicate', message: u.label });
  }
  return problems;
}

export async function createRegisterRow(reg: Register, ctx: SignedInCtx, input: Record<string, unknown> & { siteId?: string }) {
  return ctx.db.transaction(async (tx) => {
    const { siteId: requested, ...values } = input;
    const siteId = writeSite(ctx, requested);
    const refs = (await reg.checkRefs?.(tx, siteId, values)) ?? [];
    if (refs.length) throw Invalid(refs);
    const dups = await checkUnique(reg, tx, siteId, values);
    if (dups.length) throw Conflict('duplicate', dups[0]!.message, dups);
    const [row] = await tx.insert(reg.table as PgTable).values({ ...values, siteId, createdAt: ctx.now, updatedAt: ctx.now } as never).returning();
    const r = row as Record<string, unknown> & { id: string };
    await audit(tx, ctx, { action: `${reg.kind}.create`, entityType: reg.kind, entityId: r.id, siteId, after: r });
    return viewOf(reg, tx, r);
  });
}

export async function updateRegisterRow(reg: Register, ctx: SignedInCtx, id: string, input: Record<string, unknown>) {
  return ctx.db.transaction(async (tx) => {
    const before = await findVisible(reg, tx, ctx, id, true);
    const refs = (await reg.checkRefs?.(tx, before.siteId, input)) ?? [];
    if (refs.length) throw Invalid(refs);
    const dups = await checkUnique(reg, tx, before.siteId, input, id);
    if (dups.length) throw Conflict('duplicate', dups[0]!.message, dups);
    const [row] = await tx.update(reg.table as PgTable).set({ ...input, updatedAt: ctx.now } as never).where(eq(reg.table.id, id)).returning();
    await audit(tx, ctx, { action: `${reg.kind}.update`, entityType: reg.kind, entityId: id, siteId: before.siteId, before, after: row });
    return viewOf(reg, tx, row as Record<string, unknown>);
  });
}

/** People and companies leave; their records stay (AR-1), so a register row is deactivated, not deleted. */
export async function setRegisterActive(reg: Register, ctx: SignedInCtx, id: string, active: boolean) {
  return ctx.db.transaction(async (tx) => {
    const before = await findVisible(reg, tx, ctx, id, true);
    const [row] = await tx.update(reg.table as PgTable).set({ active, updatedAt: ctx.now } as never).where(eq(reg.table.id, id)).returning();
    await audit(tx, ctx, { action: `${reg.kind}.${active ? 'activate' : 'deactivate'}`, entityType: reg.kind, entityId: id, siteId: before.siteId, before: { active: before.active }, after: { active } });
    return viewOf(reg, tx, row as Record<string, unknown>);
  });
}

export interface ImportProblem { row: number; field: string; message: string }

/**
 * Imports a spreadsheet all-or-nothing (issue 2 §6): every row is checked against the same
 * rules as the API, plus duplicates inside the file; one bad row rejects the file with a report
 * naming row, column and problem, and nothing is written.
 */
export async function importRegister(reg: Register, ctx: SignedInCtx, file: { buffer: Buffer; filename: string }, siteIdRequested?: string) {
  const siteId = writeSite(ctx, siteIdRequested);
  const sheet = await readSheet(file.buffer, file.filename);
  const t = (m: { zh: string; en: string }) => (ctx.locale === 'en-US' ? m.en : m.zh);
  const problems: ImportProblem[] = [];
  const headerOf = (key: string) => reg.columns.find((c) => c.key === key)!.header;
  const colFor = new Map<string, Register['columns'][number]>();
  for (const c of reg.columns) colFor.set(c.header, c), colFor.set(c.headerEn, c);
  const missing = reg.columns.filter((c) => !reg.input.shape[c.key]?.safeParse(undefined).success && !sheet.headers.some((h) => colFor.get(h)?.key === c.key));
  if (missing.length) {
    // Reported against the header row (row 1), so every import_rejected carries error.rows.
    const message = (c: Register['columns'][number]) => ({ zh: `缺少列“${c.header}”`, en: `Missing column "${c.headerEn}"` });
    throw new AppError(400, 'import_rejected', { zh: '导入被拒绝：缺少必需的列', en: 'Import rejected: required columns missing' },
      missing.map((c) => ({ field: `file.${c.header}`, code: 'missing_column', message: message(c) })),
      {}, { rows: missing.map((c) => ({ row: 1, field: c.header, message: t(message(c)) })) });
  }
  if (sheet.rows.length === 0) throw new AppError(400, 'import_rejected', { zh: '文件中没有数据行', en: 'The file has no data rows' }, [{ field: 'file', code: 'empty', message: { zh: '没有数据行', en: 'No data rows' } }], {}, { rows: [] });
  if (sheet.rows.length > 5000) throw new AppError(400, 'import_rejected', { zh: '一次最多导入 5000 行', en: 'At most 5000 rows per import' }, [{ field: 'file', code: 'too_many_rows', message: { zh: '行数过多', en: 'Too many rows' } }], {}, { rows: [] });

  const [companyNames, unitCodes] = await Promise.all([
    ctx.db.select({ id: companies.id, name: companies.name }).from(companies).where(eq(companies.siteId, siteId)),
    ctx.db.select({ id: places.id, code: places.code }).from(places).where(and(eq(places.siteId, siteId), eq(places.kind, 'office_unit'))),
  ]);
  const companyByName = new Map(companyNames.map((c) => [c.name, c.id]));
  const unitByCode = new Map(unitCodes.map((u) => [u.code.toUpperCase(), u.id]));

  const parsed: Array<{ row: number; values: Record<string, unknown> }> = [];
  for (const { row, cells } of sheet.rows) {
    const raw: Record<string, unknown> = {};
    for (const [header, text] of Object.entries(cells)) {
      const col = colFor.get(header);
      if (!col || text === '') continue;
      switch (col.parse) {
        case 'int': raw[col.key] = /^\d+$/.test(text) ? Number(text) : text; break;
        case 'trades': raw[col.key] = parseTrades(text); break;
        case 'list': raw[col.key] = splitList(text); break;
        case 'companyName': {
          const id = companyByName.get(text);
          if (!id) problems.push({ row, field: col.header, message: t({ zh: `单位“${text}”不存在`, en: `No company named "${text}"` }) });
          raw[col.key] = id;
          break;
        }
        case 'unitCodes': {
          const ids = splitList(text).map((code) => {
            const id = unitByCode.get(code.toUpperCase());
            if (!id) problems.push({ row, field: col.header, message: t({ zh: `单元“${code}”不存在`, en: `No office unit "${code}"` }) });
            return id;
          });
          raw[col.key] = ids.filter(Boolean);
          break;
        }
        default: raw[col.key] = text;
      }
    }
    if (reg.kind === 'occupant' && typeof raw.companyRole === 'string') {
      raw.companyRole = ({ 管理员: 'admin', 行政: 'admin', 员工: 'member', 成员: 'member' } as Record<string, string>)[raw.companyRole] ?? raw.companyRole;
    }
    const result = reg.input.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const key = String(issue.path[0] ?? '');
        const code = issue.code === 'invalid_type' && raw[key] === undefined ? 'required' : issue.code;
        problems.push({ row, field: key ? headerOf(key) : '?', message: t(fieldMessage(code, issue as never)) });
      }
      continue;
    }
    parsed.push({ row, values: result.data as Record<string, unknown> });
  }
  // Duplicates inside the file, then against the database.
  for (const u of reg.unique) {
    const seen = new Map<unknown, number>();
    for (const p of parsed) {
      const v = p.values[u.key];
      if (v === undefined || v === null) continue;
      if (seen.has(v)) problems.push({ row: p.row, field: headerOf(u.key), message: t({ zh: `与第 ${seen.get(v)} 行重复`, en: `Duplicates row ${seen.get(v)}` }) });
      else seen.set(v, p.row);
    }
    const values = [...seen.keys()];
    if (values.length) {
      const existing = await ctx.db.select({ v: u.column }).from(reg.table as PgTable).where(and(eq(reg.table.siteId, siteId), inArray(u.column, values)));
      const taken = new Set(existing.map((e) => e.v));
      for (const p of parsed) if (taken.has(p.values[u.key])) problems.push({ row: p.row, field: headerOf(u.key), message: t(u.label) });
    }
  }
  if (problems.length) {
    problems.sort((a, b) => a.row - b.row);
    throw new AppError(400, 'import_rejected', { zh: `导入被拒绝：${problems.length} 处错误，未导入任何数据`, en: `Import rejected: ${problems.length} problems, nothing was imported` },
      problems.slice(0, 50).map((p) => ({ field: `file.row${p.row}.${p.field}`, code: 'invalid', message: { zh: p.message, en: p.message } })),
      {}, { rows: problems.slice(0, 1000) });
  }
  return ctx.db.transaction(async (tx) => {
    const created: Array<Record<string, unknown> & { id: string }> = [];
    for (let i = 0; i < parsed.length; i += 500) {
      const chunk = parsed.slice(i, i + 500).map((p) => ({ ...p.values, siteId, createdAt: ctx.now, updatedAt: ctx.now }));
      created.push(...((await tx.insert(reg.table as PgTable).values(chunk as never).returning()) as Array<Record<string, unknown> & { id: string }>));
    }
    // One audit row per created record, as for any other create.
    await audit(tx, ctx, created.map((r) => ({ action: `${reg.kind}.import`, entityType: reg.kind, entityId: r.id, siteId, after: r })));
    return { imported: created.length };
  });
}

export type RegisterInput = z.infer<Register['input']>;
