import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Query } from './api.ts';
import type { Page } from './types.ts';
import type { Inbox, Upload, WorkItem, WorkItemDetail } from './workItems.ts';

/** Query keys of the work-item module (STYLE §8): one factory, so invalidation hits them all. */
export const workKeys = {
  all: ['work-items'] as const,
  list: (q: Query) => ['work-items', 'list', q] as const,
  detail: (id: string) => ['work-items', 'detail', id] as const,
  inbox: ['notifications'] as const,
};

export function useWorkItems(q: Query, opts: { refetchInterval?: number; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: workKeys.list(q),
    queryFn: () => api.get<Page<WorkItem>>('/api/work-items', q),
    refetchInterval: opts.refetchInterval,
    enabled: opts.enabled,
  });
}

export function useWorkItem(id: string | null | undefined, opts: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: workKeys.detail(id ?? ''),
    queryFn: () => api.get<WorkItemDetail>(`/api/work-items/${id}`),
    enabled: !!id,
    refetchInterval: opts.refetchInterval,
  });
}

export interface ActInput {
  reason?: string;
  assigneeStaffId?: string;
  note?: string;
  resolution?: string;
  expectedDate?: string;
  qrToken?: string;
  confirmationCode?: string;
  signatureAttachmentId?: string;
  confirmationReason?: string;
  attachmentIds?: string[];
  rating?: number;
  materials?: string;
  labourMinutes?: number;
}

/**
 * Takes a transition. The answer is the item as it now is: it replaces the cached detail and the
 * lists refetch. On 409 (someone acted first) the caller shows the message; the refetch shows why.
 */
export function useAct(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, input }: { action: string; input?: ActInput }) => api.post<WorkItemDetail>(`/api/work-items/${id}/actions/${action}`, input ?? {}),
    onSuccess: (item) => {
      qc.setQueryData(workKeys.detail(id), item);
      void qc.invalidateQueries({ queryKey: workKeys.all, predicate: (q) => q.queryKey[1] === 'list' });
      void qc.invalidateQueries({ queryKey: workKeys.inbox });
    },
    onError: () => {
      void qc.invalidateQueries({ queryKey: workKeys.all });
    },
  });
}

export function useComment(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { body: string; public: boolean; attachmentIds?: string[] }) => api.post<{ id: number }>(`/api/work-items/${id}/comments`, input),
    onSuccess: () => void qc.invalidateQueries({ queryKey: workKeys.detail(id) }),
  });
}

export function useChangeUrgency(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { urgency: string; reason: string }) => api.post<WorkItemDetail>(`/api/work-items/${id}/urgency`, input),
    onSuccess: (item) => {
      qc.setQueryData(workKeys.detail(id), item);
      void qc.invalidateQueries({ queryKey: workKeys.all, predicate: (q) => q.queryKey[1] === 'list' });
    },
  });
}

export const uploadPhotos = (files: readonly File[]) => api.uploadMany<Upload[]>('/api/uploads', files);

/** The inbox's unread count: pushed by the live stream (app/live.ts), polled slowly as a safety net. */
export function useUnread(pollMs = 120_000) {
  return useQuery({
    queryKey: [...workKeys.inbox, 'unread'],
    queryFn: () => api.get<Inbox>('/api/notifications', { unread: true, limit: 50 }),
    refetchInterval: pollMs,
    refetchIntervalInBackground: false,
  });
}

export function useInbox() {
  return useQuery({ queryKey: [...workKeys.inbox, 'all'], queryFn: () => api.get<Inbox>('/api/notifications', { limit: 100 }) });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post(`/api/notifications/${id}/read`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: workKeys.inbox }),
  });
}

/** The current time, ticking, for countdowns. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}
