import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { accounts } from '../accounts/schema.ts';
import { companies, occupants } from '../parties/schema.ts';
import { places } from '../places/schema.ts';
import { sites } from '../sites/schema.ts';

/**
 * Reception records (接待记录, CS-4, CS-5): every desk contact — a call, a walk-in, a message —
 * is one row, whatever the channel, linked to the work items created from it.
 */
export const receptions = pgTable('receptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  /** When the contact happened (a call's start; the desk may back-date a walk-in it records late). */
  at: timestamp('at', { withTimezone: true }).notNull(),
  /** 'call' | 'walk_in' | 'message' */
  channel: text('channel').notNull(),
  occupantId: uuid('occupant_id').references(() => occupants.id),
  companyId: uuid('company_id').references(() => companies.id),
  /**
   * The contact's unit at the time (defaults to the occupant's, else the company's first unit),
   * kept on the record so statistics by floor do not move when an occupant moves.
   */
  unitId: uuid('unit_id').references(() => places.id),
  /** Who came or called when they are not (or not only) a registered occupant. */
  contactName: text('contact_name'),
  contactPhone: text('contact_phone'),
  /** A desk topic code (topics.ts): repair, complaint, inquiry, suggestion, visitor, other. */
  topic: text('topic').notNull(),
  summary: text('summary').notNull(),
  actionTaken: text('action_taken'),
  result: text('result'),
  agentAccountId: uuid('agent_account_id').notNull().references(() => accounts.id),
  workItemIds: uuid('work_item_ids').array().notNull().default(sql`'{}'`),
  callId: uuid('call_id').references((): AnyPgColumn => phoneCalls.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [
  index('receptions_site_at_idx').on(t.siteId, t.at),
  index('receptions_company_idx').on(t.siteId, t.companyId, t.at),
  index('receptions_occupant_idx').on(t.siteId, t.occupantId, t.at),
  index('receptions_work_items_idx').using('gin', t.workItemIds),
  uniqueIndex('receptions_call_uq').on(t.callId),
]);

/**
 * Machine-to-machine senders (DESIGN §1): a phone system today; door controllers and plate
 * cameras later. The secret signs every request (HMAC-SHA256); it is kept in clear because
 * verifying an HMAC needs the key itself, and it is shown to a person only when it is created
 * or rotated.
 */
export const integrations = pgTable('integrations', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  name: text('name').notNull(),
  /** 'phone' */
  kind: text('kind').notNull(),
  secret: text('secret').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  secretRotatedAt: timestamp('secret_rotated_at', { withTimezone: true }),
}, (t) => [uniqueIndex('integrations_site_name_uq').on(t.siteId, t.name)]);

/** Signatures already accepted, kept ≥ 10 minutes so the same signed request is refused twice. */
export const integrationSignatures = pgTable('integration_signatures', {
  integrationId: uuid('integration_id').notNull().references(() => integrations.id),
  signature: text('signature').notNull(),
  seenAt: timestamp('seen_at', { withTimezone: true }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.integrationId, t.signature] }),
  index('integration_signatures_seen_idx').on(t.seenAt),
]);

/** Calls pushed by the phone system (RP-1): one row per call id, updated when the call ends. */
export const phoneCalls = pgTable('phone_calls', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  integrationId: uuid('integration_id').notNull().references(() => integrations.id),
  /** The phone system's own call id: a retried delivery updates the same row. */
  externalId: text('external_id').notNull(),
  caller: text('caller').notNull(),
  callee: text('callee'),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  endedAt: timestamp('ended_at', { withTimezone: true }),
  recordingUrl: text('recording_url'),
  receptionId: uuid('reception_id').references((): AnyPgColumn => receptions.id),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [
  uniqueIndex('phone_calls_integration_external_uq').on(t.integrationId, t.externalId),
  index('phone_calls_site_started_idx').on(t.siteId, t.startedAt),
]);
