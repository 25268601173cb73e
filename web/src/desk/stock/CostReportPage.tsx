import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, InputNumber, Modal, Space, Table, Typography } from 'antd';
import { DownloadOutlined, EditOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatDateTime, shanghaiToday } from '../../app/dates.ts';
import { PageTitle, QueryState, useCan, useErrorToast } from '../common.tsx';
import { PlaceSelect } from '../registers/pickers.tsx';
import { Kpi, useXlsxExport } from '../reports/shared.tsx';
import '../reports/locales.ts';
import '../reports/reports.css';
import { yuan, type CostReport, type CostRow } from './types.ts';
import './locales.ts';
import './stock.css';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * 维修成本月报 (AR-2): what the month's repairs and findings cost — parts issued to them at their
 * booked moving-average cost, plus labour minutes at the site's rate — by trade and by area (the
 * children of the chosen place), with supplies issued to areas; each repair listed; XLSX export
 * (audited on the server).
 */
export default function CostReportPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const asked = params.get('month');
  const month = asked && MONTH.test(asked) ? asked : shanghaiToday().slice(0, 7);
  const placeId = params.get('placeId') ?? undefined;
  const [rateOpen, setRateOpen] = useState(false);
  const report = useQuery({
    queryKey: ['stock', 'cost', month, placeId],
    queryFn: () => api.get<CostReport>('/api/stock/cost-report', { month, placeId }),
    placeholderData: keepPreviousData,
  });
  const xlsx = useXlsxExport('/api/stock/cost-report.xlsx', { month, placeId });
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) (v ? next.set(k, v) : next.delete(k));
    setParams(next);
  };
  const r = report.data;
  const money = (f: number) => yuan(f);
  const rowCols = [
    { title: t('st.cost.items'), dataIndex: 'items', width: 70, align: 'right' as const },
    { title: t('st.cost.parts'), dataIndex: 'partsFen', width: 110, align: 'right' as const, render: money },
    { title: t('st.cost.labour'), dataIndex: 'labourFen', width: 110, align: 'right' as const, render: money },
  ];
  const totalCol = { title: t('st.cost.total'), dataIndex: 'totalFen', width: 120, align: 'right' as const, render: (f: number) => <b>{yuan(f)}</b> };
  return (
    <div>
      <PageTitle
        title={t('nav.stockCost')}
        sub={t('st.cost.sub')}
        extra={(
          <Space wrap>
            <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && set({ month: d.format('YYYY-MM') })} data-testid="cost-month" />
            <PlaceSelect style={{ width: 240 }} placeholder={t('st.cost.allPlaces')} value={placeId} onChange={(v) => set({ placeId: (v as string | undefined) ?? undefined })} />
            {can('archive.export') && <Button icon={<DownloadOutlined />} onClick={() => void xlsx.run()} loading={xlsx.exporting} data-testid="cost-export">{t('rp.exportXlsx')}</Button>}
          </Space>
        )}
      />
      <QueryState loading={report.isPending} error={report.error} retry={() => void report.refetch()}>
        {r && (
          <>
            <div className="st-kpis">
              <Kpi label={t('st.cost.kpiTotal')} value={yuan(r.total.totalFen)} sub={`${r.total.items} ${t('st.cost.items')}`} testId="cost-total" />
              <Kpi label={t('st.cost.kpiParts')} value={yuan(r.total.partsFen)} tone="orange" />
              <Kpi label={t('st.cost.kpiLabour')} value={yuan(r.total.labourFen)} tone="green" sub={`${r.total.labourMinutes} min`} />
              <Kpi label={t('st.cost.kpiSupplies')} value={yuan(r.total.suppliesFen)} tone="grey" />
            </div>
            <Typography.Paragraph type="secondary">
              {t('st.cost.rate', { rate: yuan(r.ratePerHourFen) })}
              {can('stock.write') && <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setRateOpen(true)}>{t('st.cost.setRate')}</Button>}
            </Typography.Paragraph>
            <div className="st-cost-tables">
              <Card size="small" title={t('st.cost.byTrade')}>
                <Table<CostRow & { trade: string; name: string }> rowKey="trade" size="small" pagination={false} dataSource={r.byTrade} data-testid="cost-by-trade"
                  columns={[{ title: t('st.cost.trade'), dataIndex: 'name' }, ...rowCols, totalCol]} locale={{ emptyText: t('st.cost.empty') }} />
              </Card>
              <Card size="small" title={t('st.cost.byPlace')}>
                <Table<CostRow & { placeId: string | null; name: string }> rowKey={(x) => x.placeId ?? '-'} size="small" pagination={false} dataSource={r.byPlace}
                  columns={[{ title: t('st.cost.area'), dataIndex: 'name' }, ...rowCols, { title: t('st.cost.supplies'), dataIndex: 'suppliesFen', width: 100, align: 'right', render: money }, totalCol]}
                  locale={{ emptyText: t('st.cost.empty') }} />
              </Card>
            </div>
            <Card size="small" title={t('st.cost.lines')}>
              <Table rowKey="id" size="small" dataSource={r.lines} pagination={{ pageSize: 20, hideOnSinglePage: true }} locale={{ emptyText: t('st.cost.empty') }}
                columns={[
                  { title: t('st.cost.number'), dataIndex: 'number', width: 160, render: (v: string) => <span className="mono">{v}</span> },
                  { title: t('st.cost.titleCol'), dataIndex: 'title', ellipsis: true },
                  { title: t('st.cost.trade'), dataIndex: 'tradeName', width: 90 },
                  { title: t('st.cost.area'), dataIndex: 'place', width: 120 },
                  { title: t('st.cost.completed'), dataIndex: 'completedAt', width: 140, render: (v: string) => formatDateTime(v, i18n.language) },
                  { title: t('st.cost.parts'), dataIndex: 'partsFen', width: 100, align: 'right', render: money },
                  { title: t('st.cost.labourMin'), dataIndex: 'labourMinutes', width: 100, align: 'right' },
                  { title: t('st.cost.labour'), dataIndex: 'labourFen', width: 100, align: 'right', render: money },
                  totalCol,
                ]} />
            </Card>
            {rateOpen && <RateDialog current={r.ratePerHourFen} onClose={() => setRateOpen(false)} />}
          </>
        )}
      </QueryState>
    </div>
  );
}

function RateDialog({ current, onClose }: { current: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const qc = useQueryClient();
  const [value, setValue] = useState<number | null>(current / 100);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (value === null) return;
    setBusy(true);
    try {
      await api.put('/api/stock/settings', { labourRateFenPerHour: Math.round(value * 100) });
      void message.success(t('st.cost.rateSaved'));
      void qc.invalidateQueries({ queryKey: ['stock'] });
      onClose();
    } catch (e) {
      toast(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('st.cost.rateTitle')} onCancel={onClose} onOk={() => void save()} okButtonProps={{ loading: busy }}>
      <InputNumber min={0} max={100_000} precision={2} value={value} onChange={setValue} prefix="¥" style={{ width: 200 }} />
    </Modal>
  );
}
