import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Cascader, Empty, Form, Input, List, Radio, Result, Space, Tag, Typography } from 'antd';
import { PhoneOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { INTAKE_KINDS, KINDS, URGENCIES, findCategory, type Urgency, type WorkItemKind } from '@towerdesk/domain';
import { api, newIdempotencyKey } from '../../app/api.ts';
import { formatShort } from '../../app/dates.ts';
import { listJoin } from '../../app/lists.ts';
import type { Occupant, Page } from '../../app/types.ts';
import type { Upload, WorkItemDetail } from '../../app/workItems.ts';
import { useWorkItems, workKeys } from '../../app/workQueries.ts';
import { useWorkNames } from '../../app/workNames.ts';
import { applyServerErrors, PageTitle } from '../common.tsx';
import { PlaceSelect } from '../registers/pickers.tsx';
import { PhotoUpload, StateTag, useCategoryOptions } from './parts.tsx';

const KIND_KEYS: readonly WorkItemKind[] = INTAKE_KINDS;
const FORM_FIELDS = ['kind', 'category', 'urgency', 'placeId', 'title', 'description', 'channel', 'contactName', 'contactPhone'];

/** A caller as the intake shows them, whichever search found them. */
export interface Caller {
  id: string;
  name: string;
  phone: string;
  companyRole: string;
  companyName: string | null;
  units: Array<{ id: string; name: string; code?: string; floor?: string | null }>;
  /** From the phone lookup; an occupant found by name gets theirs from the open-item list. */
  openItems?: Array<{ id: string; number: string; title: string; state: string; kind: string }>;
}

interface Lookup {
  matches: Array<{
    occupant: { id: string; name: string; phone: string; companyRole: string };
    company: { id: string; name: string } | null;
    units: Array<{ id: string; code: string; name: string; floor: { name: string } | null }>;
    openItems: Array<{ id: string; number: string; kind: string; state: string; title: string }>;
  }>;
}

/**
 * Who is calling: a whole number (caller ID, 7+ digits) goes to the phone lookup, which also
 * brings their units with floors and open items; a part of a number or a name searches the
 * occupant register (phones are masked there but searchable).
 */
export async function findCallers(text: string): Promise<Caller[]> {
  const digits = text.replace(/[\s-]/g, '');
  if (/^\+?\d{7,}$/.test(digits)) {
    const r = await api.get<Lookup>('/api/receptions/lookup', { phone: digits });
    if (r.matches.length) {
      return r.matches.map((m) => ({
        id: m.occupant.id, name: m.occupant.name, phone: m.occupant.phone, companyRole: m.occupant.companyRole, companyName: m.company?.name ?? null,
        units: m.units.map((u) => ({ id: u.id, name: u.name, code: u.code, floor: u.floor?.name ?? null })), openItems: m.openItems,
      }));
    }
  }
  const r = await api.get<Page<Occupant>>('/api/occupants', { q: text, limit: 10 });
  return r.items.map((o) => ({
    id: o.id, name: o.name, phone: o.phone, companyRole: o.companyRole, companyName: o.companyName ?? null,
    units: o.unitIds.map((id, i) => ({ id, name: o.unitNames?.[i] ?? id })),
  }));
}

interface IntakeForm {
  kind: WorkItemKind;
  category?: string[];
  urgency: Urgency;
  placeId?: string;
  title?: string;
  description: string;
  channel: 'phone' | 'walk_in';
  contactName?: string;
  contactPhone?: string;
}

export function useDebounced<T>(value: T, ms = 300) {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

/**
 * 来电/来访登记 (RP-1, CS-5): the agent types the caller's number, finds the occupant with their
 * company, units and open items, and files a repair, complaint or inquiry on their behalf — or
 * records a walk-in contact who is not registered. One queue: the item lands on the board.
 */
export default function IntakePage() {
  const { t, i18n } = useTranslation();
  const names = useWorkNames();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<IntakeForm>();
  const [mode, setMode] = useState<'occupant' | 'walkin'>('occupant');
  const [phone, setPhone] = useState('');
  const [picked, setPicked] = useState<Caller | null>(null);
  const [photos, setPhotos] = useState<Upload[]>([]);
  const [photoKey, setPhotoKey] = useState(0);
  const [uploading, setUploading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<WorkItemDetail | null>(null);
  const key = useRef(newIdempotencyKey());
  const kind = Form.useWatch('kind', form) ?? 'repair';
  const category = Form.useWatch('category', form);
  const leaf = category?.[category.length - 1];
  const options = useCategoryOptions(kind);

  const search = useDebounced(phone.trim());
  const found = useQuery({
    queryKey: ['intake', 'callers', search],
    queryFn: () => findCallers(search),
    enabled: mode === 'occupant' && search.length >= 3,
  });
  // Found by name: their open items from the board's list (one cache; the list has no occupant filter).
  const open = useWorkItems({ open: true, limit: 500 }, { enabled: !!picked && !picked.openItems });
  const theirs = useMemo(() => (picked ? picked.openItems ?? (open.data?.items ?? []).filter((it) => it.occupantId === picked.id) : []), [open.data, picked]);

  // The category sets the default urgency (RP-2); the agent may still change it.
  useEffect(() => {
    const c = leaf ? findCategory(leaf) : undefined;
    if (c) form.setFieldValue('urgency', c.defaultUrgency);
  }, [leaf, form]);

  const pick = (o: Caller) => {
    setPicked(o);
    if (o.units.length) form.setFieldValue('placeId', o.units[0]!.id);
  };

  const reset = () => {
    setDone(null);
    setPicked(null);
    setPhone('');
    setPhotos([]);
    setPhotoKey((k) => k + 1);
    setProblem(null);
    key.current = newIdempotencyKey();
    form.resetFields();
  };

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    if (mode === 'occupant' && !picked) return setProblem(t('intake.needCaller'));
    setProblem(null);
    setBusy(true);
    try {
      const item = await api.postOnce<WorkItemDetail>('/api/work-items', {
        kind: v.kind, category: v.category![v.category!.length - 1], urgency: v.urgency, placeId: v.placeId ?? null,
        title: v.title?.trim() || undefined, description: v.description.trim(), channel: v.channel,
        occupantId: mode === 'occupant' ? picked!.id : null,
        contactName: mode === 'walkin' ? v.contactName?.trim() || null : null,
        contactPhone: mode === 'walkin' ? v.contactPhone?.trim() || null : null,
        attachmentIds: photos.length ? photos.map((p) => p.id) : undefined,
      }, key.current);
      key.current = newIdempotencyKey();
      void qc.invalidateQueries({ queryKey: workKeys.all });
      setDone(item);
    } catch (e) {
      // A retry sends the same key: the server answers with the first item if it was filed.
      setProblem(applyServerErrors(form, e, FORM_FIELDS));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Card>
        <Result
          status="success"
          title={<span data-testid="intake-done">{t('intake.done', { kind: names.kind(done.kind), number: done.number })}</span>}
          subTitle={done.scheduledFor ? t('wb.scheduled', { time: formatShort(done.scheduledFor) }) : `${names.category(done.category)} · ${names.urgency(done.urgency)}`}
          extra={[
            <Button key="open" type="primary" onClick={() => navigate(`/work-items?item=${done.id}`)}>{t('intake.openOnBoard')}</Button>,
            <Button key="again" onClick={reset}>{t('intake.again')}</Button>,
          ]}
        />
      </Card>
    );
  }

  return (
    <div>
      <PageTitle title={t('nav.intake')} sub={t('intake.sub')} />
      <div className="intake-layout">
        <Card title={t('intake.caller')} size="small">
          <Radio.Group value={mode} onChange={(e) => { setMode(e.target.value); setPicked(null); form.setFieldValue('channel', e.target.value === 'walkin' ? 'walk_in' : 'phone'); }} optionType="button" buttonStyle="solid" style={{ marginBottom: 12 }}
            options={[{ value: 'occupant', label: <><PhoneOutlined /> {t('intake.registered')}</> }, { value: 'walkin', label: <><UserAddOutlined /> {t('intake.walkin')}</> }]} />
          {mode === 'occupant' ? (
            <>
              <Input.Search allowClear autoFocus inputMode="tel" placeholder={t('intake.phoneHint')} value={phone} onChange={(e) => setPhone(e.target.value)} data-testid="intake-phone" />
              {search.length > 0 && search.length < 3 && <div className="muted small" style={{ marginTop: 6 }}>{t('intake.moreDigits')}</div>}
              {found.data && (
                <List
                  className="intake-results"
                  size="small"
                  dataSource={found.data}
                  locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('intake.noMatch')} /> }}
                  renderItem={(o) => (
                    <List.Item className={`intake-person${picked?.id === o.id ? ' intake-person-on' : ''}`} onClick={() => pick(o)} data-testid="intake-person">
                      <div>
                        <div><strong>{o.name}</strong> <span className="phone muted">{o.phone}</span> {o.companyRole === 'admin' && <Tag color="blue">{t('reg.roleAdmin')}</Tag>}</div>
                        <div className="muted small">{o.companyName ?? '—'} · {listJoin(o.units.map((u) => (u.floor ? `${u.floor} ${u.name}` : u.name)), i18n.language) || '—'}</div>
                      </div>
                    </List.Item>
                  )}
                />
              )}
              {picked && (
                <div className="intake-open">
                  <Typography.Text strong>{t('intake.openItems', { name: picked.name })}</Typography.Text>
                  {theirs.length === 0 ? <div className="muted small">{open.isPending ? t('loading') : t('intake.noOpen')}</div> : (
                    <List size="small" dataSource={theirs} renderItem={(it) => (
                      <List.Item className="clickable" onClick={() => navigate(`/work-items?item=${it.id}`)}>
                        <span className="mono small">{it.number}</span> {it.title} <StateTag state={it.state} name={names.state(it.kind, it.state)} />
                      </List.Item>
                    )} />
                  )}
                </div>
              )}
            </>
          ) : (
            <Alert type="info" showIcon title={t('intake.walkinHint')} />
          )}
        </Card>

        <Card title={t('intake.what')} size="small">
          {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
          <Form form={form} layout="vertical" initialValues={{ kind: 'repair', urgency: 'normal', channel: 'phone' }} onFinish={() => void submit()}>
            <div className="intake-row">
              <Form.Item name="kind" label={t('intake.kind')} rules={[{ required: true }]}>
                <Radio.Group optionType="button" options={KIND_KEYS.map((k) => ({ value: k, label: names.kind(k) }))} onChange={() => form.setFieldValue('category', undefined)} />
              </Form.Item>
              <Form.Item name="channel" label={t('wb.channel')}>
                <Radio.Group options={[{ value: 'phone', label: t('wi.tl.channel.phone') }, { value: 'walk_in', label: t('wi.tl.channel.walk_in') }]} />
              </Form.Item>
            </div>
            <div className="intake-row">
              <Form.Item name="category" label={t('intake.category')} rules={[{ required: true, message: t('intake.needCategory') }]}>
                <Cascader options={options} placeholder={t('intake.categoryHint')} showSearch={{ filter: (input, path) => path.some((o) => String(o.label).includes(input)) }} data-testid="intake-category" />
              </Form.Item>
              <Form.Item name="urgency" label={t('wb.urgency')} extra={leaf && findCategory(leaf) ? t('intake.defaultUrgency', { u: names.urgency(findCategory(leaf)!.defaultUrgency) }) : undefined}>
                <Radio.Group options={URGENCIES.map((u) => ({ value: u, label: names.urgency(u) }))} />
              </Form.Item>
            </div>
            <Form.Item label={t('wb.col.place')} required={false}>
              {picked && picked.units.length > 0 && (
                <Space size={4} wrap style={{ marginBottom: 6 }}>
                  {picked.units.map((u) => (
                    <Button key={u.id} size="small" onClick={() => form.setFieldValue('placeId', u.id)}>{u.name}</Button>
                  ))}
                </Space>
              )}
              <Form.Item name="placeId" noStyle>
                <PlaceSelect placeholder={t('intake.placeHint')} style={{ width: '100%' }}
                  known={picked ? Object.fromEntries(picked.units.map((u) => [u.id, u.code ? `${u.name} · ${u.code}` : u.name])) : undefined} />
              </Form.Item>
            </Form.Item>
            {mode === 'walkin' && (
              <div className="intake-contact">
                <Form.Item name="contactName" label={t('intake.contactName')} rules={[{ required: true, whitespace: true }]}>
                  <Input maxLength={50} />
                </Form.Item>
                <Form.Item name="contactPhone" label={t('intake.contactPhone')}>
                  <Input maxLength={20} inputMode="tel" />
                </Form.Item>
              </div>
            )}
            <Form.Item name="title" label={t('intake.title')} extra={t('intake.titleHint')}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="description" label={t('wb.description')} rules={[{ required: true, whitespace: true, message: t('intake.needDescription') }]}>
              <Input.TextArea rows={4} maxLength={2000} showCount data-testid="intake-description" />
            </Form.Item>
            <Form.Item label={t('wb.photos')}>
              <PhotoUpload key={photoKey} onChange={setPhotos} onBusy={setUploading} />
            </Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" loading={busy} disabled={uploading} data-testid="intake-submit">{t('intake.submit')}</Button>
              <Button onClick={reset}>{t('intake.clear')}</Button>
            </Space>
          </Form>
        </Card>
      </div>
    </div>
  );
}

