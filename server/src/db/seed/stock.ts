import { and, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { ledgerLines, shanghaiInstant, toMilli, valueOf, type MovementKind, type StockMovement } from '@towerdesk/domain';
import type { Queryable } from '../index.ts';
import { staff } from '../../modules/parties/schema.ts';
import { places } from '../../modules/places/schema.ts';
import { stockItems, stockMovements, stockSettings } from '../../modules/stock/schema.ts';
import { DEFAULT_LABOUR_RATE_FEN } from '../../modules/stock/service.ts';
import { workItems } from '../../modules/work-items/schema.ts';
import { addDays, makeRng } from './rng.ts';

/**
 * The demo tower's store (issue 4 §7: RP-9, CL-4, AR-2): parts, tools, cleaning supplies and
 * greening materials with about three months of ledger — an opening count, weekly issues to
 * areas and people, parts issued to the repairs the history seed completed, receipts when stock
 * ran down, two stocktakes with small differences, tools lent and returned (two still out, one
 * of them overdue), and a few items left at or below their minimum so the low-stock list and the
 * reorder suggestions show something. Values come from the domain's moving average, exactly as
 * the service books them. Deterministic for a given `today` (one seeded PRNG).
 */

const SEED = 0x4a57_5700;
const DAYS = 91;

type Cat = 'spare_part' | 'tool' | 'cleaning_supply' | 'greening_material';
interface Spec {
  code: string; name: string; nameEn: string; category: Cat; unit: string; unitEn: string; costFen: number; min: number; lead: number; safety: number;
  pack: number; location: string; supplier: string;
  /** Opening count, and what is used a week (issues to areas/people; repairs add their own). */
  open: number; weekly: number;
  /** Where weekly issues go: place kinds, or 'person' (handed to staff of these trades). */
  to?: string[]; person?: string[];
  /** Repairs of these categories use this part (qty range per repair). */
  repairs?: { categories: string[]; qty: [number, number]; share: number };
  /** End the history at or below the minimum (shown on the low-stock list). */
  endLow?: boolean;
}

const SPECS: Spec[] = [
  { code: 'BJ-001', name: '水泵机械密封', nameEn: 'Pump mechanical seal', category: 'spare_part', unit: '套', unitEn: 'sets', costFen: 28_000, min: 2, lead: 10, safety: 7, pack: 1, location: 'B1 工程库 A-01', supplier: '上海凯泉泵业', open: 4, weekly: 0, repairs: { categories: ['plumbing.no_water'], qty: [1, 1], share: 0.3 } },
  { code: 'BJ-002', name: 'LED 灯管 T8 1.2m', nameEn: 'LED tube T8 1.2 m', category: 'spare_part', unit: '支', unitEn: 'tubes', costFen: 1850, min: 20, lead: 5, safety: 7, pack: 25, location: 'B1 工程库 B-03', supplier: '上海飞乐照明', open: 80, weekly: 2, to: ['stairwell', 'lift_lobby', 'carpark_zone'], repairs: { categories: ['electrical.lighting'], qty: [1, 4], share: 0.85 } },
  { code: 'BJ-003', name: '空开 C32', nameEn: 'Circuit breaker C32', category: 'spare_part', unit: '个', unitEn: 'pcs', costFen: 3600, min: 6, lead: 7, safety: 7, pack: 10, location: 'B1 工程库 B-05', supplier: '正泰电器上海分公司', open: 16, weekly: 0.5, person: ['electrical'], repairs: { categories: ['electrical.power_outage', 'electrical.socket'], qty: [1, 2], share: 0.6 }, endLow: true },
  { code: 'BJ-004', name: '电工胶布', nameEn: 'Insulating tape', category: 'spare_part', unit: '卷', unitEn: 'rolls', costFen: 350, min: 10, lead: 3, safety: 3, pack: 10, location: 'B1 工程库 B-06', supplier: '五金批发（曹安路）', open: 40, weekly: 1, person: ['electrical'], repairs: { categories: ['electrical.socket', 'electrical.power_outage'], qty: [1, 1], share: 0.7 } },
  { code: 'BJ-005', name: '五孔插座面板', nameEn: 'Socket panel (5-pin)', category: 'spare_part', unit: '个', unitEn: 'pcs', costFen: 1200, min: 10, lead: 5, safety: 5, pack: 10, location: 'B1 工程库 B-07', supplier: '公牛电器', open: 30, weekly: 0, repairs: { categories: ['electrical.socket'], qty: [1, 2], share: 0.8 } },
  { code: 'BJ-006', name: 'PPR 管接头 DN20', nameEn: 'PPR fitting DN20', category: 'spare_part', unit: '个', unitEn: 'pcs', costFen: 450, min: 20, lead: 5, safety: 5, pack: 50, location: 'B1 工程库 C-01', supplier: '伟星管业', open: 100, weekly: 0, repairs: { categories: ['plumbing.leak'], qty: [1, 4], share: 0.8 } },
  { code: 'BJ-007', name: '生料带', nameEn: 'PTFE tape', category: 'spare_part', unit: '卷', unitEn: 'rolls', costFen: 150, min: 20, lead: 3, safety: 3, pack: 20, location: 'B1 工程库 C-02', supplier: '五金批发（曹安路）', open: 60, weekly: 0, repairs: { categories: ['plumbing.leak', 'plumbing.fixture'], qty: [1, 1], share: 0.9 } },
  { code: 'BJ-008', name: '水龙头阀芯', nameEn: 'Tap cartridge', category: 'spare_part', unit: '个', unitEn: 'pcs', costFen: 2800, min: 5, lead: 7, safety: 7, pack: 5, location: 'B1 工程库 C-03', supplier: '九牧卫浴', open: 15, weekly: 0, repairs: { categories: ['plumbing.fixture'], qty: [1, 1], share: 0.7 } },
  { code: 'BJ-009', name: '空调过滤网', nameEn: 'Air-con filter', category: 'spare_part', unit: '片', unitEn: 'pcs', costFen: 4500, min: 8, lead: 10, safety: 7, pack: 10, location: 'B1 工程库 D-01', supplier: '上海大金空调', open: 30, weekly: 0, repairs: { categories: ['hvac.ventilation', 'hvac.temperature'], qty: [1, 2], share: 0.5 } },
  { code: 'GJ-001', name: '管钳 14 寸', nameEn: 'Pipe wrench 14"', category: 'tool', unit: '把', unitEn: 'pcs', costFen: 9800, min: 0, lead: 7, safety: 0, pack: 1, location: 'B1 工具间 T-01', supplier: '世达工具', open: 3, weekly: 0 },
  { code: 'GJ-002', name: '万用表', nameEn: 'Multimeter', category: 'tool', unit: '台', unitEn: 'pcs', costFen: 32_000, min: 0, lead: 7, safety: 0, pack: 1, location: 'B1 工具间 T-02', supplier: '优利德', open: 3, weekly: 0 },
  { code: 'GJ-003', name: '梯子（铝合金 2.5m）', nameEn: 'Ladder (aluminium 2.5 m)', category: 'tool', unit: '把', unitEn: 'pcs', costFen: 45_000, min: 0, lead: 7, safety: 0, pack: 1, location: 'B1 工具间 T-03', supplier: '稳耐梯具', open: 4, weekly: 0 },
  { code: 'GJ-004', name: '电锤', nameEn: 'Rotary hammer', category: 'tool', unit: '台', unitEn: 'pcs', costFen: 68_000, min: 0, lead: 7, safety: 0, pack: 1, location: 'B1 工具间 T-04', supplier: '博世电动工具', open: 2, weekly: 0 },
  { code: 'BJ-101', name: '多功能清洁剂 5L', nameEn: 'All-purpose cleaner 5 L', category: 'cleaning_supply', unit: '桶', unitEn: 'cans', costFen: 6800, min: 6, lead: 5, safety: 5, pack: 4, location: 'B1 保洁库 S-01', supplier: '庄臣泰华', open: 24, weekly: 3, to: ['washroom', 'lift_lobby', 'public_area'] },
  { code: 'BJ-102', name: '垃圾袋（四分类）', nameEn: 'Bin bags (four categories)', category: 'cleaning_supply', unit: '卷', unitEn: 'rolls', costFen: 350, min: 60, lead: 5, safety: 7, pack: 50, location: 'B1 保洁库 S-02', supplier: '上海洁诺', open: 300, weekly: 40, to: ['washroom', 'public_area', 'floor'], endLow: true },
  { code: 'BJ-103', name: '擦手纸', nameEn: 'Hand towels', category: 'cleaning_supply', unit: '箱', unitEn: 'cases', costFen: 9500, min: 8, lead: 5, safety: 5, pack: 1, location: 'B1 保洁库 S-03', supplier: '维达纸业', open: 30, weekly: 6, to: ['washroom'] },
  { code: 'BJ-104', name: '石材养护剂 1L', nameEn: 'Stone care 1 L', category: 'cleaning_supply', unit: '瓶', unitEn: 'bottles', costFen: 12_000, min: 2, lead: 10, safety: 7, pack: 6, location: 'B1 保洁库 S-04', supplier: '庄臣泰华', open: 10, weekly: 0.7, to: ['lift_lobby', 'public_area'] },
  { code: 'BJ-201', name: '复合肥 (15-15-15)', nameEn: 'Compound fertiliser (15-15-15)', category: 'greening_material', unit: 'kg', unitEn: 'kg', costFen: 600, min: 10, lead: 7, safety: 7, pack: 25, location: '屋顶花园 储物间 G-01', supplier: '上海绿化用品站', open: 50, weekly: 2.5, to: ['landscape_area', 'roof'] },
  { code: 'BJ-202', name: '杀虫剂（吡虫啉）', nameEn: 'Insecticide (imidacloprid)', category: 'greening_material', unit: '瓶', unitEn: 'bottles', costFen: 2500, min: 2, lead: 7, safety: 7, pack: 10, location: '屋顶花园 储物间 G-02（上锁）', supplier: '上海绿化用品站', open: 8, weekly: 0.5, to: ['landscape_area'] },
  { code: 'BJ-203', name: '草花（时令）', nameEn: 'Seasonal bedding plants', category: 'greening_material', unit: '盆', unitEn: 'pots', costFen: 800, min: 0, lead: 3, safety: 0, pack: 50, location: '屋顶花园 苗圃', supplier: '上海花卉市场（曹安）', open: 0, weekly: 0, to: ['landscape_area'] },
];

interface Row extends StockMovement {
  siteId: string;
  targetKind?: string;
  targetId?: string;
  note?: string;
  actorName: string;
}

export interface StockSummary { items: number; movements: number; toolsOut: number; low: number }

export async function seedDemoStock(db: Queryable, siteId: string, today: string, now: Date): Promise<StockSummary> {
  const rng = makeRng(SEED);
  const start = addDays(today, -DAYS);
  const at = (day: string, hh: number, mm = 0) => shanghaiInstant(day, `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`);

  const itemRows = await db.insert(stockItems).values(SPECS.map((s) => ({
    siteId, code: s.code, name: s.name, nameEn: s.nameEn, category: s.category, unit: s.unit, unitEn: s.unitEn, unitCostFen: s.costFen,
    minLevelMilli: toMilli(s.min), leadTimeDays: s.lead, safetyStockDays: s.safety, packSizeMilli: toMilli(s.pack), location: s.location,
    createdAt: at(start, 8), updatedAt: at(start, 8),
  }))).returning({ id: stockItems.id, code: stockItems.code });
  const idOf = new Map(itemRows.map((r) => [r.code, r.id]));
  await db.insert(stockSettings).values({ siteId, labourRateFenPerHour: DEFAULT_LABOUR_RATE_FEN, updatedAt: at(start, 8) });

  const placeRows = await db.select({ id: places.id, kind: places.kind }).from(places).where(and(eq(places.siteId, siteId), eq(places.active, true)));
  const placesOf = (kinds: string[]) => placeRows.filter((p) => kinds.includes(p.kind));
  const staffRows = await db.select({ id: staff.id, name: staff.name, trades: staff.trades }).from(staff).where(and(eq(staff.siteId, siteId), eq(staff.active, true)));
  const staffOf = (trades: string[]) => staffRows.filter((s) => s.trades.some((t) => trades.includes(t)));
  const nameOf = new Map(staffRows.map((s) => [s.id, s.name]));
  const keeper = staffOf(['general'])[0]?.name ?? '库管员';
  const repairs = await db.select({ id: workItems.id, category: workItems.category, completedAt: workItems.completedAt, assignee: workItems.assigneeStaffId })
    .from(workItems).where(and(eq(workItems.siteId, siteId), inArray(workItems.kind, ['repair', 'finding']), isNotNull(workItems.completedAt),
      gte(workItems.completedAt, at(start, 0)), lt(workItems.completedAt, now)))
    .orderBy(workItems.completedAt);

  // Labour on every completed repair and finding (the history seed records none): minutes by trade,
  // mostly short, a few long — the other half of a repair's cost (AR-2).
  const done = await db.select({ id: workItems.id, category: workItems.category }).from(workItems)
    .where(and(eq(workItems.siteId, siteId), inArray(workItems.kind, ['repair', 'finding']), isNotNull(workItems.completedAt), sql`${workItems.labourMinutes} is null`))
    .orderBy(workItems.number);
  const labour = done.map((w) => {
    const long = w.category.startsWith('lift') || w.category.startsWith('hvac') || w.category === 'electrical.power_outage' || w.category === 'plumbing.no_water';
    return [w.id, Math.round(long ? rng.tri(30, 75, 240) : rng.tri(10, 30, 120) / 5) * (long ? 1 : 5)] as const;
  });
  for (let i = 0; i < labour.length; i += 2000) {
    const chunk = labour.slice(i, i + 2000);
    await db.execute(sql`update ${workItems} set labour_minutes = v.m from (values ${sql.join(chunk.map(([id, m]) => sql`(${id}::uuid, ${m}::int)`), sql`, `)}) as v(id, m) where ${workItems.id} = v.id`);
  }

  // Every movement of every item, in time order, kept by item with a running balance so nothing over-issues.
  const byItem = new Map<string, Row[]>();
  const balance = new Map<string, number>();
  const push = (spec: Spec, r: Omit<Row, 'itemId' | 'siteId'>) => {
    const itemId = idOf.get(spec.code)!;
    const list = byItem.get(itemId) ?? byItem.set(itemId, []).get(itemId)!;
    list.push({ ...r, itemId, siteId });
    const b = balance.get(itemId) ?? 0;
    const q = toMilli(r.qty);
    balance.set(itemId, r.kind === 'stocktake' ? q : r.kind === 'issue' || r.kind === 'tool_checkout' ? b - q : b + q);
  };
  const onHand = (spec: Spec) => (balance.get(idOf.get(spec.code)!) ?? 0) / 1000;
  const round = (q: number, spec: Spec) => (spec.unit === 'kg' ? Math.round(q * 10) / 10 : Math.max(1, Math.round(q)));

  for (const s of SPECS) if (s.open > 0) push(s, { kind: 'stocktake', at: at(start, 8), qty: s.open, note: '期初盘点', actorName: keeper });

  const repairQueue = [...repairs];
  for (let d = 0; d < DAYS; d++) {
    const day = addDays(start, d);
    const lastDays = d >= DAYS - 10;
    // Parts on the repairs completed today.
    while (repairQueue.length && repairQueue[0]!.completedAt! < at(addDays(day, 1), 0)) {
      const w = repairQueue.shift()!;
      for (const s of SPECS) {
        if (!s.repairs?.categories.includes(w.category) || !rng.chance(s.repairs.share)) continue;
        const qty = rng.int(s.repairs.qty[0], s.repairs.qty[1]);
        if (onHand(s) < qty) continue;
        push(s, { kind: 'issue', at: w.completedAt!, qty, target: { kind: 'work_item', id: w.id }, targetKind: 'work_item', targetId: w.id, actorName: (w.assignee && nameOf.get(w.assignee)) || keeper });
      }
    }
    // Routine issues to areas and people, on weekdays at 08:30.
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (dow >= 1 && dow <= 5) {
      for (const s of SPECS) {
        if (!s.weekly || (!s.to && !s.person)) continue;
        // Items meant to end low keep being used in the last days without a refill.
        const want = round(rng.real(0.6, 1.4) * s.weekly / 5, s);
        if (want <= 0 || onHand(s) < want || !rng.chance(s.weekly >= 2 ? 0.9 : 0.35)) continue;
        const toPerson = s.person && (!s.to || rng.chance(0.5));
        if (toPerson) {
          const p = rng.pick(staffOf(s.person!));
          push(s, { kind: 'issue', at: at(day, 8, 30), qty: want, target: { kind: 'person', id: p.id }, targetKind: 'person', targetId: p.id, actorName: keeper });
        } else {
          const candidates = placesOf(s.to!);
          if (!candidates.length) continue;
          const p = rng.pick(candidates);
          push(s, { kind: 'issue', at: at(day, 8, 30), qty: want, target: { kind: 'place', id: p.id }, targetKind: 'place', targetId: p.id, actorName: keeper });
        }
      }
    }
    // Items meant to end low: the last big issue takes them just below their minimum, and no refill follows.
    if (d === DAYS - 2) {
      for (const s of SPECS.filter((x) => x.endLow)) {
        const qty = onHand(s) - s.min + 1;
        const p = s.to ? rng.pick(placesOf(s.to)) : null;
        const person = p ? null : rng.pick(staffOf(s.person ?? ['electrical']));
        if (qty > 0) push(s, { kind: 'issue', at: at(day, 9, 15), qty, target: p ? { kind: 'place', id: p.id } : { kind: 'person', id: person!.id }, targetKind: p ? 'place' : 'person', targetId: p?.id ?? person!.id, note: '集中领用', actorName: keeper });
      }
    }
    // Seasonal flowers: one delivery mid-way, planted the same week.
    if (d === 40) {
      const flowers = SPECS.find((s) => s.code === 'BJ-203')!;
      push(flowers, { kind: 'receive', at: at(day, 9), qty: 200, supplier: flowers.supplier, unitCostFen: 750, actorName: keeper });
      const beds = placesOf(['landscape_area', 'roof']);
      for (let i = 0; i < 4 && beds.length; i++) {
        const p = beds[i % beds.length]!;
        push(flowers, { kind: 'issue', at: at(addDays(day, 1 + i), 9), qty: 50, target: { kind: 'place', id: p.id }, targetKind: 'place', targetId: p.id, note: '时令草花更换', actorName: keeper });
      }
    }
    // Stocktakes a month apart: most counts agree, a few differ by a unit or two.
    if (d === 30 || d === 61) {
      for (const s of SPECS) {
        if (s.category === 'tool' || !byItem.has(idOf.get(s.code)!)) continue;
        const diff = rng.chance(0.25) ? rng.int(-2, 1) : 0;
        push(s, { kind: 'stocktake', at: at(day, 17), qty: Math.max(0, onHand(s) + diff), note: `${day.slice(0, 7)} 月度盘点`, actorName: keeper });
      }
    }
    // Receipts: when the shelf is at the reorder level, a delivery of whole packs that afternoon.
    for (const s of SPECS) {
      if (s.category === 'tool' || s.code === 'BJ-203' || (s.endLow && lastDays)) continue;
      const reorderAt = Math.max(s.min, s.weekly * (s.lead + s.safety) / 7);
      if (onHand(s) > reorderAt || d >= DAYS - 1) continue;
      const packs = Math.max(1, Math.ceil((s.open - onHand(s)) / s.pack));
      const price = Math.round(s.costFen * rng.real(0.95, 1.08));
      push(s, { kind: 'receive', at: at(day, 17, 30), qty: packs * s.pack, supplier: s.supplier, unitCostFen: price, note: `采购单 CG${day.replaceAll('-', '')}`, actorName: keeper });
    }
  }

  // Tools: lent for a day or two and returned; at the end one ladder out since yesterday (due
  // tomorrow) and one multimeter overdue by three days.
  const techs = staffOf(['electrical', 'plumbing', 'general', 'hvac']);
  const toolSpecs = SPECS.filter((s) => s.category === 'tool');
  let toolsStillOut = 0;
  const lend = (s: Spec, day: string, person: { id: string }, days: number, returned: boolean, note: string) => {
    const id = crypto.randomUUID();
    push(s, { id, kind: 'tool_checkout', at: at(day, 9), qty: 1, personId: person.id, dueBack: addDays(day, days), note, actorName: keeper });
    if (returned) push(s, { kind: 'tool_return', at: at(addDays(day, rng.int(0, days)), 17), qty: 1, checkoutId: id, actorName: keeper });
    else toolsStillOut++;
  };
  for (let d = 3; d < DAYS - 6; d += rng.int(2, 5)) lend(rng.pick(toolSpecs), addDays(start, d), rng.pick(techs), rng.int(1, 3), true, rng.pick(['12层换灯', '水泵房检修', '屋顶排水沟清理', '配电房巡检', '卫生间管道疏通']));
  lend(toolSpecs.find((s) => s.code === 'GJ-002')!, addDays(today, -5), techs[0]!, 2, false, '地下车库照明回路排查');
  lend(toolSpecs.find((s) => s.code === 'GJ-003')!, addDays(today, -1), techs[1] ?? techs[0]!, 2, false, '18层走廊换灯');

  // Value every item's ledger by the domain's moving average and write it in time order (the
  // ledger's seq follows insertion, so it agrees with time).
  const rows: Array<typeof stockMovements.$inferInsert> = [];
  for (const s of SPECS) {
    const itemId = idOf.get(s.code)!;
    const list = (byItem.get(itemId) ?? []).filter((m) => m.at <= now).map((m, i) => ({ ...m, seq: i }));
    // Generated roughly in order; in time order an issue that finds the shelf short (a repair late
    // in a day that was counted earlier) is dropped, as the store would have refused it.
    let shelf = 0;
    const dropped = new Set<string>();
    const ordered = [...list].sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq).filter((m) => {
      const q = toMilli(m.qty);
      if (m.kind === 'tool_return' && dropped.has(m.checkoutId!)) return false;
      if ((m.kind === 'issue' || m.kind === 'tool_checkout') && q > shelf) {
        if (m.id) dropped.add(m.id);
        return false;
      }
      shelf = m.kind === 'stocktake' ? q : m.kind === 'issue' || m.kind === 'tool_checkout' ? shelf - q : shelf + q;
      return true;
    }).map((m, i) => ({ ...m, seq: i }));
    const value = valueOf(ordered, s.costFen).lines;
    const lines = ledgerLines(ordered);
    let prev = 0;
    lines.forEach((l, i) => {
      const m = l.movement as Row & { seq: number };
      const v = value[i]!;
      rows.push({
        id: m.id, siteId, itemId, kind: m.kind as MovementKind, at: m.at, qtyMilli: toMilli(m.qty), deltaMilli: toMilli(l.delta),
        valueDeltaFen: v.valueAfterFen - prev, costFen: v.costFen, unitCostFen: m.unitCostFen ?? null, supplier: m.supplier ?? null,
        targetKind: m.targetKind ?? null, targetId: m.targetId ?? null, reason: m.reason ?? null, personId: m.personId ?? null, dueBack: m.dueBack ?? null,
        checkoutId: m.checkoutId ?? null, note: m.note ?? null, actorName: m.actorName,
      });
      prev = v.valueAfterFen;
    });
  }
  rows.sort((a, b) => (a.at as Date).getTime() - (b.at as Date).getTime());
  for (let i = 0; i < rows.length; i += 1000) await db.insert(stockMovements).values(rows.slice(i, i + 1000));
  const { rows: low } = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from ${stockItems} i
      join (select item_id, sum(delta_milli) as b from ${stockMovements} group by item_id) m on m.item_id = i.id
     where i.site_id = ${siteId} and (m.b < 0 or (i.min_level_milli > 0 and m.b <= i.min_level_milli))`);
  return { items: SPECS.length, movements: rows.length, toolsOut: toolsStillOut, low: low[0]?.n ?? 0 };
}
