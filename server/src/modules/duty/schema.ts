import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { staff } from '../parties/schema.ts';
import { sites } from '../sites/schema.ts';

/**
 * The duty roster (值班表, CS-3): who covers a trade from when to when. A night shift crosses
 * midnight, so a shift is a pair of instants, not a date. Overlaps of one person are refused by
 * the service under a per-person advisory lock (an exclusion constraint would need the
 * btree_gist extension, which we cannot count on in every PostgreSQL we run on).
 */
export const dutyShifts = pgTable('duty_shifts', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  staffId: uuid('staff_id').notNull().references(() => staff.id),
  trade: text('trade').notNull(),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
  /** 'day' | 'night' | 'weekend' | 'holiday' */
  kind: text('kind').notNull(),
  /** The number to call; null = the staff member's own phone. */
  onCallPhone: text('on_call_phone'),
  note: text('note'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  // "Who covers electrical at 02:00" and the roster grid: by site, trade and time.
  index('duty_shifts_site_trade_time_idx').on(t.siteId, t.trade, t.startsAt),
  // Overlap checks and a person's iCal feed.
  index('duty_shifts_staff_time_idx').on(t.siteId, t.staffId, t.startsAt),
  check('duty_shifts_ends_after_starts', sql`${t.endsAt} > ${t.startsAt}`),
]);

/**
 * One secret per staff member for their iCal feed (/api/duty/ical/<token>). Only the SHA-256 is
 * kept, as for sessions: a leaked database yields no working feed URLs. Regenerating replaces it.
 */
export const dutyFeedTokens = pgTable('duty_feed_tokens', {
  staffId: uuid('staff_id').primaryKey().references(() => staff.id),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  tokenHash: text('token_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('duty_feed_tokens_hash_uq').on(t.tokenHash)]);
