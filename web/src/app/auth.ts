import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from './api.ts';
import type { Me } from './types.ts';

export const ME_KEY = ['me'] as const;

/**
 * Drops everything cached for the previous account but keeps the "me" query object itself:
 * mounted components observe it, and clearing the whole cache would leave them watching a
 * detached query that never hears about the new sign-in.
 */
function forgetAccountData(qc: ReturnType<typeof useQueryClient>, me: Me | null) {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
  qc.setQueryData(ME_KEY, me);
}

/** The signed-in account, or null when nobody is signed in (401 is an answer here, not an error). */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await api.get<Me>('/api/auth/me');
  } catch (e) {
    if (isApiError(e) && e.status === 401) return null;
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 5 * 60_000 });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { login: string; password: string }) => api.post<Me>('/api/auth/login', input),
    // Another account may have been signed in on this page before: drop its cached data.
    onSuccess: (me) => forgetAccountData(qc, me),
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api.post('/api/auth/logout');
      } catch (e) {
        // Already signed out (session expired) is the outcome we want anyway.
        if (!(isApiError(e) && e.status === 401)) throw e;
      }
    },
    onSuccess: () => forgetAccountData(qc, null),
  });
}
