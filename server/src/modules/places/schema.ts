import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sites } from '../sites/schema.ts';

/** The one place tree (DESIGN §2.1): site → building → floor → space. */
export const places = pgTable('places', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  parentId: uuid('parent_id'),
  /** Stable human code, e.g. JW-T1-F12-1203; unique within the site and never reused. */
  code: text('code').notNull(),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  kind: text('kind').notNull(),
  /** Random token printed in the QR code (/q/<token>); regenerating it voids old labels. */
  qrToken: text('qr_token').notNull().unique(),
  areaM2: integer('area_m2'),
  sort: integer('sort').notNull().default(0),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('places_site_code_uq').on(t.siteId, t.code),
  index('places_parent_idx').on(t.siteId, t.parentId),
  index('places_code_prefix_idx').using('btree', t.siteId, sql`${t.code} text_pattern_ops`),
]);
