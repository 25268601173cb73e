/** Response shapes of the report API (server/src/modules/work-items/report-routes.ts). */

export interface Ref { id: string; name: string }
/** met / n; rate 0–1, null when nothing was scored. */
export interface Score { n: number; met: number; rate: number | null }
/** Minutes consumed on the clock; nearest-rank percentiles. */
export interface Percentiles extends Score { p50: number | null; p90: number | null }

export interface ArchiveClock {
  clock: string; name: string; dueAt: string; stoppedAt: string | null; running: boolean; met: boolean | null;
  minutesLate: number | null; breached: boolean; consumedMinutes: number;
}

export interface ArchiveItem {
  id: string; number: string; kind: string; kindName: string; category: string; categoryName: string;
  urgency: string; urgencyName: string; state: string; stateName: string; title: string; channel: string;
  place: { id: string; code: string; name: string } | null; company: Ref | null;
  reporterName: string | null; contactPhone: string | null; technician: Ref | null;
  createdAt: string; arrivedAt: string | null; arrivalProof: string | null; completedAt: string | null; closedAt: string | null;
  rating: number | null; ratingComment: string | null; reopenCount: number; relatedItemId: string | null;
  met: boolean | null; clocks: ArchiveClock[];
}

export interface ArchivePage { items: ArchiveItem[]; total: number }

export interface MonthlyReport {
  month: string; from: string; to: string;
  volume: {
    total: number; previousMonth: number; change: number; open: number; resolved: number; closed: number; cancelled: number;
    aboutRepairs: number; followUps: number;
  };
  byCategory: Array<{ category: string; name: string; count: number; share: number }>;
  timeliness: { acknowledge: Score; resolution: Score; update: Score; overdueOpen: number };
  repeats: {
    byCompany: Array<{ companyId: string; name: string; count: number; numbers: string[]; categories: string[] }>;
    byPlace: Array<{ placeId: string; code: string; name: string; count: number; numbers: string[]; categories: string[] }>;
  };
  revisits: {
    done: number; reached: number; satisfied: number; rate: number | null;
    dissatisfied: Array<{ number: string; comment: string | null; followUp: string | null }>;
  };
  improvements: Array<{
    id: string; number: string; category: string; categoryName: string; company: string | null; place: string | null;
    responsible: string | null; resolvedAt: string | null; resolution: string; relatedNumber: string | null;
  }>;
}

export interface SlaReport {
  from: string; to: string;
  urgentArrival: Percentiles & { limitMinutes: number; proven: Percentiles; unproven: Percentiles };
  byTrade: Array<{
    trade: string; name: string; repairs: number; urgent: number;
    arrival: Percentiles; response: Percentiles; resolution: Percentiles; urgentResolution: Percentiles;
  }>;
  repairs: {
    total: number; completed: number; open: number; cancelled: number;
    firstTimeFix: Score; reopen: { n: number; reopened: number; rate: number | null }; complainedAbout: number;
  };
  byTechnician: Array<{
    staffId: string; name: string; trades: string[]; items: number; completed: number; reopened: number;
    onTime: Score; rated: number; averageRating: number | null;
  }>;
  complaintsByResponsible: Array<{
    staffId: string; name: string; complaints: number; breachedItems: number;
    acknowledge: Score; resolution: Score; update: Score; onTime: Score;
  }>;
}

export type CheckResult = 'pass' | 'fail';

export interface SpotCheck {
  id: string; itemId: string; number: string; result: CheckResult; note: string | null; proposedWeek: string | null;
  checkedBy: string; checkedAt: string; rectificationItemId: string | null; followUp: string | null;
}

export interface SpotCheckList {
  summary: { checked: number; passed: number; failed: number; passRate: number | null };
  items: Array<SpotCheck & { category: string; categoryName: string; urgency: string; technician: string | null }>;
  total: number;
}

export interface SpotCheckProposal {
  week: string; from: string; to: string; completed: number; completedUrgent: number;
  share: { urgent: number; other: number };
  items: Array<{
    itemId: string; number: string; category: string; categoryName: string; urgency: string; reason: 'urgent' | 'sample';
    place: string | null; technician: string | null; completedAt: string; rating: number | null;
    check: { id: string; result: CheckResult; note: string | null; checkedAt: string; checkedBy: string } | null;
  }>;
}
