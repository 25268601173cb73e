import { boolean, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sites } from '../sites/schema.ts';

/** Tenant companies (租户单位) leasing units in the tower. */
export const companies = pgTable('companies', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  name: text('name').notNull(),
  nameEn: text('name_en'),
  /** Office units (places of kind office_unit) this company leases. */
  unitIds: uuid('unit_ids').array().notNull().default([]),
  contactName: text('contact_name'),
  contactPhone: text('contact_phone'),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('companies_site_name_uq').on(t.siteId, t.name)]);

/** Occupants (业主或使用人): people working in the tower, usually a tenant company's staff. */
export const occupants = pgTable('occupants', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  companyId: uuid('company_id').references(() => companies.id),
  name: text('name').notNull(),
  phone: text('phone').notNull(),
  unitIds: uuid('unit_ids').array().notNull().default([]),
  /** 'admin' (the company's administrative contact, sees the company's records) or 'member'. */
  companyRole: text('company_role').notNull().default('member'),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('occupants_site_phone_uq').on(t.siteId, t.phone),
  index('occupants_company_idx').on(t.siteId, t.companyId),
]);

/** The staff register (花名册, CS-6). */
export const staff = pgTable('staff', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  employeeNo: text('employee_no').notNull(),
  name: text('name').notNull(),
  phone: text('phone').notNull(),
  position: text('position').notNull(),
  trades: text('trades').array().notNull().default([]),
  hireDate: date('hire_date').notNull(),
  /** Years of experience in the trade, including before joining (CS-6: desk managers need ≥ 3). */
  experienceYears: integer('experience_years').notNull().default(0),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('staff_site_no_uq').on(t.siteId, t.employeeNo),
  uniqueIndex('staff_site_phone_uq').on(t.siteId, t.phone),
]);

/** Qualification certificates (电工证, 特种设备作业证…) with expiry. */
export const certificates = pgTable('certificates', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  staffId: uuid('staff_id').notNull().references(() => staff.id),
  name: text('name').notNull(),
  number: text('number').notNull(),
  issuer: text('issuer'),
  expiresOn: date('expires_on'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('certificates_staff_idx').on(t.siteId, t.staffId), index('certificates_expiry_idx').on(t.siteId, t.expiresOn)]);

/** Outside contractors (外包单位): lifts, exterior washing, pest control… */
export const contractors = pgTable('contractors', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id').notNull().references(() => sites.id),
  name: text('name').notNull(),
  trades: text('trades').array().notNull().default([]),
  contactName: text('contact_name'),
  contactPhone: text('contact_phone'),
  contractEndsOn: date('contract_ends_on'),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('contractors_site_name_uq').on(t.siteId, t.name)]);
