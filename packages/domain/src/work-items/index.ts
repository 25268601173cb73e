// Work items (DESIGN §2.2, §2.3): kinds as data, categories, clock policies and arithmetic.
export * from './kinds.ts';
export * from './categories.ts';
export * from './clocks.ts';
