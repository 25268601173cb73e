import type { Role } from './types.ts';

/**
 * A copy of server/src/platform/permissions.ts, used only to decide what the web shows: menu
 * entries, buttons, the "显示完整号码" action. The server checks every request on its own; if this
 * copy drifts, a user sees a button that answers 403 — never more than the server allows.
 */
const STAFF: Role[] = ['admin', 'supervisor', 'agent', 'technician', 'guard', 'cleaner', 'gardener'];
const DESK: Role[] = ['admin', 'supervisor', 'agent'];

export const permissions = {
  'site.read': [...STAFF, 'occupant', 'owner_rep'],
  'place.read': [...STAFF, 'occupant', 'owner_rep'],
  'place.write': ['admin', 'supervisor'],
  'company.read': [...DESK, 'occupant', 'owner_rep'],
  'company.write': DESK,
  'occupant.read': [...DESK, 'occupant'],
  'occupant.write': DESK,
  'staff.read': [...STAFF, 'owner_rep'],
  'staff.write': ['admin', 'supervisor'],
  'contractor.read': [...DESK, 'owner_rep'],
  'contractor.write': ['admin', 'supervisor'],
  'personal.reveal': DESK,
  'account.read': ['admin'],
  'account.write': ['admin'],
  'audit.read': ['admin', 'owner_rep'],
  'calendar.read': [...STAFF, 'occupant', 'owner_rep'],
  'calendar.write': ['admin'],
  'upload.create': [...STAFF, 'occupant', 'owner_rep'],
  'workItem.create': [...DESK, 'occupant'],
  'workItem.read': [...STAFF, 'occupant', 'owner_rep'],
  'workItem.act': [...STAFF, 'occupant'],
  'workItem.comment': [...STAFF, 'occupant'],
  'workItem.triage': DESK,
  'reception.read': [...DESK, 'owner_rep'],
  'reception.write': DESK,
  'duty.read': [...STAFF, 'owner_rep'],
  'duty.write': ['admin', 'supervisor'],
  'revisit.manage': DESK,
  'report.read': [...DESK, 'owner_rep'],
  'archive.export': ['admin', 'supervisor', 'owner_rep'],
  'spotCheck.write': ['admin', 'supervisor'],
  'plan.read': [...STAFF, 'owner_rep'],
  'plan.write': ['admin', 'supervisor'],
  'task.read': [...STAFF, 'owner_rep'],
  'stock.read': [...STAFF, 'owner_rep'],
  'stock.write': ['admin', 'supervisor'],
  'stock.issue': ['admin', 'supervisor', 'technician', 'cleaner', 'gardener'],
} satisfies Record<string, Role[]>;

export type Permission = keyof typeof permissions;

export function can(roles: readonly Role[] | undefined, permission: Permission): boolean {
  if (!roles) return false;
  const allowed: readonly Role[] = permissions[permission];
  return roles.some((r) => allowed.includes(r));
}

export const ALL_ROLES: Role[] = ['admin', 'supervisor', 'agent', 'technician', 'guard', 'cleaner', 'gardener', 'occupant', 'owner_rep'];
