/**
 * Shapes of the API's answers as the web reads them (see /api/openapi.json). Kept by hand and
 * small: only what screens use. The server's zod schemas are the contract.
 */
import type { PlaceKind, Trade } from '@towerdesk/domain';

export type Role = 'admin' | 'supervisor' | 'agent' | 'technician' | 'guard' | 'cleaner' | 'gardener' | 'occupant' | 'owner_rep';

export interface Me {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  siteId: string | null;
  staffId: string | null;
  occupantId: string | null;
  companyId: string | null;
  companyRole: 'admin' | 'member' | null;
  locale: string;
  layout: 'desk' | 'phone';
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Site {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  address: string | null;
}

export interface Place {
  id: string;
  siteId: string;
  parentId: string | null;
  code: string;
  name: string;
  nameEn: string | null;
  kind: PlaceKind;
  areaM2: number | null;
  sort: number;
  active: boolean;
  /** Only for roles that print labels (place.write); null for everyone else. */
  qrToken: string | null;
  childCount?: number;
}

export interface PlaceDetail extends Place {
  ancestors: Array<{ id: string; code: string; name: string; kind: string }>;
}

export interface PlaceLabel {
  id: string;
  code: string;
  name: string;
  kindName: string;
  url: string;
  svg: string;
}

interface RegisterRow {
  id: string;
  siteId: string;
  name: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Company extends RegisterRow {
  nameEn: string | null;
  unitIds: string[];
  unitNames?: string[];
  contactName: string | null;
  /** Masked (138****1234) unless revealed through /phone. */
  contactPhone: string | null;
}

export interface Occupant extends RegisterRow {
  phone: string;
  companyId: string | null;
  companyName?: string | null;
  unitIds: string[];
  unitNames?: string[];
  companyRole: 'admin' | 'member';
}

export interface Certificate {
  id: string;
  name: string;
  number: string;
  issuer: string | null;
  expiresOn: string | null;
}

export interface Staff extends RegisterRow {
  employeeNo: string;
  phone: string;
  position: string;
  trades: Trade[];
  hireDate: string;
  experienceYears: number;
  certificates?: Certificate[];
}

export interface Contractor extends RegisterRow {
  trades: Trade[];
  contactName: string | null;
  contactPhone: string | null;
  contractEndsOn: string | null;
}

export interface Account {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  siteId: string | null;
  phone: string | null;
  email: string | null;
  staffId: string | null;
  occupantId: string | null;
  disabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
}

export type Windows = Array<[string, string]>;
export interface WorkingHours {
  byWeekday: Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', Windows>;
  makeUpDay: Windows;
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup';
export interface CalendarDay {
  date: string;
  weekday: number;
  kind: DayKind;
  name?: string;
  nameEn?: string;
}
export interface CalendarEdit {
  date: string;
  kind: 'holiday' | 'workday' | 'normal';
  note: string | null;
}
export interface CalendarYear {
  siteId: string;
  year: number;
  provisional: boolean;
  source: string | null;
  hours: WorkingHours;
  days: CalendarDay[];
  edits: CalendarEdit[];
}

export interface AuditEntry {
  id: number;
  siteId: string | null;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}
