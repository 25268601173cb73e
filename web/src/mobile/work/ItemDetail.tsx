import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api.ts';
import { FALLBACK_REFETCH_MS, useLive } from '../../app/live.ts';
import { formatShort, shanghaiToday } from '../../app/dates.ts';
import type { Me } from '../../app/types.ts';
import { isTerminalState, PROGRESS_STEPS, progressOf, transitionOf, type Upload, type WorkItemDetail } from '../../app/workItems.ts';
import { uploadPhotos, useAct, useComment, useMarkRead, useNow, useUnread, useWorkItem, type ActInput } from '../../app/workQueries.ts';
import { useTimelineText, useWorkNames } from '../../app/workNames.ts';
import { linkProps, navigate } from '../router.ts';
import { Card, ErrorBox, Sheet, Spinner, Stars, TopBar } from '../ui.tsx';
import { isFieldStaff } from './ItemList.tsx';
import { Countdown, PhotoStrip, StateChip, UrgencyChip } from './parts.tsx';
import { PhotoPicker } from './PhotoPicker.tsx';
import { ConfirmationField, ConfirmedLine, confirmProblem, EMPTY_CONFIRM, MyCode, type ConfirmValue } from './Confirmation.tsx';

/** The order action buttons appear in, the forward step first. */
const ORDER = ['accept', 'depart', 'arrive', 'start', 'resume', 'complete', 'acknowledge', 'resolve', 'close', 'wait_parts', 'reopen', 'decline', 'cancel'];
/** Actions that only move the item on: one tap, no form. */
const DIRECT = new Set(['accept', 'depart', 'start', 'resume', 'acknowledge']);
/** Less common or backwards steps: drawn as secondary buttons. */
const SECONDARY = new Set(['wait_parts', 'reopen', 'decline', 'cancel']);

/**
 * One work item on the phone, for the occupant who reported it (progress, timeline, add
 * information, cancel, rate, reopen) and for the technician who works it (big buttons for the
 * next step, the countdown of the running clock, arrival by scan, completion with a photo).
 */
export function ItemDetail({ me, id }: { me: Me; id: string }) {
  const { t } = useTranslation();
  const names = useWorkNames();
  const staff = isFieldStaff(me);
  const occupantView = !!me.occupantId && !me.staffId;
  // Each step arrives over the live stream (the timeline, the state, the inbox); the poll is a safety net.
  useLive();
  const q = useWorkItem(id, { refetchInterval: FALLBACK_REFETCH_MS });
  const now = useNow(staff ? 1000 : 30_000);
  useMarkItemRead(id);
  const item = q.data;

  return (
    <>
      <TopBar title={item?.number ?? t('m.wi.item')} back="/m/items" />
      <main className="m-main">
        {q.isPending && <Spinner />}
        {q.error && (isApiError(q.error) && q.error.status === 404
          ? <Card className="m-notfound"><p>{t('m.wi.notFound')}</p><a className="m-btn" {...linkProps('/m/items')}>{t('action.back')}</a></Card>
          : <ErrorBox error={q.error} retry={() => void q.refetch()} />)}
        {item && (
          <>
            <Card className="m-item-card">
              <div className="m-item-head">
                <span className="m-item-no" data-testid="item-number">{item.number}</span>
                <UrgencyChip urgency={item.urgency} />
                <span className="m-item-state"><StateChip item={item} /></span>
              </div>
              <h1 className="m-item-h1">{item.title}</h1>
              <div className="m-muted">{names.kind(item.kind)} · {names.category(item.category)}</div>
              {item.place && (
                <div className="m-row"><span className="m-label">{t('m.wi.place')}</span><a {...linkProps(`/m/places/${item.place.id}`)}>{item.place.name} <small className="m-code">{item.place.code}</small></a></div>
              )}
              <div className="m-row"><span className="m-label">{t('m.wi.description')}</span><span className="m-pre">{item.description}</span></div>
              {item.assignee && <div className="m-row"><span className="m-label">{t('m.wi.assignee')}</span><span data-testid="assignee">{item.assignee.name}</span></div>}
              {staff && item.contactName && <div className="m-row"><span className="m-label">{t('m.wi.contact')}</span><span>{item.contactName} {item.contactPhone}</span></div>}
              <div className="m-row"><span className="m-label">{t('m.wi.reported')}</span><span>{formatShort(item.createdAt)}</span></div>
              {occupantView && <MyCode item={item} />}
              {item.scheduledFor && Date.parse(item.scheduledFor) > now && PROGRESS_STEPS[item.kind]?.[0]?.includes(item.state) && (
                <p className="m-offhours">{t('m.report.offHours', { time: formatShort(item.scheduledFor) })}</p>
              )}
              <PhotoStrip photos={(item.attachments ?? []).filter((a) => a.role === 'before')} testId="before-photos" />
              {staff && <div className="m-mt"><Countdown item={item} now={now} big /></div>}
            </Card>

            <Steps item={item} />

            <Actions item={item} me={me} onRefresh={() => void q.refetch()} />

            {(item.completedAt || item.resolution || item.rating) && <Outcome item={item} />}

            {!isTerminalState(item.kind, item.state) && <AddInfo item={item} staff={!occupantView} />}

            <Timeline item={item} occupant={occupantView} />
          </>
        )}
      </main>
    </>
  );
}

