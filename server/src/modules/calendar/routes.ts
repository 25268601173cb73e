import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, IsoDate, Ok } from '../../platform/schemas.ts';
import { calendarYear, clearDay, setDay, setWorkingHours } from './service.ts';

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: 'time' });
const Windows = z.array(z.tuple([Time, Time])).max(6);
const Hours = z.strictObject({
  byWeekday: z.strictObject({ 1: Windows, 2: Windows, 3: Windows, 4: Windows, 5: Windows, 6: Windows, 7: Windows }),
  makeUpDay: Windows,
});
const DayKindEnum = z.enum(['workday', 'weekend', 'holiday', 'makeup']);
const OverrideEnum = z.enum(['holiday', 'workday', 'normal']);
const SiteQuery = z.strictObject({ siteId: Id.optional() });
const tags = ['calendar'];

export const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/calendar', {
    config: { access: 'calendar.read' },
    schema: {
      tags, summary: '工作日历（年视图）Working calendar of a year: holidays, make-up days, hours',
      querystring: SiteQuery.extend({ year: z.coerce.number().int().min(2000).max(2100) }),
      response: {
        200: z.object({
          siteId: z.string(), year: z.number(), provisional: z.boolean(), source: z.string().nullable(), hours: Hours,
          days: z.array(z.object({ date: z.string(), weekday: z.number(), kind: DayKindEnum, name: z.string().optional(), nameEn: z.string().optional() })),
          edits: z.array(z.object({ date: z.string(), kind: OverrideEnum, note: z.string().nullable() })),
        }),
      },
    },
  }, (req) => calendarYear(req.signedIn, req.query.year, req.query.siteId));

  app.put('/api/calendar/hours', {
    config: { access: 'calendar.write' },
    schema: { tags, summary: '设置工作时间 Working hours per weekday (several windows for a lunch break)', querystring: SiteQuery, body: Hours, response: { 200: Hours } },
  }, (req) => setWorkingHours(req.signedIn, req.body, req.query.siteId));

  app.put('/api/calendar/days/:date', {
    config: { access: 'calendar.write' },
    schema: {
      tags, summary: '设置某日 Mark a date: holiday, make-up workday, or normal (undo the shipped data)',
      params: z.strictObject({ date: IsoDate }), querystring: SiteQuery,
      body: z.strictObject({ kind: OverrideEnum, note: z.string().trim().max(100).nullable().optional() }),
      response: { 200: z.object({ date: z.string(), kind: OverrideEnum, note: z.string().nullable() }) },
    },
  }, (req) => setDay(req.signedIn, req.params.date, req.body.kind, req.body.note ?? null, req.query.siteId));

  app.delete('/api/calendar/days/:date', {
    config: { access: 'calendar.write' },
    schema: { tags, summary: '撤销对某日的修改 Remove the site\'s edit of a date', params: z.strictObject({ date: IsoDate }), querystring: SiteQuery, response: { 200: Ok } },
  }, async (req) => {
    await clearDay(req.signedIn, req.params.date, req.query.siteId);
    return { ok: true as const };
  });
};
