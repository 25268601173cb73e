import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { repoRoot } from '../../config.ts';
import { AppError, invalidField, NotFound } from '../../platform/errors.ts';
import { fieldMessage } from '../../platform/i18n.ts';
import { IdParams } from '../../platform/schemas.ts';
import { cleanName, fileError, preparePhoto, uploadMessages, type Photo } from './photos.ts';
import { priorResponse, remember } from '../../platform/idempotency.ts';
import { findVisibleAttachment, MAX_FILES, storeUploads, uploadsOf } from './service.ts';
import { readStoredFile, sha256Hex } from './store.ts';
import { toUploadView, UploadView } from './views.ts';

/** Per file, before re-encoding (issue 3: ≤ 10 MB). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
const tags = ['attachments'];

/**
 * Photo upload (pending until a module attaches it) and the one way to read a stored file.
 * `filesDir` defaults to the config default (data/files) for callers that never upload (bench).
 */
export const attachmentRoutes = (options: { filesDir?: string }): FastifyPluginAsyncZod => async (app) => {
  const opts = { filesDir: options.filesDir ?? path.join(repoRoot, 'data', 'files') };
  app.post('/api/uploads', {
    config: { access: 'upload.create' },
    schema: {
      tags,
      summary: '上传照片 Upload photos (multipart field "file", 1–6 files, ≤ 10 MB each; JPEG/PNG/WebP/HEIC). '
        + 'Stored re-encoded as JPEG without metadata, pending until attached to a record within 24 h. 415/413 name the file; nothing is stored unless every file is good.',
      consumes: ['multipart/form-data'],
      headers: z.object({ 'idempotency-key': z.string().min(8).max(100).optional() }).passthrough(),
      response: { 201: z.array(UploadView) },
    },
  }, async (req, reply) => {
    if (!req.isMultipart()) throw invalidField('file', uploadMessages.notMultipart, 'required');
    // Every file is read, then checked and re-encoded before anything is written: all or nothing.
    const files: Array<{ data: Buffer; name: string | undefined }> = [];
    const parts = req.parts({ limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fields: 10 } })[Symbol.asyncIterator]();
    for (;;) {
      const next = await parts.next().catch((err: unknown) => { throw multipartError(err); });
      if (next.done) break;
      const part = next.value;
      if (part.fieldname !== 'file') throw invalidField(`body.${cleanName(part.fieldname)}`, fieldMessage('unrecognized_keys'), 'unrecognized_keys');
      if (part.type !== 'file') throw invalidField('file', uploadMessages.none, 'invalid_type');
      const data = await part.toBuffer().catch((err: unknown) => {
        const name = cleanName(part.filename);
        throw codeOf(err) === 'FST_REQ_FILE_TOO_LARGE' ? fileError(413, 'too_large', name, uploadMessages.tooLarge(name)) : multipartError(err);
      });
      files.push({ data, name: part.filename });
    }
    if (files.length === 0) throw invalidField('file', uploadMessages.none, 'required');
    // The offline queue re-sends a photo whose answer it lost (IN-3): the same key and the same
    // bytes give the same uploads back, looked up before the costly re-encoding.
    const key = req.headers['idempotency-key'] as string | undefined;
    const body = files.map((f) => sha256Hex(f.data));
    if (key) {
      const prior = await priorResponse(req.signedIn, key, body) as { ids: string[] } | null;
      if (prior) {
        const rows = await uploadsOf(req.signedIn, prior.ids);
        if (rows.length === prior.ids.length) return reply.status(201).header('idempotent-replay', 'true').send(rows.map(toUploadView));
      }
    }
    const photos: Photo[] = [];
    for (const f of files) photos.push(await preparePhoto(f.data, f.name));
    const rows = await storeUploads(req.signedIn, opts.filesDir, photos);
    if (key) await remember(req.signedIn, key, body, { ids: rows.map((r) => r.id) });
    return reply.status(201).send(rows.map(toUploadView));
  });

  app.get('/api/attachments/:id/content', {
    config: { access: 'signedIn' },
    schema: {
      tags,
      summary: '附件内容 The stored file (size=full, default) or its 320 px thumbnail. Pending uploads: the uploader only; attached: whoever may see the record; else 404.',
      params: IdParams,
      querystring: z.strictObject({ size: z.enum(['full', 'thumb']).default('full') }),
      produces: ['image/jpeg', 'image/webp'],
    },
  }, async (req, reply) => {
    const row = await findVisibleAttachment(req.signedIn, req.params.id);
    const sha256 = req.query.size === 'thumb' ? row.thumbSha256 : row.sha256;
    const etag = `"${sha256}"`;
    // The URL of a file never changes its bytes, but who may read it can: private, one day.
    reply.header('cache-control', 'private, max-age=86400').header('x-content-type-options', 'nosniff').header('etag', etag);
    if (matchesEtag(req.headers['if-none-match'], etag)) return reply.status(304).send();
    const data = await readStoredFile(opts.filesDir, sha256, row.mime);
    if (!data) {
      // A row without its file is our fault (e.g. a database restored without the files).
      req.log.error({ attachmentId: row.id, sha256 }, 'attachment file missing');
      throw NotFound();
    }
    const ext = row.mime === 'image/webp' ? '.webp' : '.jpg';
    const name = row.originalName.replace(/\.[^.]*$/, '') + ext;
    return reply.type(row.mime)
      .header('content-disposition', `inline; filename="${asciiName(name, ext)}"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(data);
  });
};

const codeOf = (err: unknown) => (err as { code?: unknown } | null)?.code;

/**
 * What the multipart reader throws, as the client's problem: a 7th file is 400 (the limit is a
 * rule of the request, not its size); a truncated or malformed body (busboy's plain Errors) is 400.
 */
function multipartError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  if (codeOf(err) === 'FST_FILES_LIMIT') return invalidField('file', uploadMessages.tooMany(MAX_FILES), 'too_many_files');
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return err;
  return invalidField('body', uploadMessages.malformed, 'invalid_multipart');
}

function matchesEtag(header: string | undefined, etag: string) {
  if (!header) return false;
  return header.split(',').some((t) => { const v = t.trim().replace(/^W\//, ''); return v === etag || v === '*'; });
}

/** The plain-ASCII fallback filename for old clients. */
const asciiName = (name: string, ext: string) => {
  const plain = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return /[a-z0-9]/i.test(plain.replace(ext, '')) ? plain : `photo${ext}`;
};
