import { z } from 'zod';
import type { attachments } from './schema.ts';

export type AttachmentRow = typeof attachments.$inferSelect;

/** What POST /api/uploads answers per file. */
export const UploadView = z.object({
  id: z.string(), mime: z.string(), bytes: z.number().int(), width: z.number().int(), height: z.number().int(),
  url: z.string(), thumbUrl: z.string(),
});
export type UploadView = z.infer<typeof UploadView>;

/** An attached file as other modules show it (work items, comments); reuse it in their response schemas. */
export const AttachmentView = UploadView.extend({
  role: z.string().nullable(),
  originalName: z.string(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
});
export type AttachmentView = z.infer<typeof AttachmentView>;

export const contentUrl = (id: string, size: 'full' | 'thumb' = 'full') =>
  size === 'thumb' ? `/api/attachments/${id}/content?size=thumb` : `/api/attachments/${id}/content`;

export function toUploadView(row: AttachmentRow): UploadView {
  return { id: row.id, mime: row.mime, bytes: row.bytes, width: row.width, height: row.height, url: contentUrl(row.id), thumbUrl: contentUrl(row.id, 'thumb') };
}

export function toAttachmentView(row: AttachmentRow): AttachmentView {
  return { ...toUploadView(row), role: row.role, originalName: row.originalName, uploadedBy: row.uploadedBy, uploadedAt: row.uploadedAt.toISOString() };
}
