import { and, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TRADE_LIST } from '@towerdesk/domain';
import { audit } from '../../platform/audit.ts';
import { invalidField, NotFound } from '../../platform/errors.ts';
import { Id, IdParams, IsoDate, Ok, page, Paging } from '../../platform/schemas.ts';
import { writeSheet } from '../../platform/spreadsheet.ts';
import { REGISTERS, findVisible, staffRegister, type Register } from './registers.ts';
import { certificates } from './schema.ts';
import {
  certView, createRegisterRow, getRegisterRow, importRegister, listRegister, revealPhone,
  setRegisterActive, updateRegisterRow, type ListQuery,
} from './service.ts';

const RowView = z.record(z.string(), z.unknown());
const ImportResult = z.object({ imported: z.number() });
const Cert = z.object({ id: z.string(), name: z.string(), number: z.string(), issuer: z.string().nullable(), expiresOn: z.string().nullable() });

/** The same routes for each register (companies, occupants, staff, contractors). */
function registerRoutes(reg: Register): FastifyPluginAsyncZod {
  const tags = [reg.kind];
  const label = `${reg.label.zh} ${reg.label.en}`;
  return async (app) => {
    app.get(reg.path, {
      config: { access: reg.read },
      schema: {
        tags, summary: `${label}: list (phones masked)`,
        querystring: z.strictObject({
          q: z.string().max(100).optional(), companyId: Id.optional(), trade: z.enum(TRADE_LIST).optional(),
          includeInactive: z.stringbool().optional(),
          ...(reg.kind === 'staff' ? { certExpiringWithinDays: z.coerce.number().int().min(0).max(3650).optional() } : {}),
          ...Paging,
        }),
        response: { 200: page(RowView) },
      },
    }, (req) => listRegister(reg, req.signedIn, req.query as ListQuery));

    app.get(`${reg.path}/:id`, {
      config: { access: reg.read },
      schema: { tags, summary: `${label}: one record (404 outside your scope)`, params: IdParams, response: { 200: RowView } },
    }, (req) => getRegisterRow(reg, req.signedIn, req.params.id));

    app.get(`${reg.path}/:id/phone`, {
      config: { access: 'personal.reveal' },
      schema: { tags, summary: `${label}: full phone number (audited)`, params: IdParams, response: { 200: z.object({ phone: z.string().nullable() }) } },
    }, (req) => revealPhone(reg, req.signedIn, req.params.id));

    app.post(reg.path, {
      config: { access: reg.write },
      schema: { tags, summary: `${label}: create`, body: reg.input.extend({ siteId: Id.optional() }), response: { 201: RowView } },
    }, async (req, reply) => reply.status(201).send(await createRegisterRow(reg, req.signedIn, req.body as Record<string, unknown>)));

    app.patch(`${reg.path}/:id`, {
      config: { access: reg.write },
      schema: { tags, summary: `${label}: edit`, params: IdParams, body: reg.input.partial(), response: { 200: RowView } },
    }, (req) => updateRegisterRow(reg, req.signedIn, req.params.id, req.body as Record<string, unknown>));

    app.post(`${reg.path}/:id/deactivate`, {
      config: { access: reg.write },
      schema: { tags, summary: `${label}: deactivate (records kept)`, params: IdParams, response: { 200: RowView } },
    }, (req) => setRegisterActive(reg, req.signedIn, req.params.id, false));

    app.post(`${reg.path}/:id/activate`, {
      config: { access: reg.write },
      schema: { tags, summary: `${label}: reactivate`, params: IdParams, response: { 200: RowView } },
    }, (req) => setRegisterActive(reg, req.signedIn, req.params.id, true));

    if (reg.columns.length === 0) return;

    app.get(`${reg.path}/import-template`, {
      config: { access: reg.write },
      schema: { tags, summary: `${label}: XLSX template for import`, produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] },
    }, async (_req, reply) => {
      const xlsx = await writeSheet(reg.label.zh, reg.columns.map((c) => c.header));
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${reg.kind}-template.xlsx"; filename*=UTF-8''${encodeURIComponent(`${reg.label.zh}导入模板.xlsx`)}`)
        .send(xlsx);
    });

    app.post(`${reg.path}/import`, {
      config: { access: reg.write },
      schema: {
        tags, summary: `${label}: import XLSX/CSV (all rows or none; 400 import_rejected with error.rows [{row, field, message}])`,
        consumes: ['multipart/form-data'], querystring: z.strictObject({ siteId: Id.optional() }), response: { 200: ImportResult },
      },
    }, async (req) => {
      if (!req.isMultipart()) throw invalidField('file', { zh: '请以 multipart/form-data 上传文件', en: 'Upload the file as multipart/form-data' }, 'required');
      const file = await req.file();
      if (!file) throw invalidField('file', { zh: '请选择文件', en: 'Choose a file' }, 'required');
      const buffer = await file.toBuffer();
      return importRegister(reg, req.signedIn, { buffer, filename: file.filename }, req.query.siteId);
    });
  };
}

/** Certificates of a staff member (CS-6): added and removed one by one, each audited. */
const certificateRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['staff'];
  app.post('/api/staff/:id/certificates', {
    config: { access: 'staff.write' },
    schema: {
      tags, summary: '添加证书 Add a certificate', params: IdParams,
      body: z.strictObject({ name: z.string().trim().min(1).max(100), number: z.string().trim().min(1).max(60), issuer: z.string().trim().max(100).nullable().optional(), expiresOn: IsoDate.nullable().optional() }),
      response: { 201: Cert },
    },
  }, async (req, reply) => {
    const ctx = req.signedIn;
    const cert = await ctx.db.transaction(async (tx) => {
      const person = await findVisible(staffRegister, tx, ctx, req.params.id, true);
      const [row] = await tx.insert(certificates).values({ ...req.body, siteId: person.siteId, staffId: person.id, createdAt: ctx.now }).returning();
      await audit(tx, ctx, { action: 'staff.certificate_add', entityType: 'certificate', entityId: row!.id, siteId: person.siteId, after: row });
      return certView(row!);
    });
    return reply.status(201).send(cert);
  });

  app.delete('/api/staff/:id/certificates/:certId', {
    config: { access: 'staff.write' },
    schema: { tags, summary: '删除证书 Remove a certificate', params: z.strictObject({ id: Id, certId: Id }), response: { 200: Ok } },
  }, async (req) => {
    const ctx = req.signedIn;
    await ctx.db.transaction(async (tx) => {
      const person = await findVisible(staffRegister, tx, ctx, req.params.id, true);
      const [row] = await tx.delete(certificates).where(and(eq(certificates.id, req.params.certId), eq(certificates.staffId, person.id))).returning();
      if (!row) throw NotFound();
      await audit(tx, ctx, { action: 'staff.certificate_remove', entityType: 'certificate', entityId: row.id, siteId: person.siteId, before: row });
    });
    return { ok: true as const };
  });
};

export const partyRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const reg of REGISTERS) await app.register(registerRoutes(reg));
  await app.register(certificateRoutes);
};
