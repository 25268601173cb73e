/** Response shapes of the plans and records API (server/src/modules/plans/routes.ts, records-routes.ts). */

export type PlanKind = 'inspection' | 'patrol' | 'cleaning' | 'special_cleaning' | 'greening' | 'desk_check' | 'interview' | 'training';
export type TaskState = 'scheduled' | 'in_progress' | 'done' | 'missed';

export interface TemplateItem {
  id: string; label: string; labelEn?: string; kind: string;
  unit?: string; min?: number; max?: number; expected?: boolean; options?: string[]; failing?: string[]; required?: boolean;
}
export interface Plan {
  id: string; kind: PlanKind; kindName: string; name: string; nameEn: string | null; rrule: string; startsOn: string;
  holidayRule: string; holidayRuleName: string; durationMinutes: number; graceMinutes: number;
  assignee: { type: 'staff'; staffId: string } | { type: 'trade' | 'duty'; trade: string };
  version: number; template: { checkpoints: Array<{ placeId: string; order: number; items: TemplateItem[] }> }; active: boolean;
}

export interface RecordCheckpoint { order: number; placeId: string; placeName: string; state: string; at: string | null; proof: string | null; outOfOrder: boolean; late: boolean }
export interface TaskRecord {
  id: string; planId: string; planName: string; kind: PlanKind; kindName: string; state: TaskState; stateName: string;
  startsAt: string; dueAt: string; lateAt: string; startedAt: string | null; finishedAt: string | null;
  assigneeName: string | null; doneByName: string | null; late: boolean;
  planned: number; visited: number; missedCheckpoints: number; answers: number; findings: number; checkpoints: RecordCheckpoint[];
}
export interface Page<T> { items: T[]; total: number }

export interface RateFigures {
  tasks: number; done: number; onTime: number; missed: number; completionRate: number | null; onTimeRate: number | null;
  checkpoints: number; visitedCheckpoints: number; missedCheckpoints: number; checkpointRate: number | null;
}
export interface Rates { from: string; to: string; by: string; items: Array<RateFigures & { key: string | null; name: string; kind: string | null }>; total: RateFigures }

export interface RouteMonth {
  month: string; from: string; to: string;
  items: Array<{
    planId: string; planName: string; kind: string; kindName: string; tasks: number; decided: number; done: number; onTime: number; missed: number;
    completionRate: number | null; onTimeRate: number | null; missedCheckpoints: number; answers: number; findings: number;
  }>;
}

export interface MissedCheckpoint {
  taskId: string; planId: string; planName: string; kind: string; kindName: string; taskState: string; taskStateName: string;
  startsAt: string; lateAt: string; checkpoint: number; place: { id: string; code: string; name: string }; assigneeName: string | null;
}

export interface ReadingItem { planKind?: string; planId: string; planName: string; placeId: string; placeName: string; placeCode: string; itemId: string; label: string; kind: string; unit: string; min: number | null; max: number | null }
export interface Readings {
  from: string; to: string; item: ReadingItem;
  points: Array<{ at: string; value: number; unit: string | null; finding: boolean; taskId: string; staffName: string | null }>;
  summary: { n: number; min: number | null; max: number | null; mean: number | null; outOfRange: number };
}

export interface ChemicalUse {
  taskId: string; planName: string; checkpoint: number; placeId: string; placeName: string; at: string; startsAt: string; staffName: string | null;
  pests: string; product: string; dilution: string; dose: string; area: string; weather: string;
}

/** GET /api/tasks/:id (the lead's rounds.ts TaskDetail). */
export interface TaskDetail {
  id: string; planId: string; planName: string; kind: PlanKind; kindName: string; planVersion: number;
  startsAt: string; dueAt: string; lateAt: string; state: TaskState; stateName: string;
  assigneeName: string | null; assigneeTradeName: string | null;
  startedAt: string | null; startedByName: string | null; finishedAt: string | null; finishedByName: string | null; note: string | null; late: boolean;
  checkpoints: Array<{
    order: number; placeId: string; placeName: string; placePath: string; state: 'pending' | 'visited' | 'missed'; scannedAt: string | null;
    proof: 'qr' | 'manual' | null; outOfOrder: boolean; late: boolean;
    items: Array<TemplateItem & {
      answer: null | {
        value: number | boolean | string | string[]; finding: boolean; why: string | null; answeredAt: string;
        findingItem: null | { id: string; number: string; state: string; stateName: string };
      };
    }>;
  }>;
  findings: Array<{ id: string; number: string; title: string; state: string; stateName: string; checkpoint: number | null }>;
}
