import { useTranslation } from 'react-i18next';
import {
  CLOCK_LABELS, KINDS, URGENCY_LABELS, categoryPath, findCategory,
  type ClockName, type Urgency, type WorkItemKind,
} from '@towerdesk/domain';
import { formatShort } from './dates.ts';
import { formatMinutes, transitionOf, type TimelineEntry } from './workItems.ts';

type Pair = { zh: string; en: string };

/**
 * Work-item names from the domain package (zh/en pairs declared with the kinds) in the UI
 * language: one source for the desk, the phone and the server's messages.
 */
export function useWorkNames() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const pick = (p: Pair | undefined, fallback: string) => (p ? (en ? p.en : p.zh) : fallback);
  return {
    en,
    lang: en ? 'en-US' : 'zh-CN',
    kind: (k: string) => pick(KINDS[k as WorkItemKind], k),
    urgency: (u: string) => pick(URGENCY_LABELS[u as Urgency], u),
    clock: (c: string) => pick(CLOCK_LABELS[c as ClockName], c),
    /** 电气 › 停电跳闸 */
    category: (code: string) => {
      if (!findCategory(code)) return code;
      return categoryPath(code).map((c) => pick(c, c.code)).join(' › ');
    },
    /** The leaf only: 停电跳闸 */
    categoryLeaf: (code: string) => pick(findCategory(code), code),
    /** A state's name; `occupant` gives the wording occupants see (师傅在途). */
    state: (kind: string, state: string, occupant = false) => {
      const s = KINDS[kind as WorkItemKind]?.states[state];
      if (!s) return state;
      if (occupant) return en ? s.occupantEn ?? s.en : s.occupantZh ?? s.zh;
      return en ? s.en : s.zh;
    },
    action: (kind: string, action: string) => pick(transitionOf(kind as WorkItemKind, action), action),
    /** "剩 25 分" / "超时 5 分" for a due instant. */
    timeLeft: (minutesLeft: number) => (minutesLeft >= 0
      ? t('wi.left', { t: formatMinutes(minutesLeft, en ? 'en-US' : 'zh-CN') })
      : t('wi.late', { t: formatMinutes(-minutesLeft, en ? 'en-US' : 'zh-CN') })),
    duration: (minutes: number) => formatMinutes(minutes, en ? 'en-US' : 'zh-CN'),
  };
}

/**
 * One timeline entry as a line of text: what happened (title) and what was said (detail). For the
 * occupant (`occupant`), a step is named by the state they see (师傅已到场) rather than the action.
 */
export function useTimelineText() {
  const { t } = useTranslation();
  const names = useWorkNames();
  return (e: TimelineEntry, kind: string, occupant = false): { title: string; detail: string | null } => {
    const data = (e.data ?? {}) as Record<string, unknown>;
    switch (e.type) {
      case 'created': {
        const channel = typeof data.channel === 'string' ? t(`wi.tl.channel.${data.channel}`, { defaultValue: data.channel }) : null;
        return { title: t('wi.tl.created', { kind: names.kind(kind) }) + (channel && !occupant ? ` · ${channel}` : ''), detail: e.body };
      }
      case 'transition': {
        const action = e.action ?? '';
        let title = occupant && e.toState ? names.state(kind, e.toState, true) : names.action(kind, action);
        const assignee = data.assignee as { name?: string } | undefined;
        if (!occupant && assignee?.name) title = t('wi.tl.assignTo', { action: names.action(kind, action), name: assignee.name });
        if (action === 'arrive' && !occupant) title = data.proof === 'qr' ? t('wi.tl.arriveQr') : t('wi.tl.arriveManual');
        const extra = typeof data.expectedDate === 'string' ? t('wi.tl.expected', { date: data.expectedDate }) : null;
        // RP-5: how the occupant confirmed a completion (recorded by the server in data.confirmation).
        const confirmation = data.confirmation as { by?: string | null; reason?: string | null } | undefined;
        const confirmed = !confirmation ? null : confirmation.by ? t(`wi.tl.confirmed.${confirmation.by}`)
          : confirmation.reason ? t('wi.tl.confirmed.none', { reason: confirmation.reason }) : null;
        return { title, detail: [e.body, extra, confirmed].filter(Boolean).join(' · ') || null };
      }
      case 'comment':
        return { title: t('wi.tl.comment'), detail: e.body };
      case 'urgency':
        return { title: t('wi.tl.urgency', { from: names.urgency(String(data.from ?? '')), to: names.urgency(String(data.to ?? '')) }), detail: e.body };
      case 'clock': {
        const clock = names.clock(e.body ?? '');
        const late = typeof data.minutesLate === 'number' ? names.duration(data.minutesLate) : '';
        const due = typeof data.dueAt === 'string' ? formatShort(data.dueAt) : '';
        return { title: t(`wi.tl.clock.${e.action}`, { clock, due, late, percent: data.percent ?? '', level: data.level ?? '', defaultValue: `${clock} ${e.action ?? ''}` }), detail: null };
      }
      default:
        return { title: e.action ?? e.type, detail: e.body };
    }
  };
}
