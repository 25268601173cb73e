#!/usr/bin/env node
// Installs the npm dependencies when they are missing or older than package-lock.json.
// Plain Node, no dependencies: it runs before anything is installed. Quiet when all is in place.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/** Why an install is needed, or null when node_modules matches the lockfile. */
export function depsStaleReason(root = repoRoot) {
  const nodeModules = path.join(root, 'node_modules');
  if (!fs.existsSync(nodeModules)) return 'node_modules is missing';
  const installed = mtime(path.join(nodeModules, '.package-lock.json'));
  if (installed === null) return 'node_modules has no .package-lock.json (incomplete install)';
  const lock = mtime(path.join(root, 'package-lock.json'));
  if (lock !== null && lock > installed) return 'package-lock.json is newer than node_modules';
  return null;
}

function npm(args, root) {
  // npm is a .cmd on Windows; shell avoids EINVAL there. Args are fixed words, nothing to escape.
  const r = spawnSync('npm', args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

/** Runs `npm ci` (falling back to `npm install`) when needed; throws if both fail. */
export function ensureDeps(root = repoRoot) {
  const reason = depsStaleReason(root);
  if (!reason) return false;
  const hasLock = fs.existsSync(path.join(root, 'package-lock.json'));
  process.stdout.write(`[ensure-deps] ${reason}: installing dependencies\n`);
  const t0 = Date.now();
  let code = hasLock ? npm(['ci', '--no-audit', '--no-fund'], root) : 1;
  if (code !== 0) {
    if (hasLock) process.stdout.write('[ensure-deps] npm ci failed; trying npm install\n');
    code = npm(['install', '--no-audit', '--no-fund'], root);
  }
  if (code !== 0) throw new Error(`npm install failed (exit ${code})`);
  // Mark the install as at least as new as the lockfile (npm ci leaves the lockfile untouched; a
  // lockfile dated in the future would otherwise trigger an install on every run).
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lockTime = mtime(path.join(root, 'package-lock.json'));
  if (fs.existsSync(marker) && lockTime !== null && lockTime >= (mtime(marker) ?? 0)) {
    const t = new Date(Math.max(Date.now(), lockTime + 1));
    fs.utimesSync(marker, t, t);
  }
  process.stdout.write(`[ensure-deps] dependencies installed in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureDeps();
  } catch (err) {
    process.stderr.write(`[ensure-deps] ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
