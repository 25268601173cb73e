import * as rruleModule from 'rrule';

// rrule 2.8.1: Node loads its CJS/UMD build (the exports sit on `default`), bundlers its ES build
// (named exports, no default). Taking the namespace works in both. Not re-exported by the package.
const rrule = ((rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule) as typeof rruleModule;
export const { rrulestr, RRule } = rrule;
