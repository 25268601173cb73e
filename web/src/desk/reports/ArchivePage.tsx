import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, DatePicker, Input, Select, Table, Tag, Tooltip, TreeSelect, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CATEGORY_TREES, KINDS, URGENCIES, type Category, type WorkItemKind } from '@towerdesk/domain';
import { api } from '../../app/api.ts';
import { formatShort } from '../../app/dates.ts';
import { useWorkNames } from '../../app/workNames.ts';
import { PageTitle, QueryState, useCan } from '../common.tsx';
import { PlaceSelect, StaffSelect } from '../registers/pickers.tsx';
import { ItemDrawer } from '../work-items/ItemDrawer.tsx';
import { StateTag, UrgencyTag } from '../work-items/parts.tsx';
import { shanghaiNow, useXlsxExport } from './shared.tsx';
import type { ArchiveItem, ArchivePage as ArchiveResult } from './types.ts';
import './locales.ts';
import './reports.css';

const KIND_KEYS = Object.keys(KINDS) as WorkItemKind[];
/** The clocks the archive can be filtered on (server: ARCHIVE_CLOCKS). */
const CLOCKS = ['arrival', 'response', 'resolution', 'acknowledge', 'update', 'revisit'] as const;
const NO_LOAD = new Map<string, number>();

interface TreeNode { value: string; title: string; selectable?: boolean; children?: TreeNode[] }

