import sharp from 'sharp';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../platform/errors.ts';
import type { Message } from '../../platform/i18n.ts';
import { sha256Hex } from './store.ts';

/** What a phone or a desk may send: recognised by magic bytes, never by name or Content-Type. */
const ACCEPTED = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif']);
/** Long side of the stored photo: sharp enough to read a meter or a nameplate, ~0.5–1.5 MB. */
export const FULL_EDGE = 2560;
export const THUMB_EDGE = 320;
/**
 * Decoding limit. A 10 MB PNG can declare 50 000 × 50 000 pixels (a decompression bomb);
 * 120 MP still covers a 108 MP phone sensor.
 */
const MAX_PIXELS = 120_000_000;

export interface StoredImage { data: Buffer; sha256: string; width: number; height: number; mime: 'image/jpeg' }
export interface Photo { full: StoredImage; thumb: StoredImage; originalName: string }

/** The file name as the client sent it, reduced to something safe to show and to put in a header. */
export function cleanName(name: string | undefined) {
  // eslint-disable-next-line no-control-regex
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (base || 'photo').slice(0, 200);
}

export const uploadMessages = {
  unsupported: (name: string): Message => ({
    zh: `文件「${name}」不是支持的图片格式（支持 JPEG、PNG、WebP、HEIC）`,
    en: `"${name}" is not a supported image (JPEG, PNG, WebP or HEIC)`,
  }),
  heic: (name: string): Message => ({
    zh: `暂时无法读取 HEIC 照片「${name}」，请改用 JPEG 上传（iPhone：设置 → 相机 → 格式 → 兼容性最佳；或通过浏览器选择照片上传，系统会自动转换为 JPEG）`,
    en: `The HEIC photo "${name}" cannot be read; please upload it as JPEG (iPhone: Settings → Camera → Formats → Most Compatible, or pick the photo in the browser, which converts it to JPEG)`,
  }),
  unreadable: (name: string): Message => ({
    zh: `图片「${name}」已损坏或无法读取`,
    en: `The image "${name}" is damaged or cannot be read`,
  }),
  tooLarge: (name: string): Message => ({
    zh: `文件「${name}」超过 10 MB`,
    en: `"${name}" is larger than 10 MB`,
  }),
  tooManyPixels: (name: string): Message => ({
    zh: `图片「${name}」像素过多（最多 1.2 亿像素）`,
    en: `The image "${name}" has too many pixels (at most 120 megapixels)`,
  }),
  tooMany: (max: number): Message => ({ zh: `一次最多上传 ${max} 个文件`, en: `At most ${max} files per upload` }),
  none: { zh: '请选择要上传的图片', en: 'Choose an image to upload' } satisfies Message,
  malformed: { zh: '上传内容不完整或格式错误，请重试', en: 'The upload is incomplete or malformed; please try again' } satisfies Message,
  notMultipart: { zh: '请以 multipart/form-data 上传文件（字段名 file）', en: 'Upload the files as multipart/form-data (field "file")' } satisfies Message,
};

/** A refusal that names the file, both in the message and as `error.fileName`. */
export function fileError(status: number, code: string, name: string, text: Message) {
  return new AppError(status, code, text, [{ field: 'file', code, message: text }], {}, { fileName: name });
}

/**
 * Checks one uploaded file and turns it into what we store: EXIF orientation applied, at most
 * 2560 px on the long side, re-encoded as JPEG, every piece of metadata (EXIF with GPS, XMP, IPTC,
 * the maker notes of the phone) left behind, plus a 320 px thumbnail. Throws 415/413 naming the file.
 */
export async function preparePhoto(input: Buffer, rawName: string | undefined): Promise<Photo> {
  const originalName = cleanName(rawName);
  const type = await fileTypeFromBuffer(input);
  if (!type || !ACCEPTED.has(type.mime)) throw fileError(415, 'unsupported_media_type', originalName, uploadMessages.unsupported(originalName));
  const heic = type.mime === 'image/heic' || type.mime === 'image/heif';

  let full: StoredImage;
  try {
    // failOn 'error': a phone JPEG with a minor warning is still a photo worth keeping.
    const out = await sharp(input, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
      .autoOrient() // before the metadata (and with it the orientation tag) is dropped
      .resize({ width: FULL_EDGE, height: FULL_EDGE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' }) // PNG/WebP transparency has no place in a JPEG
      // libjpeg-turbo, not mozjpeg: mozjpeg saves ~10 % of bytes but costs 5–6× the CPU (a 12 MP
      // phone photo ~900 ms against ~170 ms), which a round of 50 photos syncing at once feels
      // (issue 4 benchmark (c), docs/scaling.md).
      .jpeg({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    full = { data: out.data, sha256: sha256Hex(out.data), width: out.info.width, height: out.info.height, mime: 'image/jpeg' };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/pixel limit/i.test(message)) throw fileError(413, 'too_many_pixels', originalName, uploadMessages.tooManyPixels(originalName));
    // sharp's prebuilt libvips has no HEVC decoder (patents), so most HEIC photos end here.
    if (heic) throw fileError(415, 'heic_unsupported', originalName, uploadMessages.heic(originalName));
    throw fileError(415, 'unreadable_image', originalName, uploadMessages.unreadable(originalName));
  }
  // The thumbnail comes from the stored image: already oriented, small to decode.
  const t = await sharp(full.data)
    .resize({ width: THUMB_EDGE, height: THUMB_EDGE, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 76 })
    .toBuffer({ resolveWithObject: true });
  const thumb: StoredImage = { data: t.data, sha256: sha256Hex(t.data), width: t.info.width, height: t.info.height, mime: 'image/jpeg' };
  return { full, thumb, originalName };
}
