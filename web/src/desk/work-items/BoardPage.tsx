import { useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Badge, Button, Card, Input, Segmented, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { KINDS, URGENCIES, tradeOf, findCategory, type WorkItemKind } from '@towerdesk/domain';
import { formatShort } from '../../app/dates.ts';
import { FALLBACK_REFETCH_MS, useLive } from '../../app/live.ts';
import { TRADE_KEYS, useNames } from '../../app/i18n.ts';
import { boardOrder, itemClockStatus, transitionOf, type WorkItem } from '../../app/workItems.ts';
import { useNow, useWorkItems } from '../../app/workQueries.ts';
import { useWorkNames } from '../../app/workNames.ts';
import { PageTitle, QueryState, useCan } from '../common.tsx';
import { ItemDrawer } from './ItemDrawer.tsx';
import { clocksFrom, OpenClocks, StateTag, UrgencyTag } from './parts.tsx';

/** The board holds every open item of the site (filters are applied here, so counts stay whole). */
const BOARD_QUERY = { open: true, limit: 500 } as const;
const KIND_KEYS = Object.keys(KINDS) as WorkItemKind[];

type Attention = 'all' | 'breached' | 'warned' | 'unassigned' | 'urgent';

/** How long a row that appeared live keeps its 新 mark. */
const FRESH_MS = 60_000;

/** Waiting for someone to be sent (kinds that are dispatched at all; an inquiry is answered by the desk). */
const needsDispatch = (it: WorkItem) => !it.assignee && !!transitionOf(it.kind, 'assign')?.from.includes(it.state);

/**
 * 工单台, the dispatch board (RP-2, CS-3): every open repair, complaint and inquiry with the time
 * left on each running clock, coloured ok / warned / breached. Live: new items, state changes and
 * the sweep's warnings arrive as server-sent events (app/live.ts) and refetch the list; the time
 * left ticks here every second, so a clock turns red the second it is due. Filters by state,
 * urgency, kind and trade; a row opens the item.
 */
export default function BoardPage() {
  const { t } = useTranslation();
  const names = useWorkNames();
  const placeNames = useNames();
  const allowed = useCan();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const openId = params.get('item');
  const now = useNow(1000);
  const live = useLive();
  const list = useWorkItems(BOARD_QUERY, { refetchInterval: FALLBACK_REFETCH_MS });
  // When each row was first seen: rows that arrive after the board opened are marked 新 for a while.
  const seen = useRef<Map<string, number> | null>(null);
  const firstSeen = useMemo(() => {
    if (!list.data) return seen.current;
    const initial = seen.current === null;
    seen.current ??= new Map();
    for (const it of list.data.items) if (!seen.current.has(it.id)) seen.current.set(it.id, initial ? 0 : Date.now());
    return seen.current;
  }, [list.data]);
  const isFresh = (id: string) => now - (firstSeen?.get(id) ?? 0) < FRESH_MS;

  const [kind, setKind] = useState<WorkItemKind | 'all'>('all');
  const [state, setState] = useState<string | undefined>();
  const [urgency, setUrgency] = useState<string | undefined>();
  const [trade, setTrade] = useState<string | undefined>();
  const [attention, setAttention] = useState<Attention>('all');
  const [q, setQ] = useState('');

  const all = list.data?.items ?? [];
  // Open items on each person's hands, for the dispatch picker (fewest first).
  const load = useMemo(() => {
    const m = new Map<string, number>();
    for (const it of all) if (it.assignee) m.set(it.assignee.id, (m.get(it.assignee.id) ?? 0) + 1);
    return m;
  }, [all]);

  const counts = useMemo(() => {
    let breached = 0, warned = 0, unassigned = 0, urgent = 0;
    for (const it of all) {
      const s = itemClockStatus(it, now);
      if (s === 'breached') breached++;
      if (s === 'warned') warned++;
      if (needsDispatch(it)) unassigned++;
      if (it.urgency === 'urgent') urgent++;
    }
    return { breached, warned, unassigned, urgent };
  }, [all, now]);

  const needle = q.trim().toLowerCase();
  const filtered = useMemo(() => {
    const base = all.filter((it) => (kind === 'all' || it.kind === kind)
      && (!urgency || it.urgency === urgency)
      && (!trade || (findCategory(it.category) && tradeOf(it.category) === trade))
      && (!needle || [it.number, it.title, it.place?.name, it.place?.code, it.assignee?.name].some((v) => v?.toLowerCase().includes(needle)))
      && (attention === 'all'
        || (attention === 'unassigned' && needsDispatch(it))
        || (attention === 'urgent' && it.urgency === 'urgent')
        || ((attention === 'breached' || attention === 'warned') && itemClockStatus(it, now) === attention)));
    return base;
  }, [all, kind, urgency, trade, needle, attention, now]);

  // State chips: the states present after the other filters, with their counts.
  const stateCounts = useMemo(() => {
    const m = new Map<string, { kind: WorkItemKind; state: string; name: string; n: number }>();
    for (const it of filtered) {
      const key = `${it.kind}:${it.state}`;
      const e = m.get(key) ?? { kind: it.kind, state: it.state, name: it.stateName, n: 0 };
      e.n++;
      m.set(key, e);
    }
    const order = (k: WorkItemKind, s: string) => KIND_KEYS.indexOf(k) * 100 + Object.keys(KINDS[k].states).indexOf(s);
    return [...m.values()].sort((a, b) => order(a.kind, a.state) - order(b.kind, b.state));
  }, [filtered]);

  const rows = useMemo(() => boardOrder(filtered.filter((it) => !state || `${it.kind}:${it.state}` === state), now), [filtered, state, now]);

  const open = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('item', id);
    else next.delete('item');
    setParams(next, { replace: !id });
  };

  const stat = (key: Attention, label: string, n: number, tone: string) => (
    <Card size="small" className={`wb-stat wb-stat-${tone}${attention === key ? ' wb-stat-on' : ''}`} onClick={() => setAttention(attention === key ? 'all' : key)} data-testid={`stat-${key}`}>
      <div className="wb-stat-n">{n}</div>
      <div className="wb-stat-label">{label}</div>
    </Card>
  );

  return (
    <div>
      <PageTitle
        title={t('nav.board')}
        sub={list.data ? t('wb.sub', { n: list.data.total, time: formatShort(new Date(list.dataUpdatedAt).toISOString()) }) : undefined}
        extra={(
          <Space>
            <Badge status={live === 'open' ? 'processing' : 'warning'} text={t(live === 'open' ? 'wb.live' : live === 'connecting' ? 'wb.connecting' : 'wb.reconnecting')}
              data-testid="live-status" data-live={live} />
            <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching}>{t('wb.refresh')}</Button>
            {allowed('workItem.create') && <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/intake')}>{t('nav.intake')}</Button>}
          </Space>
        )}
      />
      <div className="wb-stats">
        {stat('all', t('wb.stat.open'), all.length, 'blue')}
        {stat('unassigned', t('wb.stat.unassigned'), counts.unassigned, 'gold')}
        {stat('urgent', t('wb.stat.urgent'), counts.urgent, 'volcano')}
        {stat('warned', t('wb.stat.warned'), counts.warned, 'orange')}
        {stat('breached', t('wb.stat.breached'), counts.breached, 'red')}
      </div>
      <div className="filter-bar">
        <Segmented
          value={kind}
          onChange={(v) => { setKind(v as WorkItemKind | 'all'); setState(undefined); }}
          options={[{ value: 'all', label: t('wb.allKinds') }, ...KIND_KEYS.map((k) => ({ value: k, label: names.kind(k) }))]}
        />
        <Select allowClear placeholder={t('wb.urgency')} value={urgency} onChange={setUrgency} style={{ width: 120 }}
          options={URGENCIES.map((u) => ({ value: u, label: names.urgency(u) }))} />
        <Select allowClear placeholder={t('wb.trade')} value={trade} onChange={setTrade} style={{ width: 140 }}
          options={TRADE_KEYS.map((k) => ({ value: k, label: placeNames.trade(k) }))} />
        <Input.Search allowClear placeholder={t('wb.search')} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 260 }} data-testid="board-search" />
        <Space size={6} className="legend">
          <Tag color="green">{t('wb.legend.ok')}</Tag>
          <Tag color="orange">{t('wb.legend.warned')}</Tag>
          <Tag color="red">{t('wb.legend.breached')}</Tag>
        </Space>
      </div>
      <div className="wb-states" data-testid="state-filter">
        <Tag.CheckableTag checked={!state} onChange={() => setState(undefined)}>{t('wb.allStates')} <Badge count={filtered.length} showZero color="#8c8c8c" size="small" /></Tag.CheckableTag>
        {stateCounts.map((s) => (
          <Tag.CheckableTag key={`${s.kind}:${s.state}`} checked={state === `${s.kind}:${s.state}`} onChange={(c) => setState(c ? `${s.kind}:${s.state}` : undefined)}>
            {kind === 'all' && KIND_KEYS.length > 1 ? `${names.kind(s.kind)}·` : ''}{s.name} <Badge count={s.n} showZero color={s.state === 'new' ? '#faad14' : '#1677ff'} size="small" />
          </Tag.CheckableTag>
        ))}
      </div>
      {list.data && list.data.total > list.data.items.length && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('wb.truncated', { shown: list.data.items.length, total: list.data.total })} />
      )}
      {list.error ? <QueryState loading={false} error={list.error} retry={() => void list.refetch()}>{null}</QueryState> : (
        <Table<WorkItem>
          rowKey="id"
          size="middle"
          loading={list.isPending}
          dataSource={rows}
          pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
          rowClassName={(it) => `clickable wb-row-${itemClockStatus(it, now)}`}
          onRow={(it) => ({ onClick: () => open(it.id), 'data-number': it.number } as React.HTMLAttributes<HTMLElement>)}
          locale={{ emptyText: t('wb.empty') }}
          columns={[
            {
              title: t('wb.col.number'), dataIndex: 'number', width: 168,
              render: (v: string, it) => (
                <div>
                  <div className="mono nowrap wb-number">{v}</div>
                  <span className="muted small">{names.kind(it.kind)}</span>
                  {isFresh(it.id) && <Tag color="magenta" className="wi-vis" data-testid="fresh" style={{ marginLeft: 6 }}>{t('wb.fresh')}</Tag>}
                </div>
              ),
            },
            { title: t('wb.col.urgency'), dataIndex: 'urgency', width: 72, render: (u: string) => <UrgencyTag urgency={u} /> },
            {
              title: t('wb.col.title'), dataIndex: 'title',
              render: (v: string, it) => <div><div className="wb-title">{v}</div><span className="muted small">{names.category(it.category)}</span></div>,
              onCell: () => ({ style: { minWidth: 160 } }),
            },
            {
              title: t('wb.col.place'), key: 'place', width: 120,
              render: (_, it) => (it.place ? <div><div>{it.place.name}</div><span className="muted small mono">{it.place.code}</span></div> : '—'),
            },
            { title: t('wb.col.state'), dataIndex: 'state', width: 92, render: (s: string, it) => <StateTag state={s} name={it.stateName} /> },
            {
              title: t('wb.col.assignee'), key: 'assignee', width: 88,
              render: (_, it) => it.assignee?.name ?? (needsDispatch(it) ? <Typography.Text type="warning">{t('wb.unassigned')}</Typography.Text> : <span className="muted">—</span>),
            },
            { title: t('wb.col.clocks'), key: 'clocks', width: 212, render: (_, it) => <OpenClocks clocks={it.clocks} now={now} notBefore={clocksFrom(it)} /> },
            { title: t('wb.col.created'), dataIndex: 'createdAt', width: 96, render: (v: string) => formatShort(v) },
          ]}
        />
      )}
      {openId && <ItemDrawer key={openId} id={openId} load={load} onClose={() => open(null)} />}
    </div>
  );
}
