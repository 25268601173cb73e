import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { PlanTemplate, Trade } from '@towerdesk/domain';
import { staff } from '../parties/schema.ts';
import { sites } from '../sites/schema.ts';

/** Who does a plan's tasks: one person, anyone of a trade, or whoever is on duty for a trade then. */
export type AssigneeSpec = { type: 'staff'; staffId: string } | { type: 'trade'; trade: Trade } | { type: 'duty'; trade: Trade };

/**
 * Plans (DESIGN §2.4, IN-1 … GR-2): a recurring routine that generates tasks. The schedule is the
 * plan's own (editing it re-plans tasks not yet started); the checklist lives in plan_versions so
 * a task keeps the template it was generated with.
 */
export const plans = pgTable('plans', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  /** PlanKind from the domain package: inspection, patrol, cleaning, … */
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  /** RFC 5545 RRULE body, evaluated in Asia/Shanghai wall time from starts_on 00:00. */
  rrule: text('rrule').notNull(),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  /** 'run' | 'skip' | 'previous_working_day' | 'next_working_day' */
  holidayRule: text('holiday_rule').notNull(),
  durationMinutes: integer('duration_minutes').notNull(),
  graceMinutes: integer('grace_minutes').notNull(),
  assignee: jsonb('assignee').$type<AssigneeSpec>().notNull(),
  /** The version new tasks take; bumped by a template change. */
  currentVersion: integer('current_version').notNull().default(1),
  active: boolean('active').notNull().default(true),
  /**
   * Tasks exist for every occurrence starting before this instant; null = none yet. The sweep
   * claims only plans whose horizon runs short, so a pass over 500 plans costs one query.
   */
  tasksUntil: timestamp('tasks_until', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('plans_site_kind_idx').on(t.siteId, t.kind),
  index('plans_tasks_until_idx').on(t.tasksUntil).where(sql`${t.active}`),
  check('plans_window_positive', sql`${t.durationMinutes} > 0 and ${t.graceMinutes} >= 0`),
]);

/** Every template a plan has had; never updated, so a done task can always show what it answered. */
export const planVersions = pgTable('plan_versions', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  planId: uuid('plan_id').notNull().references(() => plans.id),
  version: integer('version').notNull(),
  template: jsonb('template').$type<PlanTemplate>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('plan_versions_plan_version_uq').on(t.planId, t.version)]);

/**
 * One task per plan occurrence. The unique (plan_id, occurrence) is what makes generation
 * idempotent across processes: every sweep inserts with ON CONFLICT DO NOTHING. `occurrence` is
 * the instant the rule produced, kept when a holiday rule moves the task to another day.
 */
export const tasks = pgTable('tasks', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  planId: uuid('plan_id').notNull().references(() => plans.id),
  planVersion: integer('plan_version').notNull(),
  occurrence: timestamp('occurrence', { withTimezone: true }).notNull(),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  lateAt: timestamp('late_at', { withTimezone: true }).notNull(),
  /** Resolved when generated: the named person, or the one on duty for the trade then; null = the trade's pool. */
  assigneeStaffId: uuid('assignee_staff_id').references(() => staff.id),
  assigneeTrade: text('assignee_trade'),
  /** 'scheduled' until someone starts it (later slices: in_progress, done, missed). */
  state: text('state').notNull().default('scheduled'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('tasks_plan_occurrence_uq').on(t.planId, t.occurrence),
  // "Today's tasks" on the desk and the phone.
  index('tasks_site_starts_idx').on(t.siteId, t.startsAt),
  index('tasks_assignee_starts_idx').on(t.assigneeStaffId, t.startsAt),
]);
