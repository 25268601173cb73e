import { QueryCache, QueryClient, MutationCache } from '@tanstack/react-query';
import { isApiError } from './api.ts';
import { ME_KEY } from './auth.ts';

/**
 * One QueryClient per page load. A 401 anywhere means the session ended (30-min idle, an admin
 * disabled the account, a password reset): forget "me", and the shell sends the user to sign in.
 * Client errors (4xx) are never retried — asking again will not change the answer.
 */
export function makeQueryClient() {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (e, query) => onAuthLost(e, query.queryKey[0] !== ME_KEY[0]) }),
    mutationCache: new MutationCache({ onError: (e) => onAuthLost(e, true) }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (count, e) => (isApiError(e) && e.status >= 400 && e.status < 500 ? false : count < 2),
      },
      mutations: { retry: false },
    },
  });
  function onAuthLost(e: unknown, fromOtherQuery: boolean) {
    if (fromOtherQuery && isApiError(e) && e.status === 401) client.setQueryData(ME_KEY, null);
  }
  return client;
}
