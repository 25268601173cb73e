import crypto from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import {
  KINDS, TransitionError, URGENCY_LABELS, availableActions, defaultUrgency, findCategory, isCategoryOf, isWorkingTime,
  itemNumber, nextWorkingStart, planTransition, policiesFor, shanghaiDate, tradeOf,
  type Requirement, type Urgency, type WorkItemKind,
} from '@towerdesk/domain';
import type { Db, Queryable, Tx } from '../../db/index.ts';
import { audit } from '../../platform/audit.ts';
import { announce, type LiveItemEvent } from '../../platform/live.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { AppError, Conflict, Forbidden, Invalid, invalidField, NotFound } from '../../platform/errors.ts';
import { maskPhone } from '../../platform/mask.ts';
import { checkThrottle, recordFailure } from '../accounts/throttle.ts';
import { siteCalendar } from '../calendar/service.ts';
import { onCallStaff } from '../duty/service.ts';
import { attachUploads, listAttachments, registerAttachmentVisibility } from '../attachments/service.ts';
import { occupants, staff } from '../parties/schema.ts';
import { places } from '../places/schema.ts';
import { plans, tasks } from '../plans/schema.ts';
import { registerPlaceReferenceCheck } from '../places/service.ts';
import { accountsOfOccupant, accountsOfStaff, accountsWithRoles, notify, notifyMany } from '../notifications/service.ts';
import { issuePartsToWorkItem, workItemCost, type PartInput } from '../stock/service.ts';
import { applyClockEvent, clockStarts, insertClocks, restartClock } from './clocks.ts';
import { hasDoneRevisit, recordRevisit, scheduleRevisit, type RevisitResult } from './revisits.ts';
import { workItemClocks, workItemCounters, workItemEvents, workItems } from './schema.ts';

export type ItemRow = typeof workItems.$inferSelect;

/** Tells the live boards and the people concerned that an item changed (sent on commit). */
export const announceItem = (tx: Queryable, item: ItemRow) => announce(tx, liveItem(item));
const liveItem = (item: ItemRow): LiveItemEvent => ({
  type: 'work_item', siteId: item.siteId, itemId: item.id, occupantId: item.occupantId, companyId: item.companyId, assigneeStaffId: item.assigneeStaffId,
});

/** HH:MM in Asia/Shanghai (UTC+8, no DST). */
const shanghaiTime = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(11, 16);

// A place where repairs were reported has records: deactivate it, never delete it.
registerPlaceReferenceCheck(async (tx, placeId) => (await tx.$count(workItems, eq(workItems.placeId, placeId))) > 0);

const DESK_ROLES = ['admin', 'supervisor', 'agent', 'owner_rep'];
const isDesk = (ctx: SignedInCtx) => ctx.actor.roles.some((r) => DESK_ROLES.includes(r));

/**
 * Row scope (RP-4, SEC-1): the desk and the owner's representative see the site; a field worker
 * sees what is assigned to them and what they reported; an occupant sees their own items and,
 * as their company's admin contact, the company's.
 */
export function itemScope(ctx: SignedInCtx): SQL | undefined {
  const site = ctx.actor.siteId ? eq(workItems.siteId, ctx.actor.siteId) : undefined;
  if (isDesk(ctx)) return site;
  const mine: (SQL | undefined)[] = [eq(workItems.createdBy, ctx.actor.accountId)];
  if (ctx.actor.staffId) mine.push(eq(workItems.assigneeStaffId, ctx.actor.staffId));
  if (ctx.actor.occupantId) mine.push(eq(workItems.occupantId, ctx.actor.occupantId));
  if (ctx.actor.companyRole === 'admin' && ctx.actor.companyId) mine.push(eq(workItems.companyId, ctx.actor.companyId));
  return and(site, or(...mine));
}

