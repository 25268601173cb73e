import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CATEGORY_CODES, HOLIDAY_RULES, PLAN_KINDS, TRADE_LIST, URGENCIES } from '@towerdesk/domain';
import { Id, IdParams, IsoDate, Name, Paging } from '../../platform/schemas.ts';
import { once } from '../../platform/idempotency.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import type { Tx } from '../../db/index.ts';
import { answerItems, finishTask, getTask, myTasksToday, reportProblem, scanCheckpoint, startTask, TASK_STATES } from './rounds.ts';
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

const Answered = z.object({
  value: z.union([z.number(), z.boolean(), z.string(), z.array(z.string())]), finding: z.boolean(), why: z.string().nullable(), answeredAt: z.string(),
  findingItem: z.object({ id: z.string(), number: z.string(), state: z.string(), stateName: z.string() }).nullable(),
});
/** A task with its template, visits, answers and findings: what the phone works from offline (IN-3). */
const TaskDetail = TaskView.omit({ moved: true }).extend({
  state: z.enum(TASK_STATES), stateName: z.string(), startedAt: z.string().nullable(), startedByName: z.string().nullable(),
  finishedAt: z.string().nullable(), finishedByName: z.string().nullable(), note: z.string().nullable(), late: z.boolean(),
  checkpoints: z.array(z.object({
    order: z.number(), placeId: z.string(), placeName: z.string(), placePath: z.string(), placeToken: z.string(),
    state: z.enum(['pending', 'visited', 'missed']), scannedAt: z.string().nullable(), proof: z.enum(['qr', 'manual']).nullable(),
    outOfOrder: z.boolean(), late: z.boolean(),
    items: z.array(z.looseObject({ id: z.string(), label: z.string(), kind: z.string(), answer: Answered.nullable() })),
  })),
  findings: z.array(z.object({ id: z.string(), number: z.string(), title: z.string(), state: z.string(), stateName: z.string(), checkpoint: z.number().nullable() })),
});
/** When it happened on the phone (offline changes carry their own time; the server refuses the future). */
const At = z.iso.datetime({ offset: true }).optional();
const IdemHeaders = z.object({ 'idempotency-key': z.string().min(8).max(100).optional() }).passthrough();
const AnswerValue = z.union([z.number(), z.boolean(), z.string().max(2000), z.array(z.string().max(200)).max(20)]);

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

  app.get('/api/tasks/today', {
    config: { access: 'task.do' },
    schema: {
      tags, summary: '我的任务 My tasks from today to a day ahead (named to me or my trade\'s pool) and those I started, in full for offline use',
      response: { 200: z.object({ items: z.array(TaskDetail) }) },
    },
  }, (req) => myTasksToday(req.signedIn));

  app.get('/api/tasks/:id', {
    config: { access: 'task.read' },
    schema: { tags, summary: '任务详情 A task with its checkpoints, answers and findings', params: IdParams, response: { 200: TaskDetail } },
  }, (req) => getTask(req.signedIn, req.params.id));

  /**
   * Every change to a task: one transaction with its audit row, replayed safely under the same
   * Idempotency-Key (the phone's offline queue), answered with the task as it now stands.
   */
  const change = async (req: FastifyRequest & { params: { id: string }; body: unknown }, reply: FastifyReply, apply: (tx: Tx) => Promise<unknown>) => {
    const ctx = req.signedIn;
    // The route is part of what the key stands for: a start and a finish with the same body are different requests.
    const done = await once(ctx, req.headers['idempotency-key'] as string | undefined, { route: req.routeOptions.url, id: req.params.id, body: req.body }, { taskId: req.params.id }, apply);
    if (done.replayed) reply.header('idempotent-replay', 'true');
    return getTask(ctx, req.params.id);
  };

  app.post('/api/tasks/:id/start', {
    config: { access: 'task.do' },
    schema: {
      tags, summary: '开始任务 Start a task (the first start to reach the server owns it; 409 task_taken for others)',
      params: IdParams, headers: IdemHeaders, body: z.strictObject({ at: At }), response: { 200: TaskDetail },
    },
  }, (req, reply) => change(req, reply, (tx) => startTask(tx, req.signedIn, req.params.id, req.body)));

  app.post('/api/tasks/:id/scan', {
    config: { access: 'task.do' },
    schema: {
      tags, summary: '点位签到 Scan a checkpoint\'s QR token (or name the place with a reason); 422 when the place is not on the task',
      params: IdParams, headers: IdemHeaders,
      body: z.strictObject({ token: z.string().trim().min(8).max(64).optional(), placeId: Id.optional(), reason: z.string().trim().max(200).optional(), at: At }),
      response: { 200: TaskDetail },
    },
  }, (req, reply) => change(req, reply, (tx) => scanCheckpoint(tx, req.signedIn, req.params.id, req.body)));

  app.put('/api/tasks/:id/answers', {
    config: { access: 'task.do' },
    schema: {
      tags, summary: '填写检查项 Answer items of a visited checkpoint (typed per item; 400 naming the item; abnormal answers raise findings)',
      params: IdParams, headers: IdemHeaders,
      body: z.strictObject({
        checkpoint: z.number().int().min(0),
        answers: z.array(z.strictObject({ itemId: z.string().trim().min(1).max(50), value: AnswerValue })).min(1).max(100),
        at: At,
      }),
      response: { 200: TaskDetail },
    },
  }, (req, reply) => change(req, reply, (tx) => answerItems(tx, req.signedIn, req.params.id, req.body)));

  app.post('/api/tasks/:id/problems', {
    config: { access: 'task.do' },
    schema: {
      tags, summary: '上报问题 Report a problem at a checkpoint: a finding work item linked to the task (IN-4)',
      params: IdParams, headers: IdemHeaders,
      body: z.strictObject({
        checkpoint: z.number().int().min(0), description: z.string().trim().min(2).max(2000),
        category: z.enum(CATEGORY_CODES).optional(), urgency: z.enum(URGENCIES).optional(),
        attachmentIds: z.array(Id).max(6).optional(), at: At,
      }),
      response: { 200: TaskDetail },
    },
  }, (req, reply) => change(req, reply, (tx) => reportProblem(tx, req.signedIn, req.params.id, req.body)));

  app.post('/api/tasks/:id/finish', {
    config: { access: 'task.do' },
    schema: {
      tags, summary: '完成任务 Finish a task (unvisited checkpoints are recorded as missed; 400 lists unanswered items)',
      params: IdParams, headers: IdemHeaders, body: z.strictObject({ note: z.string().trim().max(2000).optional(), at: At }), response: { 200: TaskDetail },
    },
  }, (req, reply) => change(req, reply, (tx) => finishTask(tx, req.signedIn, req.params.id, req.body)));
};
