// Plan kinds as data (DESIGN §2.4): every recurring routine is the same mechanism, so a kind is a
// name and a sensible default, never code. A later kind (drill, …) is one more entry here.

import type { Role } from '../roles.ts';
import type { HolidayRule } from './recurrence.ts';

export type PlanKind =
  | 'inspection'
  | 'patrol'
  | 'cleaning'
  | 'special_cleaning'
  | 'greening'
  | 'desk_check'
  | 'interview'
  | 'training';

export interface PlanKindDef {
  kind: PlanKind;
  zh: string;
  en: string;
  /** Requirement IDs the kind serves, for the docs and test names. */
  requirements: string[];
  /** What a new plan of this kind starts with; the plan may say otherwise. */
  defaultHolidayRule: HolidayRule;
  /** The roles that usually do it (the assignee picker suggests these). */
  roles: Role[];
}

export const PLAN_KIND_DEFS: readonly PlanKindDef[] = [
  // Plant must be looked at whatever the date: inspections and patrols run on holidays.
  { kind: 'inspection', zh: '巡检', en: 'Inspection', requirements: ['IN-1', 'IN-2'], defaultHolidayRule: 'run', roles: ['technician'] },
  { kind: 'patrol', zh: '巡逻', en: 'Security patrol', requirements: ['IN-1'], defaultHolidayRule: 'run', roles: ['guard'] },
  { kind: 'cleaning', zh: '保洁', en: 'Cleaning', requirements: ['CL-1', 'CL-2', 'CL-3'], defaultHolidayRule: 'run', roles: ['cleaner'] },
  { kind: 'special_cleaning', zh: '专项保洁', en: 'Special cleaning', requirements: ['CL-5'], defaultHolidayRule: 'next_working_day', roles: ['cleaner'] },
  { kind: 'greening', zh: '绿化', en: 'Greening', requirements: ['GR-1', 'GR-2'], defaultHolidayRule: 'next_working_day', roles: ['gardener'] },
  { kind: 'desk_check', zh: '前台设备检查', en: 'Desk equipment check', requirements: [], defaultHolidayRule: 'skip', roles: ['agent'] },
  { kind: 'interview', zh: '客户走访', en: 'Customer interview', requirements: ['CM-1'], defaultHolidayRule: 'next_working_day', roles: ['agent', 'supervisor'] },
  { kind: 'training', zh: '培训', en: 'Training', requirements: ['CS-7'], defaultHolidayRule: 'next_working_day', roles: ['supervisor'] },
];

export const PLAN_KINDS = ['inspection', 'patrol', 'cleaning', 'special_cleaning', 'greening', 'desk_check', 'interview', 'training'] as const satisfies readonly PlanKind[];

export function planKindDef(kind: PlanKind): PlanKindDef {
  const def = PLAN_KIND_DEFS.find((d) => d.kind === kind);
  if (!def) throw new RangeError(`unknown plan kind "${kind}"`);
  return def;
}

export function isPlanKind(value: unknown): value is PlanKind {
  return typeof value === 'string' && (PLAN_KINDS as readonly string[]).includes(value);
}
