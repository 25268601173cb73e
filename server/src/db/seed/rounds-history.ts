import { and, eq, sql } from 'drizzle-orm';
import {
  itemNumber, judgeAnswer, occurrencesBetween, shanghaiDate,
  type ChecklistItem, type HolidayRule, type PlanTemplate,
} from '@towerdesk/domain';
import type { Queryable } from '../index.ts';
import { accounts } from '../../modules/accounts/schema.ts';
import { siteCalendar } from '../../modules/calendar/service.ts';
import { staff } from '../../modules/parties/schema.ts';
import { planVersions, plans, taskAnswers, taskCheckpoints, tasks } from '../../modules/plans/schema.ts';
import { workItemCounters, workItemEvents, workItems } from '../../modules/work-items/schema.ts';
import { answerColumns, answerText } from '../../modules/plans/rounds.ts';
import { makeRng, type Rng } from './rng.ts';

/**
 * Three months of rounds behind the demo plans (issue 4 "Done when"; IN-5, AR-1): every
 * occurrence of every plan from 90 days ago (patrols: 28) until now, done by a person of its trade — most on
 * time, some late, a few missed; each visited checkpoint with its scan time and every item
 * answered typed (numbers around the middle of their range, meters running forward, the odd
 * abnormal answer), which raised a finding that was fixed and closed. So the records, rates,
 * missed-checkpoint list, readings charts and the chemical-use log have something to show.
 * Deterministic (shared PRNG); no audit rows, like the rest of the seed history.
 */
const DAYS = 90;
/**
 * Night patrols run 5 rounds a night over ~70 stairwells and car-park zones: three months of them
 * would be two thirds of all the rows and most of the seeding time, for records that look alike.
 * Four weeks of patrols show the same.
 */
const PATROL_DAYS = 28;
const MIN = 60_000;

