import type { ReactNode } from 'react';
import { Card, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { ApiError, toApiError, withQuery, type Query } from '../../app/api.ts';
import { shanghaiToday } from '../../app/dates.ts';
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
    throw new ApiError({ status: 0, code: 'offline', message: lang === 'en-US' ? 'Cannot reach the server; check the network' : '无法连接服务器，请检查网络' });
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

/** Today as a Shanghai calendar day, whatever the browser's zone (presets, the last pickable day). */
export const shanghaiNow = () => dayjs(shanghaiToday());