export async function findVisibleItem(tx: Queryable, ctx: SignedInCtx, id: string, lock = false) {
  const q = tx.select().from(workItems).where(and(eq(workItems.id, id), itemScope(ctx)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw NotFound();
  return row;
}

function relation(ctx: SignedInCtx, item: ItemRow) {
  return {
    roles: ctx.actor.roles,
    isAssignee: !!ctx.actor.staffId && ctx.actor.staffId === item.assigneeStaffId,
    isReporter: (!!ctx.actor.occupantId && ctx.actor.occupantId === item.occupantId) || item.createdBy === ctx.actor.accountId
      || (ctx.actor.companyRole === 'admin' && !!ctx.actor.companyId && ctx.actor.companyId === item.companyId),
  };
}

/**
 * Gives a new item its number (per site and Shanghai day): bumps the day's counter and writes the
 * number onto the item in one statement. The counter row stays locked until commit, so this runs
 * last in the create — only what needs the number follows it — and creates queue for as short a
 * time as possible; the numbers stay gap-free and unique.
 */
async function assignNumber(tx: Tx, itemId: string, siteId: string, kind: WorkItemKind, at: Date) {
  const day = shanghaiDate(at);
  const prefix = KINDS[kind].prefix;
  const r = await tx.execute<{ number: string; last: number }>(sql`
    with c as (
      insert into ${workItemCounters} (site_id, prefix, day, last) values (${siteId}, ${prefix}, ${day.replaceAll('-', '')}, 1)
      on conflict (site_id, prefix, day) do update set last = ${workItemCounters.last} + 1
      returning last)
    update ${workItems} set number = ${`${prefix}-${day.replaceAll('-', '')}-`} || lpad(c.last::text, greatest(4, length(c.last::text)), '0')
    from c where ${workItems.id} = ${itemId}
    returning ${workItems.number} as number, c.last as last`);
  const { number, last } = r.rows[0]!;
  // The domain owns the format; the SQL above must agree with it.
  if (number !== itemNumber(prefix, day, Number(last))) throw new Error(`item number ${number} does not match the domain's format`);
  return number;
}

/** A placeholder until assignNumber, unique per item and never seen outside the transaction. */
const provisionalNumber = (itemId: string) => `~${itemId}`;

export interface CreateInput {
  kind: WorkItemKind;
  category: string;
  urgency?: Urgency;
  placeId?: string | null;
  title?: string;
  description: string;
  /** 'task': a finding raised on an inspection/patrol round (IN-4). */
  channel?: 'app' | 'phone' | 'walk_in' | 'task';
  /** Desk intake on behalf of an occupant (CS-5). */
  occupantId?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  attachmentIds?: string[];
}

// Photos of an item are visible to whoever may see the item (RP-4, SEC-1).
registerAttachmentVisibility('work_item', async (ctx, id) => (await ctx.db.$count(workItems, and(eq(workItems.id, id), itemScope(ctx)))) > 0);
// Photos on internal notes stay with staff, like the notes.
registerAttachmentVisibility('work_item_internal', async (ctx, id) => isStaffSide(ctx) && (await ctx.db.$count(workItems, and(eq(workItems.id, id), itemScope(ctx)))) > 0);
const isStaffSide = (ctx: SignedInCtx) => ctx.actor.roles.some((r) => r !== 'occupant');

/**
 * Files a repair, complaint or inquiry from any channel into the one queue (RP-1, CS-5), with
 * the off-hours rule (CS-2): outside working time a non-urgent item is accepted and its clocks
 * start at the next working period; an urgent one counts at once, 24×7. `id` is the new item's
 * id when the caller names it first (the idempotency record points at it from the start).
 */
export async function createWorkItem(ctx: SignedInCtx, input: CreateInput, tx0?: Tx, id?: string) {
  const run = async (tx: Tx) => {
    const category = findCategory(input.category);
    if (!category || !isCategoryOf(input.category, input.kind)) {
      throw invalidField('body.category', { zh: '类别不存在或与工单类型不符', en: 'Unknown category for this kind' });
    }
    const deskIntake = isDesk(ctx) || ctx.actor.roles.includes('agent');
    let occupantId: string | null = ctx.actor.occupantId;
    let companyId: string | null = ctx.actor.companyId;
    let siteId = ctx.actor.siteId;
    if (input.occupantId !== undefined && input.occupantId !== null) {
      if (!deskIntake) throw invalidField('body.occupantId', { zh: '只有客服可代为报修', en: 'Only the desk files on behalf of an occupant' }, 'not_allowed');
      const [o] = await tx.select().from(occupants).where(and(eq(occupants.id, input.occupantId), ctx.actor.siteId ? eq(occupants.siteId, ctx.actor.siteId) : undefined));
      if (!o) throw invalidField('body.occupantId', { zh: '使用人不存在', en: 'No such occupant' }, 'not_found');
      occupantId = o.id;
      companyId = o.companyId;
      siteId = o.siteId;
    } else if (deskIntake) {
      occupantId = null;
      companyId = null;
    }
    let placeRow: typeof places.$inferSelect | undefined;
    if (input.placeId) {
      const [p] = await tx.select().from(places).where(and(eq(places.id, input.placeId), siteId ? eq(places.siteId, siteId) : undefined, eq(places.active, true)));
      if (!p) throw invalidField('body.placeId', { zh: '位置不存在', en: 'No such place' }, 'not_found');
      siteId = p.siteId;
      placeRow = p;
    }
    if (!siteId) throw invalidField('body.placeId', { zh: '请选择位置', en: 'Choose a place' }, 'required');
    // The reporter may say it is urgent (they see the water); the desk can change it, with a reason.
    const urgency: Urgency = input.urgency ?? defaultUrgency(input.category);
    const cal = await siteCalendar(tx, siteId);
    const offHours = !isWorkingTime(cal, ctx.now);
    const startAt = offHours && urgency !== 'urgent' ? nextWorkingStart(cal, ctx.now) : undefined;
    // Everything that does not need the number comes before it (see assignNumber).
    const deskAccounts = await accountsWithRoles(tx, siteId, ['agent', 'supervisor']);
    const itemId = id ?? crypto.randomUUID();
    const policies = policiesFor(input.kind, urgency, input.category).filter((p) => p.startOn === 'create' && p.clock !== 'revisit');
    const clocks = await clockStarts(tx, { id: itemId, siteId }, policies, ctx.now, startAt, new Map([[siteId, cal]]));
    const [item] = await tx.insert(workItems).values({
      id: itemId, siteId, number: provisionalNumber(itemId), kind: input.kind, category: input.category, urgency, state: KINDS[input.kind].initial,
      title: input.title?.trim() || (ctx.locale === 'en-US' ? category.en : category.zh), description: input.description,
      placeId: input.placeId ?? null, channel: input.channel ?? (deskIntake ? 'phone' : 'app'), occupantId, companyId,
      contactName: input.contactName ?? null, contactPhone: input.contactPhone ?? null, confirmationCode: newConfirmationCode(),
      createdBy: ctx.actor.accountId, scheduledFor: startAt ?? null, createdAt: ctx.now, updatedAt: ctx.now,
    }).returning();
    // The clocks its policies start on creation (a new item has none to stop or resume), and the
    // 'created' entry followed by theirs in one statement.
    await insertClocks(tx, clocks.clocks);
    const events = await tx.insert(workItemEvents).values([{
      siteId, itemId: item!.id, at: ctx.now, actorId: ctx.actor.accountId, actorName: ctx.actor.name, type: 'created', toState: item!.state, public: true,
      body: startAt ? `非工作时间受理，将于 ${shanghaiDate(startAt)} ${shanghaiTime(startAt)} 起处理` : null,
      data: { channel: item!.channel, urgency, scheduledFor: startAt?.toISOString() ?? null },
    }, ...clocks.events]).returning({
      id: workItemEvents.id, at: workItemEvents.at, actorName: workItemEvents.actorName, type: workItemEvents.type, action: workItemEvents.action,
      fromState: workItemEvents.fromState, toState: workItemEvents.toState, body: workItemEvents.body, public: workItemEvents.public, data: workItemEvents.data,
    });
    if (input.attachmentIds?.length) {
      await attachUploads(tx, ctx, input.attachmentIds, { entityType: 'work_item', entityId: item!.id, siteId, role: 'before' });
    }
    // From here on the day's counter is locked until commit: only what needs the number follows.
    const number = await assignNumber(tx, itemId, siteId, input.kind, ctx.now);
    item!.number = number;
    await audit(tx, ctx, { action: `${input.kind}.create`, entityType: 'work_item', entityId: item!.id, siteId, after: item });
    // The desk sees every new item; an urgent one pages the technicians of its trade (RP-2).
    const trade = tradeOf(input.category);
    const urgentRepair = urgency === 'urgent' && !!trade && input.kind === 'repair';
    // The boards hear of the item in the same statement (unless the urgent path below changes it first).
    await notifyMany(tx, ctx.now, [{ accountIds: deskAccounts, notice: { siteId, kind: 'work_item.new', title: { zh: `新${KINDS[input.kind].zh}：${item!.title}`, en: `New ${KINDS[input.kind].en}: ${item!.title}` }, body: `${number} ${URGENCY_LABELS[urgency].zh}`, entityType: 'work_item', entityId: item!.id, page: urgency === 'urgent' } }],
      urgentRepair ? [] : [liveItem(item!)]);
    if (urgentRepair && trade) {
      // RP-2: an urgent repair goes at once to the on-call technician of its trade and pages them.
      const [onCall] = await onCallStaff(tx, siteId, trade, ctx.now);
      if (onCall) {
        const [assigned] = await tx.update(workItems).set({ state: 'assigned', assigneeStaffId: onCall.staffId, updatedAt: ctx.now }).where(eq(workItems.id, item!.id)).returning();
        await tx.insert(workItemEvents).values({
          siteId, itemId: item!.id, at: ctx.now, actorId: null, actorName: '系统（值班自动派单）', type: 'transition', action: 'assign',
          fromState: item!.state, toState: 'assigned', public: true, data: { assignee: { id: onCall.staffId, name: onCall.name }, onCall: true, shiftId: onCall.shiftId },
        });
        await applyClockEvent(tx, assigned!, 'assign', ctx.now);
        await notify(tx, ctx.now, await accountsOfStaff(tx, [onCall.staffId]), { siteId, kind: 'work_item.assigned', title: { zh: `紧急派单：${item!.title}`, en: `Urgent, assigned to you: ${item!.title}` }, body: number, entityType: 'work_item', entityId: item!.id, page: true });
        await announceItem(tx, assigned!);
        return assigned!;
      }
      // Nobody on call for the trade: page everyone of the trade, the desk sees it unassigned.
      const techs = await tx.select({ id: staff.id }).from(staff).where(and(eq(staff.siteId, siteId), eq(staff.active, true), sql`${trade} = any(${staff.trades})`));
      await notify(tx, ctx.now, await accountsOfStaff(tx, techs.map((t) => t.id)), { siteId, kind: 'work_item.urgent', title: { zh: `紧急报修（无人值班）：${item!.title}`, en: `Urgent, nobody on call: ${item!.title}` }, body: number, entityType: 'work_item', entityId: item!.id, page: true });
      await announceItem(tx, item!);
    }
    // Photos attached (rare at intake) are read back with the detail; otherwise the answer is what was written.
    if (!input.attachmentIds?.length) {
      written.set(item!, { clocks: clocks.clocks as ClockViewRow[], events, place: placeRow ? { id: placeRow.id, code: placeRow.code, name: placeRow.name } : null });
    }
    return item!;
  };
  const item = tx0 ? await run(tx0) : await ctx.db.transaction(run);
  return item;
}

export interface ActionInput {
  reason?: string;
  assigneeStaffId?: string;
  note?: string;
  resolution?: string;
  expectedDate?: string;
  /** A scanned QR token proves arrival at the place (RP-3). */
  qrToken?: string;
  confirmationCode?: string;
  /** RP-5: the occupant's signature drawn on the technician's phone, uploaded as an image. */
  signatureAttachmentId?: string;
  /** RP-5: why the occupant could not confirm (recorded as unconfirmed). */
  confirmationReason?: string;
  attachmentIds?: string[];
  rating?: number;
  /** RP-5: materials used and labour minutes, recorded with the completion. */
  materials?: string;
  labourMinutes?: number;
  /** RP-9: parts used, issued from stock to the item with the completion (stock module). */
  parts?: PartInput[];
}

const refusal = (e: TransitionError) => {
  switch (e.reason) {
    case 'unknown_action': return new AppError(404, 'unknown_action', { zh: '没有这个操作', en: 'No such action' });
    case 'not_allowed': return Forbidden();
    case 'illegal_state': return Conflict('illegal_state', { zh: '当前状态下不能执行此操作，可能已被他人处理', en: 'Not possible in the current state; someone may have acted first' });
    default: return Invalid(e.missing.map((m) => ({ field: `body.${FIELD_OF[m]}`, code: 'required', message: { zh: REQUIRED_ZH[m], en: `${FIELD_OF[m]} is required` } })));
  }
};
const FIELD_OF: Record<Requirement, string> = { reason: 'reason', assignee: 'assigneeStaffId', afterPhoto: 'attachmentIds', resolution: 'resolution', confirmation: 'confirmationCode', expectedDate: 'expectedDate', note: 'note' };
const REQUIRED_ZH: Record<Requirement, string> = { reason: '请填写原因', assignee: '请选择处理人', afterPhoto: '请上传完工照片', resolution: '请填写处理结果', confirmation: '请输入确认码', expectedDate: '请填写预计到货日期', note: '请填写答复内容' };

/**
 * Takes one transition of an item's kind (RP-4): checks role and state in the domain, the
 * evidence the transition needs, writes the new state, the timeline entry, the clocks and the
 * audit row in one transaction. The row lock makes a racing second transition see the new state
 * and get 409.
 */
export async function actOnWorkItem(ctx: SignedInCtx, id: string, action: string, input: ActionInput) {
  if (!input.confirmationCode) return takeTransition(ctx.db, ctx, id, action, input);
  // RP-5: 10 000 codes are few, so wrong ones are throttled like sign-ins (per item and per
  // account). The check and the count run under the item's row lock (and a lock on the account's
  // count), so parallel guesses take turns and each sees the failures before it. The transition
  // runs in a savepoint that a wrong code rolls back; its failure commits with the outer transaction.
  const codeKeys = { acct: `confirm:${id}`, ip: `confirm-by:${ctx.actor.accountId}` };
  const outcome = await ctx.db.transaction(async (tx) => {
    await findVisibleItem(tx, ctx, id, true);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${codeKeys.ip}))`);
    await checkThrottle(tx, codeKeys, ctx.now);
    try {
      return { row: await takeTransition(tx, ctx, id, action, input) };
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'wrong_confirmation_code')) throw e;
      await recordFailure(tx, codeKeys, ctx.now);
      return { refused: e };
    }
  });
  if ('refused' in outcome) throw outcome.refused;
  return outcome.row;
}

/**
 * RP-5: a code from the CSPRNG, drawn at create and again at every reopen: the technician saw the
 * old one at the first completion, so a new one is drawn among the 9 999 others.
 */
const newConfirmationCode = (previous?: string | null) => {
  const old = previous && /^\d{4}$/.test(previous) ? Number(previous) : null;
  const n = old === null ? crypto.randomInt(10_000) : (old + 1 + crypto.randomInt(9_999)) % 10_000;
  return String(n).padStart(4, '0');
};

/** `db` is the pool, or the caller's transaction (then this runs in a savepoint). */
function takeTransition(db: Queryable, ctx: SignedInCtx, id: string, action: string, input: ActionInput) {
  return db.transaction(async (tx) => {
    const item = await findVisibleItem(tx, ctx, id, true);
    const provided: Partial<Record<Requirement, boolean>> = {
      reason: !!input.reason?.trim(), assignee: !!input.assigneeStaffId, resolution: !!input.resolution?.trim(),
      expectedDate: !!input.expectedDate, note: !!input.note?.trim(), afterPhoto: !!input.attachmentIds?.length,
      // RP-5: a code, a signature, or a reason why nobody could confirm; an item no occupant
      // reported has nobody to ask.
      confirmation: !item.occupantId || !!input.confirmationCode || !!input.signatureAttachmentId || !!input.confirmationReason?.trim(),
    };
    let plan;
    try {
      plan = planTransition(item.kind as WorkItemKind, item.state, action, relation(ctx, item), provided);
    } catch (e) {
      if (e instanceof TransitionError) throw refusal(e);
      throw e;
    }
    if (action === 'reopen' && item.completedAt && ctx.now.getTime() - item.completedAt.getTime() > REOPEN_WINDOW_DAYS * 86_400_000 && !isDesk(ctx)) {
      throw Conflict('reopen_window_passed', { zh: `完成已超过 ${REOPEN_WINDOW_DAYS} 天，请联系客服`, en: `More than ${REOPEN_WINDOW_DAYS} days since completion; contact the desk` });
    }
    if (item.kind === 'complaint' && plan.to === 'closed' && !(await hasDoneRevisit(tx, item.id))) {
      // CP-7: every complainant is revisited before the complaint is finally closed.
      throw Conflict('revisit_required', { zh: '投诉须先完成回访才能关闭', en: 'A complaint closes only after its revisit' });
    }
    const set: Partial<ItemRow> = { state: plan.to, updatedAt: ctx.now };
    const data: Record<string, unknown> = {};
    if (input.assigneeStaffId && plan.def.requires?.includes('assignee')) {
      const [s] = await tx.select().from(staff).where(and(eq(staff.id, input.assigneeStaffId), eq(staff.siteId, item.siteId), eq(staff.active, true)));
      if (!s) throw invalidField('body.assigneeStaffId', { zh: '处理人不存在', en: 'No such staff member' }, 'not_found');
      set.assigneeStaffId = s.id;
      data.assignee = { id: s.id, name: s.name };
    }
    if (action === 'decline') set.assigneeStaffId = null;
    if (action === 'arrive') {
      if (input.qrToken) {
        // The scanned place must be the item's place or inside it (e.g. a room of the reported floor).
        const ok = await tx.execute(sql`
          with recursive up(id, parent_id) as (select id, parent_id from ${places} where qr_token = ${input.qrToken} and site_id = ${item.siteId} and active
            union all select p.id, p.parent_id from ${places} p join up on p.id = up.parent_id)
          select 1 from up where id = ${item.placeId}`);
        if (!item.placeId || ok.rows.length === 0) {
          throw new AppError(422, 'wrong_place', { zh: '扫描的二维码不是本工单的位置', en: 'The scanned code is not this item\'s place' }, [{ field: 'body.qrToken', code: 'wrong_place', message: { zh: '位置不符', en: 'Wrong place' } }]);
        }
        set.arrivalProof = 'qr';
      } else {
        if (!input.reason?.trim()) throw invalidField('body.reason', { zh: '未扫码到场须说明原因', en: 'A manual arrival needs a reason' }, 'required');
        set.arrivalProof = 'manual';
      }
      set.arrivedAt = ctx.now;
      data.proof = set.arrivalProof;
    }
    if (plan.def.requires?.includes('confirmation')) Object.assign(data, confirmationOf(item, input, set));
    if (input.parts?.length && action !== 'complete') throw invalidField('body.parts', { zh: '只有完工时登记用料', en: 'Parts are recorded with complete' }, 'not_allowed');
    if (action === 'complete') {
      set.completedAt = ctx.now;
      if (input.materials) data.materials = set.materials = input.materials;
      if (input.labourMinutes !== undefined) data.labourMinutes = set.labourMinutes = input.labourMinutes;
      if (input.parts?.length) {
        await issuePartsToWorkItem(tx, ctx, item, input.parts);
        data.parts = input.parts;
      }
    }
    if (plan.to === 'closed') set.closedAt = ctx.now;
    if (input.resolution) set.resolution = input.resolution;
    if (action === 'reopen') {
      set.reopenCount = item.reopenCount + 1;
      set.completedAt = null;
      // RP-5: the redo is confirmed afresh, with a code the technician has not seen.
      Object.assign(set, { confirmationCode: newConfirmationCode(item.confirmationCode), confirmedBy: null, confirmationReason: null });
    }
    if (input.rating !== undefined) { set.rating = input.rating; set.ratingComment = input.note ?? null; }
    if (input.expectedDate) data.expectedDate = input.expectedDate;
    const [row] = await tx.update(workItems).set(set).where(eq(workItems.id, item.id)).returning();
    await tx.insert(workItemEvents).values({
      siteId: item.siteId, itemId: item.id, at: ctx.now, actorId: ctx.actor.accountId, actorName: ctx.actor.name, type: 'transition', action,
      fromState: item.state, toState: plan.to, body: input.reason ?? input.note ?? input.resolution ?? null, public: plan.def.public, data,
    });
    if (input.attachmentIds?.length) {
      await attachUploads(tx, ctx, input.attachmentIds, { entityType: 'work_item', entityId: item.id, siteId: item.siteId, role: action === 'complete' ? 'after' : action === 'arrive' || action === 'start' ? 'before' : 'photo' });
    }
    if (set.confirmedBy === 'signature') {
      await attachUploads(tx, ctx, [input.signatureAttachmentId!], { entityType: 'work_item', entityId: item.id, siteId: item.siteId, role: 'signature' }, { field: 'body.signatureAttachmentId' });
    }
    await applyClockEvent(tx, row!, action, ctx.now);
    await scheduleRevisit(tx, row!, action, ctx.now);
    await audit(tx, ctx, { action: `${item.kind}.${action}`, entityType: 'work_item', entityId: item.id, siteId: item.siteId, before: { state: item.state, assigneeStaffId: item.assigneeStaffId }, after: { state: plan.to, ...data, reason: input.reason } });
    await notifyTransition(tx, ctx, row!, action, plan.def.public);
    await announceItem(tx, row!);
    // Someone dropped by a decline or reassign hears of it too.
    if (item.assigneeStaffId && item.assigneeStaffId !== row!.assigneeStaffId) await announceItem(tx, item);
    return row!;
  });
}

/**
 * How the occupant confirmed (RP-5), written onto the item (`set`) and returned for the timeline:
 * the code they read out (a wrong one is 422, nothing changed), a signature, or no confirmation
 * with the reason. The code wins when several are given; an item no occupant reported records none.
 */
function confirmationOf(item: ItemRow, input: ActionInput, set: Partial<ItemRow>) {
  set.confirmedBy = null;
  set.confirmationReason = null;
  if (input.confirmationCode) {
    if (!item.occupantId || input.confirmationCode !== item.confirmationCode) {
      throw new AppError(422, 'wrong_confirmation_code', { zh: '确认码不正确，请让报修人查看手机上的确认码', en: 'Wrong confirmation code; ask the occupant to check the code in their app' },
        [{ field: 'body.confirmationCode', code: 'wrong_code', message: { zh: '确认码不正确', en: 'Wrong code' } }]);
    }
    set.confirmedBy = 'code';
  } else if (input.signatureAttachmentId) {
    set.confirmedBy = 'signature';
  } else if (input.confirmationReason?.trim()) {
    set.confirmationReason = input.confirmationReason.trim();
  }
  return { confirmation: { by: set.confirmedBy, reason: set.confirmationReason, signatureId: set.confirmedBy === 'signature' ? input.signatureAttachmentId : undefined } };
}

async function notifyTransition(tx: Tx, ctx: SignedInCtx, item: ItemRow, action: string, isPublic: boolean) {
  const kind = KINDS[item.kind as WorkItemKind];
  const state = kind.states[item.state]!;
  if (action === 'assign' || action === 'reassign') {
    await notify(tx, ctx.now, await accountsOfStaff(tx, [item.assigneeStaffId]), { siteId: item.siteId, kind: 'work_item.assigned', title: { zh: `派单：${item.title}`, en: `Assigned to you: ${item.title}` }, body: item.number, entityType: 'work_item', entityId: item.id, page: item.urgency === 'urgent' });
  }
  if (action === 'decline') {
    await notify(tx, ctx.now, await accountsWithRoles(tx, item.siteId, ['agent', 'supervisor']), { siteId: item.siteId, kind: 'work_item.declined', title: { zh: `退单：${item.title}`, en: `Declined: ${item.title}` }, body: item.number, entityType: 'work_item', entityId: item.id });
  }
  if (isPublic && item.occupantId) {
    const recipients = (await accountsOfOccupant(tx, item.occupantId)).filter((a) => a !== ctx.actor.accountId);
    await notify(tx, ctx.now, recipients, { siteId: item.siteId, kind: 'work_item.progress', title: { zh: `${item.number} ${state.occupantZh ?? state.zh}`, en: `${item.number} ${state.occupantEn ?? state.en}` }, body: item.title, entityType: 'work_item', entityId: item.id });
  }
}

/** A comment: public (the occupant sees it; for a complaint it is the progress update, CP-3) or internal. */
export async function commentOnWorkItem(ctx: SignedInCtx, id: string, input: { body: string; public: boolean; attachmentIds?: string[] }) {
  return ctx.db.transaction(async (tx) => {
    const item = await findVisibleItem(tx, ctx, id, true);
    const staffSide = isStaffSide(ctx);
    if (!input.public && !staffSide) throw invalidField('body.public', { zh: '内部备注仅员工可写', en: 'Only staff write internal notes' }, 'not_allowed');
    if (ctx.actor.roles.includes('owner_rep') && ctx.actor.roles.length === 1) throw Forbidden();
    const [ev] = await tx.insert(workItemEvents).values({
      siteId: item.siteId, itemId: item.id, at: ctx.now, actorId: ctx.actor.accountId, actorName: ctx.actor.name, type: 'comment', body: input.body, public: input.public,
    }).returning();
    if (input.attachmentIds?.length) {
      await attachUploads(tx, ctx, input.attachmentIds, { entityType: input.public ? 'work_item' : 'work_item_internal', entityId: item.id, siteId: item.siteId, role: 'comment' });
    }
    if (input.public && staffSide && item.kind === 'complaint') await restartClock(tx, item, 'update', ctx.now);
    await tx.update(workItems).set({ updatedAt: ctx.now }).where(eq(workItems.id, item.id));
    await audit(tx, ctx, { action: `${item.kind}.comment`, entityType: 'work_item', entityId: item.id, siteId: item.siteId, after: { public: input.public, body: input.body } });
    if (input.public && staffSide && item.occupantId) {
      await notify(tx, ctx.now, await accountsOfOccupant(tx, item.occupantId), { siteId: item.siteId, kind: 'work_item.comment', title: { zh: `${item.number} 有新进展`, en: `${item.number} has an update` }, body: input.body.slice(0, 200), entityType: 'work_item', entityId: item.id });
    }
    await announceItem(tx, item);
    return { id: ev!.id };
  });
}

/** Urgency is set from the category; the desk may change it with a reason, audited (RP-2). */
export async function changeUrgency(ctx: SignedInCtx, id: string, input: { urgency: Urgency; reason: string }) {
  return ctx.db.transaction(async (tx) => {
    const item = await findVisibleItem(tx, ctx, id, true);
    if (KINDS[item.kind as WorkItemKind].states[item.state]?.terminal) throw Conflict('illegal_state', { zh: '工单已结束', en: 'The item is closed' });
    if (item.urgency === input.urgency) return item;
    const [row] = await tx.update(workItems).set({ urgency: input.urgency, updatedAt: ctx.now }).where(eq(workItems.id, item.id)).returning();
    await tx.insert(workItemEvents).values({ siteId: item.siteId, itemId: item.id, at: ctx.now, actorId: ctx.actor.accountId, actorName: ctx.actor.name, type: 'urgency', body: input.reason, public: false, data: { from: item.urgency, to: input.urgency } });
    // Clocks follow the new urgency's policies from now on: the old ones are replaced.
    await tx.delete(workItemClocks).where(and(eq(workItemClocks.itemId, item.id), isNull(workItemClocks.stoppedAt)));
    await applyClockEvent(tx, row!, 'create', ctx.now);
    await announceItem(tx, row!);
    await audit(tx, ctx, { action: `${item.kind}.urgency`, entityType: 'work_item', entityId: item.id, siteId: item.siteId, before: { urgency: item.urgency }, after: { urgency: input.urgency, reason: input.reason } });
    return row!;
  });
}

export interface ListQuery {
  kind?: WorkItemKind;
  state?: string;
  open?: boolean;
  urgency?: Urgency;
  assigneeStaffId?: string;
  mine?: boolean;
  q?: string;
  limit: number;
  offset: number;
}

/** States no kind moves on from, once each: `state not in (…)` then matches the board's partial index. */
const TERMINAL_STATES = [...new Set(Object.values(KINDS).flatMap((k) => Object.entries(k.states).filter(([, s]) => s.terminal).map(([name]) => name)))];

export async function listWorkItems(ctx: SignedInCtx, q: ListQuery) {
  const where = and(
    itemScope(ctx),
    q.kind ? eq(workItems.kind, q.kind) : undefined,
    q.state ? eq(workItems.state, q.state) : undefined,
    q.open ? sql`${workItems.state} not in ${TERMINAL_STATES}` : undefined,
    q.urgency ? eq(workItems.urgency, q.urgency) : undefined,
    q.assigneeStaffId ? eq(workItems.assigneeStaffId, q.assigneeStaffId) : undefined,
    q.mine && ctx.actor.staffId ? eq(workItems.assigneeStaffId, ctx.actor.staffId) : undefined,
    q.mine && !ctx.actor.staffId ? eq(workItems.createdBy, ctx.actor.accountId) : undefined,
    q.q ? or(sql`${workItems.number} ilike ${`%${q.q}%`}`, sql`${workItems.title} ilike ${`%${q.q}%`}`) : undefined,
  );
  const [rows, total] = await Promise.all([
    ctx.db.select().from(workItems).where(where).orderBy(desc(workItems.createdAt)).limit(q.limit).offset(q.offset),
    ctx.db.$count(workItems, where),
  ]);
  // Only what the view shows (not the policy JSON): a board page carries two or three clocks per item.
  const clocks = rows.length ? await ctx.db.select(CLOCK_VIEW_COLUMNS).from(workItemClocks).where(inArray(workItemClocks.itemId, rows.map((r) => r.id))) : [];
  const names = await namesFor(ctx, rows);
  return { items: rows.map((r) => toView(ctx, r, clocks.filter((c) => c.itemId === r.id), names)), total };
}

async function namesFor(ctx: SignedInCtx, rows: ItemRow[]) {
  const placeIds = [...new Set(rows.map((r) => r.placeId).filter((x): x is string => !!x))];
  const staffIds = [...new Set(rows.map((r) => r.assigneeStaffId).filter((x): x is string => !!x))];
  const [ps, ss] = await Promise.all([
    placeIds.length ? ctx.db.select({ id: places.id, code: places.code, name: places.name }).from(places).where(inArray(places.id, placeIds)) : [],
    staffIds.length ? ctx.db.select({ id: staff.id, name: staff.name }).from(staff).where(inArray(staff.id, staffIds)) : [],
  ]);
  return { places: new Map(ps.map((p) => [p.id, p])), staff: new Map(ss.map((s) => [s.id, s.name])) };
}

/** The reporting occupant (or their company's admin contact) and the service desk see the confirmation code. */
const seesConfirmationCode = (ctx: SignedInCtx, r: ItemRow) => ctx.actor.roles.some((role) => role === 'agent' || role === 'supervisor' || role === 'admin')
  || (!!ctx.actor.occupantId && ctx.actor.occupantId === r.occupantId)
  || (ctx.actor.companyRole === 'admin' && !!ctx.actor.companyId && ctx.actor.companyId === r.companyId);

const CLOCK_VIEW_COLUMNS = {
  itemId: workItemClocks.itemId, clock: workItemClocks.clock, dueAt: workItemClocks.dueAt, runningSince: workItemClocks.runningSince, stoppedAt: workItemClocks.stoppedAt,
  met: workItemClocks.met, minutesLate: workItemClocks.minutesLate, warningsFired: workItemClocks.warningsFired, breachedAt: workItemClocks.breachedAt, escalationLevel: workItemClocks.escalationLevel,
};
type ClockViewRow = Pick<typeof workItemClocks.$inferSelect, keyof typeof CLOCK_VIEW_COLUMNS>;

function toView(ctx: SignedInCtx, r: ItemRow, clocks: ClockViewRow[], names: Awaited<ReturnType<typeof namesFor>>) {
  const kind = KINDS[r.kind as WorkItemKind];
  const st = kind.states[r.state];
  const occupantView = !isDesk(ctx) && ctx.actor.roles.includes('occupant');
  return {
    id: r.id, number: r.number, kind: r.kind as WorkItemKind, category: r.category, urgency: r.urgency as Urgency, state: r.state,
    stateName: occupantView ? (ctx.locale === 'en-US' ? st?.occupantEn ?? st?.en : st?.occupantZh ?? st?.zh) ?? r.state : (ctx.locale === 'en-US' ? st?.en : st?.zh) ?? r.state,
    title: r.title, description: r.description, channel: r.channel,
    place: r.placeId ? names.places.get(r.placeId) ?? null : null,
    occupantId: r.occupantId, companyId: r.companyId, contactName: r.contactName, contactPhone: maskPhone(r.contactPhone),
    assignee: r.assigneeStaffId ? { id: r.assigneeStaffId, name: names.staff.get(r.assigneeStaffId) ?? '' } : null,
    scheduledFor: r.scheduledFor?.toISOString() ?? null, arrivedAt: r.arrivedAt?.toISOString() ?? null, arrivalProof: r.arrivalProof,
    completedAt: r.completedAt?.toISOString() ?? null, closedAt: r.closedAt?.toISOString() ?? null, resolution: r.resolution, materials: r.materials, labourMinutes: r.labourMinutes,
    rating: r.rating, reopenCount: r.reopenCount, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
    // RP-5: the code is for the occupant to read out, so the technician's phone never receives it.
    confirmationCode: r.occupantId && seesConfirmationCode(ctx, r) ? r.confirmationCode : null,
    confirmedBy: r.confirmedBy as 'code' | 'signature' | null, confirmationReason: r.confirmationReason,
    clocks: clocks.map((c) => ({
      clock: c.clock, dueAt: c.dueAt.toISOString(), running: !!c.runningSince, stoppedAt: c.stoppedAt?.toISOString() ?? null,
      met: c.met, minutesLate: c.minutesLate, warned: c.warningsFired > 0, breached: !!c.breachedAt, escalationLevel: c.escalationLevel,
    })),
    can: availableActions(r.kind as WorkItemKind, r.state, relation(ctx, r)).map((t) => t.action),
  };
}

export async function getWorkItem(ctx: SignedInCtx, id: string) {
  const item = await findVisibleItem(ctx.db, ctx, id);
  const [clocks, events, names] = await Promise.all([
    ctx.db.select().from(workItemClocks).where(eq(workItemClocks.itemId, id)),
    ctx.db.select().from(workItemEvents).where(and(eq(workItemEvents.itemId, id), isDesk(ctx) || ctx.actor.staffId ? undefined : eq(workItemEvents.public, true))).orderBy(asc(workItemEvents.at), asc(workItemEvents.id)),
    namesFor(ctx, [item]),
  ]);
  const photos = [
    ...((await listAttachments(ctx.db, 'work_item', [id])).get(id) ?? []),
    ...(isStaffSide(ctx) ? (await listAttachments(ctx.db, 'work_item_internal', [id])).get(id) ?? [] : []),
  ];
  const detail = { ...detailView(ctx, item, clocks, events, names, photos), ...(item.taskId ? { task: await findingTask(ctx, item) } : {}) };
  // AR-2: parts and cost are the property's business, shown to staff, not to occupants, once
  // parts were issued or the work completed (a new item's create answer has neither).
  if (!isStaffSide(ctx)) return detail;
  const stock = await workItemCost(ctx.db, ctx, item);
  return stock.parts.length || item.completedAt ? { ...detail, ...stock } : detail;
}

/** IN-4: where a finding was found — its round, the day and the checkpoint — for the link back. */
async function findingTask(ctx: SignedInCtx, item: ItemRow) {
  const [t] = await ctx.db.select({ id: tasks.id, startsAt: tasks.startsAt, planName: plans.name, planNameEn: plans.nameEn })
    .from(tasks).innerJoin(plans, eq(plans.id, tasks.planId)).where(eq(tasks.id, item.taskId!));
  if (!t) return null;
  return { id: t.id, planName: ctx.locale === 'en-US' ? t.planNameEn ?? t.planName : t.planName, startsAt: t.startsAt.toISOString(), checkpoint: item.taskCheckpoint };
}

type Photo = NonNullable<ReturnType<Awaited<ReturnType<typeof listAttachments>>['get']>>[number];
type EventViewRow = Pick<typeof workItemEvents.$inferSelect, 'id' | 'at' | 'actorName' | 'type' | 'action' | 'fromState' | 'toState' | 'body' | 'public' | 'data'>;

function detailView(ctx: SignedInCtx, item: ItemRow, clocks: ClockViewRow[], events: EventViewRow[], names: Awaited<ReturnType<typeof namesFor>>, photos: Photo[]) {
  return {
    ...toView(ctx, item, clocks, names),
    attachments: photos,
    timeline: events.map((e) => ({ id: e.id, at: e.at.toISOString(), actorName: e.actorName, type: e.type, action: e.action, fromState: e.fromState, toState: e.toState, body: e.body, public: e.public, data: e.data })),
  };
}

/** What a create wrote, kept with the row it returned so the answer needs no re-read (see createdDetail). */
const written = new WeakMap<ItemRow, { clocks: ClockViewRow[]; events: EventViewRow[]; place: { id: string; code: string; name: string } | null }>();

/**
 * The detail of an item just created, as GET /api/work-items/:id answers it: built from the rows
 * the create wrote when nothing else was attached or changed in the same transaction (the common
 * case), else read back.
 */
export async function createdDetail(ctx: SignedInCtx, item: ItemRow) {
  const w = written.get(item);
  if (!w) return getWorkItem(ctx, item.id);
  const events = isDesk(ctx) || ctx.actor.staffId ? w.events : w.events.filter((e) => e.public);
  return detailView(ctx, item, w.clocks, events, { places: new Map(w.place ? [[w.place.id, w.place]] : []), staff: new Map() }, []);
}


/**
 * Records a revisit result (RP-8) with the follow-ups the revisit module asks for: reopening a
 * completed repair, or opening a complaint linked to the item, as the system on the desk's behalf.
 */
export function recordRevisitResult(ctx: SignedInCtx, id: string, input: RevisitResult) {
  return recordRevisit(ctx, id, input, {
    reopen: async (tx, item, reason) => {
      const [row] = await tx.update(workItems).set({
        state: KINDS.repair.initial, reopenCount: item.reopenCount + 1, completedAt: null, updatedAt: ctx.now,
        confirmationCode: newConfirmationCode(item.confirmationCode), confirmedBy: null, confirmationReason: null,
      }).where(eq(workItems.id, item.id)).returning();
      await tx.insert(workItemEvents).values({ siteId: item.siteId, itemId: item.id, at: ctx.now, actorId: ctx.actor.accountId, actorName: ctx.actor.name, type: 'transition', action: 'reopen', fromState: item.state, toState: row!.state, body: reason, public: true });
      await applyClockEvent(tx, row!, 'reopen', ctx.now);
      await audit(tx, ctx, { action: 'repair.reopen', entityType: 'work_item', entityId: item.id, siteId: item.siteId, before: { state: item.state }, after: { state: row!.state, reason } });
    },
    openComplaint: async (tx, item, text) => {
      const complaint = await createWorkItem({ ...ctx }, {
        kind: 'complaint', category: item.kind === 'repair' ? 'repair_quality' : item.category, placeId: item.placeId,
        description: text, channel: 'phone', occupantId: item.occupantId, contactName: item.contactName, contactPhone: item.contactPhone,
      }, tx);
      await tx.update(workItems).set({ relatedItemId: item.id }).where(eq(workItems.id, complaint.id));
      return complaint;
    },
    stopClock: (tx, item) => applyClockEvent(tx, item, 'revisit', ctx.now),
  });
}

/** How long a completed repair stays open for the occupant to rate it or ask for it to be redone (RP-4). */
export const REOPEN_WINDOW_DAYS = 7;

/**
 * The occupant's rating after completion (RP-4, RP-8): 1–5 with a comment, changeable while the
 * item is completed or closed; a rating of 3 or less asks for a revisit.
 */
export async function rateWorkItem(ctx: SignedInCtx, id: string, input: { rating: number; comment?: string }) {
  return ctx.db.transaction(async (tx) => {
    const item = await findVisibleItem(tx, ctx, id, true);
    if (!relation(ctx, item).isReporter) throw Forbidden();
    if (item.state !== 'completed' && item.state !== 'closed') {
      throw Conflict('illegal_state', { zh: '完成后才能评价', en: 'Rate once the work is completed' });
    }
    const [row] = await tx.update(workItems).set({ rating: input.rating, ratingComment: input.comment ?? null, updatedAt: ctx.now }).where(eq(workItems.id, id)).returning();
    await tx.insert(workItemEvents).values({ siteId: item.siteId, itemId: id, at: ctx.now, actorId: ctx.actor.accountId, actorName: ctx.actor.name, type: 'rating', body: input.comment ?? null, public: true, data: { rating: input.rating } });
    await scheduleRevisit(tx, row!, 'rate', ctx.now);
    await audit(tx, ctx, { action: `${item.kind}.rate`, entityType: 'work_item', entityId: id, siteId: item.siteId, before: { rating: item.rating }, after: { rating: input.rating, comment: input.comment ?? null } });
    await announceItem(tx, row!);
    return row!;
  });
}

/**
 * Completed repairs nobody closed are closed by the system after the reopen window (RP-4), so
 * the archive and the statistics see them as finished. Claimed with SKIP LOCKED like the clocks.
 */
export async function closeStaleCompleted(db: Db, now: Date, limit = 200) {
  const cutoff = new Date(now.getTime() - REOPEN_WINDOW_DAYS * 86_400_000);
  return db.transaction(async (tx) => {
    const rows = await tx.execute<{ id: string }>(sql`select id from ${workItems} where state = 'completed' and completed_at < ${cutoff} order by completed_at limit ${limit} for update skip locked`);
    for (const { id } of rows.rows) {
      const [row] = await tx.update(workItems).set({ state: 'closed', closedAt: now, updatedAt: now }).where(eq(workItems.id, id)).returning();
      await tx.insert(workItemEvents).values({ siteId: row!.siteId, itemId: id, at: now, actorName: '系统', type: 'transition', action: 'close', fromState: 'completed', toState: 'closed', body: `完成 ${REOPEN_WINDOW_DAYS} 天后自动关闭`, public: true });
      await applyClockEvent(tx, row!, 'close', now);
      await audit(tx, { db, actor: null, now, ip: 'system', locale: 'zh-CN' }, { action: `${row!.kind}.auto_close`, entityType: 'work_item', entityId: id, siteId: row!.siteId, before: { state: 'completed' }, after: { state: 'closed' } });
      await announceItem(tx, row!);
    }
    return rows.rows.length;
  });
}