/** Notifications about this item are read once it is opened. */
function useMarkItemRead(id: string) {
  const unread = useUnread();
  const mark = useMarkRead();
  const done = useRef(new Set<string>());
  useEffect(() => {
    for (const n of unread.data?.items ?? []) {
      if (n.entityId === id && !n.read && !done.current.has(n.id)) {
        done.current.add(n.id);
        mark.mutate(n.id);
      }
    }
  }, [unread.data, id]); // eslint-disable-line react-hooks/exhaustive-deps
}

/** 已提交 → 已接单 → 在途/已到场 → 维修中 → 已完成, with the time each step was reached (RP-4). */
function Steps({ item }: { item: WorkItemDetail }) {
  const { t } = useTranslation();
  const names = useWorkNames();
  const p = progressOf(item);
  return (
    <Card title={t('m.wi.progress')}>
      {p.cancelled && <div className="m-error" data-testid="cancelled">{item.stateName}{p.cancelledAt ? ` · ${formatShort(p.cancelledAt)}` : ''}</div>}
      <ol className={`m-steps${p.cancelled ? ' m-steps-off' : ''}`} data-testid="steps">
        {p.steps.map((s, i) => (
          <li key={i} className={`m-step${s.done ? ' m-step-done' : ''}${s.current ? ' m-step-current' : ''}`}>
            <span className="m-step-dot" aria-hidden="true">{s.done ? '✓' : i + 1}</span>
            <span className="m-step-name">{names.state(item.kind, s.state, true)}</span>
            <span className="m-step-at">{s.at ? formatShort(s.at) : ''}</span>
          </li>
        ))}
      </ol>
    </Card>
  );
}

function Actions({ item, me, onRefresh }: { item: WorkItemDetail; me: Me; onRefresh: () => void }) {
  const { t } = useTranslation();
  const names = useWorkNames();
  const act = useAct(item.id);
  const [sheet, setSheet] = useState<string | null>(null);
  // Actions a phone cannot take (dispatching needs the desk's staff picker).
  const actions = item.can.filter((a) => !transitionOf(item.kind, a)?.requires?.includes('assignee')).sort((a, b) => rank(a) - rank(b));
  if (!actions.length && !act.error) return null;
  const label = (a: string) => t(`m.wi.act.${a}`, { defaultValue: names.action(item.kind, a) });
  const run = (action: string, input?: ActInput) => act.mutate({ action, input }, {
    onSuccess: () => setSheet(null),
    onError: (e) => { if (isApiError(e) && e.status === 409) onRefresh(); },
  });
  return (
    <Card title={t('m.wi.next')}>
      <div className="m-act-grid">
        {actions.map((a) => (
          <button key={a} type="button" data-action={a} disabled={act.isPending}
            className={`m-btn m-btn-block ${SECONDARY.has(a) ? (a === 'cancel' || a === 'decline' ? 'm-btn-danger' : '') : 'm-btn-primary m-btn-big'}`}
            onClick={() => {
              act.reset();
              if (a === 'arrive') navigate(`/m/items/${item.id}/arrive`);
              else if (DIRECT.has(a)) run(a);
              else setSheet(a);
            }}>
            {label(a)}
          </button>
        ))}
      </div>
      {act.isPending && !sheet && <Spinner />}
      {act.error != null && !sheet && <ErrorBox error={act.error} />}
      {sheet && <ActionSheet key={sheet} item={item} action={sheet} me={me} label={label(sheet)} busy={act.isPending} error={act.error}
        onClose={() => { setSheet(null); act.reset(); }} onEdit={() => { if (act.error) act.reset(); }} onSubmit={(input) => run(sheet, input)} />}
    </Card>
  );
}