/** The search lives in the address (?from=…&technicianId=…), so it can be linked to and shared. */
const FILTER_KEYS = ['from', 'to', 'kind', 'urgency', 'placeId', 'category', 'technicianId', 'state', 'clock', 'met', 'q'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filter = Partial<Record<FilterKey, string>>;

/**
 * 工单档案 (RP-6): every repair, complaint and inquiry ever filed, searchable by period, kind,
 * urgency, place (with everything inside it), category (with its children), technician, state and
 * whether a clock's limit was kept. A row opens the item as the board shows it; the same search
 * for a period leaves the building as XLSX (phones masked, the export audited).
 */
export default function ArchivePage() {
  const { t } = useTranslation();
  const names = useWorkNames();
  const allowed = useCan();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) || undefined])) as Filter, [params]);
  const [q, setQ] = useState(query.q ?? '');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [openId, setOpenId] = useState<string | null>(null);
  const set = (patch: Filter) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
    setPage(1);
  };
  const kind = query.kind as WorkItemKind | undefined;
  const range: [Dayjs, Dayjs] | null = query.from && query.to ? [dayjs(query.from), dayjs(query.to)] : null;
  const list = useQuery({
    queryKey: ['reports', 'archive', query, page, pageSize],
    queryFn: () => api.get<ArchiveResult>('/api/reports/archive', { ...query, limit: pageSize, offset: (page - 1) * pageSize }),
    placeholderData: keepPreviousData,
  });

  // The category tree of the chosen kind (all three kinds otherwise); a parent finds its children.
  const categoryTree = useMemo(() => {
    const node = (c: Category): TreeNode => ({
      value: c.code, title: names.en ? c.en : c.zh, children: c.children?.map(node),
    });
    const kinds = kind ? [kind] : KIND_KEYS;
    return kinds.flatMap((k): TreeNode[] => (kinds.length > 1
      ? [{ value: `kind:${k}`, title: names.kind(k), selectable: false, children: CATEGORY_TREES[k].map(node) }]
      : CATEGORY_TREES[k].map(node)));
  }, [kind, names]);

  // States of the chosen kind, or every state name once across the kinds.
  const stateOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const k of kind ? [kind] : KIND_KEYS) {
      for (const s of Object.keys(KINDS[k].states)) if (!seen.has(s)) seen.set(s, names.state(k, s));
    }
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [kind, names]);

  // A link from the service-level page names a technician by id; the rows give their name.
  const techName = list.data?.items.find((it) => it.technician?.id === query.technicianId)?.technician?.name;
  const techKnown = query.technicianId && techName ? { [query.technicianId]: techName } : undefined;

  const xlsx = useXlsxExport('/api/reports/archive.xlsx', query);
  const exportXlsx = () => {
    if (!query.from || !query.to) {
      void message.warning(t('rp.archive.needPeriod'));
      return;
    }
    void xlsx.run();
  };

  return (
    <div>
      <PageTitle
        title={t('nav.archive')}
        sub={list.data ? t('rp.archive.sub', { n: list.data.total }) : t('rp.archive.hint')}
        extra={allowed('archive.export') && (
          <Tooltip title={query.from ? t('rp.archive.exportHint') : t('rp.archive.needPeriod')}>
            <Button icon={<DownloadOutlined />} onClick={exportXlsx} loading={xlsx.exporting} disabled={!query.from || !query.to} data-testid="archive-export">
              {t('rp.exportXlsx')}
            </Button>
          </Tooltip>
        )}
      />
      <div className="filter-bar rp-filters" data-testid="archive-filters">
        <DatePicker.RangePicker value={range} onChange={(v) => set({ from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD') })} data-testid="archive-period"
          disabledDate={(d) => d.isAfter(shanghaiNow(), 'day')}
          presets={[
            { label: t('rp.thisMonth'), value: [shanghaiNow().startOf('month'), shanghaiNow()] },
            { label: t('rp.lastMonth'), value: [shanghaiNow().subtract(1, 'month').startOf('month'), shanghaiNow().subtract(1, 'month').endOf('month')] },
            { label: t('rp.last', { n: 90 }), value: [shanghaiNow().subtract(89, 'day'), shanghaiNow()] },
            { label: t('rp.last', { n: 180 }), value: [shanghaiNow().subtract(179, 'day'), shanghaiNow()] },
          ]} />
        <Select allowClear placeholder={t('rp.archive.kind')} value={kind} style={{ width: 110 }}
          onChange={(v?: string) => set({ kind: v, category: undefined, state: undefined })}
          options={KIND_KEYS.map((k) => ({ value: k, label: names.kind(k) }))} data-testid="archive-kind" />
        <Select allowClear placeholder={t('wb.urgency')} value={query.urgency} onChange={(v?: string) => set({ urgency: v })} style={{ width: 110 }}
          options={URGENCIES.map((u) => ({ value: u, label: names.urgency(u) }))} />
        <PlaceSelect placeholder={t('rp.archive.place')} value={query.placeId} onChange={(v?: string) => set({ placeId: v })} style={{ width: 220 }} />
        <TreeSelect allowClear showSearch={{ treeNodeFilterProp: 'title' }} placeholder={t('rp.archive.category')} value={query.category}
          onChange={(v?: string) => set({ category: v })} treeData={categoryTree} style={{ width: 200 }} popupMatchSelectWidth={280} />
        <StaffSelect placeholder={t('rp.archive.technician')} value={query.technicianId} known={techKnown} onChange={(v?: string) => set({ technicianId: v })} style={{ width: 200 }} />
        <Select allowClear placeholder={t('rp.archive.state')} value={query.state} onChange={(v?: string) => set({ state: v })} style={{ width: 120 }} options={stateOptions} />
        <Select allowClear placeholder={t('rp.archive.clock')} value={query.clock} onChange={(v?: string) => set({ clock: v })} style={{ width: 120 }}
          options={CLOCKS.map((c) => ({ value: c, label: names.clock(c) }))} />
        <Select allowClear placeholder={t('rp.archive.met')} value={query.met} onChange={(v?: string) => set({ met: v })} style={{ width: 120 }}
          options={[{ value: 'true', label: t('rp.archive.kept') }, { value: 'false', label: t('rp.archive.broken') }]} data-testid="archive-met" />
        <Input.Search allowClear placeholder={t('rp.archive.search')} value={q} onChange={(e) => setQ(e.target.value)} onSearch={(v) => set({ q: v.trim() })} style={{ width: 220 }} />
      </div>
      {list.error && !list.data ? <QueryState loading={false} error={list.error} retry={() => void list.refetch()}>{null}</QueryState> : (
        <Table<ArchiveItem>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1160 }}
          rowClassName={() => 'clickable'}
          onRow={(it) => ({ onClick: () => setOpenId(it.id), 'data-number': it.number } as React.HTMLAttributes<HTMLElement>)}
          pagination={{
            current: page, pageSize, total: list.data?.total ?? 0, showSizeChanger: true, pageSizeOptions: [20, 50, 100],
            showTotal: (n) => t('reg.total', { n }),
            onChange: (p, s) => { setPage(s !== pageSize ? 1 : p); setPageSize(s); },
          }}
          columns={[
            {
              title: t('wb.col.number'), dataIndex: 'number', width: 150, fixed: 'left',
              render: (v: string, it) => <div><div className="mono nowrap">{v}</div><span className="muted small">{it.kindName}</span></div>,
            },
            { title: t('wb.col.urgency'), dataIndex: 'urgency', width: 64, render: (u: string) => <UrgencyTag urgency={u} /> },
            {
              title: t('wb.col.title'), dataIndex: 'title',
              render: (v: string, it) => <div><div className="wb-title">{v}</div><span className="muted small">{it.categoryName}</span></div>,
              onCell: () => ({ style: { minWidth: 200 } }),
            },
            {
              title: t('wb.col.place'), key: 'place', width: 124,
              render: (_, it) => (it.place ? <div><div>{it.place.name}</div><span className="muted small mono">{it.place.code}</span></div> : '—'),
            },
            {
              title: t('rp.archive.reporter'), key: 'reporter', width: 140,
              render: (_, it) => <div><div>{it.reporterName ?? '—'}</div>{it.company && <div className="muted small rp-ellipsis" title={it.company.name}>{it.company.name}</div>}</div>,
            },
            { title: t('rp.archive.technician'), key: 'tech', width: 76, render: (_, it) => it.technician?.name ?? <span className="muted">—</span> },
            { title: t('wb.col.state'), dataIndex: 'state', width: 84, render: (s: string, it) => <StateTag state={s} name={it.stateName} /> },
            {
              title: t('rp.archive.limits'), key: 'met', width: 76,
              render: (_, it) => <MetCell item={it} />,
            },
            { title: t('wb.col.created'), dataIndex: 'createdAt', width: 100, render: (v: string) => <span className="nowrap">{formatShort(v)}</span> },
            { title: t('rp.archive.done'), dataIndex: 'completedAt', width: 100, render: (v: string | null) => <span className="nowrap">{formatShort(v)}</span> },
            { title: t('wb.rating'), dataIndex: 'rating', width: 56, render: (v: number | null) => (v ? `${v}★` : <span className="muted">—</span>) },
          ]}
        />
      )}
      {openId && <ItemDrawer key={openId} id={openId} load={NO_LOAD} onClose={() => setOpenId(null)} />}
    </div>
  );
}

/** Kept / broken over the service clocks, with each broken clock named and how late. */
function MetCell({ item }: { item: ArchiveItem }) {
  const { t } = useTranslation();
  const names = useWorkNames();
  if (item.met === null) return <Typography.Text type="secondary">{t('rp.archive.notJudged')}</Typography.Text>;
  if (item.met) return <Tag color="green">{t('rp.archive.kept')}</Tag>;
  const late = item.clocks.filter((c) => c.breached && c.clock !== 'revisit');
  return (
    <Tooltip title={late.map((c) => `${c.name}${c.minutesLate ? ` ${t('wi.late', { t: names.duration(c.minutesLate) })}` : ''}`).join('；')}>
      <Tag color="red">{t('rp.archive.broken')}</Tag>
    </Tooltip>
  );
}
