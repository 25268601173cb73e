import { boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { occupants, staff } from '../parties/schema.ts';
import { sites } from '../sites/schema.ts';

/** A login. Staff accounts link to a staff record, occupant accounts to an occupant. */
export const accounts = pgTable('accounts', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** The site this account works at; null only for a company-wide admin. */
  siteId: uuid('site_id').references(() => sites.id),
  username: text('username').notNull().unique(),
  phone: text('phone').unique(),
  /** Where e-mail notices go (the outbox's e-mail channel); optional. */
  email: text('email'),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  roles: text('roles').array().notNull(),
  staffId: uuid('staff_id').references(() => staff.id),
  occupantId: uuid('occupant_id').references(() => occupants.id),
  disabled: boolean('disabled').notNull().default(false),
  locale: text('locale').notNull().default('zh-CN'),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Server-side sessions: the cookie holds a random token; we store only its SHA-256. */
export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  accountId: uuid('account_id').notNull().references(() => accounts.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
  ip: text('ip'),
  userAgent: text('user_agent'),
  endedAt: timestamp('ended_at', { withTimezone: true }),
}, (t) => [index('sessions_account_idx').on(t.accountId)]);

/** Failed sign-ins per key ('acct:<login>' or 'ip:<addr>'): drives the growing delay. */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
});
