import { useState } from 'react';
import { Button, Space, Tooltip, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { MaskedPhone, useCan, useErrorToast } from '../common.tsx';

/**
 * A phone number as the list shows it (masked), with "显示完整号码" for roles that need to call
 * people (SEC-2). The full number is fetched on request only — each read is audited on the server —
 * and it is not cached beyond this drawer.
 */
export function PhoneReveal({ path, id, masked }: { path: string; id: string; masked: string | null }) {
  const { t } = useTranslation();
  const allowed = useCan()('personal.reveal');
  const toast = useErrorToast();
  const [full, setFull] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!masked) return <MaskedPhone value={masked} />;
  if (full) {
    return (
      <Space>
        <a href={`tel:${full}`} className="phone" data-testid="phone-full">{full}</a>
        <Typography.Text copyable={{ text: full }} />
      </Space>
    );
  }
  return (
    <Space>
      <MaskedPhone value={masked} />
      {allowed && (
        <Tooltip title={t('reg.revealHint')}>
          <Button
            size="small"
            icon={<EyeOutlined />}
            loading={busy}
            onClick={async () => {
              setBusy(true);
              try {
                setFull((await api.get<{ phone: string | null }>(`${path}/${id}/phone`)).phone ?? '—');
              } catch (e) {
                toast(e);
              } finally {
                setBusy(false);
              }
            }}
          >
            {t('reg.reveal')}
          </Button>
        </Tooltip>
      )}
    </Space>
  );
}
