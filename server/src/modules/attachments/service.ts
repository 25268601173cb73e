import { and, asc, count, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/index.ts';
import { audit } from '../../platform/audit.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { invalidField, NotFound } from '../../platform/errors.ts';
import type { Message } from '../../platform/i18n.ts';
import type { Photo } from './photos.ts';
import { attachments } from './schema.ts';
import { putFile, readStoredFile, removeFile } from './store.ts';
import { toAttachmentView, type AttachmentRow, type AttachmentView } from './views.ts';

export { AttachmentView, UploadView, toAttachmentView, toUploadView, contentUrl, type AttachmentRow } from './views.ts';

/** At most this many files per upload request and per attach call (issue 3: ≤ 6 photos per item). */
export const MAX_FILES = 6;
/** A pending upload not attached within this time is garbage (purgeStaleUploads). */
export const PENDING_TTL_MS = 24 * 60 * 60 * 1000;

// ── Visibility ────────────────────────────────────────────────────────────────────────────────

export type AttachmentVisibility = (ctx: SignedInCtx, entityId: string) => Promise<boolean>;
const visibility = new Map<string, AttachmentVisibility>();

/**
 * The module that owns an entity type says who may see the files attached to its entities
 * (usually: whoever may see the entity). Without a registered check nobody sees them (404).
 */
export function registerAttachmentVisibility(entityType: string, check: AttachmentVisibility) {
  visibility.set(entityType, check);
}

/**
 * The attachment if the actor may see it, else 404 (ids of other people's files are not probed):
 * a pending upload only to its uploader; an attached one if its entity's check says yes.
 */
export async function findVisibleAttachment(ctx: SignedInCtx, id: string): Promise<AttachmentRow> {
  const [row] = await ctx.db.select().from(attachments).where(eq(attachments.id, id));
  if (!row) throw NotFound();
  if (ctx.actor.siteId && row.siteId && row.siteId !== ctx.actor.siteId) throw NotFound();
  if (row.entityType === null || row.entityId === null) {
    if (row.uploadedBy !== ctx.actor.accountId) throw NotFound();
    return row;
  }
  const check = visibility.get(row.entityType);
  if (!check || !(await check(ctx, row.entityId))) throw NotFound();
  return row;
}

/** The bytes of a visible attachment (full or thumbnail), with what the response needs. */
export async function readAttachmentContent(ctx: SignedInCtx, filesDir: string, id: string, size: 'full' | 'thumb') {
  const row = await findVisibleAttachment(ctx, id);
  const sha256 = size === 'thumb' ? row.thumbSha256 : row.sha256;
  const data = await readStoredFile(filesDir, sha256, row.mime);
  // A row without its file is our fault (a restored database without the files), not the client's.
  if (!data) throw NotFound();
  return { row, sha256, data };
}

// ── Upload ────────────────────────────────────────────────────────────────────────────────────

/**
 * Stores checked photos (photos.ts) as pending uploads of the actor: files first, then the rows
 * and one audit row per upload, in one transaction. A per-hash lock orders this against the purge,
 * so a file is never removed between "it is already on disk" and the commit of a row that uses it.
 */
/**
 * Shows files already attached to one record on another as well (a round's photo on the finding it
 * raised, IN-4): a new row per file for the target, the same bytes on disk (content-addressed, so
 * a file stays while any row names it). Inside the caller's transaction.
 */
export async function shareAttachments(tx: Queryable, ids: string[], target: AttachTarget, at: Date) {
  if (!ids.length) return;
  const rows = await tx.select().from(attachments).where(inArray(attachments.id, ids));
  if (!rows.length) return;
  await tx.insert(attachments).values(rows.map(({ id: _id, ...r }) => ({
    ...r, siteId: target.siteId, entityType: target.entityType, entityId: target.entityId, role: target.role, attachedAt: at,
  })));
}

/** The actor's own uploads by id, in the order given (a replayed upload answers with them). */
export async function uploadsOf(ctx: SignedInCtx, ids: string[]): Promise<AttachmentRow[]> {
  if (!ids.length) return [];
  const rows = await ctx.db.select().from(attachments).where(and(inArray(attachments.id, ids), eq(attachments.uploadedBy, ctx.actor.accountId)));
  return ids.map((id) => rows.find((r) => r.id === id)).filter((r): r is AttachmentRow => !!r);
}

export async function storeUploads(ctx: SignedInCtx, filesDir: string, photos: Photo[]): Promise<AttachmentRow[]> {
  const images = photos.flatMap((p) => [p.full, p.thumb]);
  try {
    return await ctx.db.transaction(async (tx) => {
      await lockHashes(tx, images.map((i) => i.sha256));
      for (const img of images) await putFile(filesDir, img.sha256, img.mime, img.data);
      const rows = await tx.insert(attachments).values(photos.map((p) => ({
        siteId: ctx.actor.siteId, sha256: p.full.sha256, thumbSha256: p.thumb.sha256, mime: p.full.mime,
        bytes: p.full.data.length, width: p.full.width, height: p.full.height, originalName: p.originalName,
        uploadedBy: ctx.actor.accountId, uploadedAt: ctx.now,
      }))).returning();
      await audit(tx, ctx, rows.map((r) => ({
        action: 'attachment.upload', entityType: 'attachment', entityId: r.id, siteId: r.siteId,
        after: { sha256: r.sha256, mime: r.mime, bytes: r.bytes, width: r.width, height: r.height, originalName: r.originalName },
      })));
      return rows;
    });
  } catch (err) {
    // The rows did not commit: files written for them alone would be orphans nobody purges.
    await removeUnreferencedFiles(ctx.db, filesDir, images.map((i) => ({ sha256: i.sha256, mime: i.mime }))).catch(() => {});
    throw err;
  }
}

// ── Attach (called by other modules inside their transaction) ─────────────────────────────────

export interface AttachTarget {
  entityType: string;
  entityId: string;
  siteId: string;
  /** 'photo', 'before', 'after', … chosen by the caller. */
  role: string;
}

export interface AttachOptions {
  /** Most ids in this call (default 6). */
  max?: number;
  /**
   * Most files on the entity after this call, counting those attached before. Lock the entity
   * row first (FOR UPDATE) so two concurrent calls cannot both pass the count.
   */
  maxPerEntity?: number;
  /** The request field the ids came from, named in 400s (default 'body.attachmentIds'). */
  field?: string;
}

const attachMessages = {
  tooMany: (max: number): Message => ({ zh: `最多 ${max} 个附件`, en: `At most ${max} attachments` }),
  duplicate: { zh: '附件重复', en: 'The same attachment is listed twice' } satisfies Message,
  notYours: { zh: '附件不存在或不是您上传的', en: 'No such upload of yours' } satisfies Message,
  attached: { zh: '附件已被使用', en: 'The upload is already attached to something' } satisfies Message,
  expired: { zh: '附件上传已超过 24 小时，请重新上传', en: 'The upload is older than 24 hours; upload it again' } satisfies Message,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Attaches the actor's pending uploads to an entity, inside the caller's transaction (so they are
 * attached exactly when the entity change commits). Each id must be a pending upload of this
 * actor, younger than 24 h; otherwise 400 naming `opts.field`. Returns the rows in the order of
 * `uploadIds` (the order the user picked the photos). Writes one audit row on the entity.
 */
export async function attachUploads(tx: Queryable, ctx: SignedInCtx, uploadIds: string[], target: AttachTarget, opts: AttachOptions = {}): Promise<AttachmentRow[]> {
  const field = opts.field ?? 'body.attachmentIds';
  const max = opts.max ?? MAX_FILES;
  if (uploadIds.length === 0) return [];
  if (uploadIds.length > max) throw invalidField(field, attachMessages.tooMany(max), 'too_big');
  // A malformed id is "not your upload", not a database cast error.
  if (!uploadIds.every((id) => UUID.test(id))) throw invalidField(field, attachMessages.notYours, 'not_found');
  const ids = uploadIds.map((id) => id.toLowerCase());
  if (new Set(ids).size !== ids.length) throw invalidField(field, attachMessages.duplicate, 'duplicate');

  // Locked in id order: two calls over overlapping ids cannot deadlock; the purge waits for us.
  const rows = await tx.select().from(attachments).where(inArray(attachments.id, ids)).orderBy(asc(attachments.id)).for('update');
  const byId = new Map(rows.map((r) => [r.id, r]));
  const oldest = ctx.now.getTime() - PENDING_TTL_MS;
  for (const id of ids) {
    const r = byId.get(id);
    if (!r || r.uploadedBy !== ctx.actor.accountId) throw invalidField(field, attachMessages.notYours, 'not_found');
    if (r.entityType !== null) throw invalidField(field, attachMessages.attached, 'already_attached');
    if (r.uploadedAt.getTime() < oldest) throw invalidField(field, attachMessages.expired, 'expired');
  }
  if (opts.maxPerEntity !== undefined) {
    const [c] = await tx.select({ n: count() }).from(attachments)
      .where(and(eq(attachments.entityType, target.entityType), eq(attachments.entityId, target.entityId)));
    if (c!.n + ids.length > opts.maxPerEntity) throw invalidField(field, attachMessages.tooMany(opts.maxPerEntity), 'too_big');
  }
  const updated = await tx.update(attachments).set({
    entityType: target.entityType, entityId: target.entityId, siteId: target.siteId, role: target.role, attachedAt: ctx.now,
  }).where(inArray(attachments.id, ids)).returning();
  await audit(tx, ctx, {
    action: 'attachment.attach', entityType: target.entityType, entityId: target.entityId, siteId: target.siteId,
    after: { role: target.role, attachmentIds: ids },
  });
  const out = new Map(updated.map((r) => [r.id, r]));
  return ids.map((id) => out.get(id)!);
}

/**
 * The files attached to some entities of one type, grouped by entity id (every requested id has
 * an entry, maybe empty), in the order they were attached. No visibility check: the caller has
 * already decided the actor may see these entities.
 */
export async function listAttachments(db: Queryable, entityType: string, entityIds: string[]): Promise<Map<string, AttachmentView[]>> {
  const grouped = new Map<string, AttachmentView[]>(entityIds.map((id) => [id, []]));
  if (entityIds.length === 0) return grouped;
  const rows = await db.select().from(attachments)
    .where(and(eq(attachments.entityType, entityType), inArray(attachments.entityId, [...new Set(entityIds)])))
    .orderBy(asc(attachments.attachedAt), asc(attachments.uploadedAt), asc(attachments.id));
  for (const r of rows) grouped.get(r.entityId!)?.push(toAttachmentView(r));
  return grouped;
}

// ── Garbage ───────────────────────────────────────────────────────────────────────────────────

const PURGE_BATCH = 500;

/**
 * Deletes pending uploads older than 24 h, then removes each of their files from disk unless
 * another row still uses it (the same photo uploaded twice is one file). Rows go first, in their
 * own transaction: a crash in between leaves a file without a row (disk space), never a row
 * without its file. Batches are claimed with SKIP LOCKED, so two processes sweeping share the work.
 */
export async function purgeStaleUploads(db: Db, now: Date, filesDir: string) {
  const cutoff = new Date(now.getTime() - PENDING_TTL_MS);
  let uploads = 0;
  let files = 0;
  for (;;) {
    const claim = db.select({ id: attachments.id }).from(attachments)
      .where(and(isNull(attachments.entityType), lt(attachments.uploadedAt, cutoff)))
      .orderBy(asc(attachments.uploadedAt)).limit(PURGE_BATCH).for('update', { skipLocked: true });
    const gone = await db.delete(attachments).where(inArray(attachments.id, claim))
      .returning({ sha256: attachments.sha256, thumbSha256: attachments.thumbSha256, mime: attachments.mime });
    uploads += gone.length;
    files += await removeUnreferencedFiles(db, filesDir, gone.flatMap((g) => [{ sha256: g.sha256, mime: g.mime }, { sha256: g.thumbSha256, mime: g.mime }]));
    if (gone.length < PURGE_BATCH) break;
  }
  return { uploads, files };
}

/** Removes the files that no row references; each hash checked and removed under its lock. */
async function removeUnreferencedFiles(db: Db, filesDir: string, files: Array<{ sha256: string; mime: string }>) {
  const unique = [...new Map(files.map((f) => [f.sha256, f])).values()].sort((a, b) => a.sha256.localeCompare(b.sha256));
  let removed = 0;
  // Small transactions: each advisory lock takes a slot in PostgreSQL's shared lock table.
  for (let i = 0; i < unique.length; i += 50) {
    const chunk = unique.slice(i, i + 50);
    removed += await db.transaction(async (tx) => {
      await lockHashes(tx, chunk.map((f) => f.sha256));
      const shas = chunk.map((f) => f.sha256);
      const used = await tx.select({ sha256: attachments.sha256, thumbSha256: attachments.thumbSha256 }).from(attachments)
        .where(or(inArray(attachments.sha256, shas), inArray(attachments.thumbSha256, shas)));
      const inUse = new Set(used.flatMap((u) => [u.sha256, u.thumbSha256]));
      let n = 0;
      for (const f of chunk) {
        if (inUse.has(f.sha256)) continue;
        await removeFile(filesDir, f.sha256, f.mime);
        n++;
      }
      return n;
    });
  }
  return removed;
}

/** Transaction-scoped locks per file hash, taken in sorted order so two holders never deadlock. */
async function lockHashes(tx: Queryable, shas: string[]) {
  for (const sha of [...new Set(shas)].sort()) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`towerdesk:file:${sha}`}, 0))`);
  }
}
