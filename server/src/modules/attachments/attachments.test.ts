import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import fc from 'fast-check';
import sharp from 'sharp';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { testApp } from '../../../test/harness.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { actorForToken } from '../accounts/sessions.ts';
import { auditLog } from '../audit/schema.ts';
import { attachments } from './schema.ts';
import { attachUploads, listAttachments, purgeStaleUploads, registerAttachmentVisibility } from './service.ts';

/**
 * Photos for work items and comments (issue 3 "Bad input and concurrency"; DESIGN §2
 * attachments): checked by magic bytes, re-encoded and stripped, content-addressed on disk,
 * pending until a module attaches them, visible by the owning module's rule, purged when stale.
 */
const t = await testApp();
const w = t.world;

// ── helpers ───────────────────────────────────────────────────────────────────────────────────

interface FilePart { name: string; content: Buffer | string; type?: string; field?: string }

/** A multipart/form-data body built by hand, as a browser sends it. */
function multipart(files: FilePart[]) {
  const boundary = '----towerdeskUploadBoundary9x8y7z';
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'file'}"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'image/jpeg'}\r\n\r\n`));
    parts.push(Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content, 'utf8'));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function upload(who: string, files: FilePart[], headers: Record<string, string> = {}) {
  const body = multipart(files);
  return t.as(who, { method: 'POST', url: '/api/uploads', payload: body.payload, headers: { ...body.headers, ...headers } });
}

function content(who: string, url: string, headers: Record<string, string> = {}) {
  return t.as(who, { method: 'GET', url, headers });
}

/** A photo as a phone takes it: camera make, GPS position, orientation 6 (held upright). */
async function phoneJpeg(opts: { width?: number; height?: number; orientation?: number; colour?: string } = {}) {
  return sharp({ create: { width: opts.width ?? 100, height: opts.height ?? 50, channels: 3, background: opts.colour ?? '#c0392b' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'Phone X' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 13/1 5/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 30/1' },
    })
    .withMetadata({ orientation: opts.orientation ?? 1 })
    .toBuffer();
}

/** A photo with noise, so its bytes (and hash) differ from every other one. */
async function uniqueJpeg(width = 64, height = 48) {
  const raw = crypto.randomBytes(width * height * 3);
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg().toBuffer();
}

const png = () => sharp({ create: { width: 40, height: 30, channels: 4, background: { r: 0, g: 128, b: 255, alpha: 0.5 } } }).png().toBuffer();
const webp = () => sharp({ create: { width: 30, height: 40, channels: 3, background: '#27ae60' } }).webp().toBuffer();

/** Tag numbers of a JPEG's EXIF IFD0 (0x8825 = pointer to the GPS IFD). */
function exifIfd0Tags(exif: Buffer): number[] {
  const tiff = exif.subarray(exif.indexOf('Exif\0\0') + 6);
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd = u32(4);
  return Array.from({ length: u16(ifd) }, (_, i) => u16(ifd + 2 + i * 12));
}

/** Every file under the files folder (relative paths), so tests see what is on disk. */
function filesOnDisk(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(t.filesDir, p));
    }
  };
  walk(t.filesDir);
  return out.sort();
}

const rowCount = () => t.db.$count(attachments);
const uploadAudits = () => t.db.$count(auditLog, eq(auditLog.action, 'attachment.upload'));
const snapshot = async () => ({ rows: await rowCount(), files: filesOnDisk(), audit: await t.auditCount() });

/** The ctx a module's service gets for a signed-in user (as the route would build it). */
async function ctxOf(username: string): Promise<SignedInCtx> {
  const token = t.cookies.get(username) ?? (await t.login(username));
  const actor = await actorForToken(t.db, token, t.clock.now());
  if (!actor) throw new Error(`no session for ${username}`);
  return { db: t.db, actor, now: t.clock.now(), ip: '127.0.0.1', locale: 'zh-CN' };
}

async function attach(username: string, ids: string[], entityId: string, opts: { role?: string; entityType?: string; max?: number; maxPerEntity?: number } = {}) {
  const ctx = await ctxOf(username);
  return ctx.db.transaction((tx) => attachUploads(tx, ctx, ids, { entityType: opts.entityType ?? 'test_note', entityId, siteId: w.siteId, role: opts.role ?? 'photo' }, { max: opts.max, maxPerEntity: opts.maxPerEntity }));
}

