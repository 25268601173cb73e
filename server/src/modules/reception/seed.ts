import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { dayKind, shanghaiInstant } from '@towerdesk/domain';
import type { Queryable } from '../../db/index.ts';
import { addDays, makeRng } from '../../db/seed/rng.ts';
import { accounts } from '../accounts/schema.ts';
import { siteCalendar } from '../calendar/service.ts';
import { companies, occupants } from '../parties/schema.ts';
import { workItems } from '../work-items/schema.ts';
import { receptions } from './schema.ts';
import type { Channel, Topic } from './topics.ts';

/**
 * Six months of desk contacts for the demo tower (CS-4), so the reception statistics show real
 * weeks. Every seeded work item that came by phone or walk-in gets the reception it was filed
 * from, linked to it; around them, the contacts that never become an item — questions, visitors,
 * suggestions — a few per working day of the site's calendar (public holidays are quiet, 调休
 * make-up Saturdays are busy). Deterministic for a given `today` (one seeded PRNG; only row ids are
 * random); nothing after `now`, the instant seedIfEmpty passes to every seed; bulk inserts without
 * audit rows, like the rest of the seed. Runs after seedDemoHistory (it reads the items). Returns
 * the number of records.
 */
export async function seedDemoReceptions(db: Queryable, siteId: string, today: string, now: Date): Promise<number> {
  const rng = makeRng(0x5ec0_0b1d);
  const cal = await siteCalendar(db, siteId);
  const desk = await db.select({ id: accounts.id }).from(accounts)
    .where(and(eq(accounts.siteId, siteId), sql`'agent' = any(${accounts.roles})`)).orderBy(asc(accounts.username));
  const people = await db.select({ id: occupants.id, companyId: occupants.companyId, unitIds: occupants.unitIds }).from(occupants)
    .where(and(eq(occupants.siteId, siteId), eq(occupants.active, true))).orderBy(asc(occupants.phone));
  const firms = await db.select({ id: companies.id, unitIds: companies.unitIds }).from(companies)
    .where(eq(companies.siteId, siteId)).orderBy(asc(companies.name));
  if (!desk.length || !people.length) return 0;
  const unitOfCompany = new Map(firms.map((c) => [c.id, c.unitIds[0] ?? null]));
  const unitOf = new Map(people.map((p) => [p.id, p.unitIds[0] ?? (p.companyId ? unitOfCompany.get(p.companyId) ?? null : null)]));
  const rows: Row[] = [];

  // --- the contacts items were filed from
  const items = await db.select({
    id: workItems.id, number: workItems.number, kind: workItems.kind, state: workItems.state, channel: workItems.channel,
    occupantId: workItems.occupantId, companyId: workItems.companyId, contactName: workItems.contactName, description: workItems.description,
    createdBy: workItems.createdBy, createdAt: workItems.createdAt,
  }).from(workItems).where(and(eq(workItems.siteId, siteId), inArray(workItems.channel, ['phone', 'walk_in']))).orderBy(asc(workItems.number));
  for (const it of items) {
    if (!it.occupantId && !it.contactName) continue;
    // The call came a few minutes before the agent filed the item.
    const at = new Date(it.createdAt.getTime() - rng.int(1, 6) * 60_000);
    const done = ['completed', 'resolved', 'answered', 'closed'].includes(it.state);
    rows.push({
      siteId, at, channel: it.channel === 'phone' ? 'call' as const : 'walk_in' as const, occupantId: it.occupantId, companyId: it.companyId,
      unitId: it.occupantId ? unitOf.get(it.occupantId) ?? null : null, contactName: it.occupantId ? null : it.contactName, contactPhone: null,
      topic: it.kind as Topic, summary: it.description, actionTaken: `已登记${KIND_ZH[it.kind] ?? '工单'} ${it.number}`,
      result: it.state === 'cancelled' ? '已取消' : done ? '已处理完毕' : '处理中', agentAccountId: it.createdBy,
      workItemIds: [it.id], createdAt: it.createdAt,
    });
  }

  // --- contacts that never became a work item
  for (let d = addDays(today, -181); d <= today; d = addDays(d, 1)) {
    const working = ['workday', 'makeup'].includes(dayKind(cal, d).kind);
    const n = rng.poisson(working ? 4 : 1);
    for (let i = 0; i < n; i++) {
      const minute = rng.int(8 * 60 + 30, 18 * 60 + 30);
      const at = shanghaiInstant(d, `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`);
      const topic = rng.weighted<Topic>([['inquiry', 5], ['visitor', 3], ['suggestion', 1], ['other', 1]]);
      const spec = rng.pick(EXTRA[topic]!);
      const channel: Channel = topic === 'visitor' ? 'walk_in' : rng.weighted<Channel>([['call', 6], ['walk_in', 3], ['message', 1]]);
      const who = rng.pick(people);
      // Visitors are not occupants: they are recorded by name and the company they came to.
      const visitor = topic === 'visitor';
      const companyId = who.companyId;
      rows.push({
        siteId, at, channel, occupantId: visitor ? null : who.id, companyId,
        unitId: visitor ? (companyId ? unitOfCompany.get(companyId) ?? null : null) : unitOf.get(who.id) ?? null,
        contactName: visitor ? `${rng.pick(SURNAMES)}${rng.pick(['先生', '女士'])}` : null,
        contactPhone: visitor ? `1${rng.pick(['35', '38', '39', '58', '86'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}` : null,
        topic, summary: spec[0], actionTaken: spec[1], result: spec[2], agentAccountId: rng.pick(desk).id, workItemIds: [],
        createdAt: new Date(at.getTime() + rng.int(1, 10) * 60_000),
      });
    }
  }
  const past = rows.filter((r) => r.at.getTime() <= now.getTime());
  // One INSERT … SELECT FROM unnest: one parameter per column, not per value (as db/seed/history.ts).
  const col = <T,>(f: (r: Row) => T) => sql.param(past.map(f));
  if (past.length) {
    await db.execute(sql`insert into ${receptions} (site_id, at, channel, occupant_id, company_id, unit_id, contact_name, contact_phone, topic,
        summary, action_taken, result, agent_account_id, work_item_ids, created_at)
      select site_id, at, channel, occupant_id, company_id, unit_id, contact_name, contact_phone, topic, summary, action_taken, result,
             agent_account_id, work_item_ids::uuid[], created_at
        from unnest(${col((r) => r.siteId)}::uuid[], ${col((r) => r.at.toISOString())}::timestamptz[], ${col((r) => r.channel)}::text[],
                    ${col((r) => r.occupantId)}::uuid[], ${col((r) => r.companyId)}::uuid[], ${col((r) => r.unitId)}::uuid[],
                    ${col((r) => r.contactName)}::text[], ${col((r) => r.contactPhone)}::text[], ${col((r) => r.topic)}::text[],
                    ${col((r) => r.summary)}::text[], ${col((r) => r.actionTaken)}::text[], ${col((r) => r.result)}::text[],
                    ${col((r) => r.agentAccountId)}::uuid[], ${col((r) => `{${r.workItemIds.join(',')}}`)}::text[], ${col((r) => r.createdAt.toISOString())}::timestamptz[])
          as u(site_id, at, channel, occupant_id, company_id, unit_id, contact_name, contact_phone, topic, summary, action_taken, result,
               agent_account_id, work_item_ids, created_at)`);
  }
  return past.length;
}

