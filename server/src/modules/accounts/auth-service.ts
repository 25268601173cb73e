import { eq, or } from 'drizzle-orm';
import type { Ctx, SignedInCtx } from '../../platform/context.ts';
import { audit } from '../../platform/audit.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { messages } from '../../platform/i18n.ts';
import { PHONE_ROLES, ROLES, type Role } from '../../platform/permissions.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.ts';
import { accounts } from './schema.ts';
import { endSession, endSessionsOf, openSession } from './sessions.ts';
import { checkThrottle, clearAccountFailures, recordFailure, throttleKeys } from './throttle.ts';

export interface Me {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  siteId: string | null;
  staffId: string | null;
  occupantId: string | null;
  companyId: string | null;
  companyRole: 'admin' | 'member' | null;
  locale: string;
  /** 'phone' for field roles and occupants (DESIGN §1), else 'desk'. */
  layout: 'desk' | 'phone';
}

export function layoutFor(roles: readonly string[]): 'desk' | 'phone' {
  const desk = roles.some((r) => !(PHONE_ROLES as readonly string[]).includes(r));
  return desk ? 'desk' : 'phone';
}

/** Signs in by username or phone (issue 2 §7). Failures and successes are both audited. */
export async function login(ctx: Ctx, input: { login: string; password: string }, userAgent?: string) {
  const keys = throttleKeys(input.login, ctx.ip);
  await checkThrottle(ctx.db, keys, ctx.now);
  const [account] = await ctx.db.select().from(accounts)
    .where(or(eq(accounts.username, input.login), eq(accounts.phone, input.login)));
  const ok = await verifyPassword(account?.passwordHash ?? DUMMY_HASH, input.password);
  if (!account || !ok || account.disabled) {
    await ctx.db.transaction(async (tx) => {
      await recordFailure(tx, keys, ctx.now);
      await audit(tx, ctx, { action: 'auth.login_failed', entityType: 'account', entityId: account?.id ?? null, siteId: account?.siteId ?? null, after: { login: input.login, reason: !account ? 'unknown' : account.disabled && ok ? 'disabled' : 'password' } });
    });
    throw new AppError(401, 'bad_login', messages.badLogin, [{ field: 'body.password', code: 'bad_login', message: messages.badLogin }]);
  }
  return ctx.db.transaction(async (tx) => {
    await clearAccountFailures(tx, keys);
    const token = await openSession(tx, account.id, ctx.now, ctx.ip, userAgent);
    const actorCtx = { ...ctx, actor: { accountId: account.id, name: account.displayName, roles: account.roles as Role[], siteId: account.siteId, staffId: account.staffId, occupantId: account.occupantId, companyId: null, companyRole: null } };
    await audit(tx, actorCtx, { action: 'auth.login', entityType: 'account', entityId: account.id, siteId: account.siteId });
    return token;
  });
}

export async function logout(ctx: SignedInCtx, token: string) {
  await ctx.db.transaction(async (tx) => {
    await endSession(tx, token, ctx.now);
    await audit(tx, ctx, { action: 'auth.logout', entityType: 'account', entityId: ctx.actor.accountId });
  });
}

export async function me(ctx: SignedInCtx): Promise<Me> {
  const [a] = await ctx.db.select().from(accounts).where(eq(accounts.id, ctx.actor.accountId));
  const roles = a!.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  return {
    id: a!.id, username: a!.username, displayName: a!.displayName, roles, siteId: a!.siteId,
    staffId: a!.staffId, occupantId: a!.occupantId, companyId: ctx.actor.companyId, companyRole: ctx.actor.companyRole,
    locale: a!.locale, layout: layoutFor(roles),
  };
}

/** Changing one's password ends every other session of the account (issue 2 §7). */
export async function changePassword(ctx: SignedInCtx, token: string, input: { currentPassword: string; newPassword: string }) {
  const [a] = await ctx.db.select().from(accounts).where(eq(accounts.id, ctx.actor.accountId));
  if (!(await verifyPassword(a!.passwordHash, input.currentPassword))) {
    throw invalidField('body.currentPassword', { zh: '当前密码不正确', en: 'Current password is wrong' }, 'wrong_password');
  }
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.db.transaction(async (tx) => {
    await tx.update(accounts).set({ passwordHash, passwordChangedAt: ctx.now, updatedAt: ctx.now }).where(eq(accounts.id, a!.id));
    await endSessionsOf(tx, a!.id, ctx.now, token);
    await audit(tx, ctx, { action: 'account.password_change', entityType: 'account', entityId: a!.id });
  });
}
