import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Checkbox, DatePicker, Drawer, Empty, Form, Input, List, Radio, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { api } from '../../app/api.ts';
import { formatShort } from '../../app/dates.ts';
import { listJoin } from '../../app/lists.ts';
import type { Page } from '../../app/types.ts';
import type { WorkItem } from '../../app/workItems.ts';
import { useWorkNames } from '../../app/workNames.ts';
import { applyServerErrors } from '../common.tsx';
import { RemoteSelect } from '../registers/pickers.tsx';
import { findCallers, useDebounced, type Caller } from '../work-items/IntakePage.tsx';
import { StateTag } from '../work-items/parts.tsx';
import { CHANNELS, TOPICS, type Channel, type PhoneCall, type Reception, type Topic } from './types.ts';

interface Values {
  channel: Channel;
  at?: Dayjs | null;
  contactName?: string;
  contactPhone?: string;
  topic: Topic;
  summary: string;
  actionTaken?: string;
  result?: string;
  otherItems?: string[];
}
const FIELDS = ['channel', 'at', 'contactName', 'contactPhone', 'topic', 'summary', 'actionTaken', 'result'];

/** Work items by number or title, for linking one the caller is not the reporter of. */
export function WorkItemSelect(props: { value?: string[] | string; onChange?: (v: string[] | string) => void; multiple?: boolean; placeholder?: string }) {
  return (
    <RemoteSelect<WorkItem>
      mode={props.multiple ? 'multiple' : undefined}
      allowClear
      value={props.value}
      onChange={props.onChange}
      placeholder={props.placeholder}
      queryKey="work-items"
      search={(q) => api.get<Page<WorkItem>>('/api/work-items', { q, limit: 20 })}
      label={(w) => `${w.number} · ${w.title}`}
      data-testid="rc-item-select"
    />
  );
}

/**
 * 新建接待 (CS-4, CS-5): a call, walk-in or message as one record. Typing the caller's number finds
 * the occupant with company, units and open items (the intake's lookup); ticking an open item
 * links it. From a phone-system call (`call`), the channel is fixed and the caller is known.
 */