interface Row {
  siteId: string; at: Date; channel: Channel; occupantId: string | null; companyId: string | null; unitId: string | null;
  contactName: string | null; contactPhone: string | null; topic: Topic; summary: string; actionTaken: string; result: string;
  agentAccountId: string; workItemIds: string[]; createdAt: Date;
}

const KIND_ZH: Record<string, string> = { repair: '报修', complaint: '投诉', inquiry: '咨询' };
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '朱', '胡', '郭', '何', '林', '高'];

/** [summary, action taken, result] of contacts handled at the desk. */
const EXTRA: Partial<Record<Topic, Array<[string, string, string]>>> = {
  inquiry: [
    ['咨询停车月卡办理流程', '告知办理材料及地点（B1 停车场管理处）', '已解答'],
    ['咨询物业费发票开具时间', '告知每月 10 日前开具，可到服务中心领取', '已解答'],
    ['询问周末空调加班申请办法', '发送加班空调申请表，说明费用标准', '已解答'],
    ['咨询装修施工申请流程', '告知需提交装修方案和施工单位资质，工作日办理', '已解答'],
    ['询问大厦周末开放时间', '告知周末 8:00–20:00 凭门禁卡进出', '已解答'],
    ['咨询访客二维码如何开通', '指导在手机端为访客生成通行二维码', '已解答'],
    ['咨询大件物品搬出手续', '告知需单位出具放行条，保安核对后放行', '已解答'],
    ['询问会议室预订方式', '告知公共会议室可在服务中心登记预订', '已解答'],
  ],
  visitor: [
    ['访客来访，已登记并联系被访单位', '电话通知被访单位前台接待', '被访单位已接走'],
    ['快递员送件，收件人不在', '代为签收，已通知收件人到前台领取', '已领取'],
    ['面试人员来访', '登记后联系被访单位人事', '已引导上楼'],
    ['外卖配送到大堂', '引导至指定取餐区', '已处理'],
  ],
  suggestion: [
    ['建议午间高峰加开一部电梯', '已记录并转工程部评估', '已转交'],
    ['建议延长工作日空调供应时间', '已记录，月度例会讨论', '已转交'],
    ['建议在大堂增设休息座椅', '已记录并转物业经理', '已转交'],
  ],
  other: [
    ['拾到员工卡一张', '登记失物，联系持卡单位', '已归还'],
    ['询问失物招领', '查询失物登记簿', '已找到并归还'],
    ['反映大堂背景音乐音量偏大', '通知中控室调低音量', '已调整'],
  ],
};
