import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Content-addressed files: `<filesDir>/ab/cd/<sha256>.<ext>`. Same bytes, same name, stored once.
 * Which files may be removed is decided by the rows that reference them (service.ts), under a
 * per-hash lock, never here.
 */
export const EXT_BY_MIME: Record<string, string> = { 'image/jpeg': 'jpg', 'image/webp': 'webp' };

export const sha256Hex = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

export function filePath(filesDir: string, sha256: string, mime: string) {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
  const ext = EXT_BY_MIME[mime];
  if (!ext) throw new Error(`no file extension for ${mime}`);
  return path.join(filesDir, sha256.slice(0, 2), sha256.slice(2, 4), `${sha256}.${ext}`);
}

/**
 * Writes the file unless it is already there. The bytes go to a temporary file in the same
 * directory, are flushed, then renamed: rename is atomic, so a crash leaves either no file or the
 * whole file under its final name, never half of one.
 */
export async function putFile(filesDir: string, sha256: string, mime: string, data: Buffer) {
  const target = filePath(filesDir, sha256, mime);
  try {
    const st = await fs.stat(target);
    if (st.size === data.length) return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  const fh = await fs.open(tmp, 'wx', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

export async function readStoredFile(filesDir: string, sha256: string, mime: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(filePath(filesDir, sha256, mime));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function removeFile(filesDir: string, sha256: string, mime: string) {
  await fs.rm(filePath(filesDir, sha256, mime), { force: true });
}
