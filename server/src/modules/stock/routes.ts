import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MOVEMENT_KIND_LIST } from '@towerdesk/domain';
import { Id, IdParams, IsoDate, Name, Paging } from '../../platform/schemas.ts';
import { costReportXlsx } from './report.ts';
import {
  costReport, createItem, getItem, getSettings, itemLedger, listItems, listLow, listToolsOut, MONTH, postMovement, putSettings, reorderSuggestions,
  STOCK_CATEGORIES, updateItem,
} from './service.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const tags = ['stock'];
const Category = z.enum(STOCK_CATEGORIES);
/** A quantity: whether it has at most 3 decimals is the domain's check (400 naming the field). */
const Qty = z.number().finite().min(-1e9).max(1e9);
// Fen in an integer column: up to ¥21,474,836.47 a unit, far above any part or tool.
const Fen = z.number().int().min(0).max(2_147_483_647);
const Days = z.number().int().min(0).max(365);
const Unit = z.string().trim().min(1).max(20);

const ItemView = z.object({
  id: z.string(), siteId: z.string(), code: z.string(), name: z.string(), nameEn: z.string().nullable(), displayName: z.string(),
  category: Category, categoryName: z.string(), unit: z.string(), unitEn: z.string().nullable(),
  unitCostFen: z.number().describe('list (catalogue) cost of one unit, fen'), minLevel: z.number(), leadTimeDays: z.number(), safetyStockDays: z.number(),
  packSize: z.number(), location: z.string().nullable(), allowNegative: z.boolean(), active: z.boolean(),
  balance: z.number().describe('on the shelf: the sum of the ledger'), owned: z.number().describe('shelf + tools out on loan'),
  valueFen: z.number().describe('stock value by moving weighted average, fen'), averageUnitCostFen: z.number(),
  low: z.boolean().describe('at or below the minimum level, or negative'), createdAt: z.string(), updatedAt: z.string(),
});
const MovementView = z.object({
  id: z.string(), seq: z.number(), itemId: z.string(), kind: z.enum(MOVEMENT_KIND_LIST), kindName: z.string(), at: z.string(),
  qty: z.number().describe('as entered; a stocktake\'s is the counted quantity'), delta: z.number().describe('change of the shelf quantity'),
  balanceAfter: z.number().nullable(), costFen: z.number().describe('value booked at moving average; an issue\'s is negative'),
  unitCostFen: z.number().nullable(), supplier: z.string().nullable(),
  target: z.object({ kind: z.enum(['work_item', 'place', 'person']), id: z.string(), name: z.string().nullable() }).nullable(),
  reason: z.string().nullable(), person: z.object({ id: z.string(), name: z.string() }).nullable(), dueBack: z.string().nullable(), checkoutId: z.string().nullable(),
  note: z.string().nullable(), actorName: z.string().nullable(),
});
const itemFields = {
  code: z.string().trim().min(1).max(40), name: Name, nameEn: Name.nullable().optional(), category: Category, unit: Unit, unitEn: Unit.nullable().optional(),
  unitCostFen: Fen.optional(), minLevel: Qty.min(0).optional(), leadTimeDays: Days.optional(), safetyStockDays: Days.optional(), packSize: Qty.positive().optional(),
  location: z.string().trim().max(100).nullable().optional(), allowNegative: z.boolean().optional(),
};
const CostRow = z.object({ items: z.number(), partsFen: z.number(), labourMinutes: z.number(), labourFen: z.number(), suppliesFen: z.number(), totalFen: z.number() });
const CostReport = z.object({
  month: z.string(), from: z.string(), to: z.string(), ratePerHourFen: z.number(), place: z.object({ id: z.string(), name: z.string() }).nullable(),
  total: CostRow,
  byTrade: z.array(CostRow.extend({ trade: z.string(), name: z.string() })),
  byPlace: z.array(CostRow.extend({ placeId: z.string().nullable(), name: z.string() })),
  lines: z.array(z.object({
    id: z.string(), number: z.string(), title: z.string(), kind: z.string(), trade: z.string(), tradeName: z.string(), place: z.string().nullable(), completedAt: z.string(),
    partsFen: z.number(), labourMinutes: z.number(), labourFen: z.number(), totalFen: z.number(),
  })),
});
const Settings = z.object({ labourRateFenPerHour: z.number(), defaultLabourRateFenPerHour: z.number() });
const CostQuery = z.strictObject({
  month: z.string().regex(MONTH, { message: 'YYYY-MM' }).optional().describe('YYYY-MM (Asia/Shanghai); default this month'),
  placeId: Id.optional().describe('this place\'s subtree, broken down by its children'), siteId: Id.optional(),
});