export async function seedDemoRoundsHistory(db: Queryable, siteId: string, now: Date): Promise<{ tasks: number; answers: number; findings: number }> {
  const rng = makeRng(20261203);
  const cal = await siteCalendar(db, siteId);
  const from = new Date(now.getTime() - DAYS * 86_400_000);
  const planRows = await db.select({ p: plans, template: planVersions.template }).from(plans)
    .innerJoin(planVersions, and(eq(planVersions.planId, plans.id), eq(planVersions.version, plans.currentVersion)))
    .where(and(eq(plans.siteId, siteId), eq(plans.active, true)));
  const people = await db.select({ id: staff.id, trades: staff.trades, accountId: accounts.id }).from(staff)
    .leftJoin(accounts, eq(accounts.staffId, staff.id)).where(and(eq(staff.siteId, siteId), eq(staff.active, true)));
  const [anyAccount] = await db.select({ id: accounts.id }).from(accounts).where(sql`'admin' = any(${accounts.roles})`).limit(1);

  const taskRows: Array<typeof tasks.$inferInsert> = [];
  const cpRows: Array<typeof taskCheckpoints.$inferInsert> = [];
  const answerRows: Array<typeof taskAnswers.$inferInsert> = [];
  const findings: Array<{ id: string; at: Date; placeId: string; category: string; title: string; description: string; taskId: string; checkpoint: number; createdBy: string; closedAt: Date }> = [];
  const meters = new Map<string, number>();

  for (const { p, template } of planRows) {
    const since = p.kind === 'patrol' ? new Date(now.getTime() - PATROL_DAYS * 86_400_000) : from;
    const occ = occurrencesBetween({ rrule: p.rrule, startsOn: p.startsOn, holidayRule: p.holidayRule as HolidayRule, durationMinutes: p.durationMinutes, graceMinutes: p.graceMinutes }, since, now, cal);
    const a = p.assignee;
    const trade = a.type === 'staff' ? null : a.trade;
    const pool = a.type === 'staff' ? people.filter((s) => s.id === a.staffId) : people.filter((s) => s.trades.includes(a.trade));
    for (const o of occ) {
      if (!pool.length) continue;
      const taskId = crypto.randomUUID();
      const base = { siteId, planId: p.id, planVersion: p.currentVersion, occurrence: o.occurrence, startsAt: o.startsAt, dueAt: o.dueAt, lateAt: o.lateAt, assigneeTrade: trade, createdAt: new Date(o.startsAt.getTime() - 7 * 86_400_000) };
      // Started before now but still within its window: on today's lists, not done yet (the week
      // ahead comes from the plan seed, from now on).
      if (o.lateAt > now) {
        taskRows.push({ ...base, id: taskId, assigneeStaffId: a.type === 'staff' ? a.staffId : null, state: 'scheduled' });
        continue;
      }
      const who = rng.pick(pool);
      const fate = rng.weighted([['on_time', 90], ['late', 6], ['missed', 4]] as const);
      const cps = [...template.checkpoints].sort((x, y) => x.order - y.order);
      if (fate === 'missed') {
        taskRows.push({ ...base, id: taskId, assigneeStaffId: a.type === 'staff' ? a.staffId : null, state: 'missed', lateNotifiedAt: o.lateAt });
        for (const c of cps) cpRows.push({ siteId, taskId, planId: p.id, checkpoint: c.order, placeId: c.placeId, state: 'missed', receivedAt: o.lateAt, late: false, outOfOrder: false });
        continue;
      }
      const window = o.dueAt.getTime() - o.startsAt.getTime();
      let at = new Date(o.startsAt.getTime() + rng.real(0, 0.15) * window);
      const startedAt = at;
      // A long route now and then skips a checkpoint (the lift motor room was locked).
      const skip = cps.length > 3 && rng.chance(0.05) ? rng.int(1, cps.length - 1) : -1;
      const step = (fate === 'late' ? window * 1.4 : window * 0.8) / Math.max(cps.length, 1);
      for (const [i, c] of cps.entries()) {
        // Never after now: a late round that ran past its grace still finished before the seed.
        at = new Date(Math.min(at.getTime() + rng.real(0.5, 1) * step, now.getTime() - 10 * MIN));
        if (i === skip) {
          cpRows.push({ siteId, taskId, planId: p.id, checkpoint: c.order, placeId: c.placeId, state: 'missed', receivedAt: at, late: false, outOfOrder: false });
          continue;
        }
        cpRows.push({ siteId, taskId, planId: p.id, checkpoint: c.order, placeId: c.placeId, state: 'visited', at, receivedAt: at, staffId: who.id, ...(rng.chance(0.97) ? { proof: 'qr', reason: null } : { proof: 'manual', reason: '二维码标签污损，手工签到' }), late: at > o.lateAt, outOfOrder: false });
        for (const item of c.items) {
          const value = answerFor(item, rng, meters, `${c.placeId}:${item.id}`);
          if (value === null) continue;
          const j = judgeAnswer(item, value);
          const finding = j.valid && j.finding;
          let findingItemId: string | null = null;
          if (finding) {
            findingItemId = crypto.randomUUID();
            findings.push({
              id: findingItemId, at, placeId: c.placeId, category: categoryFor(trade), title: `${item.label}异常`,
              description: `${item.label}：${answerText(answerColumns(item, value))}（${j.why?.zh ?? '异常'}）\n—— 来自任务「${p.name}」${shanghaiDate(o.startsAt)}，点位 ${c.order}`,
              taskId, checkpoint: c.order, createdBy: who.accountId ?? anyAccount!.id, closedAt: new Date(Math.min(at.getTime() + rng.int(2, 48) * 60 * MIN, now.getTime() - MIN)),
            });
          }
          answerRows.push({
            siteId, taskId, planId: p.id, checkpoint: c.order, placeId: c.placeId, itemId: item.id, ...answerColumns(item, value),
            finding, findingItemId, at, receivedAt: at, staffId: who.id,
          });
        }
      }
      const finishedAt = new Date(Math.min(at.getTime() + rng.int(1, 5) * MIN, now.getTime() - MIN));
      taskRows.push({ ...base, id: taskId, assigneeStaffId: a.type === 'staff' ? a.staffId : who.id, state: 'done', startedAt, startedBy: who.id, finishedAt, finishedBy: who.id, lateNotifiedAt: finishedAt > o.lateAt ? o.lateAt : null });
    }
  }

  await bulkInsert(db, 'tasks', taskRows);
  await bulkInsert(db, 'task_checkpoints', cpRows);
  await seedFindings(db, siteId, findings);
  await bulkInsert(db, 'task_answers', answerRows);
  return { tasks: taskRows.length, answers: answerRows.length, findings: findings.length };
}

