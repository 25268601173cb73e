/**
 * What the server says about a task (GET /api/tasks/today, /api/tasks/:id and every task action),
 * as the phone keeps it in IndexedDB. Field names follow the server's TaskDetail exactly.
 */
export type TaskState = 'scheduled' | 'in_progress' | 'done' | 'missed';
export type CheckpointState = 'pending' | 'visited' | 'missed';
export type ItemKind = 'number' | 'yes_no' | 'single_choice' | 'multi_choice' | 'text' | 'photo' | 'meter';
export type AnswerValue = number | boolean | string | string[];

export interface FindingRef {
  id: string;
  number: string;
  state: string;
  stateName: string;
}

export interface TaskAnswer {
  value: AnswerValue;
  finding: boolean;
  why: string | null;
  answeredAt: string;
  findingItem: FindingRef | null;
}

export interface TaskItem {
  id: string;
  label: string;
  labelEn?: string | null;
  kind: ItemKind;
  unit?: string;
  min?: number;
  max?: number;
  expected?: boolean;
  options?: string[];
  failing?: string[];
  required?: boolean;
  answer: TaskAnswer | null;
}

export interface TaskCheckpoint {
  order: number;
  placeId: string;
  placeName: string;
  placePath?: string | null;
  placeToken: string | null;
  state: CheckpointState;
  scannedAt: string | null;
  proof: 'qr' | 'manual' | null;
  outOfOrder: boolean;
  late: boolean;
  items: TaskItem[];
}

export interface TaskFinding {
  id: string;
  number: string;
  title: string;
  state: string;
  stateName: string;
  checkpoint: number | null;
}

export interface TaskDetail {
  id: string;
  planId: string;
  planName: string;
  kind: string;
  kindName: string;
  planVersion: number;
  startsAt: string;
  dueAt: string;
  lateAt: string;
  state: TaskState;
  stateName: string;
  assigneeStaffId: string | null;
  assigneeName: string | null;
  assigneeTrade: string | null;
  startedAt: string | null;
  startedByName: string | null;
  finishedAt: string | null;
  finishedByName: string | null;
  late: boolean;
  note?: string | null;
  checkpoints: TaskCheckpoint[];
  findings: TaskFinding[];
}
