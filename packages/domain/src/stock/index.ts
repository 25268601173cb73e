// Stock of parts, tools and supplies (issue 4 §7: RP-9, CL-4, AR-2): pure ledger rules.
export * from './quantity.ts';
export * from './ledger.ts';
export * from './tools.ts';
export * from './reorder.ts';
export * from './cost.ts';
