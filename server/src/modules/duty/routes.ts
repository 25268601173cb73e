import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TRADE_LIST } from '@towerdesk/domain';
import { Id, IdParams, IsoDate, Ok, Phone } from '../../platform/schemas.ts';
import { SHIFT_KINDS } from './rotation.ts';
import {
  createShift, deleteShift, exportRoster, feedForToken, generateRoster, listShifts, regenerateFeedToken,
  suggestionsFor, updateShift,
} from './service.ts';

const Trade = z.enum(TRADE_LIST);
const Kind = z.enum(SHIFT_KINDS);
/** An instant with its offset, e.g. 2026-11-24T17:00:00+08:00 (a night shift ends the next day). */
const Instant = z.iso.datetime({ offset: true });
const Note = z.string().trim().max(500).nullable().optional();

const ShiftView = z.object({
  id: z.string(), siteId: z.string(), staffId: z.string(), staffName: z.string(),
  trade: Trade, tradeName: z.string(), startsAt: z.string(), endsAt: z.string(), kind: Kind, kindName: z.string(),
  onCallPhone: z.string().nullable(), phoneMasked: z.boolean(), phoneIsStaffPhone: z.boolean(),
  note: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(),
});
const Range = {
  from: IsoDate, to: IsoDate, trade: Trade.optional(), staffId: Id.optional(), siteId: Id.optional(),
};
const Span = z.object({ startsAt: z.string(), endsAt: z.string() });
const tags = ['duty'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const toDate = (s: string | undefined) => (s === undefined ? undefined : new Date(s));

export const dutyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/duty', {
    config: { access: 'duty.read' },
    schema: {
      tags, summary: '值班表 Duty roster of a period (dates inclusive); gaps = off-hours nobody covers, when a trade is given',
      querystring: z.strictObject(Range),
      response: { 200: z.object({ from: z.string(), to: z.string(), items: z.array(ShiftView), gaps: z.array(Span), can: z.object({ write: z.boolean() }) }) },
    },
  }, (req) => listShifts(req.signedIn, req.query));

  app.get('/api/duty/export.xlsx', {
    config: { access: 'duty.read' },
    schema: {
      tags, summary: '导出值班表 The published roster as XLSX (Chinese headers; phones masked unless your role needs them; audited)',
      querystring: z.strictObject(Range), produces: [XLSX],
    },
  }, async (req, reply) => {
    const { xlsx, filename } = await exportRoster(req.signedIn, req.query);
    return reply.type(XLSX)
      .header('content-disposition', `attachment; filename="duty-${req.query.from}-${req.query.to}.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`)
      .send(xlsx);
  });

  app.get('/api/duty/suggestions', {
    config: { access: 'duty.suggest' },
    schema: {
      tags, summary: '派单建议 Staff of a trade for dispatch: on duty first, then by open work items, then name',
      querystring: z.strictObject({ trade: Trade, at: Instant.optional(), siteId: Id.optional() }),
      response: {
        200: z.object({
          trade: Trade, at: z.string(),
          items: z.array(z.object({ staffId: z.string(), name: z.string(), phone: z.string(), onDuty: z.boolean(), shiftId: z.string().nullable(), openItems: z.number() })),
        }),
      },
    },
  }, (req) => suggestionsFor(req.signedIn, { trade: req.query.trade, at: toDate(req.query.at), siteId: req.query.siteId }));

  app.post('/api/duty', {
    config: { access: 'duty.write' },
    schema: {
      tags, summary: '新增值班 Add a shift (kind from the working calendar when omitted; 409 if the person is already on duty then)',
      body: z.strictObject({ staffId: Id, trade: Trade, startsAt: Instant, endsAt: Instant, kind: Kind.optional(), onCallPhone: Phone.nullable().optional(), note: Note }),
      response: { 201: ShiftView },
    },
  }, async (req, reply) => {
    const b = req.body;
    return reply.status(201).send(await createShift(req.signedIn, { ...b, startsAt: new Date(b.startsAt), endsAt: new Date(b.endsAt) }));
  });

  app.post('/api/duty/generate', {
    config: { access: 'duty.write' },
    schema: {
      tags, summary: '按轮换生成值班 Fill a period from a rotation (all or nothing; refuses overlaps)',
      body: z.strictObject({
        from: IsoDate, to: IsoDate, trade: Trade, staffIds: z.array(Id).min(1).max(50),
        pattern: z.literal('day-night').default('day-night'), includeDayShifts: z.boolean().optional(), note: Note,
      }),
      response: { 201: z.object({ created: z.number(), items: z.array(ShiftView) }) },
    },
  }, async (req, reply) => reply.status(201).send(await generateRoster(req.signedIn, req.body)));

  app.patch('/api/duty/:id', {
    config: { access: 'duty.write' },
    schema: {
      tags, summary: '修改值班 Edit a shift', params: IdParams,
      body: z.strictObject({ staffId: Id.optional(), trade: Trade.optional(), startsAt: Instant.optional(), endsAt: Instant.optional(), kind: Kind.optional(), onCallPhone: Phone.nullable().optional(), note: Note }),
      response: { 200: ShiftView },
    },
  }, (req) => {
    const b = req.body;
    return updateShift(req.signedIn, req.params.id, { ...b, startsAt: toDate(b.startsAt), endsAt: toDate(b.endsAt) });
  });

  app.delete('/api/duty/:id', {
    config: { access: 'duty.write' },
    schema: { tags, summary: '删除值班 Remove a shift', params: IdParams, response: { 200: Ok } },
  }, async (req) => {
    await deleteShift(req.signedIn, req.params.id);
    return { ok: true as const };
  });

  app.post('/api/duty/ical-token/:staffId', {
    config: { access: 'duty.write' },
    schema: {
      tags, summary: '生成日历订阅链接 New iCal feed URL for a person (the old one stops working; shown once)',
      params: z.strictObject({ staffId: Id }),
      response: { 200: z.object({ staffId: z.string(), token: z.string(), path: z.string(), url: z.string() }) },
    },
  }, async (req) => {
    const r = await regenerateFeedToken(req.signedIn, req.params.staffId);
    return { ...r, url: `${req.protocol}://${req.host}${r.path}` };
  });

  // Public by design: calendar apps cannot sign in. The token is 192 random bits, stored hashed;
  // anything else is 404, whether the token is wrong, revoked or its owner deactivated.
  app.get('/api/duty/ical/:token', {
    config: { access: 'public' },
    schema: {
      tags, summary: '个人值班日历 A person\'s shifts as an iCal feed (Asia/Shanghai)', security: [],
      params: z.strictObject({ token: z.string().max(100) }), produces: ['text/calendar'],
    },
  }, async (req, reply) => {
    const token = req.params.token.replace(/\.ics$/, '');
    const text = await feedForToken(req.ctx.db, token, req.ctx.now);
    return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(text);
  });
};
