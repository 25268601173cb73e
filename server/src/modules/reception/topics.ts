import type { Message } from '../../platform/i18n.ts';

/**
 * What a desk contact was about (CS-4 "topic"). A short list of its own rather than the work-item
 * category tree: a reception is recorded before anyone knows the fault (and many contacts — a
 * visitor at the desk, a question about parking — never become a work item). The first three
 * match the work-item kinds, so "receptions about repairs" and "repairs" can be compared.
 */
export const TOPICS = {
  repair: { zh: '报修', en: 'Repair' },
  complaint: { zh: '投诉', en: 'Complaint' },
  inquiry: { zh: '咨询', en: 'Inquiry' },
  suggestion: { zh: '建议', en: 'Suggestion' },
  visitor: { zh: '访客', en: 'Visitor' },
  other: { zh: '其他', en: 'Other' },
} as const satisfies Record<string, Message>;
export type Topic = keyof typeof TOPICS;
export const TOPIC_CODES = Object.keys(TOPICS) as [Topic, ...Topic[]];

export const CHANNELS = {
  call: { zh: '来电', en: 'Call' },
  walk_in: { zh: '来访', en: 'Walk-in' },
  message: { zh: '留言/消息', en: 'Message' },
} as const satisfies Record<string, Message>;
export type Channel = keyof typeof CHANNELS;
export const CHANNEL_CODES = Object.keys(CHANNELS) as [Channel, ...Channel[]];
