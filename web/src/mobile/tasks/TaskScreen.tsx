import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQrScanner } from '../camera.ts';
import { navigate, useLocation } from '../router.ts';
import { scannedToken } from '../routes.ts';
import { currentCheckpoint, mayStartNow, START_BUTTON_MS, type QueueEntry } from '../offline/queue.ts';
import { act, discard, loadTask, retryEntry, taskView, useOffline } from '../offline/sync.ts';
import type { AnswerValue, TaskCheckpoint, TaskDetail, TaskItem } from '../offline/types.ts';
import { Card, ErrorBox, Sheet, Spinner, TopBar } from '../ui.tsx';
import { PhotoField } from './PhotoField.tsx';
import { SyncBar } from './SyncBar.tsx';
import { isLate } from './TaskList.tsx';
import { formatShort, hhmm, useNowTick } from './time.ts';
import './tasks.css';

/**
 * One task on the phone (IN-3): checkpoints in order with their state, the current checkpoint's
 * items with the input each kind needs, 上报问题 per checkpoint, 完成 with the missed points
 * listed first, and the findings raised (IN-4). Everything works on the local copy: actions are
 * queued and synced (offline/sync.ts).
 */
export function TaskScreen({ id }: { id: string }) {
  const { t } = useTranslation();
  const s = useOffline();
  const { search } = useLocation();
  const task = taskView(s, id);
  const [loadError, setLoadError] = useState<unknown>(null);
  // Re-rendered as the clock runs, so 开始任务 appears an hour before the start.
  const now = useNowTick(30_000);
  useEffect(() => {
    if (s.ready && !task && !loadError) loadTask(id).catch(setLoadError);
  }, [s.ready, task, id, loadError]);

  if (!task) {
    return (
      <>
        <TopBar title={t('m.task.title')} back="/m/tasks" />
        <main className="m-main">
          <SyncBar />
          {loadError ? <ErrorBox error={loadError} retry={() => setLoadError(null)} /> : <Spinner />}
        </main>
      </>
    );
  }
  const cpParam = search.get('cp');
  const selected = (cpParam !== null ? task.checkpoints.find((c) => String(c.order) === cpParam) : null) ?? currentCheckpoint(task);
  const conflicts = s.queue.filter((e) => e.taskId === id && e.status === 'conflict');
  const refused = s.queue.filter((e) => e.taskId === id && e.status === 'failed');
  // Someone else owns the task: nothing more to record here until the refused records are discarded.
  const locked = conflicts.length > 0;
  const open = (task.state === 'scheduled' || task.state === 'in_progress') && !locked;
  return (
    <>
      <TopBar title={task.planName} back="/m/tasks" />
      <main className="m-main" data-testid="task" data-state={task.state}>
        <SyncBar taskId={id} />
        {conflicts.length > 0 && (
          <div className="t-conflict" role="alert" data-testid="conflict">
            <p>{conflicts[0]!.error?.message}</p>
            <p className="m-tight">{conflicts[0]!.error?.code === 'task_taken' ? t('m.task.sync.conflictHint') : t('m.task.sync.conflictHintOther')}</p>
            <DiscardAll task={task} entries={s.queue.filter((e) => e.taskId === id)} />
          </div>
        )}
        {refused.length > 0 && <RefusedEntries task={task} entries={refused} />}
        <TaskHead task={task} />
        {task.state === 'scheduled' && !locked && (mayStartNow(task, now) ? (
          <>
            <button type="button" className="m-btn m-btn-primary m-btn-block m-btn-big" data-testid="task-start" onClick={() => void act(id, { type: 'start' })}>
              {t('m.task.start')}
            </button>
            <p className="m-hint m-center t-tight">{t('m.task.startHint')}</p>
          </>
        ) : (
          <p className="m-hint m-center t-tight" data-testid="task-not-due">{t('m.task.notDue', { time: hhmm(new Date(Date.parse(task.startsAt) - START_BUTTON_MS).toISOString()) })}</p>
        ))}
        <Card title={t('m.task.checkpoints')}>
          <ol className="t-cps">
            {task.checkpoints.map((c, i) => (
              <li key={c.order}>
                <button type="button" data-testid="cp-row" data-order={c.order} data-state={c.state}
                  className={`t-cp t-cp-${c.state}${selected?.order === c.order ? ' t-cp-on' : ''}`}
                  onClick={() => navigate(`/m/tasks/${id}?cp=${c.order}`, { replace: true })}>
                  <span className="t-cp-no">{c.state === 'visited' ? '✓' : i + 1}</span>
                  <span className="t-cp-body">
                    <span className="t-cp-name">{c.placeName}</span>
                    {c.placePath && <small className="t-cp-path">{c.placePath}</small>}
                    <span className="t-cp-flags">
                      <span>{t(`m.task.cp.${c.state}`)}{c.scannedAt ? ` ${hhmm(c.scannedAt)}` : ''}</span>
                      {c.proof && <span className="m-chip">{c.proof === 'qr' ? t('m.task.scanned') : t('m.task.manual')}</span>}
                      {c.outOfOrder && <span className="m-chip m-tone-orange">{t('m.task.outOfOrder')}</span>}
                      {c.late && <span className="m-chip m-urg-urgent">{t('m.task.lateCp')}</span>}
                      {c.state === 'visited' && <span className="t-cp-count">{c.items.filter((i) => i.answer).length}/{c.items.length}</span>}
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ol>
        </Card>
        {selected && <CheckpointPanel key={selected.order} task={task} cp={selected} locked={locked} />}
        <Findings task={task} />
        {task.state === 'in_progress' && !locked && <FinishButton task={task} />}
        {!open && task.finishedAt && (
          <p className="m-note m-center" data-testid="task-done">{t('m.task.done')} · {t('m.task.doneAt', { time: formatShort(task.finishedAt) })}</p>
        )}
      </main>
    </>
  );
}

/**
 * 放弃本机记录 after a conflict: every queued record of the task goes, the ones not even sent yet
 * too, so the confirmation says how many (IN-3).
 */
function DiscardAll({ task, entries }: { task: TaskDetail; entries: QueueEntry[] }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const pending = entries.filter((e) => e.status === 'pending').length;
  return (
    <>
      <button type="button" className="m-btn m-btn-danger m-btn-block" data-testid="discard-all" onClick={() => setAsking(true)}>{t('m.task.sync.discardAll')}</button>
      {asking && (
        <Sheet title={t('m.task.sync.discardAllTitle')} onClose={() => setAsking(false)} submitText={t('m.task.sync.discardAllSubmit')} testId="discard-all-sheet"
          onSubmit={() => { void discard(entries.map((e) => e.seq!)); setAsking(false); }}>
          <p className="m-tight" data-testid="discard-all-count" data-n={entries.length} data-pending={pending}>{t('m.task.sync.discardAllCount', { n: entries.length })}</p>
          <ul className="t-discard-list">{entries.map((e) => <li key={e.seq}>{entryLabel(t, task, e)}</li>)}</ul>
          {pending > 0 && <p className="m-tight m-red">{t('m.task.sync.discardAllPending', { n: pending })}</p>}
        </Sheet>
      )}
    </>
  );
}

/** What a queued record is, for the lists: its time, kind and place. */
function entryLabel(t: (k: string) => string, task: TaskDetail, e: QueueEntry): string {
  const a = e.action;
  const order = a.type === 'scan' ? a.order : a.type === 'answers' || a.type === 'problem' ? a.checkpoint : null;
  const place = order !== null ? task.checkpoints.find((c) => c.order === order)?.placeName : null;
  return `${formatShort(e.at)} ${t(`m.task.sync.kind.${a.type}`)}${place ? ` · ${place}` : ''}`;
}

/**
 * Records the server refused (400/403/404/422, a 409 that is no conflict, a photo too large): each
 * with the server's message, 重试 (the same record again, under its key) and 放弃. The task's later
 * records wait behind the first refusal.
 */
function RefusedEntries({ task, entries }: { task: TaskDetail; entries: QueueEntry[] }) {
  const { t } = useTranslation();
  return (
    <div className="t-conflict" role="alert" data-testid="refused">
      <p><strong>{t('m.task.sync.refusedTitle', { n: entries.length })}</strong></p>
      <p className="m-tight">{t('m.task.sync.refusedHint')}</p>
      <ul className="t-refused">
        {entries.map((e) => {
          return (
            <li key={e.seq} data-testid="refused-entry">
              <span>{entryLabel(t, task, e)}</span>
              <span className="t-refused-msg">{e.error?.message}</span>
              <span className="t-refused-actions">
                <button type="button" className="m-btn m-btn-small" data-testid="refused-retry" onClick={() => void retryEntry(e.seq!)}>{t('m.task.sync.retry')}</button>
                <button type="button" className="m-btn m-btn-small m-btn-danger" data-testid="refused-discard" onClick={() => void discard([e.seq!])}>{t('m.task.sync.discard')}</button>
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function TaskHead({ task }: { task: TaskDetail }) {
  const { t } = useTranslation();
  const now = useNowTick(60_000);
  return (
    <Card>
      <div className="m-item-head">
        <span className={`m-chip t-kind t-kind-${task.kind}`}>{task.kindName}</span>
        <span className="t-window">{t('m.task.window', { from: hhmm(task.startsAt), to: hhmm(task.dueAt) })}</span>
        {isLate(task, now) && <span className="m-chip m-urg-urgent">{t('m.task.late')}</span>}
        <span className={`m-chip m-item-state t-state-${task.state}`} data-testid="task-state">{t(`m.task.state.${task.state}`)}</span>
      </div>
      <div className="m-item-h1">{task.planName}</div>
      {task.startedAt && <div className="m-muted">{t('m.task.startedBy', { name: task.startedByName ?? '', time: formatShort(task.startedAt) })}</div>}
      {task.finishedAt && <div className="m-muted">{t('m.task.finishedBy', { name: task.finishedByName ?? '', time: formatShort(task.finishedAt) })}</div>}
    </Card>
  );
}

/** The selected checkpoint: scan it first; then its items; 上报问题 any time after the scan. */
function CheckpointPanel({ task, cp, locked }: { task: TaskDetail; cp: TaskCheckpoint; locked: boolean }) {
  const { t } = useTranslation();
  const [scanning, setScanning] = useState(false);
  const [manual, setManual] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState(false);
  const open = (task.state === 'scheduled' || task.state === 'in_progress') && !locked;
  return (
    <Card title={`${posOf(task, cp.order)}. ${cp.placeName}`} className="t-panel">
      <div data-testid="cp-panel" data-order={cp.order}>
        {cp.state === 'pending' && open && (
          <>
            <p className="t-scan-here">{t('m.task.scanHere')}</p>
            <div className="m-act-grid">
              <button type="button" className="m-btn m-btn-primary m-btn-big" data-testid="cp-scan" onClick={() => setScanning(true)}>{t('m.task.scan')}</button>
              {!manual ? (
                <button type="button" className="m-btn" data-testid="cp-manual" onClick={() => setManual(true)}>{t('m.task.manualScan')}</button>
              ) : (
                <form className="m-form" onSubmit={(e) => {
                  e.preventDefault();
                  if (reason.trim()) void act(task.id, { type: 'scan', order: cp.order, placeId: cp.placeId, reason: reason.trim() });
                }}>
                  <textarea className="m-textarea" rows={2} maxLength={500} required value={reason} placeholder={t('m.task.manualReasonHint')} onChange={(e) => setReason(e.target.value)} />
                  <button type="submit" className="m-btn m-btn-block" disabled={!reason.trim()}>{t('m.task.manualSubmit')}</button>
                </form>
              )}
            </div>
          </>
        )}
        {cp.state === 'missed' && <p className="m-error">{t('m.task.cp.missed')}</p>}
        {(cp.state === 'visited' || !open) && <ItemsForm task={task} cp={cp} readOnly={!open || cp.state !== 'visited'} />}
        {cp.state === 'visited' && open && (
          <button type="button" className="m-btn m-btn-block m-btn-danger m-mt" data-testid="report-problem" onClick={() => setProblem(true)}>{t('m.task.problem')}</button>
        )}
      </div>
      {scanning && <ScanSheet task={task} cp={cp} onClose={() => setScanning(false)} />}
      {problem && <ProblemSheet task={task} cp={cp} onClose={() => setProblem(false)} />}
    </Card>
  );
}

/** 1-based position of a checkpoint on the route (orders are the template's numbers, not necessarily 0, 1, 2…). */
const posOf = (task: TaskDetail, order: number) => task.checkpoints.findIndex((c) => c.order === order) + 1;

const same = (a: AnswerValue | undefined, b: AnswerValue | undefined) => JSON.stringify(a) === JSON.stringify(b);

function ItemsForm({ task, cp, readOnly }: { task: TaskDetail; cp: TaskCheckpoint; readOnly: boolean }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Record<string, AnswerValue | undefined>>(() => Object.fromEntries(cp.items.map((i) => [i.id, i.answer?.value])));
  const [numText, setNumText] = useState<Record<string, string>>(() => Object.fromEntries(cp.items.filter((i) => typeof i.answer?.value === 'number').map((i) => [i.id, String(i.answer!.value)])));
  const [bad, setBad] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const setValue = (id: string, v: AnswerValue | undefined) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [id]: v }));
  };

  const save = () => {
    const problems: Record<string, string> = {};
    const answers: Array<{ itemId: string; value: AnswerValue }> = [];
    for (const it of cp.items) {
      let v = draft[it.id];
      if (it.kind === 'number' || it.kind === 'meter') {
        const text = (numText[it.id] ?? '').trim();
        if (!text) continue;
        const n = Number(text);
        if (!Number.isFinite(n)) {
          problems[it.id] = t('m.task.badNumber');
          continue;
        }
        v = n;
      }
      if (v === undefined || (Array.isArray(v) && v.length === 0 && it.kind === 'photo')) continue;
      if (it.kind === 'text' && typeof v === 'string' && !v.trim()) continue;
      if (!same(v, it.answer?.value)) answers.push({ itemId: it.id, value: v });
    }
    setBad(problems);
    if (Object.keys(problems).length) return;
    if (answers.length) void act(task.id, { type: 'answers', checkpoint: cp.order, answers });
    setSaved(true);
  };

  return (
    <form className="t-items" onSubmit={(e) => { e.preventDefault(); save(); }}>
      {cp.items.map((it) => (
        <div key={it.id} className={`t-item${it.answer?.finding ? ' t-item-finding' : ''}`} data-testid={`item-${it.id}`} data-answered={it.answer ? '1' : '0'}>
          <ItemLabel item={it} />
          <ItemInput item={it} taskId={task.id} value={draft[it.id]} text={numText[it.id] ?? ''} readOnly={readOnly}
            onText={(v) => { setSaved(false); setNumText((x) => ({ ...x, [it.id]: v })); }} onValue={(v) => setValue(it.id, v)} />
          {bad[it.id] && <div className="m-error">{bad[it.id]}</div>}
          {it.answer?.finding && (
            <div className="t-finding" data-testid="item-finding">
              <strong>{t('m.task.finding')}</strong>{it.answer.why ? `：${it.answer.why}` : ''}
              <div>{it.answer.findingItem ? t('m.task.findingItem', { no: it.answer.findingItem.number, state: it.answer.findingItem.stateName }) : t('m.task.findingPending')}</div>
            </div>
          )}
        </div>
      ))}
      {!readOnly && (
        <button type="submit" className="m-btn m-btn-primary m-btn-block m-btn-big" data-testid="save-cp">{saved ? `✓ ${t('m.task.saved')}` : t('m.task.save')}</button>
      )}
    </form>
  );
}

function ItemLabel({ item }: { item: TaskItem }) {
  const { t, i18n } = useTranslation();
  const label = i18n.language === 'en-US' && item.labelEn ? item.labelEn : item.label;
  const range = item.min !== undefined || item.max !== undefined ? `${item.min ?? ''}–${item.max ?? ''} ${item.unit ?? ''}`.trim() : null;
  return (
    <div className="t-item-label">
      <span>{label}</span>
      {(item.kind === 'number' || item.kind === 'meter') && range && <small>{t('m.task.range', { range })}</small>}
      {item.kind === 'photo' && item.required && <small className="m-red">{t('m.task.photoRequired')}</small>}
    </div>
  );
}

function ItemInput({ item, taskId, value, text, readOnly, onText, onValue }: {
  item: TaskItem; taskId: string; value: AnswerValue | undefined; text: string; readOnly: boolean;
  onText: (v: string) => void; onValue: (v: AnswerValue | undefined) => void;
}) {
  const { t } = useTranslation();
  switch (item.kind) {
    case 'number':
    case 'meter':
      return (
        <label className="t-num">
          <input className="m-input" type="text" inputMode="decimal" pattern="-?[0-9]*[.,]?[0-9]*" data-testid={`input-${item.id}`} disabled={readOnly}
            value={readOnly ? (typeof value === 'number' ? String(value) : '') : text} onChange={(e) => onText(e.target.value.replace(',', '.'))} />
          {/* Phone decimal keypads have no minus key: a sign toggle where the item allows negatives (e.g. a roof in winter). */}
          {!readOnly && item.kind === 'number' && (item.min === undefined || item.min < 0) && (
            <button type="button" className="t-sign" aria-label="±" onClick={() => onText(text.startsWith('-') ? text.slice(1) : `-${text}`)}>±</button>
          )}
          {item.unit && <span className="t-unit">{item.unit}</span>}
        </label>
      );
    case 'yes_no':
      return (
        <div className="t-toggle" role="radiogroup">
          {[true, false].map((b) => (
            <button key={String(b)} type="button" role="radio" aria-checked={value === b} disabled={readOnly} data-testid={`${b ? 'yes' : 'no'}-${item.id}`}
              className={`t-opt${value === b ? ' t-opt-on' : ''}${value === b && item.expected !== undefined && b !== item.expected ? ' t-opt-bad' : ''}`}
              onClick={() => onValue(b)}>{b ? t('m.task.yes') : t('m.task.no')}</button>
          ))}
        </div>
      );
    case 'single_choice':
    case 'multi_choice': {
      const multi = item.kind === 'multi_choice';
      const picked = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
      return (
        <div className="t-chips" role={multi ? 'group' : 'radiogroup'}>
          {(item.options ?? []).map((o) => {
            const on = picked.includes(o);
            return (
              <button key={o} type="button" role={multi ? 'checkbox' : 'radio'} aria-checked={on} disabled={readOnly} data-testid={`opt-${item.id}`}
                className={`t-opt${on ? ' t-opt-on' : ''}${on && item.failing?.includes(o) ? ' t-opt-bad' : ''}`}
                onClick={() => onValue(multi ? (on ? picked.filter((x) => x !== o) : [...picked, o]) : o)}>{o}</button>
            );
          })}
        </div>
      );
    }
    case 'text':
      return <textarea className="m-textarea t-text" rows={2} maxLength={2000} disabled={readOnly} data-testid={`input-${item.id}`} placeholder={t('m.task.textHint')}
        value={typeof value === 'string' ? value : ''} onChange={(e) => onValue(e.target.value)} />;
    case 'photo':
      return <PhotoField taskId={taskId} ids={Array.isArray(value) ? value : []} readOnly={readOnly} testId={`photo-${item.id}`} onChange={(ids) => onValue(ids)} />;
  }
}

/** In-page camera scan of this checkpoint's label (BarcodeDetector, else jsQR). */
function ScanSheet({ task, cp, onClose }: { task: TaskDetail; cp: TaskCheckpoint; onClose: () => void }) {
  const { t } = useTranslation();
  const [hint, setHint] = useState<string | null>(null);
  const { video, state } = useQrScanner((text) => {
    const token = scannedToken(text, window.location.origin);
    const hit = token ? task.checkpoints.find((c) => c.placeToken === token) : undefined;
    if (!hit) {
      setHint(token ? t('m.task.notThis') : t('m.scanner.notOurs'));
      return false;
    }
    void act(task.id, { type: 'scan', order: hit.order, token: token! });
    navigate(`/m/tasks/${task.id}?cp=${hit.order}`, { replace: true });
    onClose();
    return true;
  });
  return (
    <div className="m-sheet-backdrop" onClick={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div className="m-sheet" role="dialog" aria-modal="true">
        <h2 className="m-sheet-title">{t('m.task.scanAim', { place: cp.placeName })}</h2>
        {(state === 'starting' || state === 'scanning') && (
          <div className="m-camera">
            <video ref={video} playsInline muted />
            <div className="m-camera-frame" />
            <div className="m-camera-hint">{state === 'starting' ? t('m.scanner.starting') : hint ?? t('m.scanner.aim')}</div>
          </div>
        )}
        {state === 'unsupported' && <p className="m-note">{t('m.scanner.unsupported')}</p>}
        {state === 'denied' && <p className="m-note">{t('m.scanner.denied')}</p>}
        <button type="button" className="m-btn m-btn-block" onClick={onClose}>{t('action.cancel')}</button>
      </div>
    </div>
  );
}

function ProblemSheet({ task, cp, onClose }: { task: TaskDetail; cp: TaskCheckpoint; onClose: () => void }) {
  const { t } = useTranslation();
  const [description, setDescription] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  return (
    <Sheet title={t('m.task.problemTitle', { place: cp.placeName })} onClose={onClose} submitText={t('m.task.problemSubmit')} testId="problem-sheet"
      onSubmit={() => {
        if (description.trim().length < 2) return setError(t('m.task.needDescription'));
        void act(task.id, { type: 'problem', checkpoint: cp.order, description: description.trim(), photoIds: photos });
        onClose();
      }}>
      <textarea className="m-textarea" name="description" rows={3} maxLength={2000} value={description} placeholder={t('m.task.problemHint')}
        onChange={(e) => { setError(null); setDescription(e.target.value); }} />
      <div className="m-label">{t('m.task.photos')}</div>
      <PhotoField taskId={task.id} ids={photos} readOnly={false} testId="problem-photo" onChange={setPhotos} />
      {error && <div className="m-error">{error}</div>}
    </Sheet>
  );
}

function Findings({ task }: { task: TaskDetail }) {
  const { t } = useTranslation();
  // The server lists every finding work item of the task (from answers and from 上报问题); a failing
  // answer not yet synced has no work item yet and is shown as waiting.
  const fromAnswers = task.checkpoints.flatMap((c) => c.items.filter((i) => i.answer?.finding && !i.answer.findingItem).map((i) => ({ c, i })));
  if (!task.findings.length && !fromAnswers.length) return null;
  return (
    <Card title={t('m.task.findings')}>
      <ul className="m-list" data-testid="findings">
        {task.findings.map((f) => (
          <li key={f.id} className="t-found" data-testid="finding" data-number={f.number}>
            <span className="t-found-title">
              {f.checkpoint !== null && <small>{posOf(task, f.checkpoint)}. {task.checkpoints.find((c) => c.order === f.checkpoint)?.placeName}</small>}
              <span>{f.title}</span>
            </span>
            <span className="t-found-state">
              {f.number ? <span className="m-item-no">{f.number}</span> : null}
              <span className={`m-chip${f.state === 'pending' ? ' m-tone-grey' : ' m-tone-blue'}`}>{f.stateName}</span>
            </span>
          </li>
        ))}
        {fromAnswers.map(({ c, i }) => (
          <li key={`${c.order}-${i.id}`} className="t-found">
            <span className="t-found-title"><small>{posOf(task, c.order)}. {c.placeName}</small><span>{i.label}{i.answer?.why ? `：${i.answer.why}` : ''}</span></span>
            <span className="m-chip m-tone-grey">{t('m.task.findingWaiting')}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function FinishButton({ task }: { task: TaskDetail }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const missed = task.checkpoints.filter((c) => c.state === 'pending');
  // As the server checks it: every item of a visited checkpoint, optional photos aside, needs an answer.
  const unanswered = task.checkpoints.filter((c) => c.state === 'visited')
    .flatMap((c) => c.items.filter((i) => !i.answer && !(i.kind === 'photo' && !i.required)).map((i) => ({ c, i })));
  return (
    <>
      <button type="button" className="m-btn m-btn-primary m-btn-block m-btn-big" data-testid="task-finish" onClick={() => setOpen(true)}>{t('m.task.finish')}</button>
      {open && (
        <Sheet title={t('m.task.finishTitle')} onClose={() => setOpen(false)} submitText={t('m.task.finishSubmit')} testId="finish-sheet"
          onSubmit={() => {
            if (unanswered.length) return;
            void act(task.id, { type: 'finish', ...(note.trim() ? { note: note.trim() } : {}) });
            setOpen(false);
          }}>
          {missed.length ? (
            <div className="t-missed" data-testid="finish-missed">
              <p className="m-tight">{t('m.task.finishMissed', { n: missed.length })}</p>
              <ul>{missed.map((c) => <li key={c.order}>{posOf(task, c.order)}. {c.placeName}</li>)}</ul>
            </div>
          ) : <p className="m-tight">✓ {t('m.task.finishAllVisited')}</p>}
          {unanswered.length > 0 && (
            <div className="t-missed" data-testid="finish-unanswered">
              <p className="m-tight m-red">{t('m.task.finishUnanswered', { n: unanswered.length })}</p>
              <ul>{unanswered.map(({ c, i }) => <li key={`${c.order}-${i.id}`}>{posOf(task, c.order)}. {c.placeName} · {i.label}</li>)}</ul>
            </div>
          )}
          <textarea className="m-textarea" rows={2} maxLength={1000} placeholder={t('m.task.note')} value={note} onChange={(e) => setNote(e.target.value)} />
        </Sheet>
      )}
    </>
  );
}