function sendXlsx(reply: FastifyReply, out: { xlsx: Buffer; filename: string; asciiName: string }) {
  return reply.type(XLSX)
    .header('content-disposition', `attachment; filename="${out.asciiName}"; filename*=UTF-8''${encodeURIComponent(out.filename)}`)
    .send(out.xlsx);
}

/** Stock (issue 4 §7: RP-9, CL-4, AR-2): items, the append-only ledger, tools out, reorder, cost. */
export const stockRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/stock/items', {
    config: { access: 'stock.read' },
    schema: {
      tags, summary: '库存物品 Stock items with balance, value and low-stock flag (filter by category, low)',
      querystring: z.strictObject({
        category: Category.optional(), low: z.stringbool().optional(), q: z.string().trim().max(50).optional(), active: z.stringbool().optional(), siteId: Id.optional(), ...Paging,
      }),
      response: { 200: z.object({ items: z.array(ItemView), total: z.number(), valueFen: z.number(), lowCount: z.number() }) },
    },
  }, (req) => listItems(req.signedIn, req.query));

  app.post('/api/stock/items', {
    config: { access: 'stock.write' },
    schema: { tags, summary: '新建库存物品 Create a stock item (no opening balance: receive or count it into stock)', body: z.strictObject({ ...itemFields, siteId: Id.optional() }), response: { 201: ItemView } },
  }, async (req, reply) => reply.status(201).send(await createItem(req.signedIn, req.body)));

  app.get('/api/stock/items/:id', {
    config: { access: 'stock.read' },
    schema: { tags, summary: '库存物品详情 One stock item with its balance and value', params: IdParams, response: { 200: ItemView } },
  }, (req) => getItem(req.signedIn, req.params.id));

  app.patch('/api/stock/items/:id', {
    config: { access: 'stock.write' },
    schema: {
      tags, summary: '修改库存物品 Edit a stock item or deactivate it (active: false); the balance is never edited, only moved',
      params: IdParams, body: z.strictObject({ ...z.object(itemFields).partial().shape, active: z.boolean().optional() }), response: { 200: ItemView },
    },
  }, (req) => updateItem(req.signedIn, req.params.id, req.body));

  app.get('/api/stock/items/:id/ledger', {
    config: { access: 'stock.read' },
    schema: {
      tags, summary: '出入库台账 An item\'s ledger, newest first, with the running balance after each movement',
      params: IdParams, querystring: z.strictObject({ ...Paging }),
      response: { 200: z.object({ item: ItemView, items: z.array(MovementView), total: z.number() }) },
    },
  }, (req) => itemLedger(req.signedIn, req.params.id, req.query));

  app.post('/api/stock/movements', {
    config: { access: 'stock.issue' },
    schema: {
      tags, summary: '出入库登记 Post a movement: receive (supplier, unitCostFen), issue (target work item / area / person), return, adjust (reason), stocktake (counted qty), tool_checkout (personId, dueBack), tool_return (checkoutId). 409 when more than the balance is issued',
      body: z.strictObject({
        itemId: Id, kind: z.enum(MOVEMENT_KIND_LIST), qty: Qty, unitCostFen: Fen.optional(), supplier: z.string().trim().max(100).optional(),
        target: z.strictObject({ kind: z.enum(['work_item', 'place', 'person']), id: Id }).optional(), reason: z.string().trim().max(500).optional(),
        personId: Id.optional(), dueBack: IsoDate.optional(), checkoutId: Id.optional(), note: z.string().trim().max(500).optional(), siteId: Id.optional(),
      }),
      response: { 201: z.object({ movement: MovementView, item: ItemView }) },
    },
  }, async (req, reply) => reply.status(201).send(await postMovement(req.signedIn, req.body)));

  app.get('/api/stock/tools-out', {
    config: { access: 'stock.read' },
    schema: {
      tags, summary: '工具借出 Tools checked out and not yet returned, oldest due first, with overdue days (Shanghai dates)',
      querystring: z.strictObject({ overdue: z.stringbool().optional(), mine: z.stringbool().optional(), siteId: Id.optional() }),
      response: {
        200: z.object({
          items: z.array(z.object({
            checkoutId: z.string(), itemId: z.string(), code: z.string(), name: z.string(), unit: z.string(), person: z.object({ id: z.string(), name: z.string() }),
            qtyOut: z.number(), checkedOutAt: z.string(), dueBack: z.string(), overdue: z.boolean(), daysOverdue: z.number(), note: z.string().nullable(),
          })),
        }),
      },
    },
  }, (req) => listToolsOut(req.signedIn, req.query));

  app.get('/api/stock/low', {
    config: { access: 'stock.read' },
    schema: { tags, summary: '低库存 Items at or below their minimum level', querystring: z.strictObject({ siteId: Id.optional() }), response: { 200: z.object({ items: z.array(ItemView) }) } },
  }, (req) => listLow(req.signedIn, req.query));

  app.get('/api/stock/reorder', {
    config: { access: 'stock.read' },
    schema: {
      tags, summary: '补货建议 Reorder suggestions: average use over the last N weeks, lead time and safety stock, in whole packs, each number explained',
      querystring: z.strictObject({ weeks: z.coerce.number().int().min(1).max(52).default(8), category: Category.optional(), all: z.stringbool().optional(), siteId: Id.optional() }),
      response: {
        200: z.object({
          weeks: z.number(),
          items: z.array(z.object({
            itemId: z.string(), code: z.string(), name: z.string(), category: Category, unit: z.string(), unitCostFen: z.number(),
            consumed: z.number(), days: z.number(), weeklyUse: z.number(), reorderPoint: z.number(), balance: z.number(),
            suggestedQty: z.number(), packs: z.number(), estimatedCostFen: z.number(), steps: z.array(z.object({ key: z.string(), text: z.string() })),
          })),
        }),
      },
    },
  }, (req) => reorderSuggestions(req.signedIn, req.query));

  app.get('/api/stock/cost-report', {
    config: { access: 'report.read' },
    schema: { tags, summary: '维修成本月报 Monthly cost of repairs and findings (parts × cost + labour × rate) by trade and by place subtree, with area supplies', querystring: CostQuery, response: { 200: CostReport } },
  }, (req) => costReport(req.signedIn, req.query));

  app.get('/api/stock/cost-report.xlsx', {
    config: { access: 'archive.export' },
    schema: {
      tags, summary: '导出维修成本月报 The monthly cost report of a given month as XLSX (Chinese headers; audited)', produces: [XLSX],
      querystring: CostQuery.extend({ month: z.string().regex(MONTH, { message: 'YYYY-MM' }).describe('YYYY-MM (Asia/Shanghai)') }),
    },
  }, async (req, reply) => sendXlsx(reply, await costReportXlsx(req.signedIn, req.query)));

  app.get('/api/stock/settings', {
    config: { access: 'stock.read' },
    schema: { tags, summary: '库存设置 The labour rate used in repair costs (fen per hour)', querystring: z.strictObject({ siteId: Id.optional() }), response: { 200: Settings } },
  }, (req) => getSettings(req.signedIn, req.query));

  app.put('/api/stock/settings', {
    config: { access: 'stock.write' },
    schema: { tags, summary: '修改工时单价 Set the site\'s labour rate for repair costs (fen per hour; audited)', body: z.strictObject({ labourRateFenPerHour: z.number().int().min(0).max(10_000_000), siteId: Id.optional() }), response: { 200: Settings } },
  }, (req) => putSettings(req.signedIn, req.body));
};
