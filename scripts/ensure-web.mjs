#!/usr/bin/env node
// Builds the web app (web/dist) when it is missing or older than its sources. Shared by
// scripts/start.mjs and scripts/test.mjs. Plain Node, no dependencies.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './ensure-deps.mjs';

/** Newest mtime of a file or of any file below a folder (0 when absent). */
function newest(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs; // a deleted file changes the folder's mtime
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    max = Math.max(max, newest(path.join(p, entry)));
  }
  return max;
}

/** Why web/dist must be rebuilt; null when fresh or when the web app has no build yet. */
export function webStaleReason(root = repoRoot) {
  const web = path.join(root, 'web');
  if (!fs.existsSync(path.join(web, 'vite.config.ts'))) return null; // web app not set up yet
  const index = path.join(web, 'dist', 'index.html');
  if (!fs.existsSync(index)) return 'web/dist/index.html is missing';
  const built = fs.statSync(index).mtimeMs;
  const sources = ['src', 'public', 'index.html', 'm.html', 'vite.config.ts', 'package.json'].map((f) => path.join(web, f));
  // The web app may import the shared pure rules.
  sources.push(path.join(root, 'packages', 'domain', 'src'));
  for (const s of sources) {
    if (newest(s) > built) return `${path.relative(root, s)} changed since the last build`;
  }
  return null;
}

/** Runs `npm run build -w web` if stale. Returns true when it built; throws when the build fails. */
export function ensureWebBuilt(root = repoRoot) {
  const reason = webStaleReason(root);
  if (!reason) return false;
  process.stdout.write(`[build] ${reason}: building the web app\n`);
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`web build failed (exit ${r.status ?? r.signal})`);
  // vite may keep an older mtime on copied files; make sure index.html marks the build time.
  const index = path.join(root, 'web', 'dist', 'index.html');
  if (fs.existsSync(index)) {
    const now = new Date();
    fs.utimesSync(index, now, now);
  }
  process.stdout.write(`[build] web app built in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureWebBuilt();
  } catch (err) {
    process.stderr.write(`[build] ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