/** The error an attach call throws, as the client would see it. */
async function attachError(username: string, ids: string[], entityId: string, opts: Parameters<typeof attach>[3] = {}) {
  const err = await attach(username, ids, entityId, opts).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function uploadOne(who: string, file?: Buffer) {
  const res = await upload(who, [{ name: 'photo.jpg', content: file ?? (await uniqueJpeg()) }]);
  expect(res.statusCode, res.body).toBe(201);
  return res.json()[0] as { id: string; url: string; thumbUrl: string; width: number; height: number; bytes: number; mime: string };
}

// Who may see test notes: a set of account ids per note, changed by the tests.
const noteReaders = new Map<string, Set<string>>();
const hookCalls: string[] = [];
registerAttachmentVisibility('test_note', async (ctx, entityId) => {
  hookCalls.push(entityId);
  return noteReaders.get(entityId)?.has(ctx.actor.accountId) ?? false;
});

// ── upload ────────────────────────────────────────────────────────────────────────────────────

describe('upload: checked, re-encoded, stored once (RP-1 photos with a report)', () => {
  test('RP-1 RP-5 a JPEG, a PNG and a WebP in one request: 201, stored as JPEG with thumbnails, one audit row each', async () => {
    const before = await snapshot();
    const auditsBefore = await uploadAudits();
    const res = await upload('occupant', [
      { name: '漏水.jpg', content: await uniqueJpeg(), type: 'image/jpeg' },
      { name: 'screen.png', content: await png(), type: 'image/png' },
      { name: 'ceiling.webp', content: await webp(), type: 'image/webp' },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as Array<Record<string, unknown>>;
    expect(body).toHaveLength(3);
    for (const v of body) {
      expect(Object.keys(v).sort()).toEqual(['bytes', 'height', 'id', 'mime', 'thumbUrl', 'url', 'width']);
      expect(v).toMatchObject({ mime: 'image/jpeg', url: `/api/attachments/${v.id}/content`, thumbUrl: `/api/attachments/${v.id}/content?size=thumb` });
    }
    expect(body.map((v) => [v.width, v.height])).toEqual([[64, 48], [40, 30], [30, 40]]);

    expect(await rowCount()).toBe(before.rows + 3);
    expect(await uploadAudits()).toBe(auditsBefore + 3);
    const rows = await t.db.select().from(attachments).where(inArray(attachments.id, body.map((v) => v.id as string)));
    for (const r of rows) {
      expect(r).toMatchObject({ siteId: w.siteId, uploadedBy: w.accountIds.occupant, entityType: null, entityId: null, role: null, attachedAt: null });
      // Content-addressed: ab/cd/<sha256>.jpg, and the name is the hash of the bytes.
      const full = path.join(t.filesDir, r.sha256.slice(0, 2), r.sha256.slice(2, 4), `${r.sha256}.jpg`);
      const bytes = fs.readFileSync(full);
      expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(r.sha256);
      expect(bytes.length).toBe(r.bytes);
      expect((await sharp(bytes).metadata()).format).toBe('jpeg');
      expect(fs.existsSync(path.join(t.filesDir, r.thumbSha256.slice(0, 2), r.thumbSha256.slice(2, 4), `${r.thumbSha256}.jpg`))).toBe(true);
    }
    expect(rows.map((r) => r.originalName).sort()).toEqual(['ceiling.webp', 'screen.png', '漏水.jpg']);
    // Three photos, each a full file and a thumbnail; no temporary file left behind.
    expect(filesOnDisk().length).toBe(before.files.length + 6);
    expect(filesOnDisk().filter((f) => !f.endsWith('.jpg'))).toEqual([]);
  });

  test('SEC-2 EXIF with the GPS position is stripped: the stored file has no metadata at all', async () => {
    const input = await phoneJpeg();
    const meta = await sharp(input).metadata();
    expect(exifIfd0Tags(meta.exif!)).toContain(0x8825); // the input really carries GPS
    const v = await uploadOne('technician', input);
    for (const url of [v.url, v.thumbUrl]) {
      const res = await content('technician', url);
      expect(res.statusCode).toBe(200);
      const out = await sharp(res.rawPayload).metadata();
      expect(out.exif).toBeUndefined();
      expect(out.xmp).toBeUndefined();
      expect(out.iptc).toBeUndefined();
      expect(res.rawPayload.includes(Buffer.from('Exif\0\0'))).toBe(false);
      expect(res.rawPayload.includes(Buffer.from('TestCam'))).toBe(false);
    }
  });

  test('RP-5 the EXIF orientation is applied before it is dropped: 100×50 with orientation 6 comes out 50×100', async () => {
    const v = await uploadOne('technician', await phoneJpeg({ orientation: 6 }));
    expect([v.width, v.height]).toEqual([50, 100]);
    const stored = await sharp((await content('technician', v.url)).rawPayload).metadata();
    expect([stored.width, stored.height, stored.orientation]).toEqual([50, 100, undefined]);
  });

  test('a large photo is limited to 2560 px on the long side; the thumbnail to 320 px', async () => {
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#888888' } }).jpeg({ quality: 60 }).toBuffer();
    const v = await uploadOne('technician', big);
    expect([v.width, v.height]).toEqual([2560, 1920]);
    const thumb = await sharp((await content('technician', v.thumbUrl)).rawPayload).metadata();
    expect([thumb.width, thumb.height]).toEqual([320, 240]);
  });

  test('the same photo uploaded twice is one file on disk and two rows', async () => {
    const photo = await uniqueJpeg();
    const before = await snapshot();
    const a = await uploadOne('occupant', photo);
    const afterFirst = filesOnDisk();
    const b = await uploadOne('technician', photo);
    expect(a.id).not.toBe(b.id);
    expect(await rowCount()).toBe(before.rows + 2);
    expect(afterFirst.length).toBe(before.files.length + 2);
    expect(filesOnDisk()).toEqual(afterFirst);
    const [ra, rb] = await Promise.all([a.id, b.id].map(async (id) => (await t.db.select().from(attachments).where(eq(attachments.id, id)))[0]!));
    expect(ra!.sha256).toBe(rb!.sha256);
  });

  test('two requests storing the same new photo at once: both rows, one complete file', async () => {
    const photo = await uniqueJpeg(80, 60);
    const before = filesOnDisk().length;
    const [a, b] = await Promise.all([upload('occupant', [{ name: 'a.jpg', content: photo }]), upload('agent', [{ name: 'b.jpg', content: photo }])]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(filesOnDisk().length).toBe(before + 2);
    expect((await content('agent', b.json()[0].url)).statusCode).toBe(200);
  });
});

describe('bad uploads are refused and leave nothing behind', () => {
  async function refused(who: string, files: FilePart[], headers: Record<string, string> = {}) {
    const before = await snapshot();
    const res = await upload(who, files, headers);
    expect(await snapshot()).toEqual(before); // no row, no file, no audit row
    return res;
  }

  test('a text file renamed .jpg → 415 naming the file; a good photo in the same request is not stored either', async () => {
    const res = await refused('occupant', [
      { name: 'good.jpg', content: await uniqueJpeg() },
      { name: 'notes.jpg', content: 'this is not a photo, just text', type: 'image/jpeg' },
    ]);
    expect(res.statusCode).toBe(415);
    const e = res.json().error;
    expect(e).toMatchObject({ code: 'unsupported_media_type', fileName: 'notes.jpg', fields: [{ field: 'file', code: 'unsupported_media_type' }] });
    expect(e.message).toContain('notes.jpg');
    const en = await refused('occupant', [{ name: 'notes.jpg', content: 'plain text' }], { 'accept-language': 'en-US' });
    expect(en.json().error.message).toBe('"notes.jpg" is not a supported image (JPEG, PNG, WebP or HEIC)');
  });

  test('GIF, AVIF, SVG, PDF and an empty file → 415', async () => {
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).gif().toBuffer();
    const avif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).avif().toBuffer();
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
    const pdf = '%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF';
    for (const [name, body] of [['a.gif', gif], ['a.avif', avif], ['a.svg', svg], ['a.pdf', pdf], ['empty.jpg', Buffer.alloc(0)]] as const) {
      const res = await refused('occupant', [{ name, content: body }]);
      expect(res.statusCode, name).toBe(415);
      expect(res.json().error.fileName).toBe(name);
    }
  });

  test('a JPEG header over garbage → 415 unreadable_image', async () => {
    const jpeg = await uniqueJpeg();
    const res = await refused('occupant', [{ name: 'broken.jpg', content: Buffer.concat([jpeg.subarray(0, 200), crypto.randomBytes(2000)]) }]);
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unreadable_image');
  });

  test('a HEIC photo that sharp cannot decode → 415 asking for JPEG, in zh-CN and en-US', async () => {
    // An ISO-BMFF 'ftyp heic' header: file-type says image/heic; the prebuilt libvips has no HEVC decoder.
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.from([0, 0, 0, 0]), Buffer.from('mif1heic'), crypto.randomBytes(4000)]);
    const zh = await refused('occupant', [{ name: 'IMG_0001.HEIC', content: heic, type: 'image/heic' }]);
    expect(zh.statusCode).toBe(415);
    expect(zh.json().error).toMatchObject({ code: 'heic_unsupported', fileName: 'IMG_0001.HEIC' });
    expect(zh.json().error.message).toContain('JPEG');
    expect(zh.json().error.message).toContain('IMG_0001.HEIC');
    const en = await refused('occupant', [{ name: 'IMG_0001.HEIC', content: heic, type: 'image/heic' }], { 'accept-language': 'en' });
    expect(en.json().error.message).toMatch(/upload it as JPEG/);
  });

  test('a file over 10 MB → 413 naming the file', async () => {
    const jpeg = await uniqueJpeg();
    const big = Buffer.concat([jpeg, Buffer.alloc(11 * 1024 * 1024 - jpeg.length, 0)]);
    const res = await refused('occupant', [{ name: 'small.jpg', content: await uniqueJpeg() }, { name: 'huge.jpg', content: big }]);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'too_large', fileName: 'huge.jpg' });
    expect(res.json().error.message).toContain('huge.jpg');
  });

  test('a PNG that declares 50 000 × 50 000 pixels (a decompression bomb) → 413 before decoding', async () => {
    const chunk = (type: string, data: Buffer) => {
      const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
      const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(td));
      return Buffer.concat([len, td, crc]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(50_000, 0); ihdr.writeUInt32BE(50_000, 4); ihdr[8] = 8; ihdr[9] = 2;
    const bomb = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(100_000))), chunk('IEND', Buffer.alloc(0))]);
    const res = await refused('occupant', [{ name: 'bomb.png', content: bomb, type: 'image/png' }]);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('too_many_pixels');
  });

  test('7 files in one request → 400 (at most 6)', async () => {
    const files = await Promise.all(Array.from({ length: 7 }, async (_, i) => ({ name: `p${i}.jpg`, content: await uniqueJpeg() })));
    const res = await refused('occupant', files);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual([expect.objectContaining({ field: 'file', code: 'too_many_files' })]);
    // Six is fine.
    const six = await upload('occupant', files.slice(0, 6));
    expect(six.statusCode).toBe(201);
    expect(six.json()).toHaveLength(6);
  });

  test('no file, a JSON body, another field name, a truncated body → 400; no session → 401', async () => {
    expect((await refused('occupant', [])).statusCode).toBe(400);
    const other = await refused('occupant', [{ name: 'a.jpg', content: await uniqueJpeg(), field: 'photo' }]);
    expect(other.statusCode).toBe(400);
    expect(other.json().error.fields[0].field).toBe('body.photo');
    const json = await t.as('occupant', { method: 'POST', url: '/api/uploads', payload: { file: 'x' } });
    expect(json.statusCode).toBe(400);
    const body = multipart([{ name: 'a.jpg', content: await uniqueJpeg() }]);
    const truncated = await t.as('occupant', { method: 'POST', url: '/api/uploads', payload: body.payload.subarray(0, body.payload.length - 60), headers: body.headers });
    expect(truncated.statusCode).toBe(400);
    expect(truncated.json().error.fields[0]).toMatchObject({ field: 'body', code: 'invalid_multipart' });
    const anon = await t.as(null, { method: 'POST', url: '/api/uploads', ...multipart([{ name: 'a.jpg', content: await uniqueJpeg() }]) });
    expect(anon.statusCode).toBe(401);
  });

  test('random bytes behind any image signature: never a 5xx, and nothing stored unless it is a real image', async () => {
    const signatures = [Buffer.alloc(0), Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('RIFF\0\0\0\0WEBPVP8 '), Buffer.from('\0\0\0\x18ftypheic\0\0\0\0')];
    await fc.assert(fc.asyncProperty(fc.constantFrom(...signatures), fc.uint8Array({ maxLength: 3000 }), fc.string({ maxLength: 40 }), async (sig, bytes, name) => {
      const before = await rowCount();
      const res = await upload('occupant', [{ name: name.replace(/["\r\n]/g, ''), content: Buffer.concat([sig, Buffer.from(bytes)]) }]);
      expect(res.statusCode).toBeLessThan(500);
      if (res.statusCode !== 201) expect(await rowCount()).toBe(before);
    }), { numRuns: 60 });
  });
});

// ── attach (the service other modules call) ─────────────────────────────────────────────────────

describe('attaching uploads to a record (AR-1 records with their attachments)', () => {
  test('AR-1 attach sets entity, site and role in the caller\'s transaction, keeps the order, writes one audit row on the entity', async () => {
    const a = await uploadOne('technician');
    const b = await uploadOne('technician');
    const note = crypto.randomUUID();
    const auditBefore = await t.auditCount();
    const rows = await attach('technician', [b.id, a.id], note, { role: 'after' });
    expect(rows.map((r) => r.id)).toEqual([b.id, a.id]);
    for (const r of rows) expect(r).toMatchObject({ entityType: 'test_note', entityId: note, siteId: w.siteId, role: 'after', attachedAt: t.clock.now() });
    expect(await t.auditCount()).toBe(auditBefore + 1);
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'attachment.attach'), eq(auditLog.entityId, note)));
    expect(entry).toMatchObject({ entityType: 'test_note', actorId: w.accountIds.technician, after: { role: 'after', attachmentIds: [b.id, a.id] } });
  });

  test('a rolled-back caller transaction leaves the uploads pending', async () => {
    const a = await uploadOne('technician');
    const ctx = await ctxOf('technician');
    await expect(ctx.db.transaction(async (tx) => {
      await attachUploads(tx, ctx, [a.id], { entityType: 'test_note', entityId: crypto.randomUUID(), siteId: w.siteId, role: 'photo' });
      throw new Error('the work item transition failed');
    })).rejects.toThrow('the work item transition failed');
    const [row] = await t.db.select().from(attachments).where(eq(attachments.id, a.id));
    expect(row!.entityType).toBeNull();
  });

  test('another user\'s pending upload cannot be attached (400 naming body.attachmentIds) or read (404)', async () => {
    const mine = await uploadOne('occupant');
    const e = await attachError('occupantB', [mine.id], crypto.randomUUID());
    expect(e.status).toBe(400);
    expect(e.fields).toEqual([expect.objectContaining({ field: 'body.attachmentIds', code: 'not_found' })]);
    for (const who of ['occupantB', 'occupantA2', 'agent', 'admin']) {
      expect((await content(who, mine.url)).statusCode, who).toBe(404);
      expect((await content(who, mine.thumbUrl)).statusCode, who).toBe(404);
    }
    expect((await content('occupant', mine.url)).statusCode).toBe(200);
    const [row] = await t.db.select().from(attachments).where(eq(attachments.id, mine.id));
    expect(row!.entityType).toBeNull();
  });

  test('already attached, listed twice, unknown, malformed, too many, older than 24 h → 400, nothing attached', async () => {
    const a = await uploadOne('technician');
    const b = await uploadOne('technician');
    await attach('technician', [a.id], crypto.randomUUID());
    const cases: Array<[string[], string, Parameters<typeof attach>[3]?]> = [
      [[b.id, a.id], 'already_attached'],
      [[b.id, b.id], 'duplicate'],
      [[b.id, b.id.toUpperCase()], 'duplicate'],
      [[b.id, crypto.randomUUID()], 'not_found'],
      [[b.id, 'not-a-uuid'], 'not_found'],
      [[b.id, a.id], 'too_big', { max: 1 }],
    ];
    for (const [ids, code, opts] of cases) {
      const e = await attachError('technician', ids, crypto.randomUUID(), opts);
      expect([e.status, e.fields[0]?.field, e.fields[0]?.code], code).toEqual([400, 'body.attachmentIds', code]);
    }
    const seven = await Promise.all(Array.from({ length: 7 }, () => crypto.randomUUID()));
    expect((await attachError('technician', seven, crypto.randomUUID())).fields[0]!.code).toBe('too_big');
    const [row] = await t.db.select().from(attachments).where(eq(attachments.id, b.id));
    expect(row!.entityType).toBeNull();
  });

  test('maxPerEntity counts the files already on the entity', async () => {
    const note = crypto.randomUUID();
    const first = await Promise.all([uploadOne('technician'), uploadOne('technician')]);
    await attach('technician', first.map((f) => f.id), note, { maxPerEntity: 3 });
    const more = await Promise.all([uploadOne('technician'), uploadOne('technician')]);
    const e = await attachError('technician', more.map((f) => f.id), note, { maxPerEntity: 3 });
    expect(e.fields[0]).toMatchObject({ field: 'body.attachmentIds', code: 'too_big' });
    await attach('technician', [more[0]!.id], note, { maxPerEntity: 3 });
  });

  test('the owning module\'s visibility check decides who reads an attached file', async () => {
    const v = await uploadOne('occupant');
    const note = crypto.randomUUID();
    await attach('occupant', [v.id], note);
    hookCalls.length = 0;
    // Attached: now the note's rule applies, to the uploader too.
    expect((await content('occupant', v.url)).statusCode).toBe(404);
    expect(hookCalls).toEqual([note]);
    noteReaders.set(note, new Set([w.accountIds.occupant, w.accountIds.agent]));
    expect((await content('occupant', v.url)).statusCode).toBe(200);
    expect((await content('agent', v.thumbUrl)).statusCode).toBe(200);
    expect((await content('occupantB', v.url)).statusCode).toBe(404);
    expect((await content('technician', v.url)).statusCode).toBe(404);
  });

  test('an entity type nobody registered a check for is visible to nobody', async () => {
    const v = await uploadOne('occupant');
    await attach('occupant', [v.id], crypto.randomUUID(), { entityType: 'unregistered_thing' });
    expect((await content('occupant', v.url)).statusCode).toBe(404);
    expect((await content('admin', v.url)).statusCode).toBe(404);
  });

  test('listAttachments groups views by entity, in attach order, with an entry for every id asked', async () => {
    const [n1, n2, n3] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const a = await uploadOne('technician');
    const b = await uploadOne('technician');
    const c = await uploadOne('technician');
    await attach('technician', [a.id], n1, { role: 'before' });
    t.clock.advance(1);
    await attach('technician', [c.id, b.id], n1, { role: 'after' });
    const d = await uploadOne('technician');
    await attach('technician', [d.id], n2);
    const grouped = await listAttachments(t.db, 'test_note', [n1, n2, n3]);
    expect([...grouped.keys()]).toEqual([n1, n2, n3]);
    // Attach order; files attached in one call share the time and come by id (stable across reads).
    expect(grouped.get(n1)!.map((x) => [x.id, x.role])).toEqual([[a.id, 'before'], ...[c.id, b.id].sort().map((id) => [id, 'after'])]);
    expect(grouped.get(n2)!.map((x) => x.id)).toEqual([d.id]);
    expect(grouped.get(n3)).toEqual([]);
    expect(grouped.get(n2)![0]).toEqual({
      id: d.id, mime: 'image/jpeg', bytes: d.bytes, width: d.width, height: d.height, url: d.url, thumbUrl: d.thumbUrl,
      role: 'photo', originalName: 'photo.jpg', uploadedBy: w.accountIds.technician, uploadedAt: t.clock.now().toISOString(),
    });
    expect((await listAttachments(t.db, 'other_type', [n1])).get(n1)).toEqual([]);
  });
});

