// The category trees the desk and the occupant's report form pick from (RP-1, RP-2, CP-1).
// A category names the trade that is dispatched (or the department responsible for a complaint)
// and the urgency a new item gets by default; the desk may change the urgency with a reason.
//
// Codes are unique across all kinds, so a code alone names a category (the clock policy table
// keys on it). A child's code is its parent's code, a dot and a suffix: 'plumbing.leak'.

import type { Trade } from '../places.ts';
import type { Urgency, WorkItemKind } from './kinds.ts';

export interface Category {
  code: string;
  zh: string;
  en: string;
  kind: WorkItemKind;
  trade: Trade | null;
  defaultUrgency: Urgency;
  children?: Category[];
}

type Spec = [code: string, zh: string, en: string, trade: Trade | null, urgency: Urgency, children?: Spec[]];

function build(kind: WorkItemKind, specs: Spec[]): Category[] {
  return specs.map(([code, zh, en, trade, defaultUrgency, children]) => {
    const c: Category = { code, zh, en, kind, trade, defaultUrgency };
    if (children) c.children = build(kind, children);
    return c;
  });
}

// Urgent = a safety risk or a failure that stops normal office use (RP-2, CS-2): a person trapped
// in a lift, a fire alarm, water spreading, a floor without power.
const REPAIR_TREE = build('repair', [
  ['electrical', '电气', 'Electrical', 'electrical', 'normal', [
    ['electrical.lighting', '照明灯具', 'Lighting', 'electrical', 'normal'],
    ['electrical.socket', '插座开关', 'Sockets and switches', 'electrical', 'normal'],
    ['electrical.power_outage', '停电跳闸', 'Power outage / tripped breaker', 'electrical', 'urgent'],
  ]],
  ['plumbing', '给排水', 'Plumbing', 'plumbing', 'normal', [
    ['plumbing.leak', '漏水渗水', 'Leak / water spreading', 'plumbing', 'urgent'],
    ['plumbing.blocked_drain', '下水堵塞', 'Blocked drain or toilet', 'plumbing', 'normal'],
    ['plumbing.fixture', '洁具龙头', 'Taps and sanitary fittings', 'plumbing', 'normal'],
    ['plumbing.no_water', '停水', 'No water supply', 'plumbing', 'urgent'],
  ]],
  ['hvac', '空调暖通', 'Air conditioning / HVAC', 'hvac', 'normal', [
    ['hvac.temperature', '空调不制冷/不制热', 'Too hot / too cold', 'hvac', 'normal'],
    ['hvac.ventilation', '新风排风', 'Fresh air / exhaust', 'hvac', 'normal'],
    ['hvac.noise_drip', '空调异响滴水', 'Noisy or dripping unit', 'hvac', 'normal'],
  ]],
  ['lift', '电梯', 'Lift', 'elevator', 'normal', [
    ['lift.entrapment', '电梯困人', 'Person trapped in a lift', 'elevator', 'urgent'],
    ['lift.out_of_service', '电梯停运故障', 'Lift out of service', 'elevator', 'normal'],
  ]],
  ['doors', '门窗门禁', 'Doors, locks and access', 'general', 'normal', [
    ['doors.lock', '门锁', 'Door lock', 'general', 'normal'],
    ['doors.access', '门禁闸机', 'Access control / turnstile', 'general', 'normal'],
    ['doors.window', '门窗玻璃', 'Doors, windows and glass', 'general', 'normal'],
  ]],
  ['fire', '消防设施', 'Fire equipment', 'fire', 'normal', [
    ['fire.alarm', '火警报警', 'Fire alarm sounding', 'fire', 'urgent'],
    ['fire.equipment', '消防器材', 'Extinguishers, hoses, signs', 'fire', 'normal'],
  ]],
  ['cleaning', '保洁', 'Cleaning', 'cleaning', 'normal'],
  ['other', '其他', 'Other', 'general', 'normal'],
]);

// Complaints name the department that answers for them (CP-2) through the trade.
const COMPLAINT_TREE = build('complaint', [
  ['attitude', '服务态度', 'Service attitude', 'customer_service', 'normal'],
  ['repair_quality', '维修质量', 'Repair quality', 'general', 'normal'],
  ['sanitation', '环境卫生', 'Cleanliness', 'cleaning', 'normal'],
  ['security', '安全秩序', 'Security and order', 'security', 'normal'],
  ['parking', '停车管理', 'Parking', 'security', 'normal'],
  ['noise', '噪音扰民', 'Noise', 'security', 'normal'],
  ['charges', '收费问题', 'Charges and fees', 'customer_service', 'normal'],
  ['complaint_other', '其他投诉', 'Other complaint', 'customer_service', 'normal'],
]);

const INQUIRY_TREE = build('inquiry', [
  ['consultation', '咨询', 'Question', 'customer_service', 'normal'],
  ['suggestion', '建议', 'Suggestion', 'customer_service', 'normal'],
  ['praise', '表扬', 'Praise', 'customer_service', 'low'],
]);

export const CATEGORY_TREES: Record<WorkItemKind, readonly Category[]> = {
  repair: REPAIR_TREE,
  // A finding is routed like a repair (IN-4): same categories, same trades.
  finding: REPAIR_TREE,
  complaint: COMPLAINT_TREE,
  inquiry: INQUIRY_TREE,
};

function flatten(cats: readonly Category[], out: Category[] = []): Category[] {
  for (const c of cats) {
    out.push(c);
    if (c.children) flatten(c.children, out);
  }
  return out;
}

/** Every category of every kind, parents before their children. */
export const ALL_CATEGORIES: readonly Category[] = flatten([...REPAIR_TREE, ...COMPLAINT_TREE, ...INQUIRY_TREE]);
/** Every code, for request validation (z.enum(CATEGORY_CODES)). */
export const CATEGORY_CODES = ALL_CATEGORIES.map((c) => c.code) as [string, ...string[]];

const BY_CODE = new Map(ALL_CATEGORIES.map((c) => [c.code, c]));

export function findCategory(code: string): Category | undefined {
  return BY_CODE.get(code);
}

function mustFind(code: string): Category {
  const c = BY_CODE.get(code);
  if (!c) throw new RangeError(`unknown category "${code}"`);
  return c;
}

/** The tree (roots with children) of one kind, for pickers. */
export function categoriesOf(kind: WorkItemKind): readonly Category[] {
  return CATEGORY_TREES[kind];
}

/** The urgency a new item of this category gets (RP-2). Throws on an unknown code. */
export function defaultUrgency(code: string): Urgency {
  return mustFind(code).defaultUrgency;
}

/** The trade dispatched for this category (null: none). Throws on an unknown code. */
export function tradeOf(code: string): Trade | null {
  return mustFind(code).trade;
}

/** The category and its ancestors, root first: 'lift.entrapment' → [lift, lift.entrapment]. */
export function categoryPath(code: string): Category[] {
  const path: Category[] = [];
  const parts = mustFind(code).code.split('.');
  for (let i = 1; i <= parts.length; i++) path.push(mustFind(parts.slice(0, i).join('.')));
  return path;
}

/** Whether a code is a category of this kind (an occupant's repair form cannot file 'charges'). */
export function isCategoryOf(code: string, kind: WorkItemKind): boolean {
  const c = BY_CODE.get(code);
  return c !== undefined && CATEGORY_TREES[kind].some((root) => c.code === root.code || c.code.startsWith(`${root.code}.`));
}
