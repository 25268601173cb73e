import { useState } from 'react';
import { TaskDrawer } from '../plans/TaskDrawer.tsx';
import { useQuery } from '@tanstack/react-query';
import {
  Alert, App, Button, DatePicker, Descriptions, Drawer, Form, Image, Input, Modal, Popconfirm, Radio, Rate, Select, Space, Switch, Tag, Timeline, Typography,
} from 'antd';
import { EditOutlined, SendOutlined } from '@ant-design/icons';
import { currentLang } from '../../app/i18n.ts';
import { paren } from '../../app/lists.ts';
import { useTranslation } from 'react-i18next';
import { URGENCIES, type Requirement } from '@towerdesk/domain';
import { isApiError } from '../../app/api.ts';
import { api } from '../../app/api.ts';
import { formatShort } from '../../app/dates.ts';
import { FALLBACK_REFETCH_MS, useLive } from '../../app/live.ts';
import type { Occupant } from '../../app/types.ts';
import { isTerminalState, PROGRESS_STEPS, transitionOf, type Upload, type WorkItemDetail } from '../../app/workItems.ts';
import { useAct, useChangeUrgency, useComment, useNow, useWorkItem, type ActInput } from '../../app/workQueries.ts';
import { useTimelineText, useWorkNames } from '../../app/workNames.ts';
import { applyServerErrors, errorText, QueryState, useCan } from '../common.tsx';
import { ClockTag, clocksFrom, PhotoUpload, StaffPicker, StateTag, UrgencyTag } from './parts.tsx';

