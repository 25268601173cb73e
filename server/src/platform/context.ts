import type { Db, Queryable } from '../db/index.ts';
import type { Locale } from './i18n.ts';
import type { Role } from './permissions.ts';

/** Who is acting: read from the session on every request. */
export interface Actor {
  accountId: string;
  name: string;
  roles: Role[];
  /** The site the account works at; null = every site (a company-wide admin). */
  siteId: string | null;
  staffId: string | null;
  occupantId: string | null;
  /** For occupants: their company and whether they are its administrative contact. */
  companyId: string | null;
  companyRole: 'admin' | 'member' | null;
}

/** Everything a use case needs about the request: the database, who, when, from where. */
export interface Ctx {
  db: Db;
  actor: Actor | null;
  now: Date;
  ip: string;
  locale: Locale;
}

export type SignedInCtx = Ctx & { actor: Actor };

export type { Queryable };
