import { sql } from 'drizzle-orm';
import { boolean, check, date, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { PlanTemplate, Trade } from '@towerdesk/domain';
import { staff } from '../parties/schema.ts';
import { places } from '../places/schema.ts';
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
  /** TaskState: scheduled → in_progress → done; scheduled → missed by the sweep (IN-3). */
  state: text('state').notNull().default('scheduled'),
  /**
   * Who started it owns it (the conflict rule, docs/offline.md). Times are when it happened on
   * the phone, which may be well before the server heard of it (offline); received_at says when.
   */
  startedAt: timestamp('started_at', { withTimezone: true }),
  startedBy: uuid('started_by').references(() => staff.id),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  finishedBy: uuid('finished_by').references(() => staff.id),
  note: text('note'),
  /** When the sweep told the supervisor the task had not started on time (once). */
  lateNotifiedAt: timestamp('late_notified_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('tasks_plan_occurrence_uq').on(t.planId, t.occurrence),
  // "Today's tasks" on the desk and the phone.
  index('tasks_site_starts_idx').on(t.siteId, t.startsAt),
  index('tasks_assignee_starts_idx').on(t.assigneeStaffId, t.startsAt),
  // The sweep's look for tasks gone past their window without a start (few: only open ones).
  index('tasks_open_late_idx').on(t.lateAt).where(sql`${t.state} in ('scheduled', 'in_progress')`),
]);

/**
 * A checkpoint of a task (IN-3): visited — scanned at the place (proof 'qr') or entered by hand
 * with a reason ('manual') — or missed (the task finished or lapsed without it). One row per
 * checkpoint at most; a checkpoint not yet reached has none.
 */
export const taskCheckpoints = pgTable('task_checkpoints', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  taskId: uuid('task_id').notNull().references(() => tasks.id, { onDelete: 'cascade' }),
  planId: uuid('plan_id').notNull().references(() => plans.id),
  /** The checkpoint's `order` in the task's template version. */
  checkpoint: integer('checkpoint').notNull(),
  placeId: uuid('place_id').notNull().references(() => places.id),
  /** 'visited' | 'missed' */
  state: text('state').notNull(),
  /** When it was scanned on the phone (null when missed). */
  at: timestamp('at', { withTimezone: true }),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  staffId: uuid('staff_id').references(() => staff.id),
  /** 'qr' | 'manual' */
  proof: text('proof'),
  reason: text('reason'),
  /** Scanned while an earlier checkpoint was still unvisited: allowed, flagged (IN-3). */
  outOfOrder: boolean('out_of_order').notNull().default(false),
  /** Scanned after the task's window and grace. */
  late: boolean('late').notNull().default(false),
}, (t) => [
  uniqueIndex('task_checkpoints_task_cp_uq').on(t.taskId, t.checkpoint),
  index('task_checkpoints_place_at_idx').on(t.placeId, t.at),
  index('task_checkpoints_plan_at_idx').on(t.planId, t.at),
]);

/**
 * One answer to one checklist item at one checkpoint of a task (IN-3, IN-5): typed, never one
 * text blob — numbers as numbers with their unit, yes/no as booleans, choices and photo ids as
 * lists. Answering again before the task is done replaces the answer: one record per answer.
 */
export const taskAnswers = pgTable('task_answers', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  taskId: uuid('task_id').notNull().references(() => tasks.id, { onDelete: 'cascade' }),
  planId: uuid('plan_id').notNull().references(() => plans.id),
  checkpoint: integer('checkpoint').notNull(),
  placeId: uuid('place_id').notNull().references(() => places.id),
  itemId: text('item_id').notNull(),
  /** The item's ItemKind, so records read without the template. */
  kind: text('kind').notNull(),
  num: doublePrecision('num'),
  unit: text('unit'),
  bool: boolean('bool'),
  text: text('text'),
  /** Choices (single: one element) and photo upload ids. */
  list: jsonb('list').$type<string[]>(),
  finding: boolean('finding').notNull().default(false),
  /** The finding work item this answer raised (IN-4); kept when the answer is corrected. */
  findingItemId: uuid('finding_item_id'),
  at: timestamp('at', { withTimezone: true }).notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  staffId: uuid('staff_id').references(() => staff.id),
}, (t) => [
  uniqueIndex('task_answers_task_item_uq').on(t.taskId, t.checkpoint, t.itemId),
  // Records by plan and month (IN-5 route report) and a reading's time series per place and item.
  index('task_answers_plan_at_idx').on(t.planId, t.at),
  index('task_answers_place_item_at_idx').on(t.placeId, t.itemId, t.at),
  // The route report counts a month's findings per plan from the index alone (issue 4 benchmark (b)).
  index('task_answers_plan_finding_at_idx').on(t.planId, t.at).where(sql`${t.finding}`),
]);
