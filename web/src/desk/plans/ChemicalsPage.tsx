import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Empty, Table, Tooltip } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { PageTitle, QueryState, useCan } from '../common.tsx';
import { PlaceSelect } from '../registers/pickers.tsx';
import { useXlsxExport } from '../reports/shared.tsx';
import { minute, PeriodPicker, useUrlFilter } from './shared.tsx';
import type { ChemicalUse } from './types.ts';
import '../reports/reports.css';
import './plans.css';

const KEYS = ['from', 'to', 'placeId'] as const;

/** 用药记录 (GR-2): every pest and disease control spraying — product, dose, area, weather, who, when; XLSX. */
export default function ChemicalsPage() {
  const { t } = useTranslation();
  const allowed = useCan();
  const { filter, set } = useUrlFilter(KEYS, 180);
  const log = useQuery({
    queryKey: ['records', 'chemicals', filter],
    queryFn: () => api.get<{ items: ChemicalUse[] }>('/api/records/chemicals', filter),
    placeholderData: keepPreviousData,
  });
  const xlsx = useXlsxExport('/api/records/chemicals.xlsx', filter);
  return (
    <div>
      <PageTitle title={t('nav.chemicals')} sub={t('pl.chem.sub')}
        extra={allowed('archive.export') && (
          <Tooltip title={t('pl.exportHint')}>
            <Button icon={<DownloadOutlined />} onClick={() => void xlsx.run()} loading={xlsx.exporting} data-testid="chem-export">{t('pl.exportXlsx')}</Button>
          </Tooltip>
        )} />
      <div className="filter-bar rp-filters">
        <PeriodPicker from={filter.from} to={filter.to} onChange={(from, to) => set({ from, to })} />
        <PlaceSelect placeholder={t('pl.place')} value={filter.placeId} onChange={(v?: string) => set({ placeId: v })} style={{ width: 220 }} />
      </div>
      <QueryState loading={log.isPending} error={log.error} retry={() => void log.refetch()}>
        <Table<ChemicalUse>
          rowKey={(r) => `${r.taskId}:${r.checkpoint}`} size="middle" dataSource={log.data?.items ?? []} scroll={{ x: 1000 }} data-testid="chem-table"
          locale={{ emptyText: <Empty description={t('pl.chem.empty')} /> }} pagination={{ pageSize: 50, showTotal: (n) => t('pl.total', { n }) }}
          columns={[
            { title: t('pl.chem.at'), dataIndex: 'at', width: 140, render: (v: string) => <span className="mono nowrap">{minute(v)}</span> },
            { title: t('pl.place'), dataIndex: 'placeName', width: 140 },
            { title: t('pl.chem.pests'), dataIndex: 'pests', width: 120 },
            { title: t('pl.chem.product'), dataIndex: 'product' },
            { title: t('pl.chem.dilution'), dataIndex: 'dilution', width: 90 },
            { title: t('pl.chem.dose'), dataIndex: 'dose', width: 90 },
            { title: t('pl.chem.area'), dataIndex: 'area', width: 90 },
            { title: t('pl.chem.weather'), dataIndex: 'weather', width: 70 },
            { title: t('pl.chem.by'), dataIndex: 'staffName', width: 90, render: (v: string | null) => v ?? '—' },
            { title: t('pl.plan'), dataIndex: 'planName', width: 180, render: (v: string) => <span className="muted small">{v}</span> },
          ]}
        />
      </QueryState>
    </div>
  );
}