// ── reading ───────────────────────────────────────────────────────────────────────────────────

describe('GET /api/attachments/:id/content', () => {
  test('serves the image with its type, a private cache, nosniff and the hash as ETag; If-None-Match → 304', async () => {
    const v = await uploadOne('technician');
    const [row] = await t.db.select().from(attachments).where(eq(attachments.id, v.id));
    const res = await content('technician', v.url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('private, max-age=86400');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers.etag).toBe(`"${row!.sha256}"`);
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''photo.jpg");
    expect(res.rawPayload.length).toBe(v.bytes);
    const thumb = await content('technician', v.thumbUrl);
    expect(thumb.headers.etag).toBe(`"${row!.thumbSha256}"`);
    expect(thumb.rawPayload.length).toBeLessThan(res.rawPayload.length);
    const again = await content('technician', v.url, { 'if-none-match': `"${row!.sha256}"` });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    // Someone who may not see it learns nothing from a guessed ETag.
    expect((await content('agent', v.url, { 'if-none-match': `"${row!.sha256}"` })).statusCode).toBe(404);
  });

  test('bad ids and sizes → 400, unknown id → 404, no session → 401', async () => {
    expect((await content('technician', '/api/attachments/nope/content')).statusCode).toBe(400);
    expect((await content('technician', `/api/attachments/${crypto.randomUUID()}/content`)).statusCode).toBe(404);
    const v = await uploadOne('technician');
    expect((await content('technician', `${v.url}?size=huge`)).statusCode).toBe(400);
    expect((await t.as(null, { method: 'GET', url: v.url })).statusCode).toBe(401);
  });
});

