import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../accounts/schema.ts';
import { companies, occupants, staff } from '../parties/schema.ts';
import { places } from '../places/schema.ts';
import { sites } from '../sites/schema.ts';

/**
 * Work items (工单, DESIGN §2.2): repairs, complaints, inquiries — one table, the kind's rules
 * are data in packages/domain/src/work-items. `site_id` leads every key so the table can be
 * distributed by site later (docs/scaling.md).
 */
export const workItems = pgTable('work_items', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  /** BX-20261124-0007: prefix, Shanghai day, sequence of the day within the site. */
  number: text('number').notNull(),
  kind: text('kind').notNull(),
  category: text('category').notNull(),
  urgency: text('urgency').notNull(),
  state: text('state').notNull(),
  title: text('title').notNull(),
  description: text('description').notNull(),
  placeId: uuid('place_id').references(() => places.id),
  channel: text('channel').notNull(),
  /** The occupant the item is for (reporter), and their company for company-wide visibility. */
  occupantId: uuid('occupant_id').references(() => occupants.id),
  companyId: uuid('company_id').references(() => companies.id),
  /** Contact given at intake when the reporter is not a registered occupant. */
  contactName: text('contact_name'),
  contactPhone: text('contact_phone'),
  createdBy: uuid('created_by').notNull().references(() => accounts.id),
  assigneeStaffId: uuid('assignee_staff_id').references(() => staff.id),
  /** Non-urgent items reported outside working time start their clocks here (CS-2). */
  scheduledFor: timestamp('scheduled_for', { withTimezone: true }),
  arrivedAt: timestamp('arrived_at', { withTimezone: true }),
  /** 'qr' when proven by a scan at the place (RP-3), 'manual' with a reason otherwise. */
  arrivalProof: text('arrival_proof'),
  completedAt: timestamp('completed_at', { withTimezone: true }),
  /**
   * RP-5: the 4-digit code the reporting occupant reads out to the technician at completion.
   * The service draws it from the CSPRNG at create and draws a new one at every reopen (the
   * technician saw the old one); the database default is only a fallback for other inserts.
   * Only items with an occupant reporter ask for it, and it is shown to them and the desk only.
   */
  confirmationCode: text('confirmation_code').default(sql`lpad(floor(random() * 10000)::int::text, 4, '0')`),
  /** How the occupant confirmed completion: 'code' | 'signature'; null = unconfirmed (see reason). */
  confirmedBy: text('confirmed_by'),
  /** Why completion was not confirmed by the occupant (public area, occupant absent, …). */
  confirmationReason: text('confirmation_reason'),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  resolution: text('resolution'),
  /** RP-5 the repair record: materials used (free text until the stock ledger) and labour in minutes, given at completion. */
  materials: text('materials'),
  labourMinutes: integer('labour_minutes'),
  rating: integer('rating'),
  ratingComment: text('rating_comment'),
  reopenCount: integer('reopen_count').notNull().default(0),
  /** A complaint opened from a dissatisfied revisit points at the item it is about (RP-8). */
  relatedItemId: uuid('related_item_id'),
  /** A finding (IN-4) points at the task and checkpoint order where it was found. */
  taskId: uuid('task_id'),
  taskCheckpoint: integer('task_checkpoint'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [
  uniqueIndex('work_items_site_number_uq').on(t.siteId, t.number),
  index('work_items_open_idx').on(t.siteId, t.state, t.createdAt),
  // The dispatch board (open items, newest first, and their count) reads only the open few
  // among years of closed history (issue 3 benchmark (b)); scanned backwards for newest first.
  index('work_items_board_idx').on(t.siteId, t.createdAt).where(sql`${t.state} not in ('closed', 'cancelled')`),
  index('work_items_assignee_idx').on(t.siteId, t.assigneeStaffId, t.state),
  index('work_items_company_idx').on(t.siteId, t.companyId, t.createdAt),
  index('work_items_occupant_idx').on(t.siteId, t.occupantId, t.createdAt),
  index('work_items_task_idx').on(t.taskId).where(sql`${t.taskId} is not null`),
]);

/** One timeline per item: transitions, comments, assignments, clock events (RP-4). */
export const workItemEvents = pgTable('work_item_events', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  siteId: uuid('site_id').notNull(),
  itemId: uuid('item_id').notNull().references(() => workItems.id),
  at: timestamp('at', { withTimezone: true }).notNull(),
  actorId: uuid('actor_id'),
  actorName: text('actor_name'),
  /** 'created' | 'transition' | 'comment' | 'urgency' | 'clock' */
  type: text('type').notNull(),
  action: text('action'),
  fromState: text('from_state'),
  toState: text('to_state'),
  body: text('body'),
  /** Visible to the occupant (public) or to staff only (internal). */
  public: boolean('public').notNull(),
  data: jsonb('data'),
}, (t) => [index('work_item_events_item_idx').on(t.itemId, t.at)]);

