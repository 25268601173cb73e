import QRCode from 'qrcode';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PLACE_CODE_PATTERN, PLACE_KIND_LIST, qrPath } from '@towerdesk/domain';
import { Id, IdParams, Name, Ok, page, Paging } from '../../platform/schemas.ts';
import {
  createPlace, deletePlace, findPlaceByToken, getPlace, listPlaces, movePlace, placeKindName,
  regenerateQrToken, setPlaceActive, subtreeForLabels, updatePlace,
} from './service.ts';

const Kind = z.enum(PLACE_KIND_LIST);
const Code = z.string().trim().toUpperCase().min(2).max(40).regex(PLACE_CODE_PATTERN, { message: 'code' });
const PlaceView = z.object({
  id: z.string(), siteId: z.string(), parentId: z.string().nullable(), code: z.string(), name: z.string(),
  nameEn: z.string().nullable(), kind: Kind, areaM2: z.number().nullable(), sort: z.number(), active: z.boolean(),
  qrToken: z.string().nullable(),
});
const PlaceDetail = PlaceView.extend({ ancestors: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), kind: z.string() })) });
const Editable = {
  name: Name,
  nameEn: z.string().trim().max(100).nullable().optional(),
  kind: Kind,
  areaM2: z.number().int().min(0).max(1_000_000).nullable().optional(),
  sort: z.number().int().min(0).max(100_000).optional(),
};
const tags = ['places'];

export const placeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/places', {
    config: { access: 'place.read' },
    schema: {
      tags, summary: '位置树查询 Places: children of a parent, a subtree (under), or by code prefix',
      querystring: z.strictObject({
        parentId: Id.optional(), under: Id.optional(), codePrefix: z.string().max(40).optional(), kind: Kind.optional(),
        q: z.string().max(100).optional(), includeInactive: z.stringbool().optional(), ...Paging,
      }),
      response: { 200: page(PlaceView.extend({ childCount: z.number() })) },
    },
  }, (req) => listPlaces(req.signedIn, req.query));

  app.get('/api/places/:id', {
    config: { access: 'place.read' },
    schema: { tags, summary: '位置详情 A place with its ancestors', params: IdParams, response: { 200: PlaceDetail } },
  }, (req) => getPlace(req.signedIn, req.params.id));

  app.get('/api/q/:token', {
    config: { access: 'place.read' },
    schema: { tags, summary: '扫码定位 The place behind a scanned QR token', params: z.strictObject({ token: z.string().min(8).max(64) }), response: { 200: PlaceDetail } },
  }, (req) => findPlaceByToken(req.signedIn, req.params.token));

  app.post('/api/places', {
    config: { access: 'place.write' },
    schema: {
      tags, summary: '新建位置 Create a place',
      body: z.strictObject({ parentId: Id.nullable().optional(), siteId: Id.nullable().optional(), code: Code, ...Editable }),
      response: { 201: PlaceView },
    },
  }, async (req, reply) => reply.status(201).send(await createPlace(req.signedIn, req.body)));

  app.patch('/api/places/:id', {
    config: { access: 'place.write' },
    schema: {
      tags, summary: '修改位置 Edit a place (the code is stable)', params: IdParams,
      body: z.strictObject({ name: Editable.name.optional(), nameEn: Editable.nameEn, kind: Kind.optional(), areaM2: Editable.areaM2, sort: Editable.sort }),
      response: { 200: PlaceView },
    },
  }, (req) => updatePlace(req.signedIn, req.params.id, req.body));

  app.post('/api/places/:id/move', {
    config: { access: 'place.write' },
    schema: { tags, summary: '移动位置 Move under another parent', params: IdParams, body: z.strictObject({ parentId: Id.nullable() }), response: { 200: PlaceView } },
  }, (req) => movePlace(req.signedIn, req.params.id, req.body.parentId));

  app.post('/api/places/:id/deactivate', {
    config: { access: 'place.write' },
    schema: { tags, summary: '停用位置 Deactivate (history kept)', params: IdParams, response: { 200: PlaceView } },
  }, (req) => setPlaceActive(req.signedIn, req.params.id, false));

  app.post('/api/places/:id/activate', {
    config: { access: 'place.write' },
    schema: { tags, summary: '启用位置 Reactivate', params: IdParams, response: { 200: PlaceView } },
  }, (req) => setPlaceActive(req.signedIn, req.params.id, true));

  app.delete('/api/places/:id', {
    config: { access: 'place.write' },
    schema: { tags, summary: '删除位置 Delete a place that has no children and no records', params: IdParams, response: { 200: Ok } },
  }, async (req) => {
    await deletePlace(req.signedIn, req.params.id);
    return { ok: true as const };
  });

  app.post('/api/places/:id/qr-token', {
    config: { access: 'place.write' },
    schema: { tags, summary: '重新生成二维码 New QR token (old labels stop working)', params: IdParams, response: { 200: PlaceView } },
  }, (req) => regenerateQrToken(req.signedIn, req.params.id));

  app.get('/api/places/:id/labels', {
    config: { access: 'place.write' },
    schema: {
      tags, summary: '二维码标签 QR labels (SVG) for every active place in a subtree', params: IdParams,
      response: { 200: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), kindName: z.string(), url: z.string(), svg: z.string() })) },
    },
  }, async (req) => {
    const rows = await subtreeForLabels(req.signedIn, req.params.id);
    const origin = `${req.protocol}://${req.host}`;
    return Promise.all(rows.map(async (p) => {
      const url = `${origin}${qrPath(p.qrToken)}`;
      // Error correction M survives a scuffed label in a plant room; margin 1 keeps it compact.
      const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
      return { id: p.id, code: p.code, name: p.name, kindName: placeKindName(p.kind, req.ctx.locale), url, svg };
    }));
  });
};
