import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CATEGORY_CODES, URGENCIES, WORK_ITEM_KINDS } from '@towerdesk/domain';
import { Id, IsoDate, Paging } from '../../platform/schemas.ts';
import {
  ARCHIVE_CLOCKS, MONTH, WEEK, exportArchive, listSpotChecks, monthlyComplaints, monthlyComplaintsXlsx, proposedSpotChecks,
  recordSpotCheck, searchArchive, slaStats,
} from './reports.ts';

/**
 * Reports (RP-3, RP-6, RP-7, RP-10, CP-5, CP-6): the work-item archive and its XLSX export, the
 * monthly complaint report, service-level statistics, quality spot-checks. A separate plugin from
 * the work-item routes; everything is read from the records (reports.ts).
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const tags = ['reports'];

const ArchiveFilter = {
  from: IsoDate.optional().describe('filed on or after this Shanghai day'),
  to: IsoDate.optional().describe('filed on or before this Shanghai day'),
  kind: z.enum(WORK_ITEM_KINDS).optional(),
  urgency: z.enum(URGENCIES).optional(),
  placeId: Id.optional().describe('this place and everything inside it'),
  category: z.enum(CATEGORY_CODES).optional().describe('this category and its children'),
  technicianId: Id.optional().describe('the assigned staff member'),
  state: z.string().regex(/^[a-z_]{2,30}$/).optional(),
  clock: z.enum(ARCHIVE_CLOCKS).optional(),
  met: z.stringbool().optional().describe('true: limits kept; false: a limit broken (stopped late or running past due)'),
  q: z.string().trim().min(1).max(100).optional().describe('number or title contains'),
};

const Ref = z.object({ id: z.string(), name: z.string() });
const Score = z.object({ n: z.number(), met: z.number(), rate: z.number().nullable().describe('met / n, 0–1; null when n = 0') });
const Percentiles = Score.extend({ p50: z.number().nullable(), p90: z.number().nullable() }).describe('minutes consumed on the clock (wall for 24×7 clocks, working minutes otherwise); nearest-rank percentiles');

const ArchiveItem = z.object({
  id: z.string(), number: z.string(), kind: z.string(), kindName: z.string(), category: z.string(), categoryName: z.string(),
  urgency: z.string(), urgencyName: z.string(), state: z.string(), stateName: z.string(), title: z.string(), channel: z.string(),
  place: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(), company: Ref.nullable(),
  reporterName: z.string().nullable(), contactPhone: z.string().nullable().describe('masked (SEC-2)'), technician: Ref.nullable(),
  createdAt: z.string(), arrivedAt: z.string().nullable(), arrivalProof: z.string().nullable().describe("'qr' proven by a scan, 'manual' unproven"),
  completedAt: z.string().nullable().describe('completed (repair), resolved (complaint) or answered (inquiry)'), closedAt: z.string().nullable(),
  rating: z.number().nullable(), ratingComment: z.string().nullable(), reopenCount: z.number(), relatedItemId: z.string().nullable(),
  materials: z.string().nullable().describe('RP-5 materials used'), labourMinutes: z.number().nullable().describe('RP-5 labour, minutes'),
  met: z.boolean().nullable().describe('limits kept (true), one broken (false), not judged yet (null)'),
  clocks: z.array(z.object({
    clock: z.string(), name: z.string(), dueAt: z.string(), stoppedAt: z.string().nullable(), running: z.boolean(), met: z.boolean().nullable(),
    minutesLate: z.number().nullable(), breached: z.boolean(), consumedMinutes: z.number(),
  })),
});

const Monthly = z.object({
  month: z.string(), from: z.string(), to: z.string(),
  volume: z.object({
    total: z.number(), previousMonth: z.number(), change: z.number(), open: z.number(), resolved: z.number(), closed: z.number(), cancelled: z.number(),
    aboutRepairs: z.number(), followUps: z.number(),
  }),
  byCategory: z.array(z.object({ category: z.string(), name: z.string(), count: z.number(), share: z.number() })),
  timeliness: z.object({ acknowledge: Score, resolution: Score, update: Score, overdueOpen: z.number() }),
  repeats: z.object({
    byCompany: z.array(z.object({ companyId: z.string(), name: z.string(), count: z.number(), numbers: z.array(z.string()), categories: z.array(z.string()) })),
    byPlace: z.array(z.object({ placeId: z.string(), code: z.string(), name: z.string(), count: z.number(), numbers: z.array(z.string()), categories: z.array(z.string()) })),
  }),
  revisits: z.object({
    done: z.number(), reached: z.number(), satisfied: z.number(), rate: z.number().nullable(),
    dissatisfied: z.array(z.object({ number: z.string(), comment: z.string().nullable(), followUp: z.string().nullable() })),
  }),
  improvements: z.array(z.object({
    id: z.string(), number: z.string(), category: z.string(), categoryName: z.string(), company: z.string().nullable(), place: z.string().nullable(),
    responsible: z.string().nullable(), resolvedAt: z.string().nullable(), resolution: z.string(), relatedNumber: z.string().nullable(),
  })),
});

const Sla = z.object({
  from: z.string(), to: z.string(),
  urgentArrival: Percentiles.extend({ limitMinutes: z.number(), proven: Percentiles, unproven: Percentiles }),
  byTrade: z.array(z.object({
    trade: z.string(), name: z.string(), repairs: z.number(), urgent: z.number(),
    arrival: Percentiles, response: Percentiles, resolution: Percentiles, urgentResolution: Percentiles,
  })),
  repairs: z.object({
    total: z.number(), completed: z.number(), open: z.number(), cancelled: z.number(),
    firstTimeFix: Score, reopen: z.object({ n: z.number(), reopened: z.number(), rate: z.number().nullable() }), complainedAbout: z.number(),
  }),
  byTechnician: z.array(z.object({
    staffId: z.string(), name: z.string(), trades: z.array(z.string()), items: z.number(), completed: z.number(), reopened: z.number(),
    onTime: Score, rated: z.number(), averageRating: z.number().nullable(),
  })),
  complaintsByResponsible: z.array(z.object({
    staffId: z.string(), name: z.string(), complaints: z.number(), breachedItems: z.number(),
    acknowledge: Score, resolution: Score, update: Score, onTime: Score,
  })),
});

const SpotCheck = z.object({
  id: z.string(), itemId: z.string(), number: z.string(), result: z.enum(['pass', 'fail']), note: z.string().nullable(), proposedWeek: z.string().nullable(),
  checkedBy: z.string(), checkedAt: z.string(), rectificationItemId: z.string().nullable(),
  followUp: z.string().nullable().describe('for a fail: rectification items come with a later issue (RC-1); nothing is opened yet'),
});

function sendXlsx(reply: FastifyReply, out: { xlsx: Buffer; filename: string; asciiName: string }) {
  return reply.type(XLSX)
    .header('content-disposition', `attachment; filename="${out.asciiName}"; filename*=UTF-8''${encodeURIComponent(out.filename)}`)
    .send(out.xlsx);
}

export const workItemReportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/reports/archive', {
    config: { access: 'report.read' },
    schema: {
      tags, summary: '工单档案查询 Archive search (RP-6): period, kind, place subtree, category prefix, technician, state, clock kept/broken',
      querystring: z.strictObject({ ...ArchiveFilter, ...Paging }),
      response: { 200: z.object({ items: z.array(ArchiveItem), total: z.number() }) },
    },
  }, (req) => searchArchive(req.signedIn, req.query));

  app.get('/api/reports/archive.xlsx', {
    config: { access: 'archive.export' },
    schema: {
      tags, summary: '导出工单档案 The archive search as XLSX for a period (Chinese headers, phones masked; audited)', produces: [XLSX],
      // An export is always of a period, so that what left the building is known from the audit row.
      querystring: z.strictObject({ ...ArchiveFilter, from: IsoDate, to: IsoDate }),
    },
  }, async (req, reply) => sendXlsx(reply, await exportArchive(req.signedIn, req.query)));

  const MonthQuery = z.strictObject({ month: z.string().regex(MONTH, { message: 'YYYY-MM' }).optional().describe('YYYY-MM (Asia/Shanghai); default this month') });
  app.get('/api/reports/complaints/monthly', {
    config: { access: 'report.read' },
    schema: {
      tags, summary: '投诉月报 Monthly complaint report (CP-6): volume, categories, timeliness, repeats, revisit satisfaction, improvements',
      querystring: MonthQuery, response: { 200: Monthly },
    },
  }, (req) => monthlyComplaints(req.signedIn, req.query.month));

  app.get('/api/reports/complaints/monthly.xlsx', {
    // Complaint details leaving the building are an export like the archive's (SEC-3), not a read.
    config: { access: 'archive.export' },
    schema: {
      tags, summary: '投诉月报导出 The monthly complaint report of a given month as XLSX (audited)', produces: [XLSX],
      querystring: z.strictObject({ month: z.string().regex(MONTH, { message: 'YYYY-MM' }).describe('YYYY-MM (Asia/Shanghai)') }),
    },
  }, async (req, reply) => sendXlsx(reply, await monthlyComplaintsXlsx(req.signedIn, req.query.month)));

  app.get('/api/reports/sla', {
    config: { access: 'report.read' },
    schema: {
      tags, summary: '服务时效统计 Service levels (RP-3, RP-10, CP-5): urgent arrival ≤ 30 min (QR-proven / manual), p50/p90 per trade, first-time fix, reopen, per technician, complaints per responsible person',
      querystring: z.strictObject({ from: IsoDate.optional().describe('default: 29 days before `to`'), to: IsoDate.optional().describe('default: today') }),
      response: { 200: Sla },
    },
  }, (req) => slaStats(req.signedIn, req.query));

  app.get('/api/reports/spot-checks', {
    config: { access: 'report.read' },
    schema: {
      tags, summary: '质量抽检记录 Recorded spot-checks (RP-7) with the pass rate',
      querystring: z.strictObject({ from: IsoDate.optional(), to: IsoDate.optional(), result: z.enum(['pass', 'fail']).optional(), ...Paging }),
      response: {
        200: z.object({
          summary: z.object({ checked: z.number(), passed: z.number(), failed: z.number(), passRate: z.number().nullable() }),
          items: z.array(SpotCheck.extend({ category: z.string(), categoryName: z.string(), urgency: z.string(), technician: z.string().nullable() })),
          total: z.number(),
        }),
      },
    },
  }, (req) => listSpotChecks(req.signedIn, req.query));

  app.get('/api/reports/spot-checks/proposed', {
    config: { access: 'report.read' },
    schema: {
      tags, summary: '本周抽检建议 Proposed spot-checks: 30 % of the urgent and 10 % of the other repairs completed in the week (default last week), the same list every time',
      querystring: z.strictObject({ week: z.string().regex(WEEK, { message: 'YYYY-Www' }).optional() }),
      response: {
        200: z.object({
          week: z.string(), from: z.string(), to: z.string(), completed: z.number(), completedUrgent: z.number(),
          share: z.object({ urgent: z.number(), other: z.number() }),
          items: z.array(z.object({
            itemId: z.string(), number: z.string(), category: z.string(), categoryName: z.string(), urgency: z.string(), reason: z.enum(['urgent', 'sample']),
            place: z.string().nullable(), technician: z.string().nullable(), completedAt: z.string(), rating: z.number().nullable(),
            check: z.object({ id: z.string(), result: z.enum(['pass', 'fail']), note: z.string().nullable(), checkedAt: z.string(), checkedBy: z.string() }).nullable(),
          })),
        }),
      },
    },
  }, (req) => proposedSpotChecks(req.signedIn, req.query.week));

  app.post('/api/reports/spot-checks', {
    config: { access: 'spotCheck.write' },
    schema: {
      tags, summary: '记录质量抽检 Record a spot-check of a completed repair (RP-7): pass, or fail with a note. A fail is recorded only; rectification items come in a later issue',
      body: z.strictObject({ itemId: Id, result: z.enum(['pass', 'fail']), note: z.string().trim().max(500).optional() }),
      response: { 201: SpotCheck },
    },
  }, async (req, reply) => reply.status(201).send(await recordSpotCheck(req.signedIn, req.body)));
};
