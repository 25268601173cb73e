/**
 * Permissions are data (STYLE §5): each action lists the roles that may take it. Every route
 * names one action (or 'public' / 'signedIn'); the app refuses to start a route that names none.
 * Row scope (site, company, own records) is applied in each module's queries on top of this.
 */
export const ROLES = ['admin', 'supervisor', 'agent', 'technician', 'guard', 'cleaner', 'gardener', 'occupant', 'owner_rep'] as const;
export type Role = (typeof ROLES)[number];

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
  /** Seeing a full phone number (SEC-2); each read is audited. */
  'personal.reveal': DESK,
  'account.read': ['admin'],
  'account.write': ['admin'],
  'audit.read': ['admin', 'owner_rep'],
  'calendar.read': [...STAFF, 'occupant', 'owner_rep'],
  'calendar.write': ['admin'],
  /** Uploading photos (pending until a record takes them); who sees them is that record's rule. */
  'upload.create': [...STAFF, 'occupant', 'owner_rep'],
  /** Work items (issue 3): filing, reading, acting; the kind's rules decide which action by whom. */
  'workItem.create': [...DESK, 'occupant'],
  'workItem.read': [...STAFF, 'occupant', 'owner_rep'],
  'workItem.act': [...STAFF, 'occupant'],
  'workItem.comment': [...STAFF, 'occupant'],
  'workItem.triage': DESK,
  /** Reception records (CS-4): the desk records contacts; the owner's representative reads them. */
  'reception.read': [...DESK, 'owner_rep'],
  'reception.write': DESK,
  /** Machine-to-machine senders (phone system…) and their secrets. */
  'integration.manage': ['admin'],
  /** Duty roster (CS-3): published to staff and the owner's representative; planned by managers. */
  'duty.read': [...STAFF, 'owner_rep'],
  'duty.write': ['admin', 'supervisor'],
  /** Dispatch suggestions (on duty, open load) for the desk's picker. */
  'duty.suggest': DESK,
  /** Revisits (回访, RP-8) are the desk's calls. */
  'revisit.manage': DESK,
  /** Reports and the archive (RP-6, CP-6, RP-3 statistics): the desk, managers and the owner's representative. */
  'report.read': [...DESK, 'owner_rep'],
  /** Taking work-item records out as XLSX (SEC-2: each export is audited). */
  'archive.export': ['admin', 'supervisor', 'owner_rep'],
  /** Quality spot-checks of completed repairs (RP-7) are the supervisors' job. */
  'spotCheck.write': ['admin', 'supervisor'],
  /** Plans → tasks (issue 4, IN-1): staff and the owner's representative read them; managers plan. */
  'plan.read': [...STAFF, 'owner_rep'],
  'plan.write': ['admin', 'supervisor'],
  'task.read': [...STAFF, 'owner_rep'],
  /** Doing a task on a phone (IN-3); the service narrows it to the task's person, trade or a manager. */
  'task.do': STAFF,
  /** Stock (issue 4, RP-9 CL-4): staff and the owner's representative read it; managers keep the store. */
  'stock.read': [...STAFF, 'owner_rep'],
  'stock.write': ['admin', 'supervisor'],
  /** Issuing parts to one's own work items and checking tools out and in (the service narrows non-managers to these). */
  'stock.issue': ['admin', 'supervisor', 'technician', 'cleaner', 'gardener'],
} satisfies Record<string, Role[]>;

export type Permission = keyof typeof permissions;
/** 'public': no sign-in; 'signedIn': any account. */
export type RouteAccess = Permission | 'public' | 'signedIn';

export function can(roles: readonly string[], permission: Permission): boolean {
  const allowed: readonly string[] = permissions[permission];
  return roles.some((r) => allowed.includes(r));
}

/** The roles that work on a phone first (DESIGN §1); the web shell picks its layout from this. */
export const PHONE_ROLES: Role[] = ['technician', 'guard', 'cleaner', 'gardener', 'occupant'];
