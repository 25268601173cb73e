import { date, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sites } from '../sites/schema.ts';

/** Per-site edits over the shipped China calendar: 'holiday' | 'workday' | 'normal'. */
export const calendarOverrides = pgTable('calendar_overrides', {
  siteId: uuid('site_id').notNull().references(() => sites.id),
  day: date('day').notNull(),
  kind: text('kind').notNull(),
  note: text('note'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.siteId, t.day] })]);
