// Plans → tasks (DESIGN §2.4): kinds as data, recurrence on the working calendar, checklist templates.
export * from './kinds.ts';
export * from './recurrence.ts';
export * from './template.ts';