/**
 * Tens of thousands of rows in a few statements: each chunk goes as one JSON parameter through
 * json_populate_recordset (keys are the table's column names). A multi-row VALUES with one
 * parameter per value took ~40 s here for the 60k answers; this takes about a second.
 */
async function bulkInsert(db: Queryable, table: 'tasks' | 'task_checkpoints' | 'task_answers', rows: Array<Record<string, unknown>>) {
  const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  for (let i = 0; i < rows.length; i += 10_000) {
    // Every row names every column: json_populate_recordset gives a missing key null, not the column default.
    const chunk = rows.slice(i, i + 10_000).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [snake(k), v])));
    const cols = [...new Set(chunk.flatMap((r) => Object.keys(r)))].map((c) => `"${c}"`).join(', ');
    await db.execute(sql`insert into ${sql.identifier(table)} (${sql.raw(cols)})
      select ${sql.raw(cols)} from json_populate_recordset(null::${sql.identifier(table)}, ${JSON.stringify(chunk)}::json)`);
  }
}

/** Findings of the history: each fixed and closed a few hours later, numbered in the day's XJ sequence. */
async function seedFindings(db: Queryable, siteId: string, list: Array<{ id: string; at: Date; placeId: string; category: string; title: string; description: string; taskId: string; checkpoint: number; createdBy: string; closedAt: Date }>) {
  const perDay = new Map<string, number>();
  for (const f of [...list].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const day = shanghaiDate(f.at).replaceAll('-', '');
    const n = (perDay.get(day) ?? 0) + 1;
    perDay.set(day, n);
    await db.insert(workItems).values({
      id: f.id, siteId, number: itemNumber('XJ', shanghaiDate(f.at), n), kind: 'finding', category: f.category, urgency: 'normal', state: 'closed',
      title: f.title, description: f.description, placeId: f.placeId, channel: 'task', createdBy: f.createdBy, confirmationCode: null,
      completedAt: new Date(f.closedAt.getTime() - 30 * MIN), closedAt: f.closedAt, resolution: '已处理恢复正常', taskId: f.taskId, taskCheckpoint: f.checkpoint,
      createdAt: f.at, updatedAt: f.closedAt,
    });
    await db.insert(workItemEvents).values([
      { siteId, itemId: f.id, at: f.at, actorName: '系统', type: 'created', toState: 'new', public: true, data: { channel: 'task', urgency: 'normal' } },
      { siteId, itemId: f.id, at: f.closedAt, actorName: '系统', type: 'transition', action: 'close', fromState: 'completed', toState: 'closed', public: true },
    ]);
  }
  for (const [day, last] of perDay) {
    await db.insert(workItemCounters).values({ siteId, prefix: 'XJ', day, last })
      .onConflictDoUpdate({ target: [workItemCounters.siteId, workItemCounters.prefix, workItemCounters.day], set: { last: sql`greatest(${workItemCounters.last}, excluded.last)` } });
  }
}