/** AR-2 money in fen as ¥1,234.56. */
const fen = (f: number) => `¥${(f / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The forward step first, the backward and cancelling ones last. */
const ORDER = ['assign', 'reassign', 'acknowledge', 'answer', 'resolve', 'accept', 'depart', 'arrive', 'start', 'resume', 'complete', 'close', 'wait_parts', 'reopen', 'decline', 'cancel'];
const DANGER = new Set(['cancel', 'decline']);

/**
 * One item on the desk: what was reported, by whom, where; its clocks; the whole timeline (public
 * and internal, marked); the actions the server allows this user now (`can`), the urgency change
 * with a reason, and notes. The owner's representative reads only: the server gives them no actions.
 */
export function ItemDrawer({ id, onClose, load }: { id: string; onClose: () => void; load: Map<string, number> }) {
  const { t } = useTranslation();
  const names = useWorkNames();
  const allowed = useCan();
  // The technician's steps and the sweep's warnings arrive over the live stream; the poll is a safety net.
  useLive();
  const q = useWorkItem(id, { refetchInterval: FALLBACK_REFETCH_MS });
  const now = useNow(1000);
  const item = q.data;
  const [action, setAction] = useState<string | null>(null);
  const [urgencyOpen, setUrgencyOpen] = useState(false);
  const [taskOpen, setTaskOpen] = useState(false);
  const act = useAct(id);
  const { message } = App.useApp();

  const oneTap = (a: string) => act.mutate({ action: a }, {
    onSuccess: () => void message.success(t('wb.done', { action: names.action(item!.kind, a) })),
    onError: (e) => void message.error(isApiError(e) && e.status === 409 ? `${e.message}${paren(t('wb.refreshed'), currentLang())}` : errorText(e)),
  });

  const actions = (item?.can ?? []).slice().sort((a, b) => rankOf(a) - rankOf(b));
  const canTriage = !!item && allowed('workItem.triage') && !isTerminalState(item.kind, item.state);

  return (
    <Drawer
      open
      size={720}
      onClose={onClose}
      title={item ? (
        <Space wrap>
          <span className="mono" data-testid="drawer-number">{item.number}</span>
          <StateTag state={item.state} name={item.stateName} />
          <UrgencyTag urgency={item.urgency} />
        </Space>
      ) : t('loading')}
      data-testid="item-drawer"
    >
      <QueryState loading={q.isPending} error={q.error} retry={() => void q.refetch()}>
        {item && (
          <>
            <Typography.Title level={4} style={{ marginTop: 0 }}>{item.title}</Typography.Title>
            {(actions.length > 0 || canTriage) && (
              <div className="wi-actions" data-testid="drawer-actions">
                {actions.map((a) => {
                  const def = transitionOf(item.kind, a);
                  const needs = def?.requires?.length || a === 'arrive' || a === 'close';
                  const button = (
                    <Button key={a} data-action={a} type={rankOf(a) < 3 ? 'primary' : 'default'} danger={DANGER.has(a)} loading={act.isPending && act.variables?.action === a}
                      onClick={needs ? () => setAction(a) : undefined}>
                      {names.action(item.kind, a)}
                    </Button>
                  );
                  return needs ? button : (
                    <Popconfirm key={a} title={t('wb.confirmAction', { action: names.action(item.kind, a) })} onConfirm={() => oneTap(a)}>{button}</Popconfirm>
                  );
                })}
                {canTriage && <Button icon={<EditOutlined />} onClick={() => setUrgencyOpen(true)} data-testid="change-urgency">{t('wb.changeUrgency')}</Button>}
              </div>
            )}
            {item.scheduledFor && Date.parse(item.scheduledFor) > now && PROGRESS_STEPS[item.kind]?.[0]?.includes(item.state) && (
              <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('wb.scheduled', { time: formatShort(item.scheduledFor) })} />
            )}
            <Descriptions
              bordered
              size="small"
              column={2}
              items={[
                { key: 'kind', label: t('wb.col.category'), children: `${names.kind(item.kind)} · ${names.category(item.category)}`, span: 2 },
                { key: 'place', label: t('wb.col.place'), children: item.place ? <span>{item.place.name} <span className="muted mono small">{item.place.code}</span></span> : '—', span: 2 },
                { key: 'who', label: t('wb.reporter'), children: <Reporter item={item} />, span: 2 },
                { key: 'channel', label: t('wb.channel'), children: t(`wi.tl.channel.${item.channel}`, { defaultValue: item.channel }) },
                { key: 'created', label: t('wb.col.created'), children: formatShort(item.createdAt) },
                { key: 'assignee', label: t('wb.col.assignee'), children: item.assignee?.name ?? <span className="muted">{t('wb.unassigned')}</span> },
                { key: 'arrived', label: t('wb.arrived'), children: item.arrivedAt ? <span>{formatShort(item.arrivedAt)} {item.arrivalProof === 'qr' ? <Tag color="green">{t('wb.proofQr')}</Tag> : <Tag color="orange">{t('wb.proofManual')}</Tag>}</span> : '—' },
                ...(item.completedAt ? [{ key: 'completed', label: t('wb.completed'), children: formatShort(item.completedAt) }] : []),
                ...(item.completedAt && (item.occupantId || item.confirmedBy || item.confirmationReason) ? [{ key: 'confirmed', label: t('wb.confirmation'), children: <Confirmed item={item} /> }] : []),
                ...(!item.completedAt && item.confirmationCode && item.occupantId ? [{ key: 'code', label: t('wb.code'), children: <span><span className="mono" data-testid="drawer-code">{item.confirmationCode}</span> <span className="muted small">{t('wb.codeHint')}</span></span> }] : []),
                ...(item.rating != null ? [{ key: 'rating', label: t('wb.rating'), children: <Rate disabled value={item.rating} /> }] : []),
                ...(item.resolution ? [{ key: 'resolution', label: t('wb.resolution'), children: item.resolution, span: 2 }] : []),
                ...(item.materials ? [{ key: 'materials', label: t('wb.materials'), children: <span className="pre">{item.materials}</span> }] : []),
                ...(item.labourMinutes != null ? [{ key: 'labour', label: t('wb.labour'), children: t('wb.minutes', { n: item.labourMinutes }) }] : []),
                ...(item.parts?.length ? [{ key: 'parts', label: t('wb.partsUsed'), span: 2, children: <span data-testid="drawer-parts">{item.parts.map((p) => `${p.name} ×${p.qty}${p.unit}`).join('，')}</span> }] : []),
                ...(item.cost && (item.cost.totalFen > 0) ? [{ key: 'cost', label: t('wb.cost'), span: 2, children: t('wb.costLine', { parts: fen(item.cost.partsFen), labour: fen(item.cost.labourFen), total: fen(item.cost.totalFen) }) }] : []),
                // IN-4: a finding links back to the round it was raised on.
                ...(item.task ? [{ key: 'task', label: t('wb.fromTask'), span: 2, children: <a data-testid="drawer-task" onClick={() => setTaskOpen(true)}>{t('wb.fromTaskLine', { plan: item.task.planName, at: formatShort(item.task.startsAt), cp: item.task.checkpoint ?? '—' })}</a> }] : []),
                { key: 'desc', label: t('wb.description'), children: <span className="pre">{item.description}</span>, span: 2 },
              ]}
            />
            {taskOpen && item.task && <TaskDrawer id={item.task.id} onClose={() => setTaskOpen(false)} />}
            <div className="drawer-section-head"><Typography.Text strong>{t('wb.clocks')}</Typography.Text></div>
            {item.clocks.length === 0 ? <span className="muted">—</span> : (
              <Space size={[0, 6]} wrap data-testid="drawer-clocks">
                {item.clocks.map((c) => <ClockTag key={c.clock} clock={c} now={now} withDue notBefore={clocksFrom(item)} />)}
              </Space>
            )}
            <Photos item={item} />
            {allowed('workItem.comment') && <CommentBox id={item.id} />}
            <ItemTimeline item={item} />
          </>
        )}
      </QueryState>
      {item && action && (
        <ActionDialog item={item} action={action} load={load} onClose={() => setAction(null)} />
      )}
      {item && urgencyOpen && <UrgencyDialog item={item} onClose={() => setUrgencyOpen(false)} />}
    </Drawer>
  );
}

/** RP-5: how the occupant confirmed the completion (code, signature) or why nobody did. */
function Confirmed({ item }: { item: WorkItemDetail }) {
  const { t } = useTranslation();
  if (item.confirmedBy) return <Tag color="green" data-testid="drawer-confirmed" data-by={item.confirmedBy}>{t(`wb.confirmedBy.${item.confirmedBy}`)}</Tag>;
  return <span data-testid="drawer-confirmed" data-by="none"><Tag color="orange">{t('wb.unconfirmed')}</Tag>{item.confirmationReason}</span>;
}

const rankOf = (a: string) => {
  const i = ORDER.indexOf(a);
  return i < 0 ? ORDER.length : i;
};

/** Who reported: the occupant (name, company) or the walk-in contact; phones stay masked. */
function Reporter({ item }: { item: WorkItemDetail }) {
  const { t } = useTranslation();
  const allowed = useCan();
  // The owner's representative reads the board but not the occupant register (SEC-1).
  const mayRead = allowed('occupant.read');
  const occupant = useQuery({
    queryKey: ['occupant', item.occupantId],
    queryFn: () => api.get<Occupant>(`/api/occupants/${item.occupantId}`),
    enabled: !!item.occupantId && mayRead,
    staleTime: 5 * 60_000,
  });
  const o = occupant.data;
  return (
    <span>
      {o ? <>{o.name} <span className="phone muted">{o.phone}</span>{o.companyName && <span className="muted"> · {o.companyName}</span>}</>
        : item.occupantId ? (occupant.isPending && mayRead ? '…' : <span className="muted">{t('wb.registeredOccupant')}</span>) : null}
      {item.contactName && <span>{o ? ' · ' : ''}{item.contactName} <span className="phone muted">{item.contactPhone}</span></span>}
      {!item.occupantId && !item.contactName && <span className="muted">—</span>}
    </span>
  );
}

function Photos({ item }: { item: WorkItemDetail }) {
  const { t } = useTranslation();
  const groups = (['before', 'after', 'signature', 'comment', 'photo'] as const)
    .map((role) => ({ role, photos: (item.attachments ?? []).filter((a) => a.role === role) }))
    .filter((g) => g.photos.length);
  if (!groups.length) return null;
  return (
    <>
      <div className="drawer-section-head"><Typography.Text strong>{t('wb.photos')}</Typography.Text></div>
      <Image.PreviewGroup>
        {groups.map((g) => (
          <div key={g.role} className="wi-photo-group" data-testid={`photos-${g.role}`}>
            <span className="muted small">{t(`wb.photoRole.${g.role}`)}</span>
            <Space wrap>{g.photos.map((p) => <Image key={p.id} width={88} height={88} src={p.thumbUrl} preview={{ src: p.url }} style={{ objectFit: 'cover', borderRadius: 6 }} />)}</Space>
          </div>
        ))}
      </Image.PreviewGroup>
    </>
  );
}

function ItemTimeline({ item }: { item: WorkItemDetail }) {
  const { t } = useTranslation();
  const text = useTimelineText();
  // Clock bookkeeping (started, paused, resumed) is there on demand; warnings and breaches always.
  const [clockDetail, setClockDetail] = useState(false);
  const quiet = new Set(['started', 'paused', 'resumed', 'abandoned']);
  const entries = item.timeline.filter((e) => clockDetail || e.type !== 'clock' || !quiet.has(e.action ?? ''));
  const color = (type: string, action: string | null, pub: boolean) => {
    if (type === 'clock') return action === 'breach' || action === 'escalation' || action === 'stopped_late' ? 'red' : action === 'warning' ? 'orange' : 'gray';
    return pub ? 'blue' : 'gray';
  };
  return (
    <>
    <div className="drawer-section-head">
      <Typography.Text strong>{t('wb.timeline')}</Typography.Text>
      <Space size={6}><Switch size="small" checked={clockDetail} onChange={setClockDetail} /><span className="muted small">{t('wb.clockDetail')}</span></Space>
    </div>
    <Timeline
      data-testid="drawer-timeline"
      items={entries.slice().reverse().map((e) => {
        const { title, detail } = text(e, item.kind);
        return {
          key: e.id,
          color: color(e.type, e.action, e.public),
          content: (
            <div className={`wi-tl${e.public ? '' : ' wi-tl-internal'}`}>
              <div>
                <strong>{title}</strong>{' '}
                {e.type !== 'clock' && (e.public ? <Tag color="blue" className="wi-vis">{t('wi.tl.public')}</Tag> : <Tag className="wi-vis">{t('wi.tl.internal')}</Tag>)}
              </div>
              {detail && <div className="wi-tl-body pre">{detail}</div>}
              <div className="muted small">{formatShort(e.at)}{e.actorName ? ` · ${e.actorName}` : ''}</div>
            </div>
          ),
        };
      })}
    />
    </>
  );
}

/** 备注: internal by default (the occupant never sees it); 公开回复 goes to the occupant's timeline. */
function CommentBox({ id }: { id: string }) {
  const { t } = useTranslation();
  const comment = useComment(id);
  const { message } = App.useApp();
  const [body, setBody] = useState('');
  const [pub, setPub] = useState(false);
  return (
    <div className="wi-comment">
      <div className="drawer-section-head"><Typography.Text strong>{t('wb.comment')}</Typography.Text></div>
      <Input.TextArea rows={2} maxLength={2000} value={body} onChange={(e) => setBody(e.target.value)} placeholder={pub ? t('wb.publicHint') : t('wb.internalHint')} data-testid="comment-body" />
      <div className="wi-comment-bar">
        <Radio.Group value={pub} onChange={(e) => setPub(e.target.value as boolean)} optionType="button" size="small"
          options={[{ value: false, label: t('wb.internal') }, { value: true, label: t('wb.public') }]} />
        <Button type="primary" icon={<SendOutlined />} disabled={!body.trim()} loading={comment.isPending}
          onClick={() => comment.mutate({ body: body.trim(), public: pub }, {
            onSuccess: () => { setBody(''); void message.success(t('wb.commented')); },
            onError: (e) => void message.error(errorText(e)),
          })}>
          {t('wb.send')}
        </Button>
      </div>
    </div>
  );
}

const FORM_FIELDS = ['assigneeStaffId', 'reason', 'note', 'resolution', 'expectedDate', 'confirmationCode', 'confirmationReason', 'attachmentIds', 'rating'];

/** What an action needs, asked in a dialog: the fields follow the kind's declared requirements. */
function ActionDialog({ item, action, load, onClose }: { item: WorkItemDetail; action: string; load: Map<string, number>; onClose: () => void }) {
  const { t } = useTranslation();
  const names = useWorkNames();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const act = useAct(item.id);
  const [problem, setProblem] = useState<string | null>(null);
  const [photos, setPhotos] = useState<Upload[]>([]);
  const [uploading, setUploading] = useState(false);
  const req: readonly Requirement[] = transitionOf(item.kind, action)?.requires ?? [];
  const label = names.action(item.kind, action);
  const reasonNeeded = req.includes('reason') || action === 'arrive';

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    if (req.includes('afterPhoto') && !photos.length) return setProblem(t('wi.photoRequired'));
    setProblem(null);
    const input: ActInput = {};
    for (const k of ['assigneeStaffId', 'reason', 'note', 'resolution', 'confirmationCode', 'confirmationReason'] as const) if (v[k]) input[k] = String(v[k]).trim();
    if (v.expectedDate) input.expectedDate = v.expectedDate.format('YYYY-MM-DD');
    if (v.rating) input.rating = v.rating;
    if (photos.length) input.attachmentIds = photos.map((p) => p.id);
    act.mutate({ action, input }, {
      onSuccess: () => { void message.success(t('wb.done', { action: label })); onClose(); },
      onError: (e) => setProblem(isApiError(e) && e.status === 409 ? `${e.message}${paren(t('wb.refreshed'), currentLang())}` : applyServerErrors(form, e, FORM_FIELDS)),
    });
  };

  return (
    <Modal open title={`${label} · ${item.number}`} onCancel={onClose} onOk={() => void submit()} okText={label}
      okButtonProps={{ disabled: uploading, danger: DANGER.has(action), 'data-testid': 'action-ok' } as React.ComponentProps<typeof Button>} confirmLoading={act.isPending} destroyOnHidden>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" preserve={false}>
        {req.includes('assignee') && (
          <Form.Item name="assigneeStaffId" label={t('wb.assignee')} rules={[{ required: true, message: t('wb.needAssignee') }]}
            extra={item.assignee ? t('wb.currentAssignee', { name: item.assignee.name }) : undefined}>
            <StaffPicker category={item.category} load={load} />
          </Form.Item>
        )}
        {req.includes('expectedDate') && (
          <Form.Item name="expectedDate" label={t('wb.expectedDate')} rules={[{ required: true }]}><DatePicker /></Form.Item>
        )}
        {req.includes('resolution') && (
          <Form.Item name="resolution" label={t('wb.resolution')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
        )}
        {(req.includes('note') || action === 'close' || action === 'complete') && (
          <Form.Item name="note" label={req.includes('note') ? t('wb.answer') : t('wb.noteOptional')} rules={[{ required: req.includes('note'), whitespace: true }]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        )}
        {req.includes('confirmation') && item.occupantId && (
          <>
            {/* RP-5: the occupant's code, or why nobody could confirm (a signature is drawn on the technician's phone). */}
            <Form.Item name="confirmationCode" label={t('wb.code')} rules={[{ pattern: /^\d{4}$/, message: t('wb.codeFormat') }]}><Input maxLength={4} style={{ width: 120 }} /></Form.Item>
            <Form.Item name="confirmationReason" label={t('wb.unconfirmedReason')} dependencies={['confirmationCode']}
              rules={[({ getFieldValue }) => ({ validator: (_, v: string | undefined) => (getFieldValue('confirmationCode') || v?.trim() ? Promise.resolve() : Promise.reject(new Error(t('wb.needConfirmation')))) })]}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </>
        )}
        {req.includes('afterPhoto') && (
          <Form.Item label={t('wb.afterPhotos')} required><PhotoUpload onChange={setPhotos} onBusy={setUploading} /></Form.Item>
        )}
        {(reasonNeeded || action === 'wait_parts') && (
          <Form.Item name="reason" label={action === 'arrive' ? t('wb.manualArrivalReason') : t('wb.reason')} rules={[{ required: reasonNeeded, whitespace: true, message: t('wb.needReason') }]}
            extra={action === 'arrive' ? t('wb.manualArrivalHint') : undefined}>
            <Input.TextArea rows={3} maxLength={500} data-testid="action-reason" />
          </Form.Item>
        )}
        {!req.length && action !== 'arrive' && action !== 'close' && action !== 'complete' && action !== 'wait_parts' && <p>{t('wb.confirmAction', { action: label })}</p>}
      </Form>
    </Modal>
  );
}

/** 调整紧急程度 with a reason (RP-2): audited; the clocks restart under the new urgency's policies. */
function UrgencyDialog({ item, onClose }: { item: WorkItemDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const names = useWorkNames();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ urgency: string; reason: string }>();
  const change = useChangeUrgency(item.id);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    change.mutate(v, {
      onSuccess: () => { void message.success(t('wb.urgencyChanged')); onClose(); },
      onError: (e) => setProblem(applyServerErrors(form, e, ['urgency', 'reason'])),
    });
  };
  return (
    <Modal open title={`${t('wb.changeUrgency')} · ${item.number}`} onCancel={onClose} onOk={() => void submit()} confirmLoading={change.isPending} destroyOnHidden>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ urgency: item.urgency }}>
        <Form.Item name="urgency" label={t('wb.urgency')} rules={[{ required: true }]}>
          <Select options={URGENCIES.map((u) => ({ value: u, label: names.urgency(u) }))} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="reason" label={t('wb.reason')} rules={[{ required: true, whitespace: true, message: t('wb.needReason') }]} extra={t('wb.urgencyHint')}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
