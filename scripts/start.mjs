#!/usr/bin/env node
// `npm start`: install dependencies if needed, build the web app if stale, then run the server
// (node --import tsx server/src/main.ts — never through npx, which would leave the server running
// when killed). SIGINT/SIGTERM are forwarded; we exit with the server's code.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureDeps, repoRoot } from './ensure-deps.mjs';
import { ensureWebBuilt } from './ensure-web.mjs';

try {
  ensureDeps();
} catch (err) {
  process.stderr.write(`[start] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
try {
  ensureWebBuilt();
} catch (err) {
  // The API still works without the web app; say so loudly rather than refuse to start.
  const previous = fs.existsSync(path.join(repoRoot, 'web', 'dist', 'index.html'));
  process.stderr.write(
    `[start] ${err instanceof Error ? err.message : String(err)}\n` +
      `[start] WARNING: ${previous ? 'serving the previous web build (web/dist)' : 'no web app to serve; only the API works'} — fix the build above\n`,
  );
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join('server', 'src', 'main.ts'), ...process.argv.slice(2)], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: process.env,
});

let forwarded = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    forwarded += 1;
    // A terminal's Ctrl+C already reaches the child (same process group); forwarding again is
    // harmless: the server ignores a second signal while it stops. A third one forces it.
    if (child.exitCode === null && child.signalCode === null) child.kill(forwarded >= 3 ? 'SIGKILL' : signal);
  });
}

// `kill <npm pid>` ends npm without passing the signal on, which would leave us and the server
// running as orphans: when our parent goes away, stop the server as if we had been signalled.
const parentPid = process.ppid;
const orphanWatch = setInterval(() => {
  if (process.ppid !== parentPid && child.exitCode === null && child.signalCode === null) {
    clearInterval(orphanWatch);
    process.stderr.write('[start] the parent process went away; stopping the server\n');
    child.kill('SIGTERM');
  }
}, 500);
orphanWatch.unref();

child.on('error', (err) => {
  process.stderr.write(`[start] could not start the server: ${err.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    // Re-raise so our parent sees the same signal; the listeners above would swallow it.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    setTimeout(() => process.exit(1), 200);
    return;
  }
  process.exit(code ?? 1);
});