const TRADE_CATEGORY: Record<string, string> = { electrical: 'electrical', plumbing: 'plumbing', hvac: 'hvac', elevator: 'lift', fire: 'fire', cleaning: 'cleaning' };
const categoryFor = (trade: string | null) => (trade && TRADE_CATEGORY[trade]) || 'other';

const TEXTS = ['正常', '无异常', '已处理', '情况良好'];
/** Text items by the ids the demo plans use (db/seed/plans.ts), so the records read like a real log. */
const TEXT_BY_ID: Record<string, string[]> = {
  product: ['吡虫啉 10% 可湿性粉剂 PD20070348', '阿维菌素 1.8% 乳油 PD20080112', '多菌灵 50% 可湿性粉剂 PD85150-44', '苯醚甲环唑 10% 水分散粒剂 PD20070189'],
  fertiliser: ['复合肥 15-15-15', '有机缓释肥', '尿素（N 46%）'],
  agent: ['石材结晶剂 K2R', '大理石晶面剂 M1'],
  species: ['一串红、万寿菊', '三角梅、长春花', '菊花、羽衣甘蓝', '蝴蝶兰、红掌'],
  who: ['行政经理 王女士', '总经理助理 陈先生', '办公室主任 李女士', '行政专员 周先生'],
  opinions: ['对保洁和维修响应满意', '希望加强午间电梯调度', '空调温度偏高，希望调整', '访客登记流程可再简化'],
  actions: ['无需跟进', '工程部一周内调整空调参数，责任人：工程主管', '客服部与安保部协调访客登记，两周内反馈'],
  topic: ['消防器材使用', '客户服务礼仪', '电梯困人应急处置', '配电安全操作规程'],
  trainer: ['安全主管', '客服经理', '工程主管'],
  contractor: ['现场负责人 刘工，作业 6 人', '现场负责人 张工，作业 4 人'],
};

/** A plausible answer: mostly normal, now and then abnormal (about 1 in 300 items). */
function answerFor(item: ChecklistItem, rng: Rng, meters: Map<string, number>, key: string): number | boolean | string | string[] | null {
  const odd = rng.chance(1 / 300);
  switch (item.kind) {
    case 'number': {
      const lo = item.min ?? 0;
      const hi = item.max ?? (item.min !== undefined ? item.min * 2 + 10 : 100);
      // Readings as a person writes them down: 0.42 MPa, 23.5 ℃, 385 V, 1200 mL.
      const r = hi - lo >= 50 ? (v: number) => Math.round(v) : hi - lo >= 5 ? (v: number) => Math.round(v * 10) / 10 : round;
      if (odd && item.max !== undefined) return r(item.max * rng.real(1.05, 1.2));
      return r(rng.tri(lo, lo + (hi - lo) * 0.45, hi) * 0.9 + (hi - lo) * 0.05 + lo * 0.1);
    }
    case 'meter': {
      const last = meters.get(key) ?? rng.int(1000, 50_000);
      const next = round(last + rng.real(5, 120));
      meters.set(key, next);
      return next;
    }
    case 'yes_no':
      return odd ? !item.expected : item.expected;
    case 'single_choice': {
      const good = item.options.filter((o) => !item.failing.includes(o));
      return odd && item.failing.length ? rng.pick(item.failing) : rng.pick(good.length ? good : item.options);
    }
    case 'multi_choice': {
      const good = item.options.filter((o) => !item.failing.includes(o));
      return odd && item.failing.length ? [rng.pick(item.failing)] : good.length ? [rng.pick(good)] : [];
    }
    case 'text':
      // The fertilising plan's product is a fertiliser, the pest-control plan's a registered pesticide.
      return rng.pick(TEXT_BY_ID[item.id === 'product' && item.label.includes('肥') ? 'fertiliser' : item.id] ?? TEXTS);
    case 'photo':
      // No photo files in the seed: photo items are left unanswered (they show as such in the records).
      return null;
  }
}

const round = (v: number) => Math.round(v * 100) / 100;
