import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A site is one property project (a tower and its grounds). Every other table carries site_id. */
export const sites = pgTable('sites', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  address: text('address'),
  /** Working hours per ISO weekday (domain WorkingHours); null = the default 09:00–17:00. */
  workingHours: jsonb('working_hours'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
