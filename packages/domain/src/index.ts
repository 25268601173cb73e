// @towerdesk/domain: pure rules shared by server and web (no I/O).
export * from './calendar/calendar.ts';
export * from './calendar/cn-holidays.ts';
export * from './places.ts';
export * from './roles.ts';
export * from './work-items/index.ts';
export * from './stock/index.ts';
export * from './plans/index.ts';
