import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_FROM } from './modules/notifications/channels.ts';

/** Root of the repository: data/, web/dist and e2e/ are found from here whatever the cwd. */
export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

const Env = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  /** An external PostgreSQL; when absent the embedded server in PG_DATA_DIR is used. */
  DATABASE_URL: z.string().url().optional(),
  PG_DATA_DIR: z.string().default(path.join(repoRoot, 'data', 'pg')),
  PG_PORT: z.coerce.number().int().default(54329),
  FILES_DIR: z.string().default(path.join(repoRoot, 'data', 'files')),
  /** TOWERDESK_DEMO=0 on an empty database creates only an admin with a random password. */
  TOWERDESK_DEMO: z.enum(['0', '1']).default('1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Set behind a TLS-terminating proxy so the session cookie is marked Secure. */
  COOKIE_SECURE: z.enum(['0', '1']).default('0'),
  TRUST_PROXY: z.enum(['0', '1']).default('0'),
  /** E-mail notices by SMTP, e.g. smtps://user:pass@smtp.example.com:465; unset → logged only. */
  SMTP_URL: z.string().url().optional(),
  SMTP_FROM: z.string().default(DEFAULT_FROM),
  /** The address people open towerdesk at (links in e-mails), e.g. https://towerdesk.example.com */
  PUBLIC_URL: z.string().url().optional(),
});

export type Config = z.infer<typeof Env>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${lines}`);
  }
  return parsed.data;
}
