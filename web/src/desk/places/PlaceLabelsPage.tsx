import { useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Button, Select, Space, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import type { PlaceDetail, PlaceLabel } from '../../app/types.ts';
import { QueryState } from '../common.tsx';
import './labels.css';

/** 3 × 8 labels of 70 × 37 mm fill an A4 sheet edge to edge (the common 24-up label stock). */
const PER_SHEET = 24;

/**
 * The printable QR label sheet for a place and everything under it. Each label carries the QR
 * (the place's /q/<token> URL), the code a technician can read out on the phone, and the name.
 * The QR SVG comes from the server; it is shown through <img>, so nothing in it can run as script.
 */
export default function PlaceLabelsPage() {
  const { id } = useParams<{ id: string }>();
  const { t } = useTranslation();
  const place = useQuery({ queryKey: ['place', id], queryFn: () => api.get<PlaceDetail>(`/api/places/${id}`) });
  const labels = useQuery({ queryKey: ['place-labels', id], queryFn: () => api.get<PlaceLabel[]>(`/api/places/${id}/labels`) });
  const [kinds, setKinds] = useState<string[]>([]);

  const kindOptions = useMemo(() => [...new Set((labels.data ?? []).map((l) => l.kindName))], [labels.data]);
  const shown = useMemo(() => (labels.data ?? []).filter((l) => kinds.length === 0 || kinds.includes(l.kindName)), [labels.data, kinds]);
  const sheets = useMemo(() => {
    const out: PlaceLabel[][] = [];
    for (let i = 0; i < shown.length; i += PER_SHEET) out.push(shown.slice(i, i + PER_SHEET));
    return out;
  }, [shown]);

  useEffect(() => {
    if (place.data) document.title = `${t('labels.title')} · ${place.data.name} (${place.data.code})`;
  }, [place.data, t]);

  return (
    <div className="labels-page">
      <div className="labels-toolbar">
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('labels.title')}</Typography.Title>
          {place.data && (
            <Typography.Text type="secondary">
              {[...place.data.ancestors.map((a) => a.name), place.data.name].join(' / ')} · {place.data.code}
            </Typography.Text>
          )}
        </div>
        <Space wrap>
          <Typography.Text>{t('labels.count', { labels: shown.length, sheets: sheets.length })}</Typography.Text>
          {kindOptions.length > 1 && (
            <Select mode="multiple" allowClear style={{ minWidth: 220 }} placeholder={t('labels.allKinds')} value={kinds} onChange={setKinds} options={kindOptions.map((k) => ({ value: k, label: k }))} />
          )}
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={shown.length === 0}>{t('labels.print')}</Button>
        </Space>
        <Typography.Paragraph type="secondary" className="labels-hint">{t('labels.hint')}</Typography.Paragraph>
      </div>
      <QueryState loading={labels.isPending} error={labels.error} retry={() => void labels.refetch()}>
        {shown.length === 0 ? (
          <Typography.Paragraph className="labels-empty">{t('labels.empty')}</Typography.Paragraph>
        ) : (
          sheets.map((sheet, i) => (
            <section className="label-sheet" key={i} aria-label={t('labels.sheet', { n: i + 1 })}>
              {sheet.map((l) => (
                <article className="label" key={l.id} data-code={l.code}>
                  <img className="label-qr" alt={l.url} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(l.svg)}`} />
                  <div className="label-text">
                    <div className="label-site">{t('brand')}</div>
                    <div className="label-name">{l.name}</div>
                    <div className="label-code">{l.code}</div>
                    <div className="label-kind">{l.kindName}</div>
                  </div>
                </article>
              ))}
            </section>
          ))
        )}
      </QueryState>
    </div>
  );
}
