import { useState } from 'react';
import { Alert, App, Button, Modal, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, isApiError, type RowProblem } from '../../app/api.ts';

/**
 * Import of a register from XLSX or CSV. The server takes all rows or none: a rejected file comes
 * back with one line per problem (row, column, message), shown here so the user can fix the
 * spreadsheet and upload it again.
 */
export function ImportDialog({ path, title, onClose, onImported }: { path: string; title: string; onClose: () => void; onImported: (n: number) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [rejection, setRejection] = useState<{ message: string; rows: RowProblem[] } | null>(null);

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setRejection(null);
    try {
      const res = await api.upload<{ imported: number }>(`${path}/import`, file);
      void message.success(t('import.done', { n: res.imported }));
      onImported(res.imported);
    } catch (e) {
      if (isApiError(e)) {
        // Missing columns or an empty file come as field problems without rows: show them alike.
        const rows = e.rows.length ? e.rows : e.fields.map((f) => ({ row: 0, field: f.field.replace(/^file\.?/, '') || '—', message: f.message }));
        setRejection({ message: e.message, rows });
      } else {
        setRejection({ message: String(e), rows: [] });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={720}
      title={t('import.title', { what: title })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('import.submit')}
      okButtonProps={{ disabled: !file }}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Typography.Paragraph>
        {t('import.rules')}{' '}
        <Button type="link" icon={<DownloadOutlined />} href={`${path}/import-template`} download style={{ padding: 0 }}>
          {t('import.template')}
        </Button>
      </Typography.Paragraph>
      <Upload.Dragger
        accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
        maxCount={1}
        beforeUpload={(f) => {
          setFile(f);
          setRejection(null);
          return false; // keep the file here; it is sent on "导入"
        }}
        onRemove={() => setFile(null)}
        fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
      >
        <p className="ant-upload-drag-icon"><InboxOutlined /></p>
        <p className="ant-upload-text">{t('import.drop')}</p>
        <p className="ant-upload-hint">{t('import.formats')}</p>
      </Upload.Dragger>
      {rejection && (
        <div style={{ marginTop: 16 }} data-testid="import-report">
          <Alert type="error" showIcon title={rejection.message} style={{ marginBottom: 12 }} />
          {rejection.rows.length > 0 && (
            <Table
              size="small"
              rowKey={(r) => `${r.row}-${r.field}-${r.message}`}
              dataSource={rejection.rows}
              pagination={rejection.rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
              columns={[
                { title: t('import.row'), dataIndex: 'row', width: 80, render: (v: number) => (v > 0 ? v : '—') },
                { title: t('import.field'), dataIndex: 'field', width: 140 },
                { title: t('import.problem'), dataIndex: 'message' },
              ]}
            />
          )}
        </div>
      )}
    </Modal>
  );
}
