/** Shapes of the reception API (server/src/modules/reception/routes.ts). */

export const CHANNELS = ['call', 'walk_in', 'message'] as const;
export type Channel = (typeof CHANNELS)[number];
export const TOPICS = ['repair', 'complaint', 'inquiry', 'suggestion', 'visitor', 'other'] as const;
export type Topic = (typeof TOPICS)[number];
export const STATS_BY = ['topic', 'floor', 'company', 'week'] as const;
export type StatsBy = (typeof STATS_BY)[number];

interface Ref { id: string; name: string }

export interface Reception {
  id: string;
  siteId: string;
  at: string;
  channel: Channel;
  channelName: string;
  occupant: Ref | null;
  company: Ref | null;
  unit: { id: string; code: string; name: string } | null;
  contactName: string | null;
  /** masked (SEC-2) */
  contactPhone: string | null;
  topic: Topic;
  topicName: string;
  summary: string;
  actionTaken: string | null;
  result: string | null;
  agent: Ref;
  workItems: Array<{ id: string; number: string; kind: string; state: string }>;
  callId: string | null;
  createdAt: string;
}

export interface ReceptionStats {
  by: StatsBy;
  from: string | null;
  to: string | null;
  total: number;
  rows: Array<{ key: string | null; label: string; count: number }>;
}

export interface PhoneCall {
  id: string;
  externalId: string;
  /** masked */
  caller: string;
  callee: string | null;
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number | null;
  recordingUrl: string | null;
  matches: Array<{ occupantId: string; name: string; company: Ref | null }>;
  receptionId: string | null;
  workItems: Array<{ id: string; number: string }>;
}

/** The list/stats/export filter, as query parameters. */
export interface ReceptionFilter {
  from?: string;
  to?: string;
  channel?: Channel;
  topic?: Topic;
  companyId?: string;
  q?: string;
}
