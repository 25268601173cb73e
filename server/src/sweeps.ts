import type { FastifyBaseLogger } from 'fastify';
import type { Db } from './db/index.ts';
import { forgetOldFailures } from './modules/accounts/throttle.ts';
import { purgeStaleUploads } from './modules/attachments/service.ts';
import { channelsFromConfig, DEFAULT_FROM, type Channels } from './modules/notifications/channels.ts';
import { sendOutbox } from './modules/notifications/service.ts';
import { flagOverdueTasks } from './modules/plans/rounds.ts';
import { generateTasks } from './modules/plans/service.ts';
import { closeStaleCompleted } from './modules/work-items/service.ts';
import { sweepClocks } from './modules/work-items/sweep.ts';
import { purgeIdempotencyKeys } from './platform/idempotency.ts';

/**
 * The background sweeps of one process (DESIGN §4): SLA clocks and the outbox. Each pass claims
 * rows with FOR UPDATE SKIP LOCKED, so any number of processes may run them against one database.
 * A pass every 2 s keeps the lag from a due time to its warning under the 5 s target.
 */
export function startSweeps(db: Db, log: FastifyBaseLogger, filesDir: string, opts: { channels?: Channels; now?: () => Date; everyMs?: number } = {}) {
  const { channels = channelsFromConfig({ SMTP_FROM: DEFAULT_FROM }, log), now = () => new Date(), everyMs = 2000 } = opts;
  let running = false;
  let passes = 0;
  const pass = async () => {
    if (running) return;
    running = true;
    try {
      await sweepClocks(db, now());
      await closeStaleCompleted(db, now());
      // SMS/WeChat log only until a gateway is configured; e-mail by SMTP when SMTP_URL is set (docs/operations.md).
      await sendOutbox(db, now(), channels);
      // Plans → tasks a week ahead (IN-1). Idempotent and claimed per plan; at most 100 plans a
      // pass (~0.5 s) so a first start with many plans cannot hold up the SLA clocks above.
      if (passes % 5 === 0) {
        await generateTasks(db, now(), 7, { maxPlans: 100 });
        // Tasks past their window: missed, or late (supervisors told once) — IN-3.
        await flagOverdueTasks(db, now());
      }
      // Photos uploaded but never attached to a record are dropped after a day; checking every ~10 min is plenty.
      if (passes++ % 300 === 0) {
        await purgeStaleUploads(db, now(), filesDir);
        // Sign-in and confirmation-code throttle counts older than an hour count for nothing.
        await forgetOldFailures(db, now());
        await purgeIdempotencyKeys(db, now());
      }
    } catch (err) {
      log.error({ err }, 'sweep failed; retrying on the next pass');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void pass(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer), pass };
}
