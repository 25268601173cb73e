import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Drawer, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined, SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatDateTime } from '../../app/dates.ts';
import { applyServerErrors, PageTitle, QueryState, useCan } from '../common.tsx';
import { MovementDialog } from './MovementDialog.tsx';
import { qty, STOCK_CATEGORIES, yuan, type Movement, type StockCategory, type StockItem } from './types.ts';
import './locales.ts';
import './stock.css';

/**
 * 库存 (RP-9, CL-4): every item with its balance (the sum of its ledger), value at moving-average
 * cost and the low-stock flag; filters by category and low; an item's ledger with the running
 * balance; movements posted from here. Nothing edits a balance: corrections are movements.
 */
export default function StockPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [category, setCategory] = useState<StockCategory | undefined>();
  const [low, setLow] = useState(false);
  const [q, setQ] = useState('');
  const [ledgerOf, setLedgerOf] = useState<StockItem | null>(null);
  const [moving, setMoving] = useState<StockItem | 'any' | null>(null);
  const [editing, setEditing] = useState<StockItem | 'new' | null>(null);
  const list = useQuery({
    queryKey: ['stock', 'items', category, low, q],
    queryFn: () => api.get<{ items: StockItem[]; total: number; valueFen: number; lowCount: number }>('/api/stock/items', { category, low: low || undefined, q: q || undefined, limit: 500 }),
    placeholderData: keepPreviousData,
  });
  const write = can('stock.write');
  return (
    <div>
      <PageTitle
        title={t('nav.stock')}
        sub={t('st.items.sub')}
        extra={write && (
          <Space>
            <Button icon={<SwapOutlined />} type="primary" onClick={() => setMoving('any')} data-testid="post-movement">{t('st.items.post')}</Button>
            <Button icon={<PlusOutlined />} onClick={() => setEditing('new')}>{t('st.items.new')}</Button>
          </Space>
        )}
      />
      <Space wrap className="st-filters">
        <Select style={{ width: 160 }} allowClear placeholder={t('st.items.allCats')} value={category} onChange={setCategory}
          options={STOCK_CATEGORIES.map((c) => ({ value: c, label: t(`st.cat.${c}`) }))} data-testid="category-filter" />
        <Checkbox checked={low} onChange={(e) => setLow(e.target.checked)} data-testid="low-filter">{t('st.items.onlyLow')}</Checkbox>
        <Input.Search allowClear placeholder={t('st.items.search')} onSearch={setQ} style={{ width: 240 }} />
        {list.data && (
          <Typography.Text type="secondary">
            {t('st.items.value', { value: yuan(list.data.valueFen) })}
            {list.data.lowCount > 0 && <> · <Typography.Text type="danger">{t('st.items.lowN', { n: list.data.lowCount })}</Typography.Text></>}
          </Typography.Text>
        )}
      </Space>
      <QueryState loading={list.isPending} error={list.error} retry={() => void list.refetch()}>
        <Table<StockItem>
          rowKey="id" size="middle" dataSource={list.data?.items} pagination={{ pageSize: 50, hideOnSinglePage: true }} locale={{ emptyText: t('st.items.empty') }}
          rowClassName={(r) => (r.low ? 'st-low-row' : '')} data-testid="stock-table"
          columns={[
            { title: t('st.items.code'), dataIndex: 'code', width: 90, render: (v: string) => <span className="mono">{v}</span> },
            { title: t('st.items.name'), dataIndex: 'displayName', render: (v: string, r) => <a onClick={() => setLedgerOf(r)}>{v}</a> },
            { title: t('st.items.category'), dataIndex: 'category', width: 110, render: (c: StockCategory) => t(`st.cat.${c}`) },
            {
              title: t('st.items.balance'), dataIndex: 'balance', width: 130, align: 'right',
              render: (b: number, r) => <span>{r.low && <Tag color="red" data-testid="low-tag">{t('st.items.low')}</Tag>}<b>{qty(b)}</b> {r.unit}{r.owned !== r.balance && <Typography.Text type="secondary"> / {qty(r.owned)}</Typography.Text>}</span>,
            },
            { title: t('st.items.min'), dataIndex: 'minLevel', width: 90, align: 'right', render: (m: number, r) => (m ? `${qty(m)} ${r.unit}` : '—') },
            { title: t('st.items.avgCost'), dataIndex: 'averageUnitCostFen', width: 100, align: 'right', render: (f: number) => yuan(f) },
            { title: t('st.items.valueCol'), dataIndex: 'valueFen', width: 110, align: 'right', render: (f: number) => yuan(f) },
            { title: t('st.items.location'), dataIndex: 'location', width: 160, ellipsis: true },
            {
              title: '', key: 'act', width: 220,
              render: (_: unknown, r) => (
                <Space size={0}>
                  <Button size="small" type="link" onClick={() => setLedgerOf(r)}>{t('st.items.ledger')}</Button>
                  {write && <Button size="small" type="link" onClick={() => setMoving(r)}>{t('st.items.post')}</Button>}
                  {write && <Button size="small" type="link" onClick={() => setEditing(r)}>{t('st.items.edit')}</Button>}
                </Space>
              ),
            },
          ]}
        />
      </QueryState>
      {ledgerOf && <LedgerDrawer item={ledgerOf} onClose={() => setLedgerOf(null)} />}
      {moving && <MovementDialog item={moving === 'any' ? undefined : moving} onClose={() => setMoving(null)} />}
      {editing && <ItemDialog item={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function LedgerDrawer({ item, onClose }: { item: StockItem; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(1);
  const ledger = useQuery({
    queryKey: ['stock', 'ledger', item.id, page],
    queryFn: () => api.get<{ item: StockItem; items: Movement[]; total: number }>(`/api/stock/items/${item.id}/ledger`, { limit: 50, offset: (page - 1) * 50 }),
    placeholderData: keepPreviousData,
  });
  const detail = (m: Movement) => [
    m.supplier && t('st.ledger.supplier', { s: m.supplier }),
    m.unitCostFen !== null && t('st.ledger.price', { p: yuan(m.unitCostFen) }),
    m.target && t('st.ledger.to', { kind: t(`st.target.${m.target.kind}`), name: m.target.name ?? '' }),
    m.reason && t('st.ledger.reason', { r: m.reason }),
    m.person && t('st.ledger.borrower', { n: m.person.name, d: m.dueBack }),
    m.kind === 'stocktake' && t('st.ledger.counted', { q: qty(m.qty) }),
    m.note,
  ].filter(Boolean).join('；');
  const cur = ledger.data?.item ?? item;
  return (
    <Drawer open width={980} onClose={onClose} title={t('st.ledger.title', { name: item.displayName })} data-testid="ledger-drawer">
      <Space size="large" className="st-ledger-head">
        <span>{t('st.items.balance')} <b>{qty(cur.balance)}</b> {cur.unit}</span>
        <span>{t('st.items.valueCol')} <b>{yuan(cur.valueFen)}</b></span>
        <span>{t('st.items.avgCost')} {yuan(cur.averageUnitCostFen)}</span>
        <span>{t('st.items.location')} {cur.location ?? '—'}</span>
      </Space>
      <QueryState loading={ledger.isPending} error={ledger.error}>
        <Table<Movement>
          rowKey="id" size="small" dataSource={ledger.data?.items}
          pagination={{ current: page, pageSize: 50, total: ledger.data?.total, onChange: setPage, hideOnSinglePage: true, showSizeChanger: false }}
          columns={[
            { title: t('st.ledger.at'), dataIndex: 'at', width: 140, render: (v: string) => formatDateTime(v, i18n.language) },
            { title: t('st.ledger.kind'), dataIndex: 'kind', width: 90, render: (k: string) => t(`st.kind.${k}`) },
            { title: t('st.ledger.delta'), dataIndex: 'delta', width: 80, align: 'right', render: (d: number) => <span className={d < 0 ? 'st-out' : d > 0 ? 'st-in' : ''}>{d > 0 ? '+' : ''}{qty(d)}</span> },
            { title: t('st.ledger.balance'), dataIndex: 'balanceAfter', width: 80, align: 'right', render: (b: number | null) => (b === null ? '' : <b>{qty(b)}</b>) },
            { title: t('st.ledger.cost'), dataIndex: 'costFen', width: 100, align: 'right', render: (c: number) => (c ? yuan(c) : '') },
            { title: t('st.ledger.detail'), key: 'detail', render: (_: unknown, m) => detail(m) },
            { title: t('st.ledger.by'), dataIndex: 'actorName', width: 90 },
          ]}
        />
      </QueryState>
    </Drawer>
  );
}

const ITEM_FIELDS = ['code', 'name', 'nameEn', 'category', 'unit', 'unitEn', 'unitCostFen', 'minLevel', 'leadTimeDays', 'safetyStockDays', 'packSize', 'location', 'allowNegative'] as const;

function ItemDialog({ item, onClose }: { item?: StockItem; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      const body = { ...v, unitCostFen: Math.round(Number(v.unitCostFen ?? 0) * 100), nameEn: v.nameEn || null, unitEn: v.unitEn || null, location: v.location || null };
      const saved = item ? await api.patch<StockItem>(`/api/stock/items/${item.id}`, body) : await api.post<StockItem>('/api/stock/items', body);
      void message.success(item ? t('st.items.saved') : t('st.items.created', { name: saved.displayName }));
      void qc.invalidateQueries({ queryKey: ['stock'] });
      onClose();
    } catch (e) {
      setError(applyServerErrors(form, e, ITEM_FIELDS));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={item ? t('st.items.editTitle', { name: item.displayName }) : t('st.items.newTitle')} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ loading: busy }} destroyOnHidden width={640}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} className="st-item-form"
        initialValues={item ? { ...item, unitCostFen: item.unitCostFen / 100 } : { category: 'spare_part', minLevel: 0, leadTimeDays: 7, safetyStockDays: 7, packSize: 1, unitCostFen: 0, allowNegative: false }}>
        <Space wrap align="start">
          <Form.Item name="code" label={t('st.items.code')} rules={[{ required: true }]}><Input maxLength={40} style={{ width: 140 }} /></Form.Item>
          <Form.Item name="name" label={t('st.items.name')} rules={[{ required: true }]}><Input maxLength={100} style={{ width: 200 }} /></Form.Item>
          <Form.Item name="nameEn" label={t('st.items.nameEn')}><Input maxLength={100} style={{ width: 200 }} /></Form.Item>
          <Form.Item name="category" label={t('st.items.category')} rules={[{ required: true }]}>
            <Select style={{ width: 140 }} options={STOCK_CATEGORIES.map((c) => ({ value: c, label: t(`st.cat.${c}`) }))} />
          </Form.Item>
          <Form.Item name="unit" label={t('st.items.unit')} rules={[{ required: true }]}><Input maxLength={20} style={{ width: 80 }} /></Form.Item>
          <Form.Item name="unitEn" label={t('st.items.unitEn')}><Input maxLength={20} style={{ width: 100 }} /></Form.Item>
          <Form.Item name="unitCostFen" label={t('st.items.listCost')}><InputNumber min={0} precision={2} style={{ width: 120 }} /></Form.Item>
          <Form.Item name="minLevel" label={t('st.items.min')}><InputNumber min={0} precision={3} style={{ width: 110 }} /></Form.Item>
          <Form.Item name="packSize" label={t('st.items.pack')}><InputNumber min={0.001} precision={3} style={{ width: 110 }} /></Form.Item>
          <Form.Item name="leadTimeDays" label={t('st.items.lead')}><InputNumber min={0} max={365} precision={0} style={{ width: 120 }} /></Form.Item>
          <Form.Item name="safetyStockDays" label={t('st.items.safety')}><InputNumber min={0} max={365} precision={0} style={{ width: 120 }} /></Form.Item>
          <Form.Item name="location" label={t('st.items.location')}><Input maxLength={100} style={{ width: 240 }} /></Form.Item>
          <Form.Item name="allowNegative" label={t('st.items.allowNegative')} valuePropName="checked" extra={t('st.items.allowNegativeHint')}><Switch /></Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
