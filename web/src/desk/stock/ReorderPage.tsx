import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Checkbox, InputNumber, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { PageTitle, QueryState } from '../common.tsx';
import { qty, yuan, type Suggestion } from './types.ts';
import './locales.ts';
import './stock.css';

/**
 * 补货建议 (RP-9, CL-4): the reorder point of each item from its average use over the last N
 * weeks, the supplier's lead time and the safety stock; items at or below it with the order in
 * whole packs. Each row opens the sentences the server wrote to explain its numbers.
 */
export default function ReorderPage() {
  const { t } = useTranslation();
  const [weeks, setWeeks] = useState(8);
  const [all, setAll] = useState(false);
  const list = useQuery({
    queryKey: ['stock', 'reorder', weeks, all],
    queryFn: () => api.get<{ weeks: number; items: Suggestion[] }>('/api/stock/reorder', { weeks, all: all || undefined }),
    placeholderData: keepPreviousData,
  });
  const total = (list.data?.items ?? []).reduce((s, x) => s + x.estimatedCostFen, 0);
  return (
    <div>
      <PageTitle title={t('nav.stockReorder')} sub={t('st.reorder.sub')} />
      <Space className="st-filters" wrap>
        <span>{t('st.reorder.weeks')} <InputNumber min={1} max={52} value={weeks} onChange={(v) => v && setWeeks(v)} style={{ width: 80 }} data-testid="weeks" /></span>
        <Checkbox checked={all} onChange={(e) => setAll(e.target.checked)}>{t('st.reorder.all')}</Checkbox>
        {total > 0 && <Typography.Text type="secondary">{t('st.reorder.cost')} {yuan(total)}</Typography.Text>}
      </Space>
      <QueryState loading={list.isPending} error={list.error} retry={() => void list.refetch()}>
        <Table<Suggestion>
          rowKey="itemId" size="middle" dataSource={list.data?.items} pagination={false} locale={{ emptyText: t('st.reorder.empty') }} data-testid="reorder-table"
          expandable={{ expandedRowRender: (r) => <ol className="st-steps">{r.steps.map((s) => <li key={s.key}>{s.text}</li>)}</ol> }}
          columns={[
            { title: t('st.reorder.item'), key: 'item', render: (_: unknown, r) => <span><span className="mono">{r.code}</span> {r.name}</span> },
            { title: t('st.reorder.weekly'), dataIndex: 'weeklyUse', width: 100, align: 'right', render: (w: number, r) => `${w} ${r.unit}` },
            { title: t('st.reorder.point'), dataIndex: 'reorderPoint', width: 100, align: 'right', render: (p: number, r) => `${qty(p)} ${r.unit}` },
            { title: t('st.reorder.balance'), dataIndex: 'balance', width: 100, align: 'right', render: (b: number, r) => <span className={b <= r.reorderPoint ? 'st-out' : ''}>{qty(b)} {r.unit}</span> },
            {
              title: t('st.reorder.suggest'), dataIndex: 'suggestedQty', width: 150, align: 'right',
              render: (q: number, r) => (q ? <b>{qty(q)} {r.unit}<Typography.Text type="secondary"> ({t('st.reorder.packs', { n: r.packs })})</Typography.Text></b> : '—'),
            },
            { title: t('st.reorder.cost'), dataIndex: 'estimatedCostFen', width: 110, align: 'right', render: (f: number) => (f ? yuan(f) : '') },
          ]}
        />
      </QueryState>
    </div>
  );
}