export function ReceptionForm({ open, call, onClose, onSaved }: { open: boolean; call: PhoneCall | null; onClose: () => void; onSaved: (r: Reception) => void }) {
  const { t, i18n } = useTranslation();
  const names = useWorkNames();
  const [form] = Form.useForm<Values>();
  const [phone, setPhone] = useState('');
  const [picked, setPicked] = useState<Caller | null>(null);
  const [linked, setLinked] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const search = useDebounced(phone.trim());
  const found = useQuery({ queryKey: ['reception', 'callers', search], queryFn: () => findCallers(search), enabled: search.length >= 3 });
  // Found by name (not by number): their open items come from the board's list.
  const open_ = useQuery({
    queryKey: ['reception', 'open-of', picked?.id],
    queryFn: () => api.get<Page<WorkItem>>('/api/work-items', { open: true, limit: 500 }),
    enabled: !!picked && !picked.openItems,
  });
  const theirs = picked ? picked.openItems ?? (open_.data?.items ?? []).filter((w) => w.occupantId === picked.id) : [];

  const close = () => {
    setPhone('');
    setPicked(null);
    setLinked([]);
    setProblem(null);
    form.resetFields();
    onClose();
  };

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setProblem(null);
    setBusy(true);
    const fields = {
      // From a call, nobody picked = the caller (the server's default); an explicit null would clear it.
      occupantId: picked?.id ?? (call ? undefined : null),
      contactName: v.contactName?.trim() || null,
      topic: v.topic,
      summary: v.summary.trim(),
      actionTaken: v.actionTaken?.trim() || null,
      result: v.result?.trim() || null,
      workItemIds: [...new Set([...linked, ...(v.otherItems ?? [])])],
    };
    try {
      const r = call
        ? await api.post<Reception>(`/api/phone-calls/${call.id}/reception`, fields)
        : await api.post<Reception>('/api/receptions', {
          ...fields, channel: v.channel, at: v.at ? v.at.toISOString() : undefined, contactPhone: v.contactPhone?.trim() || null,
        });
      onSaved(r);
      close();
    } catch (e) {
      setProblem(applyServerErrors(form, e, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={close}
      width={720}
      destroyOnHidden
      title={call ? t('rc.fromCall', { caller: call.caller, time: formatShort(call.startedAt) }) : t('rc.new')}
      extra={<Space><Button onClick={close}>{t('action.cancel')}</Button><Button type="primary" loading={busy} onClick={() => void submit()} data-testid="rc-save">{t('action.save')}</Button></Space>}
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ channel: call ? 'call' : 'walk_in', topic: 'repair' }} preserve={false}>
        <div className="rc-row">
          <Form.Item name="channel" label={t('rc.channel')}>
            <Radio.Group optionType="button" buttonStyle="solid" disabled={!!call} options={CHANNELS.map((c) => ({ value: c, label: t(`rc.ch.${c}`) }))} />
          </Form.Item>
          {!call && (
            <Form.Item name="at" label={t('rc.at')} extra={t('rc.atHint')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
            </Form.Item>
          )}
        </div>

        <Form.Item label={t('rc.who')} extra={call && call.matches.length === 1 ? t('rc.callerDefault', { name: call.matches[0]!.name }) : undefined}>
          <Input.Search allowClear inputMode="tel" placeholder={t('intake.phoneHint')} value={phone} onChange={(e) => setPhone(e.target.value)} data-testid="rc-phone" />
          {found.data && !picked && (
            <List
              className="intake-results"
              size="small"
              dataSource={found.data}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rc.noMatch')} /> }}
              renderItem={(o) => (
                <List.Item className="intake-person" onClick={() => { setPicked(o); setLinked([]); }} data-testid="rc-person">
                  <div>
                    <div><strong>{o.name}</strong> <span className="phone muted">{o.phone}</span> {o.companyRole === 'admin' && <Tag color="blue">{t('reg.roleAdmin')}</Tag>}</div>
                    <div className="muted small">{o.companyName ?? '—'} · {listJoin(o.units.map((u) => (u.floor ? `${u.floor} ${u.name}` : u.name)), i18n.language) || '—'}</div>
                  </div>
                </List.Item>
              )}
            />
          )}
        </Form.Item>
        {picked && (
          <div className="rc-picked" data-testid="rc-picked">
            <Space style={{ justifyContent: 'space-between', width: '100%' }}>
              <span>
                <strong>{picked.name}</strong> <span className="phone muted">{picked.phone}</span>
                <span className="muted"> · {picked.companyName ?? '—'} · {listJoin(picked.units.map((u) => (u.floor ? `${u.floor} ${u.name}` : u.name)), i18n.language) || '—'}</span>
              </span>
              <Button size="small" type="link" onClick={() => { setPicked(null); setLinked([]); }}>{t('rc.change')}</Button>
            </Space>
            <Typography.Text strong style={{ display: 'block', marginTop: 8 }}>{t('rc.openItems')}</Typography.Text>
            {theirs.length === 0 ? <div className="muted small">{open_.isFetching ? t('loading') : t('intake.noOpen')}</div> : (
              <Checkbox.Group value={linked} onChange={(v) => setLinked(v as string[])} style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
                {theirs.map((it) => (
                  <Checkbox key={it.id} value={it.id} data-testid="rc-open-item" data-number={it.number}>
                    <span className="mono small">{it.number}</span> {it.title} <StateTag state={it.state} name={names.state(it.kind, it.state)} />
                  </Checkbox>
                ))}
              </Checkbox.Group>
            )}
          </div>
        )}
        {!picked && (
          <div className="rc-row">
            <Form.Item name="contactName" label={t('intake.contactName')}>
              <Input maxLength={50} />
            </Form.Item>
            {!call && (
              <Form.Item name="contactPhone" label={t('intake.contactPhone')}>
                <Input maxLength={30} inputMode="tel" />
              </Form.Item>
            )}
          </div>
        )}

        <Form.Item name="topic" label={t('rc.topic')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" options={TOPICS.map((c) => ({ value: c, label: t(`rc.tp.${c}`) }))} />
        </Form.Item>
        <Form.Item name="summary" label={t('rc.summary')} rules={[{ required: true, whitespace: true, message: t('rc.needSummary') }]}>
          <Input.TextArea rows={3} maxLength={2000} showCount data-testid="rc-summary" />
        </Form.Item>
        <div className="rc-row">
          <Form.Item name="actionTaken" label={t('rc.action')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Form.Item name="result" label={t('rc.result')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </div>
        <Form.Item name="otherItems" label={t('rc.linkOther')}>
          <WorkItemSelect multiple placeholder={t('rc.itemHint')} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
