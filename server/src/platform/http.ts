import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DrizzleQueryError } from 'drizzle-orm';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { Db } from '../db/index.ts';
import { actorForToken } from '../modules/accounts/sessions.ts';
import type { Ctx, SignedInCtx } from './context.ts';
import { AppError, Forbidden, Unauthenticated, type FieldProblem } from './errors.ts';
import { fieldMessage, messages, pickLocale, type Locale, type Message } from './i18n.ts';
import { can, type RouteAccess } from './permissions.ts';

export const SESSION_COOKIE = 'td_sid';
/** Custom header that a cross-site form cannot send: the CSRF guard for state-changing requests. */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_VALUE = 'towerdesk';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route: a permission from platform/permissions.ts, 'public' or 'signedIn'. */
    access?: RouteAccess;
    /**
     * `false` exempts a route from the CSRF guard. Only for machine-to-machine webhooks that
     * authenticate themselves (signature): the route must be 'public', and its requests are
     * never signed in, so a browser's cookie cannot make it act for anyone.
     */
    csrf?: false;
  }
  interface FastifyRequest {
    ctx: Ctx;
    /** The ctx of a signed-in request; routes other than 'public' can rely on it. */
    signedIn: SignedInCtx;
    sessionToken: string | null;
  }
  interface FastifyInstance {
    routeTable: Array<{ method: string; url: string; access: RouteAccess }>;
  }
}

export interface HttpDeps {
  db: Db;
  now: () => Date;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Request context, sign-in, permission check, CSRF guard and the one error handler.
 * Every /api route must declare `config.access`; a route without it stops the app at start-up,
 * so no route can be forgotten by the permission check or the role × route matrix test.
 */
export const httpPlatform = fp(async (app: FastifyInstance, deps: HttpDeps) => {
  app.decorate('routeTable', []);
  app.decorateRequest('ctx', null as unknown as Ctx);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('signedIn', { getter(this: FastifyRequest) { return this.ctx as SignedInCtx; } });

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${String(route.method)} ${route.url} declares no config.access`);
    if (route.config?.csrf === false && access !== 'public') throw new Error(`Route ${String(route.method)} ${route.url}: csrf: false is only for 'public' (self-authenticating) routes`);
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      app.routeTable.push({ method, url: route.url, access });
    }
  });

  app.addHook('onRequest', async (req) => {
    const locale = pickLocale(req.headers['accept-language']);
    req.ctx = { db: deps.db, actor: null, now: deps.now(), ip: req.ip, locale };
    const access = req.routeOptions.config?.access;
    if (!req.url.startsWith('/api/') || access === undefined) return;

    const csrfExempt = req.routeOptions.config?.csrf === false;
    if (!SAFE_METHODS.has(req.method) && !csrfExempt && !sameOriginOrHeader(req)) {
      throw new AppError(403, 'csrf', messages.csrf);
    }
    // A CSRF-exempt webhook authenticates itself; it never reads the session cookie.
    if (csrfExempt) return;
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      req.sessionToken = token;
      req.ctx.actor = await actorForToken(deps.db, token, req.ctx.now);
    }
    if (access === 'public') return;
    if (!req.ctx.actor) throw Unauthenticated();
    if (access !== 'signedIn' && !can(req.ctx.actor.roles, access)) throw Forbidden();
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const locale = req.ctx?.locale ?? pickLocale(req.headers['accept-language']);
    const e = toAppError(err);
    if (e.status >= 500) req.log.error({ err }, 'request failed');
    for (const [k, v] of Object.entries(e.headers)) reply.header(k, v);
    return sendError(reply, locale, e);
  });

  app.setNotFoundHandler((req, reply) => sendError(reply, req.ctx?.locale ?? 'zh-CN', new AppError(404, 'route_not_found', messages.routeNotFound)));
});

function sameOriginOrHeader(req: FastifyRequest) {
  if (req.headers[CSRF_HEADER] === CSRF_VALUE) return true;
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function sendError(reply: FastifyReply, locale: Locale, e: AppError) {
  const t = (m: Message) => (locale === 'en-US' ? m.en : m.zh);
  return reply.status(e.status).send({
    error: {
      code: e.code,
      message: t(e.text),
      fields: e.fields.map((f) => ({ field: f.field, code: f.code ?? 'invalid', message: t(f.message) })),
      ...e.extra,
    },
  });
}

/** Maps everything a client can cause to a 4xx; only our own bugs remain 500. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // Drizzle wraps driver errors (DrizzleQueryError); PostgreSQL's SQLSTATE is on the cause.
  const cause = (err as { cause?: { code?: unknown } }).cause;
  if (err instanceof DrizzleQueryError && typeof cause?.code === 'string') return toAppError(cause);
  const e = err as FastifyError & { code?: string; constraint?: string; validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(e)) {
    const where = e.validationContext ?? 'body';
    const fields: FieldProblem[] = e.validation.map((v) => {
      const params = v.params as { expected?: string; minimum?: unknown; maximum?: unknown; values?: unknown[]; keys?: string[]; input?: unknown };
      const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const keyword = v.keyword === 'invalid_type' && params.input === undefined ? 'required' : v.keyword;
      if (keyword === 'unrecognized_keys' && params.keys?.length) {
        return { field: [where, path, params.keys[0]].filter(Boolean).join('.'), code: keyword, message: fieldMessage(keyword) };
      }
      return { field: [where, path].filter(Boolean).join('.'), code: keyword, message: fieldMessage(keyword, params) };
    });
    return new AppError(400, 'invalid', messages.invalid, fields);
  }
  if (isResponseSerializationError(e)) return new AppError(500, 'internal', messages.internal);
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(400, 'invalid_json', messages.invalidJson, [{ field: 'body', code: 'invalid_json', message: messages.invalidJson }]);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
      return new AppError(413, 'too_large', messages.tooLarge, [{ field: 'body', code: 'too_large', message: messages.tooLarge }]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError(415, 'unsupported_media_type', messages.unsupportedMedia, [{ field: 'body', code: 'unsupported_media_type', message: messages.unsupportedMedia }]);
    case '23505': // unique_violation: a race the service's own check did not see
      return new AppError(409, 'duplicate', messages.conflict, [{ field: e.constraint ?? 'body', code: 'duplicate', message: fieldMessage('duplicate') }]);
    case '22P02': // invalid_text_representation
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
    case '22001': // string_data_right_truncation
      return new AppError(400, 'invalid', messages.invalid);
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError(e.statusCode, 'bad_request', messages.invalid);
  }
  return new AppError(500, 'internal', messages.internal);
}
