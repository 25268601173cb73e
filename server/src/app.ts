import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { sql } from 'drizzle-orm';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from './db/index.ts';
import { httpPlatform } from './platform/http.ts';
import { livePlatform } from './platform/live.ts';
import { authRoutes } from './modules/accounts/auth-routes.ts';
import { accountRoutes } from './modules/accounts/routes.ts';
import { attachmentRoutes } from './modules/attachments/routes.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { calendarRoutes } from './modules/calendar/routes.ts';
import { dutyRoutes } from './modules/duty/routes.ts';
import { planRoutes } from './modules/plans/routes.ts';
import { recordRoutes } from './modules/plans/records-routes.ts';
import { notificationRoutes } from './modules/notifications/routes.ts';
import { workItemRoutes } from './modules/work-items/routes.ts';
import { workItemReportRoutes } from './modules/work-items/report-routes.ts';
import { partyRoutes } from './modules/parties/routes.ts';
import { placeRoutes } from './modules/places/routes.ts';
import { receptionRoutes } from './modules/reception/routes.ts';
import { stockRoutes } from './modules/stock/routes.ts';
import { siteRoutes } from './modules/sites/routes.ts';

export interface AppOptions {
  db: Db;
  /** The clock; tests pass a controllable one (session expiry, SLA clocks). */
  now?: () => Date;
  /** Keep-alive and session re-check period of live streams (tests shorten it). */
  liveBeatMs?: number;
  /** Built web app to serve; omitted in API tests. */
  webDir?: string | null;
  logLevel?: string;
  secureCookie?: boolean;
  trustProxy?: boolean;
  /** Where uploaded files live (content-addressed); tests pass a temporary folder. */
  filesDir?: string;
}

/** JSON bodies above 1 MB are refused (413); uploads go through multipart with their own limit. */
const JSON_LIMIT = 1024 * 1024;
export const UPLOAD_LIMIT = 10 * 1024 * 1024;

/** Builds the whole app without listening (STYLE §1): main.ts listens, tests inject. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: opts.logLevel ?? 'info', redact: ['req.headers.cookie', 'req.headers.authorization'] },
    bodyLimit: JSON_LIMIT,
    trustProxy: opts.trustProxy ?? false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: UPLOAD_LIMIT, files: 1, fields: 10 } });
  await app.register(httpPlatform, { db: opts.db, now: opts.now ?? (() => new Date()) });
  await app.register(swagger, {
    openapi: {
      info: { title: 'towerdesk API', version: '0.1.0', description: '金文大厦物业运营平台 API. Errors: {"error":{"code","message","fields"}}; messages follow Accept-Language (zh-CN default).' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'td_sid' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await app.register(livePlatform, { db: opts.db, now: opts.now ?? (() => new Date()), beatMs: opts.liveBeatMs });

  app.get('/api/health', {
    config: { access: 'public' },
    schema: { tags: ['system'], summary: '健康检查 Health', response: { 200: z.object({ status: z.literal('ok'), db: z.literal('ok') }), 503: z.object({ status: z.string(), db: z.string() }) } },
  }, async (_req, reply) => {
    try {
      await opts.db.execute(sql`select 1`);
      return { status: 'ok' as const, db: 'ok' as const };
    } catch {
      return reply.status(503).send({ status: 'degraded', db: 'unreachable' });
    }
  });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, () => app.swagger());

  await app.register(authRoutes({ secureCookie: opts.secureCookie ?? false }));
  await app.register(siteRoutes);
  await app.register(placeRoutes);
  await app.register(partyRoutes);
  await app.register(accountRoutes);
  await app.register(auditRoutes);
  await app.register(calendarRoutes);
  await app.register(attachmentRoutes({ filesDir: opts.filesDir }));
  await app.register(notificationRoutes);
  await app.register(workItemRoutes);
  await app.register(workItemReportRoutes);
  await app.register(dutyRoutes);
  await app.register(planRoutes);
  await app.register(recordRoutes);
  await app.register(receptionRoutes);
  await app.register(stockRoutes);

  if (opts.webDir && fs.existsSync(path.join(opts.webDir, 'index.html'))) await serveWeb(app, opts.webDir);
  return app;
}

/** The built web app, with the single-page fallback @fastify/static lacks (STACK-NOTES). */
async function serveWeb(app: FastifyInstance, webDir: string) {
  await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: false });
  const pages = ['index.html', 'm.html'].filter((f) => fs.existsSync(path.join(webDir, f)));
  app.get('/', (_req, reply) => reply.sendFile('index.html'));
  app.get('/*', (req, reply) => {
    // A missing script or image is a 404, not the app's HTML (which the browser would run as JS).
    if (req.url.startsWith('/api/') || req.url.startsWith('/assets/')) return reply.callNotFound();
    // Phone pages (/m/…) get their own light entry without antd (DESIGN §3).
    const page = req.url.startsWith('/m/') || req.url === '/m' || req.url.startsWith('/q/') ? 'm.html' : 'index.html';
    return reply.sendFile(pages.includes(page) ? page : 'index.html');
  });
}
