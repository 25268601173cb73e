import crypto from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CATEGORY_CODES, INTAKE_KINDS, URGENCIES, WORK_ITEM_KINDS } from '@towerdesk/domain';
import { Id, IdParams, IsoDate, Paging } from '../../platform/schemas.ts';
import { AttachmentView } from '../attachments/service.ts';
import { once } from '../../platform/idempotency.ts';
import { listRevisits } from './revisits.ts';
import { actOnWorkItem, changeUrgency, commentOnWorkItem, createdDetail, createWorkItem, getWorkItem, listWorkItems, rateWorkItem, recordRevisitResult } from './service.ts';

const Attachments = z.array(z.uuid()).max(6).optional();
const ClockView = z.object({ clock: z.string(), dueAt: z.string(), running: z.boolean(), stoppedAt: z.string().nullable(), met: z.boolean().nullable(), minutesLate: z.number().nullable(), warned: z.boolean(), breached: z.boolean(), escalationLevel: z.number() });
const ItemView = z.object({
  id: z.string(), number: z.string(), kind: z.enum(WORK_ITEM_KINDS), category: z.string(), urgency: z.enum(URGENCIES), state: z.string(), stateName: z.string(),
  title: z.string(), description: z.string(), channel: z.string(),
  place: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
  occupantId: z.string().nullable(), companyId: z.string().nullable(), contactName: z.string().nullable(), contactPhone: z.string().nullable(),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  scheduledFor: z.string().nullable(), arrivedAt: z.string().nullable(), arrivalProof: z.string().nullable(),
  completedAt: z.string().nullable(), closedAt: z.string().nullable(), resolution: z.string().nullable(), rating: z.number().nullable(),
  materials: z.string().nullable().describe('RP-5 materials used (free text)'), labourMinutes: z.number().nullable().describe('RP-5 labour, minutes'),
  reopenCount: z.number(), createdAt: z.string(), updatedAt: z.string(),
  /** RP-5: only for the reporting occupant (their company's admin) and the desk; null for anyone else. */
  confirmationCode: z.string().nullable(),
  confirmedBy: z.enum(['code', 'signature']).nullable(), confirmationReason: z.string().nullable(),
  clocks: z.array(ClockView), can: z.array(z.string()),
});
/** AR-2: parts issued from stock to the item and what it cost; staff only (absent for occupants). */
const PartLine = z.object({ movementId: z.string(), itemId: z.string(), code: z.string(), name: z.string(), unit: z.string(), qty: z.number(), unitCostFen: z.number(), costFen: z.number(), at: z.string() });
const ItemCost = z.object({ partsFen: z.number(), labourMinutes: z.number(), labourFen: z.number(), ratePerHourFen: z.number(), totalFen: z.number() });
const ItemDetail = ItemView.extend({
  parts: z.array(PartLine).optional().describe('RP-9 parts issued from stock (returns negative)'), cost: ItemCost.optional().describe('AR-2 parts × unit cost + labour minutes × rate, fen'),
  task: z.object({ id: z.string(), planName: z.string(), startsAt: z.string(), checkpoint: z.number().nullable() }).nullable().optional()
    .describe('IN-4 a finding\'s round: the task it was raised on and the checkpoint'),
  attachments: z.array(AttachmentView),
  timeline: z.array(z.object({ id: z.number(), at: z.string(), actorName: z.string().nullable(), type: z.string(), action: z.string().nullable(), fromState: z.string().nullable(), toState: z.string().nullable(), body: z.string().nullable(), public: z.boolean(), data: z.unknown() })),
});
const CreateBody = z.strictObject({
  kind: z.enum(INTAKE_KINDS), category: z.enum(CATEGORY_CODES), urgency: z.enum(URGENCIES).optional(),
  placeId: Id.nullable().optional(), title: z.string().trim().max(100).optional(), description: z.string().trim().min(1).max(2000),
  channel: z.enum(['app', 'phone', 'walk_in']).optional(), occupantId: Id.nullable().optional(),
  contactName: z.string().trim().max(50).nullable().optional(), contactPhone: z.string().trim().max(20).nullable().optional(),
  attachmentIds: Attachments,
});
const tags = ['work-items'];

