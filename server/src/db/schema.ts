// Every module's tables, gathered for drizzle-kit and the typed db handle.
export * from '../platform/idempotency.ts';
export * from '../modules/sites/schema.ts';
export * from '../modules/places/schema.ts';
export * from '../modules/parties/schema.ts';
export * from '../modules/accounts/schema.ts';
export * from '../modules/audit/schema.ts';
export * from '../modules/calendar/schema.ts';
export * from '../modules/attachments/schema.ts';
export * from '../modules/notifications/schema.ts';
export * from '../modules/work-items/schema.ts';
export * from '../modules/duty/schema.ts';
export * from '../modules/reception/schema.ts';
export * from '../modules/plans/schema.ts';
export * from '../modules/stock/schema.ts';
