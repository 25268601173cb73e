import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The in-app inbox: one row per recipient account. */
export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id'),
  accountId: uuid('account_id').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  /** e.g. 'work_item.assigned', 'clock.warning', 'clock.breach' */
  kind: text('kind').notNull(),
  titleZh: text('title_zh').notNull(),
  titleEn: text('title_en').notNull(),
  body: text('body'),
  entityType: text('entity_type'),
  entityId: uuid('entity_id'),
  readAt: timestamp('read_at', { withTimezone: true }),
}, (t) => [index('notifications_inbox_idx').on(t.accountId, t.at)]);

/**
 * Messages for outside channels (SMS, WeChat, e-mail), written in the same transaction as the
 * change that caused them and sent after commit by the outbox sweep, so a rolled-back change
 * never pages anyone.
 */
export const outbox = pgTable('outbox', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id'),
  channel: text('channel').notNull(),
  accountId: uuid('account_id'),
  payload: jsonb('payload').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  attempts: integer('attempts').notNull().default(0),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  lastError: text('last_error'),
}, (t) => [index('outbox_pending_idx').on(t.createdAt).where(sql`${t.sentAt} is null`)]);

