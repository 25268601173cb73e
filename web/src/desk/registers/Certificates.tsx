import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Popconfirm, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { expiryState } from '../../app/dates.ts';
import type { Certificate, Staff } from '../../app/types.ts';
import { applyServerErrors, useCan, useErrorToast } from '../common.tsx';
import { expiryLabel, type Ctx } from './configs.tsx';

const STATE_COLOR = { expired: 'red', expiring: 'orange', valid: 'green', none: 'default' } as const;

/** A staff member's certificates (CS-6): expired in red, expiring within 30 days in orange. */
export function Certificates({ person, c }: { person: Staff; c: Ctx }) {
  const { t } = useTranslation();
  const canWrite = useCan()('staff.write');
  const qc = useQueryClient();
  const toast = useErrorToast();
  const { message } = App.useApp();
  const [adding, setAdding] = useState(false);
  const certs = person.certificates ?? [];

  const refresh = () => qc.invalidateQueries({ queryKey: ['register', 'staff'] });

  return (
    <div className="certs">
      <div className="drawer-section-head">
        <Typography.Title level={5} style={{ margin: 0 }}>{t('reg.certificates')}</Typography.Title>
        {canWrite && <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t('reg.addCert')}</Button>}
      </div>
      <Table<Certificate>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={certs}
        locale={{ emptyText: t('reg.noCerts') }}
        rowClassName={(r) => `row-cert-${expiryState(r.expiresOn, c.today)}`}
        columns={[
          { title: t('reg.certName'), dataIndex: 'name' },
          { title: t('reg.certNumber'), dataIndex: 'number', render: (v) => <span className="mono">{v}</span> },
          { title: t('reg.certIssuer'), dataIndex: 'issuer', render: (v) => v ?? '—' },
          {
            title: t('reg.certExpires'),
            dataIndex: 'expiresOn',
            render: (v: string | null) => {
              const s = expiryState(v, c.today);
              return <Tag color={STATE_COLOR[s]} data-expiry={s}>{expiryLabel(s, v, c)}</Tag>;
            },
          },
          ...(canWrite ? [{
            title: '', key: 'x', width: 48,
            render: (_: unknown, r: Certificate) => (
              <Popconfirm title={t('reg.removeCert', { name: r.name })} onConfirm={async () => {
                try {
                  await api.del(`/api/staff/${person.id}/certificates/${r.id}`);
                  void message.success(t('reg.certRemoved'));
                  await refresh();
                } catch (e) {
                  toast(e);
                }
              }}>
                <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('reg.removeCertShort')} />
              </Popconfirm>
            ),
          }] : []),
        ]}
      />
      {adding && <AddCertificate staffId={person.id} onClose={() => setAdding(false)} onDone={async () => { setAdding(false); await refresh(); }} />}
    </div>
  );
}

function AddCertificate({ staffId, onClose, onDone }: { staffId: string; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; number: string; issuer?: string; expiresOn?: Dayjs }>();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    setBusy(true);
    setProblem(null);
    try {
      await api.post(`/api/staff/${staffId}/certificates`, {
        name: v.name.trim(), number: v.number.trim(), issuer: v.issuer?.trim() || null,
        expiresOn: v.expiresOn ? v.expiresOn.format('YYYY-MM-DD') : null,
      });
      void message.success(t('reg.certAdded'));
      onDone();
    } catch (e) {
      setProblem(applyServerErrors(form, e, ['name', 'number', 'issuer', 'expiresOn']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('reg.addCert')} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okText={t('action.save')} destroyOnHidden>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="name" label={t('reg.certName')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input placeholder={t('reg.certNamePlaceholder')} />
        </Form.Item>
        <Form.Item name="number" label={t('reg.certNumber')} rules={[{ required: true, whitespace: true, max: 60 }]}><Input className="mono" /></Form.Item>
        <Form.Item name="issuer" label={t('reg.certIssuer')} rules={[{ max: 100 }]}><Input /></Form.Item>
        <Form.Item name="expiresOn" label={t('reg.certExpires')} extra={t('reg.certExpiresHint')}><DatePicker /></Form.Item>
      </Form>
    </Modal>
  );
}
