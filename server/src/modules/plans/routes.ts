import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HOLIDAY_RULES, PLAN_KINDS, TRADE_LIST } from '@towerdesk/domain';
import { Id, IdParams, IsoDate, Name, Paging } from '../../platform/schemas.ts';
import { createPlan, deactivatePlan, listPlans, listTasks, updatePlan } from './service.ts';

const Kind = z.enum(PLAN_KINDS);
const HolidayRule = z.enum(HOLIDAY_RULES);
const Trade = z.enum(TRADE_LIST);

const Label = z.string().trim().min(1).max(200);
const ItemBase = { id: z.string().trim().min(1).max(50), label: Label, labelEn: Label.optional() };
const Options = z.array(z.string().trim().min(1).max(100)).min(2).max(50);
const Bound = z.number().finite().optional();
/** A checklist item: the kinds of IN-1, each with what it needs to judge an answer. */
const Item = z.discriminatedUnion('kind', [
  z.strictObject({ ...ItemBase, kind: z.literal('number'), unit: z.string().trim().max(20), min: Bound, max: Bound }),
  z.strictObject({ ...ItemBase, kind: z.literal('yes_no'), expected: z.boolean() }),
  z.strictObject({ ...ItemBase, kind: z.literal('single_choice'), options: Options, failing: z.array(z.string()).max(50) }),
  z.strictObject({ ...ItemBase, kind: z.literal('multi_choice'), options: Options, failing: z.array(z.string()).max(50) }),
  z.strictObject({ ...ItemBase, kind: z.literal('text') }),
  z.strictObject({ ...ItemBase, kind: z.literal('photo'), required: z.boolean() }),
  z.strictObject({ ...ItemBase, kind: z.literal('meter'), unit: z.string().trim().max(20), min: Bound, max: Bound }),
]);
export const Template = z.strictObject({
  checkpoints: z.array(z.strictObject({ placeId: Id, order: z.number().int().min(0), items: z.array(Item).min(1).max(100) })).min(1).max(200),
});
const Assignee = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('staff'), staffId: Id }),
  z.strictObject({ type: z.literal('trade'), trade: Trade }),
  z.strictObject({ type: z.literal('duty'), trade: Trade }),
]);
/** The rule text only; whether it fires sensibly is checked by the service (400 naming body.rrule). */
const RRuleText = z.string().trim().min(1).max(500);
const Minutes = z.number().int();

const PlanView = z.object({
  id: z.string(), siteId: z.string(), kind: Kind, kindName: z.string(), name: z.string(), nameEn: z.string().nullable(),
  rrule: z.string(), startsOn: z.string(), holidayRule: HolidayRule, holidayRuleName: z.string(),
  durationMinutes: z.number(), graceMinutes: z.number(), assignee: Assignee, version: z.number(), template: Template,
  active: z.boolean(), createdAt: z.string(), updatedAt: z.string(),
});
const TaskView = z.object({
  id: z.string(), planId: z.string(), planName: z.string(), kind: Kind, kindName: z.string(), planVersion: z.number(),
  occurrence: z.string(), startsAt: z.string(), dueAt: z.string(), lateAt: z.string(), moved: z.boolean(),
  assigneeStaffId: z.string().nullable(), assigneeName: z.string().nullable(),
  assigneeTrade: z.string().nullable(), assigneeTradeName: z.string().nullable(), state: z.string(),
});

const tags = ['plans'];
const planFields = {
  kind: Kind, name: Name, nameEn: Name.nullable().optional(), rrule: RRuleText, startsOn: IsoDate.optional(),
  holidayRule: HolidayRule.optional(), durationMinutes: Minutes.min(1).max(7 * 24 * 60), graceMinutes: Minutes.min(0).max(24 * 60),
  assignee: Assignee, template: Template,
};

export const planRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/plans', {
    config: { access: 'plan.read' },
    schema: {
      tags, summary: '计划列表 Plans (inspection, patrol, cleaning, greening…) with their current template',
      querystring: z.strictObject({ kind: Kind.optional(), active: z.enum(['true', 'false']).optional(), siteId: Id.optional() }),
      response: { 200: z.object({ items: z.array(PlanView) }) },
    },
  }, (req) => listPlans(req.signedIn, { ...req.query, active: req.query.active === undefined ? undefined : req.query.active === 'true' }));

  app.post('/api/plans', {
    config: { access: 'plan.write' },
    schema: {
      tags, summary: '新建计划 Create a plan: RRULE in Asia/Shanghai, holiday rule, window, assignee, checklist template (generates the week ahead)',
      body: z.strictObject({ ...planFields, siteId: Id.optional() }),
      response: { 201: PlanView },
    },
  }, async (req, reply) => reply.status(201).send(await createPlan(req.signedIn, req.body)));

  app.patch('/api/plans/:id', {
    config: { access: 'plan.write' },
    schema: {
      tags, summary: '修改计划 Edit a plan (a template change makes a new version for tasks generated afterwards)',
      params: IdParams,
      body: z.strictObject({
        kind: Kind.optional(), name: Name.optional(), nameEn: Name.nullable().optional(), rrule: RRuleText.optional(), startsOn: IsoDate.optional(),
        holidayRule: HolidayRule.optional(), durationMinutes: planFields.durationMinutes.optional(), graceMinutes: planFields.graceMinutes.optional(),
        assignee: Assignee.optional(), template: Template.optional(),
      }),
      response: { 200: PlanView },
    },
  }, (req) => updatePlan(req.signedIn, req.params.id, req.body));

  app.post('/api/plans/:id/deactivate', {
    config: { access: 'plan.write' },
    schema: { tags, summary: '停用计划 Deactivate a plan (tasks not started yet are removed; 409 if already inactive)', params: IdParams, response: { 200: PlanView } },
  }, (req) => deactivatePlan(req.signedIn, req.params.id));

  app.get('/api/tasks', {
    config: { access: 'task.read' },
    schema: {
      tags, summary: '任务列表 Generated tasks by Shanghai date, assignee=me (mine or my trade\'s pool), plan and state',
      querystring: z.strictObject({
        date: IsoDate.optional(), assignee: z.literal('me').optional(), planId: Id.optional(), state: z.string().max(30).optional(),
        siteId: Id.optional(), ...Paging,
      }),
      response: { 200: z.object({ items: z.array(TaskView), total: z.number().int() }) },
    },
  }, (req) => listTasks(req.signedIn, req.query));
};
