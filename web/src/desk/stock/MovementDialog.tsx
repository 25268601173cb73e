import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { shanghaiToday } from '../../app/dates.ts';
import type { Page } from '../../app/types.ts';
import { applyServerErrors } from '../common.tsx';
import { PlaceSelect, RemoteSelect, StaffSelect } from '../registers/pickers.tsx';
import { qty as fmtQty, type Movement, type MovementKind, type StockItem } from './types.ts';
import './locales.ts';

const FIELDS = ['itemId', 'kind', 'qty', 'supplier', 'unitCostFen', 'targetKind', 'target', 'reason', 'note', 'personId', 'dueBack'] as const;
const DESK_KINDS: MovementKind[] = ['receive', 'issue', 'return', 'adjust', 'stocktake'];

interface Values {
  itemId: string; kind: MovementKind; qty: number; supplier?: string; unitCostFen?: number; targetKind?: 'work_item' | 'place' | 'person'; target?: string;
  reason?: string; note?: string; personId?: string; dueBack?: dayjs.Dayjs;
}

/**
 * One movement on the ledger (RP-9): receive (supplier, price), issue (to a work item, an area or a
 * person), return, adjust (signed, with a reason), stocktake (the counted quantity), or — from the
 * tools screen — a tool check-out (borrower, due date). The server checks everything again: 409
 * when more is issued than is on hand, 400 naming the field otherwise, shown under that field.
 */
export function MovementDialog({ item, kinds = DESK_KINDS, onClose }: { item?: StockItem; kinds?: MovementKind[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const kind = Form.useWatch('kind', form) ?? kinds[0];
  const targetKind = Form.useWatch('targetKind', form) ?? 'place';
  const itemId = Form.useWatch('itemId', form) ?? item?.id;
  const items = useQuery({
    queryKey: ['stock', 'items', 'all', kinds.includes('tool_checkout')],
    queryFn: () => api.get<{ items: StockItem[] }>('/api/stock/items', { limit: 500, category: kinds.includes('tool_checkout') ? 'tool' : undefined }),
    enabled: !item,
  });
  const chosen = item ?? items.data?.items.find((i) => i.id === itemId);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const body = {
        itemId: item?.id ?? v.itemId, kind: v.kind, qty: v.qty, note: v.note || undefined,
        ...(v.kind === 'receive' && { supplier: v.supplier, unitCostFen: v.unitCostFen === undefined || v.unitCostFen === null ? undefined : Math.round(v.unitCostFen * 100) }),
        ...(v.kind === 'issue' && v.target && { target: { kind: v.targetKind ?? 'place', id: v.target } }),
        ...(v.kind === 'adjust' && { reason: v.reason }),
        ...(v.kind === 'tool_checkout' && { personId: v.personId, dueBack: v.dueBack?.format('YYYY-MM-DD') }),
      };
      const r = await api.post<{ movement: Movement; item: StockItem }>('/api/stock/movements', body);
      void message.success(t('st.move.saved', { kind: r.movement.kindName, qty: fmtQty(Math.abs(r.movement.qty)), unit: r.item.unit, balance: fmtQty(r.item.balance) }));
      void qc.invalidateQueries({ queryKey: ['stock'] });
      onClose();
    } catch (e) {
      setError(applyServerErrors(form, e, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={t('st.move.title')} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ loading: busy }} destroyOnHidden width={560}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="movement-error" />}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ kind: kinds[0], targetKind: 'place', dueBack: dayjs(shanghaiToday()).add(1, 'day') }}>
        {item ? (
          <Form.Item label={t('st.move.item')}><Typography.Text strong>{item.displayName}</Typography.Text> <Typography.Text type="secondary">{item.code}</Typography.Text></Form.Item>
        ) : (
          <Form.Item name="itemId" label={t('st.move.item')} rules={[{ required: true }]}>
            <Select showSearch={{ optionFilterProp: 'label' }} loading={items.isPending} data-testid="movement-item"
              options={(items.data?.items ?? []).map((i) => ({ value: i.id, label: `${i.code} ${i.displayName}` }))} />
          </Form.Item>
        )}
        {chosen && <Typography.Paragraph type="secondary">{t('st.move.balanceNow', { q: fmtQty(chosen.balance), unit: chosen.unit })}</Typography.Paragraph>}
        {kinds.length > 1 && (
          <Form.Item name="kind" label={t('st.move.kind')} rules={[{ required: true }]}>
            <Radio.Group optionType="button" buttonStyle="solid" options={kinds.map((k) => ({ value: k, label: t(`st.kind.${k}`) }))} />
          </Form.Item>
        )}
        <Form.Item name="qty" label={kind === 'stocktake' ? t('st.move.countedQty') : t('st.move.qty')} rules={[{ required: true }]}
          extra={kind === 'adjust' ? t('st.move.adjustHint') : kind === 'stocktake' ? t('st.move.stocktakeHint') : undefined}>
          <InputNumber style={{ width: 200 }} step={1} precision={3} addonAfter={chosen?.unit} data-testid="movement-qty" />
        </Form.Item>
        {kind === 'receive' && (
          <>
            <Form.Item name="supplier" label={t('st.move.supplier')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
            <Form.Item name="unitCostFen" label={t('st.move.unitCost')} rules={[{ required: true }]} initialValue={chosen ? chosen.unitCostFen / 100 : undefined}>
              <InputNumber min={0} precision={2} style={{ width: 200 }} />
            </Form.Item>
          </>
        )}
        {kind === 'issue' && (
          <>
            <Form.Item name="targetKind" label={t('st.move.targetKind')}>
              <Radio.Group options={(['place', 'person', 'work_item'] as const).map((k) => ({ value: k, label: t(`st.target.${k}`) }))} onChange={() => form.setFieldValue('target', undefined)} />
            </Form.Item>
            <Form.Item name="target" label={t(`st.move.${targetKind === 'work_item' ? 'workItem' : targetKind}`)} rules={[{ required: true }]}>
              {targetKind === 'place' ? <PlaceSelect /> : targetKind === 'person' ? <StaffSelect /> : (
                <RemoteSelect<{ id: string; number: string; title: string }>
                  allowClear queryKey="work-items"
                  search={(q) => api.get<Page<{ id: string; number: string; title: string }>>('/api/work-items', { q, limit: 30 })}
                  label={(w) => `${w.number} ${w.title}`}
                />
              )}
            </Form.Item>
          </>
        )}
        {kind === 'adjust' && <Form.Item name="reason" label={t('st.move.reason')} rules={[{ required: true }]}><Input maxLength={500} /></Form.Item>}
        {kind === 'tool_checkout' && (
          <>
            <Form.Item name="personId" label={t('st.move.borrower')} rules={[{ required: true }]}><StaffSelect /></Form.Item>
            <Form.Item name="dueBack" label={t('st.move.dueBack')} rules={[{ required: true }]}><DatePicker allowClear={false} /></Form.Item>
          </>
        )}
        <Form.Item name="note" label={t('st.move.note')}><Input maxLength={500} /></Form.Item>
      </Form>
    </Modal>
  );
}