// ── garbage ───────────────────────────────────────────────────────────────────────────────────

describe('pending uploads older than 24 h are purged', () => {
  test('purge removes stale pending uploads and their orphan files only', async () => {
    const shared = await uniqueJpeg();
    const stale = await uploadOne('occupant'); // its own bytes: both files go
    const staleShared = await uploadOne('occupant', shared); // same bytes as a fresh upload below: files stay
    const attached = await uploadOne('occupant');
    await attach('occupant', [attached.id], crypto.randomUUID());
    const rowOf = async (id: string) => (await t.db.select().from(attachments).where(eq(attachments.id, id)))[0];
    const staleRow = (await rowOf(stale.id))!;

    t.clock.advance(25 * 60);
    t.cookies.clear(); // sessions do not survive a day
    const fresh = await uploadOne('occupantB', shared);
    const freshOwn = await uploadOne('occupantB');
    // Attaching a stale upload is refused even before the sweep has run.
    expect((await attachError('occupant', [staleShared.id], crypto.randomUUID())).fields[0]!.code).toBe('expired');

    // Earlier tests in this file left pending uploads too; they are all a day old now.
    const pendingBefore = await t.db.$count(attachments, isNull(attachments.entityType));
    const result = await purgeStaleUploads(t.db, t.clock.now(), t.filesDir);
    expect(result.uploads).toBe(pendingBefore - 2); // all but the two fresh ones
    expect(await rowOf(stale.id)).toBeUndefined();
    expect(await rowOf(staleShared.id)).toBeUndefined();
    for (const id of [attached.id, fresh.id, freshOwn.id]) expect(await rowOf(id), id).toBeDefined();
    const fileOf = (s: string) => path.join(s.slice(0, 2), s.slice(2, 4), `${s}.jpg`);
    expect(filesOnDisk()).not.toContain(fileOf(staleRow.sha256));
    expect(filesOnDisk()).not.toContain(fileOf(staleRow.thumbSha256));
    // What is left on disk is exactly what the remaining rows use: no orphan, nothing missing.
    const rows = await t.db.select().from(attachments);
    expect(filesOnDisk()).toEqual([...new Set(rows.flatMap((r) => [fileOf(r.sha256), fileOf(r.thumbSha256)]))].sort());
    expect(result.files).toBeGreaterThanOrEqual(2);
    expect((await content('occupantB', fresh.url)).statusCode).toBe(200);
    expect((await content('occupantB', fresh.thumbUrl)).statusCode).toBe(200);
    // A second pass finds nothing.
    expect(await purgeStaleUploads(t.db, t.clock.now(), t.filesDir)).toEqual({ uploads: 0, files: 0 });
  });

  test('a purge racing an upload of the same bytes never leaves a row without its file', async () => {
    for (let i = 0; i < 5; i++) {
      const photo = await uniqueJpeg();
      await uploadOne('technician', photo);
      t.clock.advance(25 * 60);
      t.cookies.clear();
      await t.login('technician');
      const [purged, res] = await Promise.all([
        purgeStaleUploads(t.db, t.clock.now(), t.filesDir),
        upload('technician', [{ name: 'again.jpg', content: photo }]),
      ]);
      expect(res.statusCode).toBe(201);
      expect(purged.uploads).toBeGreaterThanOrEqual(1);
      const again = res.json()[0];
      expect((await content('technician', again.url)).statusCode, `round ${i}`).toBe(200);
      expect((await content('technician', again.thumbUrl)).statusCode, `round ${i}`).toBe(200);
    }
  });
});