export const workItemRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/api/work-items', {
    config: { access: 'workItem.create' },
    schema: {
      tags, summary: '报修/投诉/咨询 File a repair, complaint or inquiry (honours Idempotency-Key)',
      headers: z.object({ 'idempotency-key': z.string().min(8).max(100).optional() }).passthrough(),
      body: CreateBody, response: { 201: ItemDetail },
    },
  }, async (req, reply) => {
    const ctx = req.signedIn;
    // The new item's id is named first so the key's record points at it from the start.
    const id = crypto.randomUUID();
    const done = await once(ctx, req.headers['idempotency-key'] as string | undefined, req.body, { id }, (tx) => createWorkItem(ctx, req.body, tx, id));
    if (done.replayed) return reply.status(201).header('idempotent-replay', 'true').send(await getWorkItem(ctx, (done.response as { id: string }).id));
    return reply.status(201).send(await createdDetail(ctx, done.result));
  });

  app.get('/api/work-items', {
    config: { access: 'workItem.read' },
    schema: {
      tags, summary: '工单列表 Work items in your scope',
      querystring: z.strictObject({
        kind: z.enum(WORK_ITEM_KINDS).optional(), state: z.string().max(30).optional(), open: z.stringbool().optional(), urgency: z.enum(URGENCIES).optional(),
        assigneeStaffId: Id.optional(), mine: z.stringbool().optional(), q: z.string().max(100).optional(), ...Paging,
      }),
      response: { 200: z.object({ items: z.array(ItemView), total: z.number() }) },
    },
  }, (req) => listWorkItems(req.signedIn, req.query));

  app.get('/api/work-items/:id', {
    config: { access: 'workItem.read' },
    schema: { tags, summary: '工单详情与时间线 A work item with its timeline and clocks', params: IdParams, response: { 200: ItemDetail } },
  }, (req) => getWorkItem(req.signedIn, req.params.id));

  app.post('/api/work-items/:id/actions/:action', {
    config: { access: 'workItem.act' },
    schema: {
      tags, summary: '工单操作 Take a transition (assign, accept, decline, depart, arrive, start, wait_parts, resume, complete, close, reopen, cancel, acknowledge, resolve, answer); complete needs the occupant\'s confirmationCode, a signatureAttachmentId or a confirmationReason',
      params: z.strictObject({ id: Id, action: z.string().regex(/^[a-z_]{2,30}$/) }),
      body: z.strictObject({
        reason: z.string().trim().max(500).optional(), assigneeStaffId: Id.optional(), note: z.string().trim().max(2000).optional(),
        resolution: z.string().trim().max(2000).optional(), expectedDate: IsoDate.optional(), qrToken: z.string().min(8).max(64).optional(),
        confirmationCode: z.string().regex(/^\d{4}$/).optional(), signatureAttachmentId: Id.optional(), confirmationReason: z.string().trim().max(500).optional(),
        attachmentIds: Attachments, rating: z.number().int().min(1).max(5).optional(),
        materials: z.string().trim().min(1).max(1000).optional().describe('complete: materials used, e.g. "LED 灯管 T8 ×2"'),
        labourMinutes: z.number().int().min(0).max(24 * 60).optional().describe('complete: labour in minutes'),
        parts: z.array(z.strictObject({ itemId: Id, qty: z.number().finite() })).min(1).max(50).optional().describe('complete: parts issued from stock to this item in the same transaction (409 if over the balance, nothing changes)'),
      }).default({}),
      response: { 200: ItemDetail },
    },
  }, async (req) => {
    const row = await actOnWorkItem(req.signedIn, req.params.id, req.params.action, req.body);
    return getWorkItem(req.signedIn, row.id);
  });

  app.post('/api/work-items/:id/comments', {
    config: { access: 'workItem.comment' },
    schema: {
      tags, summary: '留言/进展 Comment: public (the occupant sees it) or internal', params: IdParams,
      body: z.strictObject({ body: z.string().trim().min(1).max(2000), public: z.boolean().default(true), attachmentIds: Attachments }),
      response: { 201: z.object({ id: z.number() }) },
    },
  }, async (req, reply) => reply.status(201).send(await commentOnWorkItem(req.signedIn, req.params.id, req.body)));

  app.post('/api/work-items/:id/rating', {
    config: { access: 'workItem.act' },
    schema: { tags, summary: '评价 The reporter rates a completed item 1–5 (≤ 3 asks for a revisit)', params: IdParams, body: z.strictObject({ rating: z.number().int().min(1).max(5), comment: z.string().trim().max(500).optional() }), response: { 200: ItemDetail } },
  }, async (req) => getWorkItem(req.signedIn, (await rateWorkItem(req.signedIn, req.params.id, req.body)).id));

  app.post('/api/work-items/:id/urgency', {
    config: { access: 'workItem.triage' },
    schema: { tags, summary: '调整紧急程度 Change urgency with a reason (audited)', params: IdParams, body: z.strictObject({ urgency: z.enum(URGENCIES), reason: z.string().trim().min(1).max(500) }), response: { 200: ItemDetail } },
  }, async (req) => getWorkItem(req.signedIn, (await changeUrgency(req.signedIn, req.params.id, req.body)).id));

  const RevisitView = z.object({
    id: z.string(), itemId: z.string(), number: z.string(), title: z.string(), kind: z.string(), reason: z.string(), state: z.string(), attempts: z.number(),
    occupantId: z.string().nullable(), contactName: z.string().nullable(), dueAt: z.string().nullable(), channel: z.string().nullable(), reached: z.boolean().nullable(),
    satisfied: z.boolean().nullable(), comment: z.string().nullable(), followUp: z.string().nullable(), followUpItemId: z.string().nullable(), doneAt: z.string().nullable(), createdAt: z.string(),
  });
  app.get('/api/revisits', {
    config: { access: 'revisit.manage' },
    schema: { tags, summary: '回访任务 Revisits (pending: due soonest first)', querystring: z.strictObject({ state: z.enum(['pending', 'done']).optional(), ...Paging }), response: { 200: z.object({ items: z.array(RevisitView), total: z.number() }) } },
  }, (req) => listRevisits(req.signedIn, req.query));

  app.post('/api/revisits/:id', {
    config: { access: 'revisit.manage' },
    schema: {
      tags, summary: '记录回访 Record a revisit: not reached (an attempt) or reached (satisfied or not; not satisfied reopens or opens a complaint)',
      params: IdParams,
      body: z.strictObject({ channel: z.enum(['phone', 'email', 'on_site']), reached: z.boolean(), satisfied: z.boolean().optional(), comment: z.string().trim().max(1000).optional() })
        .refine((b) => !b.reached || b.satisfied !== undefined, { path: ['satisfied'], message: 'required' }),
      response: { 200: z.object({ id: z.string(), state: z.string(), followUp: z.string().nullable(), followUpItemId: z.string().nullable() }) },
    },
  }, async (req) => {
    const r = await recordRevisitResult(req.signedIn, req.params.id, req.body);
    return { id: r.id, state: r.state, followUp: r.followUp, followUpItemId: r.followUpItemId };
  });
};