const rank = (a: string) => {
  const i = ORDER.indexOf(a);
  return i < 0 ? ORDER.length : i;
};

/** What an action needs, asked in a bottom sheet: the fields follow the kind's declared requirements. */
function ActionSheet({ item, action, me, label, busy, error, onClose, onEdit, onSubmit }: {
  item: WorkItemDetail; action: string; me: Me; label: string; busy: boolean; error: unknown; onClose: () => void; onEdit: () => void; onSubmit: (input: ActInput) => void;
}) {
  const { t } = useTranslation();
  const req = transitionOf(item.kind, action)?.requires ?? [];
  const rating = action === 'close' && !!me.occupantId && !me.staffId;
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [resolution, setResolution] = useState('');
  const [expectedDate, setExpectedDate] = useState('');
  const [materials, setMaterials] = useState('');
  const [labour, setLabour] = useState('');
  const [confirm, setConfirm] = useState<ConfirmValue>(EMPTY_CONFIRM);
  // RP-5: only an item an occupant reported has someone to confirm it.
  const askConfirm = req.includes('confirmation') && !!item.occupantId;
  const [stars, setStars] = useState(0);
  const [photos, setPhotos] = useState<Upload[]>([]);
  const [uploading, setUploading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const askReason = req.includes('reason') || action === 'wait_parts';
  const askNote = req.includes('note') || action === 'complete' || action === 'close';
  const askPhotos = req.includes('afterPhoto');

  const submit = async () => {
    setProblem(null);
    if (req.includes('reason') && !reason.trim()) return setProblem(t('m.wi.needReason'));
    if (req.includes('expectedDate') && !expectedDate) return setProblem(t('m.wi.needDate'));
    if (req.includes('resolution') && !resolution.trim()) return setProblem(t('m.wi.needResolution'));
    if (req.includes('note') && !note.trim()) return setProblem(t('m.wi.needNote'));
    if (askPhotos && !photos.length) return setProblem(t('wi.photoRequired'));
    const minutes = labour.trim() === '' ? undefined : Number(labour);
    if (minutes !== undefined && !(Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440)) return setProblem(t('m.wi.badLabour'));
    const unconfirmed = askConfirm ? confirmProblem(confirm) : null;
    if (unconfirmed) return setProblem(t(unconfirmed));
    if (rating && !stars) return setProblem(t('m.wi.needRating'));
    if (uploading) return setProblem(t('m.photos.waitUpload'));
    const input: ActInput = {};
    if (reason.trim()) input.reason = reason.trim();
    if (note.trim()) input.note = note.trim();
    if (resolution.trim()) input.resolution = resolution.trim();
    if (expectedDate) input.expectedDate = expectedDate;
    if (action === 'complete' && materials.trim()) input.materials = materials.trim();
    if (action === 'complete' && minutes !== undefined) input.labourMinutes = minutes;
    if (photos.length) input.attachmentIds = photos.map((p) => p.id);
    if (rating) input.rating = stars;
    if (askConfirm && confirm.mode === 'code') input.confirmationCode = confirm.code;
    if (askConfirm && confirm.mode === 'absent') input.confirmationReason = confirm.reason.trim();
    if (askConfirm && confirm.mode === 'signature' && confirm.signature) {
      // The signature goes up like a photo, then with the completion as its own attachment.
      setUploading(true);
      try {
        const [up] = await uploadPhotos([new File([confirm.signature], 'signature.png', { type: 'image/png' })]);
        input.signatureAttachmentId = up!.id;
      } catch (e) {
        return setProblem(isApiError(e) ? e.message : String(e));
      } finally {
        setUploading(false);
      }
    }
    onSubmit(input);
  };

  return (
    <Sheet title={rating ? t('m.wi.rateTitle') : label} onClose={onClose} onSubmit={() => void submit()} submitText={rating ? t('m.wi.rateSubmit') : label} busy={busy || uploading} error={problem ? null : error} testId={`sheet-${action}`}>
      {rating && (
        <div className="m-field">
          <span>{t('m.wi.rating')}</span>
          <Stars value={stars} onChange={setStars} />
        </div>
      )}
      {req.includes('expectedDate') && (
        <label className="m-field">
          <span>{t('m.wi.expectedDate')}</span>
          <input type="date" className="m-input" name="expectedDate" min={shanghaiToday()} value={expectedDate} onChange={(e) => setExpectedDate(e.target.value)} />
        </label>
      )}
      {askPhotos && (
        <div className="m-field">
          <span>{t('m.wi.afterPhotos')}</span>
          <PhotoPicker value={photos} onChange={setPhotos} onBusy={setUploading} testId="after-photos" />
        </div>
      )}
      {action === 'complete' && (
        <>
          <label className="m-field"><span>{t('m.wi.materials')}</span>
            <textarea className="m-textarea" name="materials" rows={2} maxLength={1000} value={materials} placeholder={t('m.wi.materialsHint')} onChange={(e) => setMaterials(e.target.value)} />
          </label>
          <label className="m-field"><span>{t('m.wi.labour')}</span>
            <input className="m-input" name="labourMinutes" type="number" inputMode="numeric" min={0} max={1440} step={1} value={labour} onChange={(e) => setLabour(e.target.value)} />
          </label>
        </>
      )}
      {req.includes('resolution') && (
        <label className="m-field"><span>{t('m.wi.resolution')}</span>
          <textarea className="m-textarea" name="resolution" rows={3} maxLength={2000} value={resolution} onChange={(e) => setResolution(e.target.value)} />
        </label>
      )}
      {askReason && (
        <label className="m-field"><span>{req.includes('reason') ? t('m.wi.reason') : t('m.wi.reasonOptional')}</span>
          <textarea className="m-textarea" name="reason" rows={3} maxLength={500} value={reason} placeholder={t(`m.wi.reasonHint.${action}`, { defaultValue: '' })} onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
      {askNote && (
        <label className="m-field"><span>{rating ? t('m.wi.ratingComment') : req.includes('note') ? t('m.wi.note') : t('m.wi.noteOptional')}</span>
          <textarea className="m-textarea" name="note" rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
      )}
      {/* A refused code's message goes once the code is changed. */}
      {askConfirm && <ConfirmationField value={confirm} onChange={(v) => { setConfirm(v); onEdit(); }} />}
      {problem && <div className="m-error" role="alert">{problem}</div>}
    </Sheet>
  );
}

/** Completion: after-photos, the result and the occupant's rating. */
function Outcome({ item }: { item: WorkItemDetail }) {
  const { t } = useTranslation();
  const after = (item.attachments ?? []).filter((a) => a.role === 'after');
  return (
    <Card title={t('m.wi.outcome')}>
      {item.completedAt && <div className="m-row"><span className="m-label">{t('m.wi.completedAt')}</span><span>{formatShort(item.completedAt)}</span></div>}
      {item.arrivedAt && <div className="m-row"><span className="m-label">{t('m.wi.arrivedAt')}</span><span>{formatShort(item.arrivedAt)}{item.arrivalProof === 'manual' ? ` · ${t('m.wi.unproven')}` : ''}</span></div>}
      {item.resolution && <div className="m-row"><span className="m-label">{t('m.wi.resolution')}</span><span className="m-pre">{item.resolution}</span></div>}
      {item.materials && <div className="m-row"><span className="m-label">{t('m.wi.materials')}</span><span className="m-pre">{item.materials}</span></div>}
      {item.labourMinutes != null && <div className="m-row"><span className="m-label">{t('m.wi.labourShort')}</span><span>{t('m.wi.minutes', { n: item.labourMinutes })}</span></div>}
      <ConfirmedLine item={item} />
      {item.rating != null && <div className="m-row" data-testid="rating"><span className="m-label">{t('m.wi.rating')}</span><Stars value={item.rating} /></div>}
      <PhotoStrip photos={after} testId="after-photos-view" />
    </Card>
  );
}

/** 补充说明: a comment with photos; staff may keep it internal. */
function AddInfo({ item, staff }: { item: WorkItemDetail; staff: boolean }) {
  const { t } = useTranslation();
  const comment = useComment(item.id);
  const [open, setOpen] = useState(false);
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const [photos, setPhotos] = useState<Upload[]>([]);
  const [uploading, setUploading] = useState(false);
  if (!open) {
    return <button type="button" className="m-btn m-btn-block" data-testid="add-info" onClick={() => setOpen(true)}>{staff ? t('m.wi.addNote') : t('m.wi.addInfo')}</button>;
  }
  return (
    <Card title={staff ? t('m.wi.addNote') : t('m.wi.addInfo')}>
      <form className="m-form" onSubmit={(e) => {
        e.preventDefault();
        if (!body.trim() || uploading) return;
        comment.mutate({ body: body.trim(), public: !internal, attachmentIds: photos.length ? photos.map((p) => p.id) : undefined }, {
          onSuccess: () => { setBody(''); setPhotos([]); setOpen(false); },
        });
      }}>
        <textarea className="m-textarea" rows={3} maxLength={2000} value={body} placeholder={t('m.wi.addInfoHint')} onChange={(e) => setBody(e.target.value)} />
        <PhotoPicker value={photos} onChange={setPhotos} onBusy={setUploading} testId="comment-photos" />
        {staff && (
          <label className="m-check m-check-plain">
            <input type="checkbox" checked={internal} onChange={(e) => setInternal(e.target.checked)} />
            <span>{t('m.wi.internal')}</span>
          </label>
        )}
        {comment.error != null && <ErrorBox error={comment.error} />}
        <div className="m-actions">
          <button type="button" className="m-btn" onClick={() => setOpen(false)}>{t('action.cancel')}</button>
          <button type="submit" className="m-btn m-btn-primary" disabled={comment.isPending || uploading || !body.trim()}>{t('m.wi.send')}</button>
        </div>
      </form>
    </Card>
  );
}

function Timeline({ item, occupant }: { item: WorkItemDetail; occupant: boolean }) {
  const { t } = useTranslation();
  const text = useTimelineText();
  const extra = (item.attachments ?? []).filter((a) => a.role === 'comment' || a.role === 'photo');
  // Clock bookkeeping is for the desk; the phone shows warnings and breaches only.
  const entries = item.timeline.filter((e) => e.type !== 'clock' || e.action === 'warning' || e.action === 'breach').slice().reverse();
  return (
    <Card title={t('m.wi.timeline')}>
      <ol className="m-timeline" data-testid="timeline">
        {entries.map((e) => {
          const { title, detail } = text(e, item.kind, occupant);
          return (
            <li key={e.id} className={`m-tl m-tl-${e.type}${e.public ? '' : ' m-tl-internal'}`}>
              <div className="m-tl-head">
                <strong>{title}</strong>
                {!e.public && <span className="m-chip m-chip-grey">{t('wi.tl.internal')}</span>}
              </div>
              {detail && <div className="m-tl-body m-pre">{detail}</div>}
              <div className="m-tl-meta">{formatShort(e.at)}{e.actorName ? ` · ${e.actorName}` : ''}</div>
            </li>
          );
        })}
      </ol>
      {extra.length > 0 && <><div className="m-label m-mt">{t('m.wi.morePhotos')}</div><PhotoStrip photos={extra} /></>}
    </Card>
  );
}
