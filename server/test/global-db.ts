import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateDatabase, openDatabase } from '../src/db/index.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/db/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a maintenance database on the test server; files create their own databases there. */
    pgAdminUrl: string;
    /** Name of the migrated template every test database is copied from. */
    pgTemplate: string;
  }
}

/**
 * Once per run: a PostgreSQL server (TEST_PG_URL — e.g. Debian's PostgreSQL 15 — or an embedded
 * one in a temporary folder) and a template database with all migrations applied. Each test file
 * then copies the template (CREATE DATABASE … TEMPLATE, ~50 ms) — STYLE §7.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedServer | null = null;
  let dir: string | null = null;
  let adminUrl = process.env.TEST_PG_URL;
  if (!adminUrl) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'towerdesk-test-pg-'));
    fs.chmodSync(dir, 0o755);
    const port = 20000 + Math.floor(Math.random() * 20000);
    embedded = await startEmbeddedPostgres(path.join(dir, 'pg'), port);
    adminUrl = embedded.url.replace(/\/towerdesk$/, '/postgres');
  }
  const template = `td_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const t = openDatabase(withDatabase(adminUrl, template), 2);
  await migrateDatabase(t);
  await t.close();
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);

  return async () => {
    await admin.query(`drop database if exists ${template}`).catch(() => {});
    await admin.end();
    if (embedded) await embedded.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
