import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SESSION_COOKIE } from '../../platform/http.ts';
import { Ok, Password } from '../../platform/schemas.ts';
import { ROLES } from '../../platform/permissions.ts';
import { ABSOLUTE_MS, actorForToken } from './sessions.ts';
import { changePassword, login, logout, me } from './auth-service.ts';

const MeView = z.object({
  id: z.string(), username: z.string(), displayName: z.string(), roles: z.array(z.enum(ROLES)),
  siteId: z.string().nullable(), staffId: z.string().nullable(), occupantId: z.string().nullable(),
  companyId: z.string().nullable(), companyRole: z.enum(['admin', 'member']).nullable(),
  locale: z.string(), layout: z.enum(['desk', 'phone']),
});

export const authRoutes = (opts: { secureCookie: boolean }): FastifyPluginAsyncZod => async (app) => {
  const cookie = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: opts.secureCookie };

  app.post('/api/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'], summary: '登录 Sign in by username or phone',
      body: z.strictObject({ login: z.string().trim().min(1).max(100), password: z.string().min(1).max(128) }),
      response: { 200: MeView },
    },
  }, async (req, reply) => {
    const token = await login(req.ctx, req.body, req.headers['user-agent']);
    reply.setCookie(SESSION_COOKIE, token, { ...cookie, maxAge: ABSOLUTE_MS / 1000 });
    const actor = (await actorForToken(req.ctx.db, token, req.ctx.now))!;
    return me({ ...req.ctx, actor });
  });

  app.post('/api/auth/logout', {
    config: { access: 'signedIn' },
    schema: { tags: ['auth'], summary: '退出登录 Sign out', response: { 200: Ok } },
  }, async (req, reply) => {
    await logout(req.signedIn, req.sessionToken!);
    reply.clearCookie(SESSION_COOKIE, cookie);
    return { ok: true as const };
  });

  app.get('/api/auth/me', {
    config: { access: 'signedIn' },
    schema: { tags: ['auth'], summary: '当前账号 The signed-in account', response: { 200: MeView } },
  }, (req) => me(req.signedIn));

  app.post('/api/auth/password', {
    config: { access: 'signedIn' },
    schema: {
      tags: ['auth'], summary: '修改密码 Change password (ends other sessions)',
      body: z.strictObject({ currentPassword: z.string().min(1).max(128), newPassword: Password }),
      response: { 200: Ok },
    },
  }, async (req) => {
    await changePassword(req.signedIn, req.sessionToken!, req.body);
    return { ok: true as const };
  });
};
