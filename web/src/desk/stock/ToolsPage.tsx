import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Popconfirm, Space, Table, Tag } from 'antd';
import { ToolOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatDateTime } from '../../app/dates.ts';
import { PageTitle, QueryState, useCan, useErrorToast } from '../common.tsx';
import { MovementDialog } from './MovementDialog.tsx';
import { qty, type ToolOut } from './types.ts';
import './locales.ts';
import './stock.css';

/**
 * 工具借还 (RP-9): tools checked out and not yet returned, oldest due first; overdue rows in red
 * with the days past their due-back date (Shanghai). Check a tool out to someone, or take it back.
 */
export default function ToolsPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const qc = useQueryClient();
  const [overdue, setOverdue] = useState(false);
  const [checkingOut, setCheckingOut] = useState(false);
  const list = useQuery({
    queryKey: ['stock', 'tools-out', overdue],
    queryFn: () => api.get<{ items: ToolOut[] }>('/api/stock/tools-out', { overdue: overdue || undefined }),
    placeholderData: keepPreviousData,
  });
  const giveBack = async (o: ToolOut) => {
    try {
      await api.post('/api/stock/movements', { itemId: o.itemId, kind: 'tool_return', qty: o.qtyOut, checkoutId: o.checkoutId });
      void message.success(t('st.tools.returned'));
      void qc.invalidateQueries({ queryKey: ['stock'] });
    } catch (e) {
      toast(e);
    }
  };
  const mayLend = can('stock.issue');
  return (
    <div>
      <PageTitle
        title={t('nav.stockTools')}
        sub={t('st.tools.sub')}
        extra={mayLend && <Button type="primary" icon={<ToolOutlined />} onClick={() => setCheckingOut(true)} data-testid="tool-checkout">{t('st.tools.checkout')}</Button>}
      />
      <Space className="st-filters"><Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)} data-testid="overdue-filter">{t('st.tools.onlyOverdue')}</Checkbox></Space>
      <QueryState loading={list.isPending} error={list.error} retry={() => void list.refetch()}>
        <Table<ToolOut>
          rowKey="checkoutId" size="middle" dataSource={list.data?.items} pagination={false} locale={{ emptyText: t('st.tools.empty') }}
          rowClassName={(r) => (r.overdue ? 'st-overdue-row' : '')} data-testid="tools-table"
          columns={[
            { title: t('st.tools.tool'), key: 'tool', render: (_: unknown, r) => <span><span className="mono">{r.code}</span> {r.name}</span> },
            { title: t('st.tools.person'), key: 'person', width: 120, render: (_: unknown, r) => r.person.name },
            { title: t('st.tools.qty'), dataIndex: 'qtyOut', width: 80, align: 'right', render: (q: number, r) => `${qty(q)} ${r.unit}` },
            { title: t('st.tools.out'), dataIndex: 'checkedOutAt', width: 150, render: (v: string) => formatDateTime(v, i18n.language) },
            { title: t('st.tools.due'), dataIndex: 'dueBack', width: 110 },
            {
              title: '', key: 'state', width: 120,
              render: (_: unknown, r) => (r.overdue ? <Tag color="red" data-testid="overdue-tag">{t('st.tools.overdue', { n: r.daysOverdue })}</Tag> : <Tag color="green">{t('st.tools.onTime')}</Tag>),
            },
            { title: t('st.tools.note'), dataIndex: 'note', ellipsis: true },
            {
              title: '', key: 'act', width: 90,
              render: (_: unknown, r) => mayLend && (
                <Popconfirm title={t('st.tools.retConfirm', { name: r.person.name, tool: r.name })} onConfirm={() => giveBack(r)}>
                  <Button size="small">{t('st.tools.ret')}</Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      </QueryState>
      {checkingOut && <MovementDialog kinds={['tool_checkout']} onClose={() => setCheckingOut(false)} />}
    </div>
  );
}
