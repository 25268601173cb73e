import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { accounts } from '../accounts/schema.ts';
import { staff } from '../parties/schema.ts';
import { sites } from '../sites/schema.ts';

/**
 * Stock items (RP-9, CL-4): spare parts, tools, cleaning supplies, greening materials. No
 * balance column: what is on the shelf is derived from stock_movements every time it is read.
 * Quantities are kept in thousandths (milli-units, bigint) so litres and kilograms add exactly.
 */
export const stockItems = pgTable('stock_items', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  code: text('code').notNull(),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  /** 'spare_part' | 'tool' | 'cleaning_supply' | 'greening_material' */
  category: text('category').notNull(),
  /** The unit counted in, e.g. 支 / 个 / 瓶 / kg; unitEn for English screens. */
  unit: text('unit').notNull(),
  unitEn: text('unit_en'),
  /**
   * The list (catalogue) cost of one unit in fen: values opening stock counted before any
   * receipt and pre-fills a receipt's price. The cost parts leave at is the ledger's moving average.
   */
  unitCostFen: integer('unit_cost_fen').notNull().default(0),
  /** Low-stock alert at or below this (milli-units); 0 = no minimum. */
  minLevelMilli: bigint('min_level_milli', { mode: 'number' }).notNull().default(0),
  leadTimeDays: integer('lead_time_days').notNull().default(7),
  safetyStockDays: integer('safety_stock_days').notNull().default(7),
  /** What the supplier sells in (a box of 25 tubes); reorder suggestions round up to packs. */
  packSizeMilli: bigint('pack_size_milli', { mode: 'number' }).notNull().default(1000),
  location: text('location'),
  /** A part fitted in an emergency before its delivery is booked in may drive the balance below 0. */
  allowNegative: boolean('allow_negative').notNull().default(false),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [
  uniqueIndex('stock_items_site_code_uq').on(t.siteId, t.code),
  index('stock_items_site_category_idx').on(t.siteId, t.category),
  check('stock_items_numbers', sql`${t.unitCostFen} >= 0 and ${t.minLevelMilli} >= 0 and ${t.leadTimeDays} >= 0 and ${t.safetyStockDays} >= 0 and ${t.packSizeMilli} > 0`),
]);

/**
 * The stock ledger (DESIGN §2 "Ledgers and logs"): one row per movement, append-only — the
 * migration adds a trigger that refuses UPDATE, DELETE and TRUNCATE, so even a bug or a hand-run
 * statement cannot rewrite history; a mistake is corrected by an adjustment with a reason.
 *
 * `delta_milli` is the signed change of the shelf quantity the movement made (a stocktake's is
 * counted − balance at the moment it was recorded, under the item's row lock), so a balance is
 * always `sum(delta_milli)` — the index (item_id, seq, delta_milli) answers it from the index
 * alone. `value_delta_fen` is the change of the stock value by moving average (domain valueOf),
 * and `cost_fen` the cost the movement booked (an issue's is negative: what the parts cost the
 * work item). Both are facts of the moment the row was written, like the price on a receipt.
 */
export const stockMovements = pgTable('stock_movements', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Ledger order: movements at the same instant keep the order they were recorded in. */
  seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  itemId: uuid('item_id').notNull().references(() => stockItems.id),
  /** MovementKind from the domain: receive, issue, return, adjust, stocktake, tool_checkout, tool_return. */
  kind: text('kind').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  /** The quantity as entered (milli): > 0; adjust signed; stocktake the counted quantity. */
  qtyMilli: bigint('qty_milli', { mode: 'number' }).notNull(),
  deltaMilli: bigint('delta_milli', { mode: 'number' }).notNull(),
  valueDeltaFen: bigint('value_delta_fen', { mode: 'number' }).notNull().default(0),
  costFen: bigint('cost_fen', { mode: 'number' }).notNull().default(0),
  /** receive: the price paid per unit (fen). */
  unitCostFen: integer('unit_cost_fen'),
  supplier: text('supplier'),
  /** issue (and a return from a work item): 'work_item' | 'place' | 'person', and its id. */
  targetKind: text('target_kind'),
  targetId: uuid('target_id'),
  reason: text('reason'),
  /** tool_checkout: who has the tool, and the Shanghai date it is due back. */
  personId: uuid('person_id').references(() => staff.id),
  dueBack: date('due_back', { mode: 'string' }),
  /** tool_return: the checkout it returns. */
  checkoutId: uuid('checkout_id').references((): AnyPgColumn => stockMovements.id),
  note: text('note'),
  actorId: uuid('actor_id').references(() => accounts.id),
  actorName: text('actor_name'),
}, (t) => [
  index('stock_movements_item_idx').on(t.itemId, t.seq, t.deltaMilli),
  index('stock_movements_target_idx').on(t.targetKind, t.targetId).where(sql`${t.targetId} is not null`),
  index('stock_movements_site_kind_at_idx').on(t.siteId, t.kind, t.at),
  index('stock_movements_checkout_idx').on(t.checkoutId).where(sql`${t.checkoutId} is not null`),
  check('stock_movements_kind', sql`${t.kind} in ('receive', 'issue', 'return', 'adjust', 'stocktake', 'tool_checkout', 'tool_return')`),
]);

/**
 * Per-site stock settings. The labour rate prices a repair's labour minutes in its cost (AR-2);
 * a site without a row uses DEFAULT_LABOUR_RATE_FEN (service.ts).
 */
export const stockSettings = pgTable('stock_settings', {
  siteId: uuid('site_id').primaryKey().references(() => sites.id),
  labourRateFenPerHour: integer('labour_rate_fen_per_hour').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [check('stock_settings_rate', sql`${t.labourRateFenPerHour} >= 0`)]);
