import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../accounts/schema.ts';
import { sites } from '../sites/schema.ts';

/**
 * One uploaded photo (DESIGN §2 "attachments"). The bytes live on disk, content-addressed by the
 * SHA-256 of the re-encoded file, so the row is the only thing that says who may see them.
 * An upload is pending (entity null) until a module attaches it to one of its records.
 */
export const attachments = pgTable('attachments', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** The entity's site once attached; while pending, the uploader's (null for a company-wide admin). */
  siteId: uuid('site_id').references(() => sites.id),
  /** SHA-256 (hex) of the stored, re-encoded file: its name on disk and its ETag. */
  sha256: text('sha256').notNull(),
  thumbSha256: text('thumb_sha256').notNull(),
  mime: text('mime').notNull(),
  bytes: integer('bytes').notNull(),
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  /** The name the client sent, cleaned; shown and offered on download, never used as a path. */
  originalName: text('original_name').notNull(),
  uploadedBy: uuid('uploaded_by').notNull().references(() => accounts.id),
  uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
  /** What it is attached to, e.g. ('work_item', id) or ('work_item_comment', id); null while pending. */
  entityType: text('entity_type'),
  /** Text, not uuid: the owning module decides its ids (a timeline entry may have a bigint id). */
  entityId: text('entity_id'),
  /** Chosen by the attaching module: 'photo', 'before', 'after', … */
  role: text('role'),
  attachedAt: timestamp('attached_at', { withTimezone: true }),
}, (t) => [
  index('attachments_entity_idx').on(t.entityType, t.entityId),
  // The purge sweep's query: pending uploads by age.
  index('attachments_pending_idx').on(t.uploadedAt).where(sql`${t.entityType} is null`),
  // "Is this file still referenced?" before a file is removed from disk.
  index('attachments_sha_idx').on(t.sha256),
  index('attachments_thumb_sha_idx').on(t.thumbSha256),
  check('attachments_entity_pair_ck', sql`(${t.entityType} is null) = (${t.entityId} is null)`),
]);
