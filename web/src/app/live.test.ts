import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { acquireLive, backoffMs, liveStatus, releaseLive } from './live.ts';
import { workKeys } from './workQueries.ts';

/** A stand-in for the browser's EventSource (node has none): the test plays the server. */
class FakeEventSource {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  static all: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, Array<(e: { data: string }) => void>>();
  closed = false;
  constructor(readonly url: string) { FakeEventSource.all.push(this); }
  addEventListener(type: string, fn: (e: { data: string }) => void) { this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]); }
  close() { this.closed = true; this.readyState = FakeEventSource.CLOSED; }
  open() { this.readyState = FakeEventSource.OPEN; this.onopen?.(); }
  emit(type: string, data: unknown) { for (const fn of this.listeners.get(type) ?? []) fn({ data: JSON.stringify(data) }); }
  /** The server answered with an error status: the browser gives up on this source. */
  refuse() { this.readyState = FakeEventSource.CLOSED; this.onerror?.(); }
}
const latest = () => FakeEventSource.all.at(-1)!;

describe('live updates in the web (issue 3 items 5, 7, 12: CS-3, RP-4)', () => {
  let qc: QueryClient;
  let invalidated: unknown[][];
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('EventSource', FakeEventSource);
    FakeEventSource.all = [];
    qc = new QueryClient();
    invalidated = [];
    // Which queries each event refetches: every query the cache holds that matches.
    for (const key of [workKeys.detail('item-1'), workKeys.detail('item-2'), workKeys.list({ open: true }), [...workKeys.inbox, 'unread']]) {
      qc.setQueryData(key, {});
    }
    const original = qc.invalidateQueries.bind(qc);
    vi.spyOn(qc, 'invalidateQueries').mockImplementation((filters) => {
      for (const q of qc.getQueryCache().findAll(filters)) invalidated.push([...q.queryKey]);
      return original(filters);
    });
  });
  afterEach(() => {
    vi.runAllTimers(); // each test released what it acquired: this closes the stream
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  test('CS-3 one stream for many users; an item event refetches that item and (once per burst) the lists; a notice refetches the inbox', () => {
    acquireLive(qc);
    acquireLive(qc);
    expect(FakeEventSource.all).toHaveLength(1);
    expect(latest().url).toBe('/api/live');
    latest().open();
    expect(liveStatus()).toBe('open');
    latest().emit('work_item', { itemId: 'item-1' });
    latest().emit('work_item', { itemId: 'item-1' });
    expect(invalidated).toContainEqual(['work-items', 'detail', 'item-1']);
    expect(invalidated).not.toContainEqual(['work-items', 'detail', 'item-2']);
    vi.runOnlyPendingTimers();
    expect(invalidated.filter((k) => k[1] === 'list')).toHaveLength(1);
    latest().emit('notification', {});
    expect(invalidated).toContainEqual(['notifications', 'unread']);
    releaseLive();
    releaseLive();
  });

  test('RP-4 refused by the server, it reconnects with a growing backoff and refetches everything once it is back', () => {
    acquireLive(qc);
    latest().open();
    latest().refuse();
    expect(liveStatus()).toBe('retrying');
    expect(FakeEventSource.all).toHaveLength(1);
    vi.advanceTimersByTime(backoffMs(0));
    expect(FakeEventSource.all).toHaveLength(2);
    latest().refuse();
    vi.advanceTimersByTime(backoffMs(0));
    expect(FakeEventSource.all).toHaveLength(2); // the second wait is longer
    vi.advanceTimersByTime(backoffMs(1) - backoffMs(0));
    expect(FakeEventSource.all).toHaveLength(3);
    invalidated = [];
    latest().open();
    expect(liveStatus()).toBe('open');
    expect(invalidated).toContainEqual(['work-items', 'detail', 'item-2']);
    expect(invalidated).toContainEqual(['notifications', 'unread']);
    releaseLive();
  });

  test('the stream survives a page change (one user leaves, the next comes) and closes when nobody uses it', () => {
    acquireLive(qc);
    const first = latest();
    releaseLive();
    acquireLive(qc);
    vi.advanceTimersByTime(5000);
    expect(first.closed).toBe(false);
    expect(FakeEventSource.all).toHaveLength(1);
    releaseLive();
    vi.advanceTimersByTime(5000);
    expect(first.closed).toBe(true);
  });

  test('backoff doubles from 1 s and stops at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });
});
