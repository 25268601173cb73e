import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../platform/permissions.ts';
import { Id, IdParams, Name, Ok, page, Paging, Password, Phone } from '../../platform/schemas.ts';
import { createAccount, listAccounts, resetPassword, setAccountDisabled, updateAccount } from './service.ts';

const RoleEnum = z.enum(ROLES);
const Email = z.email({ message: 'email' }).max(200);
const Roles = z.array(RoleEnum).min(1).max(ROLES.length).refine((r) => new Set(r).size === r.length, { message: 'duplicate' });
const AccountView = z.object({
  id: z.string(), username: z.string(), displayName: z.string(), roles: z.array(RoleEnum), siteId: z.string().nullable(),
  phone: z.string().nullable(), email: z.string().nullable().describe('masked'), staffId: z.string().nullable(), occupantId: z.string().nullable(), disabled: z.boolean(),
  createdAt: z.string(), lastSignInAt: z.string().nullable(),
});
const tags = ['accounts'];

export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/accounts', {
    config: { access: 'account.read' },
    schema: { tags, summary: '账号列表 Accounts', querystring: z.strictObject({ q: z.string().max(100).optional(), role: RoleEnum.optional(), ...Paging }), response: { 200: page(AccountView) } },
  }, (req) => listAccounts(req.signedIn, req.query));

  app.post('/api/accounts', {
    config: { access: 'account.write' },
    schema: {
      tags, summary: '新建账号 Create an account',
      body: z.strictObject({
        username: z.string().trim().min(2).max(40).regex(/^[A-Za-z0-9_.-]+$/, { message: 'username' }),
        displayName: Name, password: Password, roles: Roles, phone: Phone.nullable().optional(), email: Email.nullable().optional(),
        staffId: Id.nullable().optional(), occupantId: Id.nullable().optional(), siteId: Id.nullable().optional(),
      }),
      response: { 201: AccountView },
    },
  }, async (req, reply) => reply.status(201).send(await createAccount(req.signedIn, req.body)));

  app.patch('/api/accounts/:id', {
    config: { access: 'account.write' },
    schema: {
      tags, summary: '修改账号（角色变更后需重新登录）Edit an account', params: IdParams,
      body: z.strictObject({ displayName: Name.optional(), roles: Roles.optional(), phone: Phone.nullable().optional(), email: Email.nullable().optional(), staffId: Id.nullable().optional(), occupantId: Id.nullable().optional() }),
      response: { 200: AccountView },
    },
  }, (req) => updateAccount(req.signedIn, req.params.id, req.body));

  app.post('/api/accounts/:id/disable', {
    config: { access: 'account.write' },
    schema: { tags, summary: '停用账号（立即下线）Disable an account and end its sessions', params: IdParams, response: { 200: AccountView } },
  }, (req) => setAccountDisabled(req.signedIn, req.params.id, true));

  app.post('/api/accounts/:id/enable', {
    config: { access: 'account.write' },
    schema: { tags, summary: '启用账号 Enable an account', params: IdParams, response: { 200: AccountView } },
  }, (req) => setAccountDisabled(req.signedIn, req.params.id, false));

  app.post('/api/accounts/:id/password', {
    config: { access: 'account.write' },
    schema: { tags, summary: '重置密码 Reset a password (ends the account\'s sessions)', params: IdParams, body: z.strictObject({ newPassword: Password }), response: { 200: Ok } },
  }, async (req) => {
    await resetPassword(req.signedIn, req.params.id, req.body.newPassword);
    return { ok: true as const };
  });
};
