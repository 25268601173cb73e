import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Ok, Paging } from '../../platform/schemas.ts';
import { inbox, markRead } from './service.ts';

export const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['notifications'];
  app.get('/api/notifications', {
    config: { access: 'signedIn' },
    schema: {
      tags, summary: '我的消息 My inbox', querystring: z.strictObject({ unread: z.stringbool().optional(), ...Paging }),
      response: { 200: z.object({ items: z.array(z.object({ id: z.string(), at: z.string(), kind: z.string(), title: z.string(), body: z.string().nullable(), entityType: z.string().nullable(), entityId: z.string().nullable(), read: z.boolean() })), total: z.number(), unread: z.number() }) },
    },
  }, (req) => inbox(req.signedIn, req.query));

  app.post('/api/notifications/:id/read', {
    config: { access: 'signedIn' },
    schema: { tags, summary: '标记已读 Mark read (id or "all")', params: z.strictObject({ id: z.union([z.uuid(), z.literal('all')]) }), response: { 200: Ok } },
  }, async (req) => {
    await markRead(req.signedIn, req.params.id);
    return { ok: true as const };
  });
};
