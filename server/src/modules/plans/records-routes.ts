import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PLAN_KINDS } from '@towerdesk/domain';
import { Id, IsoDate, Paging } from '../../platform/schemas.ts';
import {
  MONTH, RATE_GROUPS, RESULTS, chemicalLog, dayTasks, exportChemicalLog, exportRecords, missedCheckpoints, rates, readingItems, readings, routeReport, searchRecords,
} from './records.ts';

/**
 * Records of the rounds (IN-5, AR-1, GR-2), read from tasks, checkpoints and answers
 * (records.ts). Reading them is the desk's and the owner's representative's (`report.read`);
 * taking them out as XLSX is an export like the work-item archive's (`archive.export`, audited).
 * Every query is of a period (Shanghai days), so what was read or left the building is known.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const tags = ['records'];

const Period = {
  from: IsoDate.describe('first Shanghai day of the period'),
  to: IsoDate.describe('last Shanghai day of the period (at most a year after `from`)'),
};
const Filter = {
  ...Period,
  planId: Id.optional(),
  kind: z.enum(PLAN_KINDS).optional(),
  placeId: Id.optional().describe('this place and everything inside it'),
  staffId: Id.optional().describe('assigned to, started or finished by'),
  result: z.enum(RESULTS).optional().describe('all; findings: an answer raised a finding; missed: the task or a checkpoint was missed; late: finished after the window and grace, or a checkpoint scanned late'),
};

const Rate = z.number().nullable().describe('0–1; null when nothing was counted');
const Checkpoint = z.object({
  order: z.number(), placeId: z.string(), placeName: z.string(), state: z.string().describe("'visited' | 'missed'"),
  at: z.string().nullable(), proof: z.string().nullable().describe("'qr' scanned, 'manual' entered by hand"), outOfOrder: z.boolean(), late: z.boolean(),
});
const TaskRecord = z.object({
  id: z.string(), planId: z.string(), planName: z.string(), kind: z.string(), kindName: z.string(), state: z.string(), stateName: z.string(),
  startsAt: z.string(), dueAt: z.string(), lateAt: z.string(), startedAt: z.string().nullable(), finishedAt: z.string().nullable(),
  assigneeName: z.string().nullable(), doneByName: z.string().nullable(), late: z.boolean(),
  planned: z.number().describe('checkpoints in the task\'s template'), visited: z.number(), missedCheckpoints: z.number(),
  answers: z.number(), findings: z.number(), checkpoints: z.array(Checkpoint),
});
const Missed = z.object({
  taskId: z.string(), planId: z.string(), planName: z.string(), kind: z.string(), kindName: z.string(), taskState: z.string(), taskStateName: z.string(),
  startsAt: z.string(), lateAt: z.string(), checkpoint: z.number(), place: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  assigneeName: z.string().nullable(),
});
const RateRow = z.object({
  tasks: z.number(), done: z.number(), onTime: z.number(), missed: z.number(), completionRate: Rate, onTimeRate: Rate,
  checkpoints: z.number(), visitedCheckpoints: z.number(), missedCheckpoints: z.number(), checkpointRate: Rate,
});
const ReadingItem = z.object({
  planId: z.string(), planName: z.string(), placeId: z.string(), placeName: z.string(), placeCode: z.string(), itemId: z.string(), label: z.string(),
  kind: z.string(), unit: z.string(), min: z.number().nullable(), max: z.number().nullable(),
});
const ReadingItemOfPlan = ReadingItem.extend({ planKind: z.string(), planActive: z.boolean() });

function sendXlsx(reply: FastifyReply, out: { xlsx: Buffer; filename: string; asciiName: string }) {
  return reply.type(XLSX)
    .header('content-disposition', `attachment; filename="${out.asciiName}"; filename*=UTF-8''${encodeURIComponent(out.filename)}`)
    .send(out.xlsx);
}

export const recordRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/records/tasks', {
    config: { access: 'report.read' },
    schema: {
      tags, summary: '巡检记录查询 Task and checkpoint records (IN-5, AR-1) by period, plan, kind, place subtree, person and result; paged',
      querystring: z.strictObject({ ...Filter, ...Paging }),
      response: { 200: z.object({ items: z.array(TaskRecord), total: z.number() }) },
    },
  }, (req) => searchRecords(req.signedIn, req.query));

  app.get('/api/records/day', {
    config: { access: 'report.read' },
    schema: {
      tags, summary: '今日任务 A day\'s tasks for the desk\'s board, those still to come too, with checkpoint progress, late and missed flags',
      querystring: z.strictObject({ date: IsoDate.describe('Shanghai day'), kind: z.enum(PLAN_KINDS).optional(), state: z.enum(['scheduled', 'in_progress', 'done', 'missed']).optional() }),
      response: { 200: z.object({ items: z.array(TaskRecord), total: z.number() }) },
    },
  }, (req) => dayTasks(req.signedIn, req.query));

  app.get('/api/records/tasks.xlsx', {
    config: { access: 'archive.export' },
    schema: {
      tags, summary: '导出巡检记录 The records search as XLSX, one row per answer, missed checkpoints on a second sheet (audited)', produces: [XLSX],
      querystring: z.strictObject(Filter),
    },
  }, async (req, reply) => sendXlsx(reply, await exportRecords(req.signedIn, req.query)));

  app.get('/api/records/rates', {
    config: { access: 'report.read' },
    schema: {
      tags, summary: '完成率 Completion and on-time rates (IN-5) per plan, kind, person or ISO week; checkpoints missed too',
      querystring: z.strictObject({ ...Filter, by: z.enum(RATE_GROUPS).default('plan') }),
      response: {
        200: z.object({
          from: z.string(), to: z.string(), by: z.enum(RATE_GROUPS),
          items: z.array(RateRow.extend({ key: z.string().nullable(), name: z.string(), kind: z.string().nullable() })),
          total: RateRow,
        }),
      },
    },
  }, (req) => rates(req.signedIn, req.query));

  app.get('/api/records/missed', {
    config: { access: 'report.read' },
    schema: {
      tags, summary: '漏检清单 Missed checkpoints (IN-5) of a period: plan, task time, place, who should have been there',
      querystring: z.strictObject({ ...Filter, ...Paging }),
      response: { 200: z.object({ items: z.array(Missed), total: z.number() }) },
    },
  }, (req) => missedCheckpoints(req.signedIn, req.query));

  app.get('/api/records/readings/items', {
    config: { access: 'report.read' },
    schema: {
      tags, summary: '读数项 The number and meter items of the plans\' current templates (for the readings chart)',
      response: { 200: z.object({ items: z.array(ReadingItemOfPlan) }) },
    },
  }, (req) => readingItems(req.signedIn));

  app.get('/api/records/readings', {
    config: { access: 'report.read' },
    schema: {
      tags, summary: '读数趋势 A reading\'s time series (IN-5) at one place for a period, with the allowed band from the template',
      querystring: z.strictObject({ ...Period, placeId: Id, itemId: z.string().trim().min(1).max(50), planId: Id.optional() }),
      response: {
        200: z.object({
          from: z.string(), to: z.string(), item: ReadingItem,
          points: z.array(z.object({ at: z.string(), value: z.number(), unit: z.string().nullable(), finding: z.boolean(), taskId: z.string(), staffName: z.string().nullable() })),
          summary: z.object({ n: z.number(), min: z.number().nullable(), max: z.number().nullable(), mean: z.number().nullable(), outOfRange: z.number() }),
        }),
      },
    },
  }, (req) => readings(req.signedIn, req.query));

  const ChemQuery = { ...Period, planId: Id.optional(), placeId: Id.optional().describe('this place and everything inside it') };
  app.get('/api/records/chemicals', {
    config: { access: 'report.read' },
    schema: {
      tags, summary: '绿化用药记录 Chemical-use log (GR-2): each pest and disease control use — product, dose, area, weather, who, when',
      querystring: z.strictObject(ChemQuery),
      response: {
        200: z.object({
          from: z.string(), to: z.string(),
          items: z.array(z.object({
            taskId: z.string(), planName: z.string(), checkpoint: z.number(), placeId: z.string(), placeName: z.string(), at: z.string(), startsAt: z.string(),
            staffName: z.string().nullable(), pests: z.string(), product: z.string(), dilution: z.string(), dose: z.string(), area: z.string(), weather: z.string(),
          })),
        }),
      },
    },
  }, (req) => chemicalLog(req.signedIn, req.query));

  app.get('/api/records/chemicals.xlsx', {
    config: { access: 'archive.export' },
    schema: { tags, summary: '导出绿化用药记录 The chemical-use log of a period as XLSX (GR-2; audited)', produces: [XLSX], querystring: z.strictObject(ChemQuery) },
  }, async (req, reply) => sendXlsx(reply, await exportChemicalLog(req.signedIn, req.query)));

  app.get('/api/records/routes/monthly', {
    config: { access: 'report.read' },
    schema: {
      tags, summary: '巡检月报 A month per plan (route): tasks, done, on time, missed tasks and checkpoints, answers and findings (IN-5)',
      querystring: z.strictObject({ month: z.string().regex(MONTH, { message: 'YYYY-MM' }).describe('YYYY-MM (Asia/Shanghai)') }),
      response: {
        200: z.object({
          month: z.string(), from: z.string(), to: z.string(),
          items: z.array(z.object({
            planId: z.string(), planName: z.string(), kind: z.string(), kindName: z.string(), tasks: z.number(), decided: z.number(), done: z.number(),
            onTime: z.number(), missed: z.number(), completionRate: Rate, onTimeRate: Rate, missedCheckpoints: z.number(), answers: z.number(), findings: z.number(),
          })),
        }),
      },
    },
  }, (req) => routeReport(req.signedIn, req.query.month));
};
