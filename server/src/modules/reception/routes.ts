import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { messages } from '../../platform/i18n.ts';
import { Id, IdParams, IsoDate, Paging } from '../../platform/schemas.ts';
import { listCalls, receiveCall, receptionFromCall } from './calls.ts';
import {
  createIntegration, INTEGRATION_KINDS, listIntegrations, rotateSecret, SIGNATURE_HEADER, updateIntegration, verifySignedRequest,
} from './integrations.ts';
import { createReception, exportReceptions, getReception, linkWorkItem, listReceptions, lookupPhone, receptionStats } from './service.ts';
import { CHANNEL_CODES, TOPIC_CODES } from './topics.ts';

// ---------------------------------------------------------------------------------------------
// Schemas

/** A number as typed at the desk or sent by a phone system: digits with +, spaces, dashes. */
const Dialled = z.string().trim().regex(/^\+?[\d\s\-()]{3,30}$/, { message: 'phone' });
const Ref = z.object({ id: z.string(), name: z.string() });
const PlaceRef = z.object({ id: z.string(), code: z.string(), name: z.string() });
const ReceptionView = z.object({
  id: z.string(), siteId: z.string(), at: z.string(), channel: z.enum(CHANNEL_CODES), channelName: z.string(),
  occupant: Ref.nullable(), company: Ref.nullable(), unit: PlaceRef.nullable(),
  contactName: z.string().nullable(), contactPhone: z.string().nullable().describe('masked (SEC-2)'),
  topic: z.enum(TOPIC_CODES), topicName: z.string(), summary: z.string(), actionTaken: z.string().nullable(), result: z.string().nullable(),
  agent: Ref, workItems: z.array(z.object({ id: z.string(), number: z.string(), kind: z.string(), state: z.string() })),
  callId: z.string().nullable(), createdAt: z.string(),
});
const Text = (max: number) => z.string().trim().max(max);
const ReceptionFields = {
  occupantId: Id.nullable().optional(),
  contactName: Text(50).nullable().optional(),
  topic: z.enum(TOPIC_CODES),
  summary: Text(2000).min(1),
  actionTaken: Text(2000).nullable().optional(),
  result: Text(500).nullable().optional(),
  workItemIds: z.array(Id).max(20).optional(),
};
const ReceptionBody = z.strictObject({
  ...ReceptionFields,
  siteId: Id.nullable().optional(),
  channel: z.enum(CHANNEL_CODES),
  at: z.iso.datetime({ offset: true }).optional().describe('when the contact happened; default now'),
  companyId: Id.nullable().optional(),
  unitId: Id.nullable().optional(),
  contactPhone: Dialled.nullable().optional(),
});
const Filter = {
  from: IsoDate.optional(), to: IsoDate.optional(),
  channel: z.enum(CHANNEL_CODES).optional(), topic: z.enum(TOPIC_CODES).optional(),
  companyId: Id.optional(), q: z.string().trim().max(100).optional(),
};
const StatsView = z.object({
  by: z.enum(['topic', 'floor', 'company', 'week']), from: z.string().nullable(), to: z.string().nullable(), total: z.number(),
  rows: z.array(z.object({ key: z.string().nullable(), label: z.string(), count: z.number() })),
});
const LookupView = z.object({
  phone: z.string().describe('the number as typed'),
  matches: z.array(z.object({
    occupant: z.object({ id: z.string(), name: z.string(), phone: z.string().describe('registered number, masked'), companyRole: z.string() }),
    company: Ref.nullable(),
    units: z.array(PlaceRef.extend({ floor: PlaceRef.nullable() })),
    openItems: z.array(z.object({ id: z.string(), number: z.string(), kind: z.string(), category: z.string(), urgency: z.string(), state: z.string(), title: z.string(), createdAt: z.string() })),
  })),
});
const CallView = z.object({
  id: z.string(), integrationId: z.string(), externalId: z.string(), caller: z.string().describe('masked'), callee: z.string().nullable(),
  startedAt: z.string(), endedAt: z.string().nullable(), durationSeconds: z.number().nullable(), recordingUrl: z.string().nullable(), receivedAt: z.string(),
  matches: z.array(z.object({ occupantId: z.string(), name: z.string(), company: Ref.nullable() })),
  receptionId: z.string().nullable(), workItems: z.array(z.object({ id: z.string(), number: z.string() })),
});
const IntegrationView = z.object({
  id: z.string(), siteId: z.string(), name: z.string(), kind: z.enum(INTEGRATION_KINDS), active: z.boolean(),
  createdAt: z.string(), updatedAt: z.string(), secretRotatedAt: z.string().nullable(), lastCallAt: z.string().nullable(), callsUrl: z.string(),
});
const IntegrationWithSecret = IntegrationView.extend({ secret: z.string().describe('shown once: store it in the phone system now') });
const CallBody = z.strictObject({
  callId: z.string().trim().min(1).max(100),
  caller: z.union([Dialled, z.enum(['anonymous', 'unknown', 'private'])]),
  callee: Dialled.nullable().optional(),
  startedAt: z.iso.datetime({ offset: true }),
  endedAt: z.iso.datetime({ offset: true }).nullable().optional(),
  recordingUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
});
const CallAck = z.object({
  id: z.string(), callId: z.string(), created: z.boolean(),
  occupantId: z.string().nullable().describe('the occupant whose number it is, when exactly one'), companyId: z.string().nullable(), matches: z.number(),
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// ---------------------------------------------------------------------------------------------
// Desk: reception records (CS-4, CS-5) and the phone intake screen (RP-1)

export const receptionRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['reception'];

  app.get('/api/receptions', {
    config: { access: 'reception.read' },
    schema: { tags, summary: '接待记录 Reception records (search: period, channel, topic, company, text)', querystring: z.strictObject({ ...Filter, ...Paging }), response: { 200: z.object({ items: z.array(ReceptionView), total: z.number() }) } },
  }, (req) => listReceptions(req.signedIn, req.query));

  app.post('/api/receptions', {
    config: { access: 'reception.write' },
    schema: { tags, summary: '登记接待 Record a call, walk-in or message', body: ReceptionBody, response: { 201: ReceptionView } },
  }, async (req, reply) => reply.status(201).send(await createReception(req.signedIn, req.body)));

  app.get('/api/receptions/lookup', {
    config: { access: 'reception.write' },
    schema: {
      tags, summary: '来电查人 Who has this number: occupants, company, units, open work items (mobile: full match; landline: also the last 8 digits)',
      querystring: z.strictObject({ phone: Dialled.refine((s) => s.replace(/\D/g, '').length >= 7, { message: 'phone' }) }),
      response: { 200: LookupView },
    },
  }, (req) => lookupPhone(req.signedIn, req.query.phone));

  app.get('/api/receptions/stats', {
    config: { access: 'reception.read' },
    schema: {
      tags, summary: '接待统计 Counts by topic, floor, company or ISO week (Asia/Shanghai)',
      querystring: z.strictObject({ ...Filter, by: z.enum(['topic', 'floor', 'company', 'week']).default('topic') }),
      response: { 200: StatsView },
    },
  }, (req) => receptionStats(req.signedIn, req.query));

  app.get('/api/receptions/export.xlsx', {
    config: { access: 'reception.read' },
    schema: {
      tags, summary: '导出接待记录 XLSX export of a period (Chinese headers, phones masked; audited)', produces: [XLSX],
      querystring: z.strictObject({ ...Filter, from: IsoDate, to: IsoDate }),
    },
  }, async (req, reply) => {
    const out = await exportReceptions(req.signedIn, req.query);
    return reply.type(XLSX)
      .header('content-disposition', `attachment; filename="${out.asciiName}"; filename*=UTF-8''${encodeURIComponent(out.filename)}`)
      .send(out.xlsx);
  });

  app.get('/api/receptions/:id', {
    config: { access: 'reception.read' },
    schema: { tags, summary: '接待记录详情 One reception record', params: IdParams, response: { 200: ReceptionView } },
  }, (req) => getReception(req.signedIn, req.params.id));

  app.post('/api/receptions/:id/link', {
    config: { access: 'reception.write' },
    schema: { tags, summary: '关联工单 Link a work item created from this contact (same site; audited)', params: IdParams, body: z.strictObject({ workItemId: Id }), response: { 200: ReceptionView } },
  }, (req) => linkWorkItem(req.signedIn, req.params.id, req.body.workItemId));

  app.get('/api/phone-calls', {
    config: { access: 'reception.write' },
    schema: {
      tags, summary: '来电列表 Recent calls from the phone system with the matched occupant (numbers masked)',
      querystring: z.strictObject({ since: z.iso.datetime({ offset: true }).optional().describe('calls started at or after; default the last 24 h'), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      response: { 200: z.object({ items: z.array(CallView) }) },
    },
  }, (req) => listCalls(req.signedIn, req.query));

  app.post('/api/phone-calls/:id/reception', {
    config: { access: 'reception.write' },
    schema: {
      tags, summary: '来电登记 Record the reception of a call (channel call; occupant defaults to the caller)', params: IdParams,
      body: z.strictObject(ReceptionFields), response: { 201: ReceptionView },
    },
  }, async (req, reply) => reply.status(201).send(await receptionFromCall(req.signedIn, req.params.id, req.body)));

  await app.register(integrationRoutes);
};

// ---------------------------------------------------------------------------------------------
// Admin: integrations; and the phone system's webhook

const integrationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['integrations'];

  app.get('/api/integrations', {
    config: { access: 'integration.manage' },
    schema: { tags, summary: '外部接口 Integrations (secrets are never listed)', response: { 200: z.object({ items: z.array(IntegrationView) }) } },
  }, (req) => listIntegrations(req.signedIn));

  app.post('/api/integrations', {
    config: { access: 'integration.manage' },
    schema: {
      tags, summary: '新建接口 Create an integration; the answer carries its secret, once',
      body: z.strictObject({ name: z.string().trim().min(1).max(100), kind: z.enum(INTEGRATION_KINDS), siteId: Id.nullable().optional() }),
      response: { 201: IntegrationWithSecret },
    },
  }, async (req, reply) => reply.status(201).send(await createIntegration(req.signedIn, req.body)));

  app.patch('/api/integrations/:id', {
    config: { access: 'integration.manage' },
    schema: {
      tags, summary: '修改接口 Rename, disable or re-enable an integration', params: IdParams,
      body: z.strictObject({ name: z.string().trim().min(1).max(100).optional(), active: z.boolean().optional() }),
      response: { 200: IntegrationView },
    },
  }, (req) => updateIntegration(req.signedIn, req.params.id, req.body));

  app.post('/api/integrations/:id/rotate', {
    config: { access: 'integration.manage' },
    schema: { tags, summary: '更换密钥 Rotate the secret (the old one stops at once); the answer carries the new one, once', params: IdParams, response: { 200: IntegrationWithSecret } },
  }, (req) => rotateSecret(req.signedIn, req.params.id));

  await app.register(phoneWebhook);
};

/** The exact bytes of each webhook request, for the HMAC (the parsed JSON would not do). */
const rawBodies = new WeakMap<FastifyRequest, Buffer>();
const verified = new WeakMap<FastifyRequest, Awaited<ReturnType<typeof verifySignedRequest>>>();
const WEBHOOK_BODY_LIMIT = 64 * 1024;

/**
 * The phone system's webhook (RP-1). Its own plugin scope: the JSON parser here keeps the raw
 * body (Fastify's own secure parser still does the parsing), the rest of the app keeps the
 * normal one. The signature is checked in preValidation, before the body is validated, so an
 * unsigned sender learns nothing about the body's shape; it is 'public' for the session guard
 * and exempt from CSRF (csrf: false) because it authenticates itself by signature and never
 * acts as a signed-in account.
 */
const phoneWebhook: FastifyPluginAsyncZod = async (app) => {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (req, body, done) => {
    rawBodies.set(req, body as Buffer);
    parseJson(req, (body as Buffer).toString('utf8'), done);
  });

  app.post('/api/integrations/:id/calls', {
    config: { access: 'public', csrf: false },
    schema: {
      tags: ['integrations'], security: [],
      summary: '来电推送 Phone system webhook: signed with X-Towerdesk-Signature (t=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<body>">); 201 new call, 200 same call id again; 401 bad_signature / stale_timestamp / replay / integration_inactive (docs/integrations.md)',
      params: IdParams,
      headers: z.looseObject({ [SIGNATURE_HEADER]: z.string().max(500) }),
      body: CallBody,
      response: { 200: CallAck, 201: CallAck },
    },
    preValidation: async (req) => {
      if (req.body !== undefined && !rawBodies.has(req)) {
        throw new AppError(415, 'unsupported_media_type', messages.unsupportedMedia, [{ field: 'body', code: 'unsupported_media_type', message: messages.unsupportedMedia }]);
      }
      const { id } = req.params as { id: string };
      verified.set(req, await verifySignedRequest(req.ctx, req.log, id, req.headers[SIGNATURE_HEADER], rawBodies.get(req) ?? Buffer.alloc(0)));
    },
  }, async (req, reply) => {
    const v = verified.get(req)!;
    const out = await receiveCall(req.ctx, req.log, v.integration, v.signature, req.body);
    return reply.status(out.status).send(out.body);
  });
};
