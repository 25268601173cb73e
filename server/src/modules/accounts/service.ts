import { and, asc, eq, ilike, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/index.ts';
import { audit } from '../../platform/audit.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { Conflict, invalidField, NotFound } from '../../platform/errors.ts';
import { fieldMessage } from '../../platform/i18n.ts';
import { maskEmail, maskPhone } from '../../platform/mask.ts';
import type { Role } from '../../platform/permissions.ts';
import { occupants, staff } from '../parties/schema.ts';
import { hashPassword } from './passwords.ts';
import { accounts, sessions } from './schema.ts';
import { endSessionsOf } from './sessions.ts';

type AccountRow = typeof accounts.$inferSelect;

export function toAccountView(a: AccountRow & { lastSignInAt?: Date | null }) {
  return {
    id: a.id, username: a.username, displayName: a.displayName, roles: a.roles as Role[], siteId: a.siteId,
    phone: maskPhone(a.phone), email: maskEmail(a.email), staffId: a.staffId, occupantId: a.occupantId, disabled: a.disabled,
    createdAt: a.createdAt.toISOString(), lastSignInAt: a.lastSignInAt ? new Date(a.lastSignInAt).toISOString() : null,
  };
}

const siteScope = (ctx: SignedInCtx): SQL | undefined => (ctx.actor.siteId ? eq(accounts.siteId, ctx.actor.siteId) : undefined);

async function findAccount(tx: Tx, ctx: SignedInCtx, id: string) {
  const [row] = await tx.select().from(accounts).where(and(eq(accounts.id, id), siteScope(ctx))).for('update');
  if (!row) throw NotFound();
  return row;
}

export async function listAccounts(ctx: SignedInCtx, q: { q?: string; role?: Role; limit: number; offset: number }) {
  const like = q.q ? `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const where = and(
    siteScope(ctx),
    like ? or(ilike(accounts.username, like), ilike(accounts.displayName, like)) : undefined,
    q.role ? sql`${q.role} = any(${accounts.roles})` : undefined,
  );
  const lastSignIn = sql<Date | null>`(select max(s.created_at) from ${sessions} s where s.account_id = ${accounts.id})`;
  const [rows, total] = await Promise.all([
    ctx.db.select({ a: accounts, lastSignInAt: lastSignIn }).from(accounts).where(where).orderBy(asc(accounts.username)).limit(q.limit).offset(q.offset),
    ctx.db.$count(accounts, where),
  ]);
  return { items: rows.map((r) => toAccountView({ ...r.a, lastSignInAt: r.lastSignInAt })), total };
}

export interface AccountInput {
  username: string;
  displayName: string;
  password: string;
  roles: Role[];
  phone?: string | null;
  email?: string | null;
  staffId?: string | null;
  occupantId?: string | null;
  siteId?: string | null;
}

/** Links must point at people of the same site, and an occupant account needs its occupant. */
async function checkLinks(tx: Tx, siteId: string | null, input: Partial<AccountInput>, roles: Role[]) {
  if (roles.includes('occupant') && input.occupantId === null) {
    throw invalidField('body.occupantId', { zh: '业主/使用人账号须关联一位使用人', en: 'An occupant account needs an occupant' }, 'required');
  }
  if (input.staffId) {
    const [s] = await tx.select({ siteId: staff.siteId }).from(staff).where(eq(staff.id, input.staffId));
    if (!s || (siteId && s.siteId !== siteId)) throw invalidField('body.staffId', { zh: '员工不存在', en: 'No such staff member' }, 'not_found');
  }
  if (input.occupantId) {
    const [o] = await tx.select({ siteId: occupants.siteId }).from(occupants).where(eq(occupants.id, input.occupantId));
    if (!o || (siteId && o.siteId !== siteId)) throw invalidField('body.occupantId', { zh: '使用人不存在', en: 'No such occupant' }, 'not_found');
  }
}

async function assertUnique(tx: Tx, field: 'username' | 'phone', value: string, exceptId?: string) {
  const col = field === 'username' ? accounts.username : accounts.phone;
  const [dup] = await tx.select({ id: accounts.id }).from(accounts).where(and(eq(col, value), exceptId ? ne(accounts.id, exceptId) : undefined));
  if (dup) throw Conflict('duplicate', { zh: field === 'username' ? '用户名已被使用' : '手机号已被其他账号使用', en: `That ${field} is taken` }, [{ field: `body.${field}`, code: 'duplicate', message: fieldMessage('duplicate') }]);
}

export async function createAccount(ctx: SignedInCtx, input: AccountInput) {
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const siteId = ctx.actor.siteId ?? input.siteId ?? null;
    if (input.roles.includes('occupant') && !input.occupantId) {
      throw invalidField('body.occupantId', { zh: '业主/使用人账号须关联一位使用人', en: 'An occupant account needs an occupant' }, 'required');
    }
    await checkLinks(tx, siteId, input, input.roles);
    await assertUnique(tx, 'username', input.username);
    if (input.phone) await assertUnique(tx, 'phone', input.phone);
    const [row] = await tx.insert(accounts).values({
      siteId, username: input.username, displayName: input.displayName, passwordHash, roles: input.roles,
      phone: input.phone ?? null, email: input.email ?? null, staffId: input.staffId ?? null, occupantId: input.occupantId ?? null, createdAt: ctx.now, updatedAt: ctx.now, passwordChangedAt: ctx.now,
    }).returning();
    await audit(tx, ctx, { action: 'account.create', entityType: 'account', entityId: row!.id, siteId, after: row });
    return toAccountView(row!);
  });
}

export async function updateAccount(ctx: SignedInCtx, id: string, input: Partial<Omit<AccountInput, 'password' | 'siteId' | 'username'>>) {
  return ctx.db.transaction(async (tx) => {
    const before = await findAccount(tx, ctx, id);
    const roles = input.roles ?? (before.roles as Role[]);
    if (id === ctx.actor.accountId && !roles.includes('admin')) {
      throw Conflict('own_admin_role', { zh: '不能移除自己的管理员角色', en: 'You cannot remove your own admin role' });
    }
    await checkLinks(tx, before.siteId, { ...input, occupantId: input.occupantId === undefined ? before.occupantId : input.occupantId }, roles);
    if (input.phone) await assertUnique(tx, 'phone', input.phone, id);
    const [row] = await tx.update(accounts).set({ ...input, updatedAt: ctx.now }).where(eq(accounts.id, id)).returning();
    // A change of roles takes effect at once: the account signs in again with its new rights.
    if (input.roles) await endSessionsOf(tx, id, ctx.now);
    await audit(tx, ctx, { action: 'account.update', entityType: 'account', entityId: id, siteId: before.siteId, before, after: row });
    return toAccountView(row!);
  });
}

/** Disabling ends every session of the account at once (issue 2 §7). */
export async function setAccountDisabled(ctx: SignedInCtx, id: string, disabled: boolean) {
  return ctx.db.transaction(async (tx) => {
    const before = await findAccount(tx, ctx, id);
    if (id === ctx.actor.accountId && disabled) throw Conflict('disable_self', { zh: '不能停用自己的账号', en: 'You cannot disable your own account' });
    const [row] = await tx.update(accounts).set({ disabled, updatedAt: ctx.now }).where(eq(accounts.id, id)).returning();
    if (disabled) await endSessionsOf(tx, id, ctx.now);
    await audit(tx, ctx, { action: disabled ? 'account.disable' : 'account.enable', entityType: 'account', entityId: id, siteId: before.siteId, before: { disabled: before.disabled }, after: { disabled } });
    return toAccountView(row!);
  });
}

export async function resetPassword(ctx: SignedInCtx, id: string, newPassword: string) {
  const passwordHash = await hashPassword(newPassword);
  return ctx.db.transaction(async (tx) => {
    const before = await findAccount(tx, ctx, id);
    await tx.update(accounts).set({ passwordHash, passwordChangedAt: ctx.now, updatedAt: ctx.now }).where(eq(accounts.id, id));
    await endSessionsOf(tx, id, ctx.now);
    await audit(tx, ctx, { action: 'account.password_reset', entityType: 'account', entityId: id, siteId: before.siteId });
  });
}
