import { useState, type ReactNode } from 'react';
import { App, Card, Tooltip } from 'antd';
import dayjs from 'dayjs';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError, toApiError, withQuery, type Query } from '../../app/api.ts';
import { shanghaiToday } from '../../app/dates.ts';
import { errorText } from '../common.tsx';
import { rateTone } from './format.ts';

export { minutesText, pct, rateTone, scoreText } from './format.ts';

/** One headline number with its label and a line under it. */
export function Kpi({ label, value, sub, tone = 'blue', hint, testId }: {
  label: ReactNode; value: ReactNode; sub?: ReactNode; tone?: 'blue' | 'green' | 'orange' | 'red' | 'grey'; hint?: ReactNode; testId?: string;
}) {
  const body = (
    <Card size="small" className={`rp-kpi rp-kpi-${tone}`} data-testid={testId}>
      <div className="rp-kpi-label">{label}</div>
      <div className="rp-kpi-value">{value}</div>
      {sub && <div className="rp-kpi-sub">{sub}</div>}
    </Card>
  );
  return hint ? <Tooltip title={hint}>{body}</Tooltip> : body;
}

/**
 * Fetches an XLSX the server builds and hands it to the browser as a download under the server's
 * file name (RFC 5987 `filename*`, Chinese). A refusal (400 naming a field, 403) comes back as an
 * ApiError with the server's message instead of a JSON file saved to disk.
 */
export async function downloadFile(path: string, query: Query, lang: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), { headers: { 'Accept-Language': lang }, credentials: 'same-origin' });
  } catch {
    throw new ApiError({ status: 0, code: 'offline', message: i18next.t('error.offline', { lng: lang }) });
  }
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => null);
    throw toApiError(res.status, body, `${res.status} ${res.statusText}`);
  }
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  const plain = /filename="([^"]+)"/i.exec(cd);
  const name = star ? decodeURIComponent(star[1]!) : plain?.[1] ?? 'export.xlsx';
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

/**
 * The export button of a report: downloads the XLSX the server builds for `path` with `query`,
 * then says which file was saved, or shows the server's refusal (400 naming a field, 403).
 */
export function useXlsxExport(path: string, query: Query) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [exporting, setExporting] = useState(false);
  const run = async () => {
    setExporting(true);
    try {
      const name = await downloadFile(path, query, i18n.language);
      void message.success(t('rp.exported', { name }));
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };
  return { exporting, run };
}

/** Today as a Shanghai calendar day, whatever the browser's zone (presets, the last pickable day). */
export const shanghaiNow = () => dayjs(shanghaiToday());