/**
 * Clocks (DESIGN §2.3): due times are computed when a clock starts or resumes and stored, so
 * the sweep is one indexed query on next_fire_at. Warnings, breach and escalation levels are
 * counted on the row, which is what makes each fire exactly once under FOR UPDATE SKIP LOCKED.
 */
export const workItemClocks = pgTable('work_item_clocks', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull(),
  itemId: uuid('item_id').notNull().references(() => workItems.id),
  clock: text('clock').notNull(),
  policy: jsonb('policy').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  runningSince: timestamp('running_since', { withTimezone: true }),
  /** Minutes (working or wall, per the policy's calendar) used before the current run. */
  consumed: real('consumed').notNull().default(0),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  warnAts: timestamp('warn_ats', { withTimezone: true }).array().notNull().default(sql`'{}'`),
  warningsFired: integer('warnings_fired').notNull().default(0),
  breachedAt: timestamp('breached_at', { withTimezone: true }),
  escalationLevel: integer('escalation_level').notNull().default(0),
  /** The next instant the sweep must look at this clock; null when stopped or paused. */
  nextFireAt: timestamp('next_fire_at', { withTimezone: true }),
  stoppedAt: timestamp('stopped_at', { withTimezone: true }),
  met: boolean('met'),
  minutesLate: integer('minutes_late'),
}, (t) => [
  uniqueIndex('work_item_clocks_item_clock_uq').on(t.itemId, t.clock),
  index('work_item_clocks_fire_idx').on(t.nextFireAt).where(sql`${t.nextFireAt} is not null`),
]);

/** Per-site, per-day sequence behind the human numbers. */
export const workItemCounters = pgTable('work_item_counters', {
  siteId: uuid('site_id').notNull(),
  prefix: text('prefix').notNull(),
  day: text('day').notNull(),
  last: integer('last').notNull(),
}, (t) => [primaryKey({ columns: [t.siteId, t.prefix, t.day] })]);


/**
 * Revisits (回访, RP-8, CP-7): chosen by policy when an item completes or resolves — every urgent
 * repair, every complaint, every repair rated ≤ 3, and a sample of the rest — and due within the
 * item's revisit clock. The result decides the follow-up.
 */
export const revisits = pgTable('revisits', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull(),
  itemId: uuid('item_id').notNull().references(() => workItems.id),
  /** 'urgent' | 'complaint' | 'low_rating' | 'sample' */
  reason: text('reason').notNull(),
  state: text('state').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  attempts: integer('attempts').notNull().default(0),
  /** 'phone' | 'email' | 'on_site' */
  channel: text('channel'),
  reached: boolean('reached'),
  satisfied: boolean('satisfied'),
  comment: text('comment'),
  /** 'none' | 'reopened' | 'complaint' */
  followUp: text('follow_up'),
  followUpItemId: uuid('follow_up_item_id'),
  doneBy: uuid('done_by'),
  doneAt: timestamp('done_at', { withTimezone: true }),
}, (t) => [
  index('revisits_item_idx').on(t.itemId),
  index('revisits_pending_idx').on(t.siteId, t.state, t.createdAt),
]);

/**
 * Quality spot-checks (质量抽检, RP-7): a supervisor checks a completed repair and records pass or
 * fail. `proposedWeek` is the ISO week whose weekly proposal named the repair (null: picked by
 * hand). A failed check is only recorded for now: the rectification item (整改, RC-1) it should
 * open comes with the rectification kind in a later issue, which will fill `rectificationItemId`.
 */
export const qualitySpotChecks = pgTable('quality_spot_checks', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull(),
  itemId: uuid('item_id').notNull().references(() => workItems.id),
  /** 'pass' | 'fail' */
  result: text('result').notNull(),
  note: text('note'),
  proposedWeek: text('proposed_week'),
  checkedBy: uuid('checked_by').references(() => accounts.id),
  checkedByName: text('checked_by_name').notNull(),
  checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
  rectificationItemId: uuid('rectification_item_id'),
}, (t) => [
  uniqueIndex('quality_spot_checks_item_uq').on(t.itemId),
  index('quality_spot_checks_site_idx').on(t.siteId, t.checkedAt),
]);
