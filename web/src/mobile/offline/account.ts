import { useEffect } from 'react';
import { isApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.ts';
import type { Me } from '../../app/types.ts';
import { startOffline } from './sync.ts';

const KEY = 'towerdesk.me';

function cached(): Me | null {
  try {
    const v = localStorage.getItem(KEY);
    return v ? (JSON.parse(v) as Me) : null;
  } catch {
    return null;
  }
}

/**
 * "Me" for the phone app, offline too: the last account the server confirmed is kept in
 * localStorage and used while the server cannot be reached (a patrol in the basement), so the
 * app opens on the tasks instead of an error. A 401 (signed out) forgets it. Starts the offline
 * store for the account.
 */
export function useAccount() {
  const me = useMe();
  // While the query still retries, its failure is in failureReason: do not wait seconds for the retries offline.
  const err = me.error ?? me.failureReason;
  const offline = isApiError(err) && err.offline;
  const fallback = offline ? cached() : null;
  const data = me.data ?? fallback ?? (me.data === null ? null : undefined);
  useEffect(() => {
    try {
      if (me.data) localStorage.setItem(KEY, JSON.stringify(me.data));
      else if (me.data === null) localStorage.removeItem(KEY);
    } catch {
      // storage blocked: no offline start for this browser, online works as before
    }
  }, [me.data]);
  useEffect(() => {
    if (data) void startOffline(data);
  }, [data]);
  return {
    data,
    isPending: me.isPending && !fallback,
    error: fallback ? null : me.error,
    refetch: me.refetch,
    /** Shown from the cached account, the server not reached. */
    fromCache: !!fallback && !me.data,
  };
}
