import { shanghaiDate } from '@towerdesk/domain';
import crypto from 'node:crypto';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { PlaceKind, Trade } from '@towerdesk/domain';
import type { Queryable } from '../index.ts';
import { hashPassword } from '../../modules/accounts/passwords.ts';
import type { Role } from '../../platform/permissions.ts';
import { accounts } from '../../modules/accounts/schema.ts';
import { certificates, companies, contractors, occupants, staff } from '../../modules/parties/schema.ts';
import { places } from '../../modules/places/schema.ts';
import { sites } from '../../modules/sites/schema.ts';

/**
 * The demo tower 金文大厦 (issue 2 §11). Every run produces the same content — names, codes, phones,
 * QR tokens, dates — from one seeded PRNG, so screenshots, docs and tests can name real rows
 * (e.g. JW-T1-F12-1201). Only row ids are random: they are never shown and must not collide
 * across installations.
 */

export const DEMO_PASSWORD = 'towerdesk';

/** The demo logins printed at start and listed in the README; `roles` is what each account holds. */
export const DEMO_LOGINS: Array<{ username: string; label: string; roles: Role[] }> = [
  { username: 'admin', label: '管理员 admin', roles: ['admin'] },
  { username: 'supervisor', label: '项目经理 supervisor', roles: ['supervisor'] },
  { username: 'agent', label: '客服 agent', roles: ['agent'] },
  { username: 'tech', label: '维修技工 technician', roles: ['technician'] },
  { username: 'guard', label: '保安 guard', roles: ['guard'] },
  { username: 'cleaner', label: '保洁 cleaner', roles: ['cleaner'] },
  { username: 'gardener', label: '绿化 gardener', roles: ['gardener'] },
  { username: 'occupant', label: '租户 occupant', roles: ['occupant'] },
  { username: 'owner', label: '业主代表 owner_rep', roles: ['owner_rep'] },
];

/**
 * Dates in the demo (hire dates, certificate expiries) are relative to the seeding day, which
 * seedDemo takes as `today` (the Shanghai date by default): the same day gives the same rows, and
 * a demo installed next year still shows a few certificates about to expire and one expired,
 * which is what the staff screen highlights. Tests pin the day to this one.
 */
export const DEMO_REFERENCE_DAY = '2026-11-25';

const SEED = 0x4a57_2026; // 'JW' 2026

export interface DemoSummary {
  siteId: string;
  places: number;
  companies: number;
  occupants: number;
  staff: number;
  certificates: number;
  contractors: number;
  accounts: number;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: tiny, fast, good enough for demo data, and identical on every platform. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = ReturnType<typeof makeRng>;

function makeRng(seed: number) {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  return {
    next,
    int,
    pick,
    chance: (p: number) => next() < p,
    /** Favours the front of the list: common surnames come up more often, as they do. */
    pickSkewed: <T>(list: readonly T[]) => list[Math.floor(next() ** 1.7 * list.length)]!,
    shuffle<T>(list: readonly T[]): T[] {
      const a = [...list];
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [a[i], a[j]] = [a[j]!, a[i]!];
      }
      return a;
    },
    digits: (n: number) => Array.from({ length: n }, () => String(Math.floor(next() * 10))).join(''),
  };
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Same shape as places/service.ts newQrToken (16 base64url chars). Demo tokens are predictable by
 * anyone who reads this file; that is acceptable for a demo, and "regenerate QR" replaces them.
 */
const qrToken = (rng: Rng) => Array.from({ length: 16 }, () => TOKEN_ALPHABET[Math.floor(rng.next() * 64)]).join('');

function addDays(day: string, n: number) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Word lists

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤'];
// Given-name characters by the gender they are usually given to, so names read naturally.
const GIVEN_M = [...'伟强磊军洋勇杰涛明超刚辉鹏飞鑫波斌宇浩凯晨博文峰俊健亮昊睿彬航泽志建国海诚翔毅'];
const GIVEN_F = [...'芳娜敏静丽艳娟霞玲婷欣怡佳雪颖倩雯思晓涵琪蕾璐丹云岚悦萌英秀兰红春燕慧瑶琳'];

function personName(rng: Rng) {
  const given = rng.chance(0.5) ? GIVEN_M : GIVEN_F;
  return rng.pickSkewed(SURNAMES) + (rng.chance(0.4) ? rng.pick(given) : rng.pick(given) + rng.pick(given));
}

const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159', '180', '181', '182', '183', '185', '186', '187', '188', '189'];

/** Brand names (字号) with their pinyin for the English name. Drawn without replacement: names stay unique. */
const BRANDS: Array<[string, string]> = [
  ['恒信', 'Hengxin'], ['华鼎', 'Huading'], ['鼎盛', 'Dingsheng'], ['博远', 'Boyuan'], ['瑞丰', 'Ruifeng'],
  ['中汇', 'Zhonghui'], ['嘉禾', 'Jiahe'], ['东润', 'Dongrun'], ['泰和', 'Taihe'], ['明德', 'Mingde'],
  ['启航', 'Qihang'], ['天衡', 'Tianheng'], ['正源', 'Zhengyuan'], ['远景', 'Yuanjing'], ['新元', 'Xinyuan'],
  ['锦程', 'Jincheng'], ['永晟', 'Yongsheng'], ['宏图', 'Hongtu'], ['汇川', 'Huichuan'], ['海纳', 'Haina'],
  ['睿思', 'Ruisi'], ['诚达', 'Chengda'], ['凯德', 'Kaide'], ['联创', 'Lianchuang'], ['星河', 'Xinghe'],
  ['云帆', 'Yunfan'], ['思博', 'Sibo'], ['金桥', 'Jinqiao'], ['信和', 'Xinhe'], ['安泰', 'Antai'],
  ['丰汇', 'Fenghui'], ['君合', 'Junhe'], ['达观', 'Daguan'], ['易成', 'Yicheng'], ['合盛', 'Hesheng'],
  ['卓远', 'Zhuoyuan'], ['浦江', 'Pujiang'], ['申达', 'Shenda'], ['万通', 'Wantong'], ['长青', 'Changqing'],
  ['弘毅', 'Hongyi'], ['致远', 'Zhiyuan'], ['知行', 'Zhixing'], ['同济', 'Tongji'], ['华亭', 'Huating'],
  ['九州', 'Jiuzhou'], ['赛恩', 'Sai En'], ['蓝海', 'Lanhai'], ['新桥', 'Xinqiao'], ['通和', 'Tonghe'],
  ['立信', 'Lixin'], ['德勤', 'Deqin'], ['和创', 'Hechuang'], ['国研', 'Guoyan'], ['沪联', 'Hulian'],
  ['景明', 'Jingming'], ['朗润', 'Langrun'], ['晨曦', 'Chenxi'], ['澜亭', 'Lanting'], ['铭扬', 'Mingyang'],
  ['百川', 'Baichuan'], ['中弘', 'Zhonghong'], ['尚品', 'Shangpin'], ['汇智', 'Huizhi'], ['优联', 'Youlian'],
  ['融信', 'Rongxin'], ['方略', 'Fanglue'], ['璞石', 'Pushi'], ['钧天', 'Juntian'], ['瀚海', 'Hanhai'],
];

/** How a company name is built from a brand; law and audit firms are named differently from companies. */
const INDUSTRIES: Array<{ zh: (b: string) => string; en: (p: string) => string; weight: number }> = [
  { zh: (b) => `上海${b}科技有限公司`, en: (p) => `Shanghai ${p} Technology Co., Ltd.`, weight: 8 },
  { zh: (b) => `上海${b}信息技术有限公司`, en: (p) => `Shanghai ${p} Information Technology Co., Ltd.`, weight: 5 },
  { zh: (b) => `上海${b}网络科技有限公司`, en: (p) => `Shanghai ${p} Network Technology Co., Ltd.`, weight: 3 },
  { zh: (b) => `上海${b}投资管理有限公司`, en: (p) => `Shanghai ${p} Investment Management Co., Ltd.`, weight: 4 },
  { zh: (b) => `上海${b}资产管理有限公司`, en: (p) => `Shanghai ${p} Asset Management Co., Ltd.`, weight: 2 },
  { zh: (b) => `上海${b}律师事务所`, en: (p) => `Shanghai ${p} Law Firm`, weight: 4 },
  { zh: (b) => `上海${b}会计师事务所（特殊普通合伙）`, en: (p) => `Shanghai ${p} CPA LLP`, weight: 2 },
  { zh: (b) => `上海${b}企业管理咨询有限公司`, en: (p) => `Shanghai ${p} Management Consulting Co., Ltd.`, weight: 4 },
  { zh: (b) => `上海${b}国际贸易有限公司`, en: (p) => `Shanghai ${p} International Trading Co., Ltd.`, weight: 3 },
  { zh: (b) => `上海${b}建筑设计有限公司`, en: (p) => `Shanghai ${p} Architectural Design Co., Ltd.`, weight: 2 },
  { zh: (b) => `上海${b}文化传媒有限公司`, en: (p) => `Shanghai ${p} Culture & Media Co., Ltd.`, weight: 3 },
  { zh: (b) => `上海${b}供应链管理有限公司`, en: (p) => `Shanghai ${p} Supply Chain Management Co., Ltd.`, weight: 2 },
  { zh: (b) => `上海${b}医疗器械有限公司`, en: (p) => `Shanghai ${p} Medical Devices Co., Ltd.`, weight: 2 },
  { zh: (b) => `上海${b}人力资源有限公司`, en: (p) => `Shanghai ${p} Human Resources Co., Ltd.`, weight: 2 },
  { zh: (b) => `上海${b}融资租赁有限公司`, en: (p) => `Shanghai ${p} Financial Leasing Co., Ltd.`, weight: 1 },
  { zh: (b) => `上海${b}广告有限公司`, en: (p) => `Shanghai ${p} Advertising Co., Ltd.`, weight: 2 },
  { zh: (b) => `${b}（上海）生物科技有限公司`, en: (p) => `${p} (Shanghai) Biotech Co., Ltd.`, weight: 2 },
  { zh: (b) => `上海${b}工程咨询有限公司`, en: (p) => `Shanghai ${p} Engineering Consulting Co., Ltd.`, weight: 2 },
  { zh: (b) => `上海${b}保险经纪有限公司`, en: (p) => `Shanghai ${p} Insurance Brokers Co., Ltd.`, weight: 1 },
];

function pickWeighted<T extends { weight: number }>(rng: Rng, list: readonly T[]) {
  let r = rng.next() * list.reduce((s, x) => s + x.weight, 0);
  for (const x of list) if ((r -= x.weight) < 0) return x;
  return list[list.length - 1]!;
}

// ---------------------------------------------------------------------------------------------
// Places

/** Public and plant spaces by floor: [floor suffix, code suffix, name, English name, kind]. */
const SPACES: Array<[string, string, string, string, PlaceKind]> = [
  ['B2', 'BLR', '锅炉房', 'Boiler room', 'plant_room'],
  ['B2', 'CH', '冷冻机房', 'Chiller plant room', 'plant_room'],
  ['B2', 'GEN', '柴油发电机房', 'Generator room', 'plant_room'],
  ['B1', 'HV', '高低压配电房', 'HV/LV switch room', 'electrical_room'],
  ['B1', 'WP-D', '生活水泵房', 'Domestic water pump room', 'water_pump_room'],
  ['B1', 'WP-F', '消防水泵房', 'Fire pump room', 'water_pump_room'],
  ['B1', 'GATE', '车库出入口', 'Car park entrance', 'door'],
  ['F01', 'LOBBY', '大堂', 'Main lobby', 'public_area'],
  ['F01', 'DESK', '客服中心', 'Service centre', 'desk'],
  ['F01', 'FCC', '消防控制室', 'Fire control room', 'plant_room'],
  ['F01', 'LL', '1层电梯厅', '1F lift lobby', 'lift_lobby'],
  ['F01', 'WC-M', '1层男卫生间', '1F men’s washroom', 'washroom'],
  ['F01', 'WC-F', '1层女卫生间', '1F women’s washroom', 'washroom'],
  ['F01', 'ST-E', '东楼梯间', 'East stairwell', 'stairwell'],
  ['F01', 'ST-W', '西楼梯间', 'West stairwell', 'stairwell'],
  ['F01', 'GATE-S', '南主入口大门', 'South main entrance', 'door'],
  ['F01', 'GATE-N', '北门', 'North gate', 'door'],
  ['F01', 'GRN-S', '南广场绿化带', 'South plaza planting', 'landscape_area'],
  ['F01', 'GRN-E', '东侧绿化带', 'East side planting', 'landscape_area'],
  ['F02', 'RETAIL', '2层商业区', '2F retail concourse', 'public_area'],
  ['F02', 'AHU', '2层空调机房', '2F AHU room', 'plant_room'],
  ['F02', 'WC-M', '2层男卫生间', '2F men’s washroom', 'washroom'],
  ['F02', 'WC-F', '2层女卫生间', '2F women’s washroom', 'washroom'],
  ['F10', 'AHU', '10层空调机房', '10F AHU room', 'plant_room'],
  ['F12', 'LL', '12层电梯厅', '12F lift lobby', 'lift_lobby'],
  ['F12', 'COR', '12层走廊', '12F corridor', 'public_area'],
  ['F12', 'WC-M', '12层男卫生间', '12F men’s washroom', 'washroom'],
  ['F12', 'WC-F', '12层女卫生间', '12F women’s washroom', 'washroom'],
  ['F20', 'AHU', '20层空调机房', '20F AHU room', 'plant_room'],
  ['F28', 'LL', '28层电梯厅', '28F lift lobby', 'lift_lobby'],
  ['RF', 'LMR', '电梯机房', 'Lift machine room', 'plant_room'],
  ['RF', 'TANK', '屋顶消防水箱间', 'Roof fire water tank room', 'plant_room'],
  ['RF', 'CT', '冷却塔', 'Cooling towers', 'plant_room'],
];

/** Spaces added for the plans (issue 4), after everything else so earlier random draws stay put. */
const LATER_SPACES: Array<[string, string, string, string, PlaceKind]> = [
  ['B1', 'WASTE', '垃圾房', 'Waste room', 'public_area'],
  ['B2', 'SP', '污水提升泵房', 'Sewage lift pump room', 'water_pump_room'],
  ['F01', 'FTN', '南广场景观水景', 'South plaza water feature', 'landscape_area'],
  ['F02', 'TRN', '员工培训室', 'Staff training room', 'desk'],
];

/** Car-park zones and how many spaces each holds (B1 gives room to plant rooms and the ramp). */
const ZONES: Array<[floor: 'B1' | 'B2', zone: 'A' | 'B', spaces: number]> = [
  ['B2', 'A', 55], ['B2', 'B', 55], ['B1', 'A', 45], ['B1', 'B', 45],
];

const FIRST_OFFICE_FLOOR = 3; // floors 1–2 are lobby and retail
const TOP_FLOOR = 28;

type PlaceRow = typeof places.$inferInsert;

function buildPlaces(rng: Rng, siteId: string) {
  const rows: PlaceRow[] = [];
  const sortIn = new Map<string | null, number>();
  const byCode = new Map<string, PlaceRow>();
  // Ids are made here rather than by the database so the tree goes in with a few multi-row inserts.
  const add = (parent: PlaceRow | null, code: string, name: string, nameEn: string, kind: PlaceKind, areaM2: number | null = null, tokens: Rng = rng) => {
    const parentId = parent?.id ?? null;
    const sort = sortIn.get(parentId) ?? 0;
    sortIn.set(parentId, sort + 1);
    const row: PlaceRow = { id: crypto.randomUUID(), siteId, parentId, code, name, nameEn, kind, qrToken: qrToken(tokens), areaM2, sort };
    rows.push(row);
    byCode.set(code, row);
    return row;
  };

  const building = add(null, 'JW-T1', '主楼', 'Tower 1', 'building', 62_000);
  add(building, 'JW-T1-B2', '地下二层', 'B2', 'floor');
  add(building, 'JW-T1-B1', '地下一层', 'B1', 'floor');
  for (let f = 1; f <= TOP_FLOOR; f++) add(building, `JW-T1-F${String(f).padStart(2, '0')}`, `${f}层`, `${f}F`, 'floor');
  add(building, 'JW-T1-RF', '屋顶', 'Roof', 'roof');

  for (const [floor, suffix, name, nameEn, kind] of SPACES) add(byCode.get(`JW-T1-${floor}`)!, `JW-T1-${floor}-${suffix}`, name, nameEn, kind);

  let parkingSpaces = 0;
  for (const [floor, zone, count] of ZONES) {
    const z = add(byCode.get(`JW-T1-${floor}`)!, `JW-T1-${floor}-Z${zone}`, `${floor} ${zone}区停车场`, `${floor} Zone ${zone}`, 'carpark_zone');
    for (let i = 1; i <= count; i++) {
      const n = String(i).padStart(3, '0');
      add(z, `${z.code}-${n}`, `${floor}-${zone}-${n}车位`, `${floor} ${zone} #${n}`, 'parking_space', 13);
      parkingSpaces++;
    }
  }

  // Office units, grouped by floor so a company's units can sit side by side.
  const unitsByFloor: PlaceRow[][] = [];
  for (let f = FIRST_OFFICE_FLOOR; f <= TOP_FLOOR; f++) {
    const floor = byCode.get(`JW-T1-F${String(f).padStart(2, '0')}`)!;
    const units: PlaceRow[] = [];
    const count = rng.int(4, 6);
    for (let i = 1; i <= count; i++) {
      const no = `${f}${String(i).padStart(2, '0')}`;
      units.push(add(floor, `${floor.code}-${no}`, `${no}室`, `Unit ${no}`, 'office_unit', rng.int(24, 84) * 5));
    }
    unitsByFloor.push(units);
  }

  // Places the plans' routes need (issue 4): every floor's two fire stairs (the night patrol and
  // the stair cleaning scan each), the waste room, the sewage pumps, the plaza water feature and
  // the training room. Added last with their own PRNG so every earlier token, name and phone of
  // the demo stays what it was.
  const later = makeRng(SEED ^ 0x0004);
  for (const floor of rows.filter((p) => p.kind === 'floor')) {
    const f = floor.code.slice('JW-T1-'.length);
    if (f === 'F01') continue; // the ground floor's stairwells are in SPACES
    add(floor, `${floor.code}-ST-E`, `${floor.name}东楼梯间`, `${floor.nameEn} east stairwell`, 'stairwell', null, later);
    add(floor, `${floor.code}-ST-W`, `${floor.name}西楼梯间`, `${floor.nameEn} west stairwell`, 'stairwell', null, later);
  }
  for (const [floor, suffix, name, nameEn, kind] of LATER_SPACES) add(byCode.get(`JW-T1-${floor}`)!, `JW-T1-${floor}-${suffix}`, name, nameEn, kind, null, later);
  return { rows, unitsByFloor, parkingSpaces };
}

// ---------------------------------------------------------------------------------------------
// Staff

interface CertSpec { name: string; issuer: string; number: (rng: Rng) => string; /** validity in days; null = no expiry */ validDays: number | null }

const CERT = {
  lowVoltage: { name: '低压电工作业证', issuer: '上海市应急管理局', number: (r) => `T31${r.digits(16)}`, validDays: 6 * 365 },
  highVoltage: { name: '高压电工作业证', issuer: '上海市应急管理局', number: (r) => `T31${r.digits(16)}`, validDays: 6 * 365 },
  refrigeration: { name: '制冷与空调作业证', issuer: '上海市应急管理局', number: (r) => `T31${r.digits(16)}`, validDays: 6 * 365 },
  elevator: { name: '特种设备作业人员证（电梯）', issuer: '上海市市场监督管理局', number: (r) => `TS31${r.digits(12)}`, validDays: 4 * 365 },
  fire: { name: '消防设施操作员证', issuer: '上海市职业技能鉴定中心', number: (r) => `${r.int(2018, 2025)}31${r.digits(10)}`, validDays: null },
  guard: { name: '保安员证', issuer: '上海市公安局', number: (r) => `沪保${r.digits(10)}`, validDays: null },
  health: { name: '健康证', issuer: '上海市疾病预防控制中心', number: (r) => `沪健${r.digits(12)}`, validDays: 365 },
} satisfies Record<string, CertSpec>;

/** The roster: 40 people across every trade, in the order their employee numbers are given. */
const ROSTER: Array<{ position: string; trades: Trade[]; count: number; certs: CertSpec[]; minExperience: number }> = [
  { position: '项目经理', trades: ['customer_service', 'general'], count: 1, certs: [], minExperience: 10 },
  { position: '客服主管', trades: ['customer_service'], count: 1, certs: [], minExperience: 5 },
  { position: '客服专员', trades: ['customer_service'], count: 3, certs: [], minExperience: 1 },
  { position: '工程主管', trades: ['electrical', 'hvac', 'general'], count: 1, certs: [CERT.highVoltage, CERT.lowVoltage], minExperience: 10 },
  { position: '电工', trades: ['electrical'], count: 3, certs: [CERT.lowVoltage], minExperience: 2 },
  { position: '水工', trades: ['plumbing'], count: 2, certs: [CERT.health], minExperience: 2 },
  { position: '暖通工', trades: ['hvac'], count: 2, certs: [CERT.refrigeration], minExperience: 2 },
  { position: '电梯工', trades: ['elevator'], count: 2, certs: [CERT.elevator], minExperience: 3 },
  { position: '消防设施操作员', trades: ['fire'], count: 3, certs: [CERT.fire], minExperience: 1 },
  { position: '综合维修工', trades: ['general', 'plumbing'], count: 2, certs: [], minExperience: 1 },
  { position: '保安队长', trades: ['security'], count: 1, certs: [CERT.guard], minExperience: 6 },
  { position: '保安员', trades: ['security'], count: 8, certs: [CERT.guard], minExperience: 0 },
  { position: '保洁领班', trades: ['cleaning'], count: 1, certs: [CERT.health], minExperience: 4 },
  { position: '保洁员', trades: ['cleaning'], count: 8, certs: [CERT.health], minExperience: 0 },
  { position: '绿化工', trades: ['greening'], count: 2, certs: [], minExperience: 1 },
];

/**
 * Certificates placed on purpose relative to the seeding day: four expire within 30 days and one
 * has expired, so the highlighting on the staff screen has something to show. Every other
 * certificate with an expiry lies at least 45 days out.
 */
const PINNED_EXPIRY: Array<{ position: string; nth: number; cert: string; days: number }> = [
  { position: '电工', nth: 1, cert: CERT.lowVoltage.name, days: 12 },
  { position: '电梯工', nth: 1, cert: CERT.elevator.name, days: 21 },
  { position: '暖通工', nth: 0, cert: CERT.refrigeration.name, days: 28 },
  { position: '保洁员', nth: 2, cert: CERT.health.name, days: 5 },
  { position: '保洁员', nth: 4, cert: CERT.health.name, days: -9 },
];

// ---------------------------------------------------------------------------------------------

/**
 * Inserts the demo tower. Call it inside a transaction (seedIfEmpty does, under an advisory lock):
 * on its own it would leave half a tower behind if it failed midway.
 */
export async function seedDemo(db: Queryable, today: string = shanghaiDate(new Date())): Promise<DemoSummary> {
  const rng = makeRng(SEED);
  // One hash for every demo account: argon2id is deliberately slow (~30 ms each).
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const usedPhones = new Set<string>();
  const phone = () => {
    for (;;) {
      const p = rng.pick(MOBILE_PREFIXES) + rng.digits(8);
      if (!usedPhones.has(p)) {
        usedPhones.add(p);
        return p;
      }
    }
  };

  const [site] = await db.insert(sites).values({
    code: 'JW', name: '金文大厦', nameEn: 'Jinwen Tower', address: '上海市静安区金文路88号',
  }).returning({ id: sites.id });
  const siteId = site!.id;

  // --- places
  const { rows: placeRows, unitsByFloor } = buildPlaces(rng, siteId);
  await insertChunked(db, places, placeRows);

  // --- staff (before tenants so their phones are taken first, and the order never shifts)
  const staffRows: Array<typeof staff.$inferInsert & { id: string }> = [];
  const certRows: Array<typeof certificates.$inferInsert> = [];
  const nthOf = new Map<string, number>();
  // Staff names are kept distinct: two 叶秀 on one roster would make the demo screens confusing.
  const staffNames = new Set<string>();
  const staffName = () => {
    for (;;) {
      const n = personName(rng);
      if (!staffNames.has(n)) { staffNames.add(n); return n; }
    }
  };
  for (const role of ROSTER) {
    for (let i = 0; i < role.count; i++) {
      const nth = nthOf.get(role.position) ?? 0;
      nthOf.set(role.position, nth + 1);
      const hireDate = addDays('2015-01-05', rng.int(0, 4300)); // 2015-01 … 2026-10
      const yearsHere = Math.floor((Date.parse(today) - Date.parse(hireDate)) / (365.25 * 86_400_000));
      const row = {
        id: crypto.randomUUID(),
        siteId,
        employeeNo: `JW-E${String(staffRows.length + 1).padStart(3, '0')}`,
        name: staffName(),
        phone: phone(),
        position: role.position,
        trades: role.trades,
        hireDate,
        experienceYears: Math.max(role.minExperience, yearsHere + rng.int(0, 8)),
      };
      staffRows.push(row);
      for (const spec of role.certs) {
        const pinned = PINNED_EXPIRY.find((p) => p.position === role.position && p.nth === nth && p.cert === spec.name);
        const expiresOn = spec.validDays === null ? null
          : addDays(today, pinned?.days ?? rng.int(45, Math.max(60, spec.validDays - 30)));
        certRows.push({ siteId, staffId: row.id, name: spec.name, number: spec.number(rng), issuer: spec.issuer, expiresOn });
      }
    }
  }
  await insertChunked(db, staff, staffRows);
  await insertChunked(db, certificates, certRows);

  // --- tenant companies: each leases 1–3 neighbouring units; some units stay vacant.
  const brands = rng.shuffle(BRANDS);
  const companyRows: Array<typeof companies.$inferInsert & { id: string; unitIds: string[] }> = [];
  let floor = 0;
  let slot = 0;
  for (let c = 0; c < 60; c++) {
    if (rng.chance(0.15)) slot++; // a vacant unit between tenants
    if (slot >= unitsByFloor[floor]!.length) { floor++; slot = 0; }
    if (floor >= unitsByFloor.length) throw new Error('demo seed: the tower has too few office units for its tenants');
    const want = rng.chance(0.55) ? 1 : rng.chance(0.73) ? 2 : 3;
    const units = unitsByFloor[floor]!.slice(slot, slot + want); // fewer when the floor runs out
    slot += units.length;
    const [brand, pinyin] = brands[c]!;
    const industry = pickWeighted(rng, INDUSTRIES);
    companyRows.push({ id: crypto.randomUUID(), siteId, name: industry.zh(brand), nameEn: industry.en(pinyin), unitIds: units.map((u) => u.id!) });
  }

  // --- occupants: 800 in all, shared out by leased units; the first of each company is its admin.
  const TOTAL_OCCUPANTS = 800;
  const weights = companyRows.map((c) => c.unitIds.length * (0.6 + rng.next() * 0.8));
  const headcounts = apportion(weights, TOTAL_OCCUPANTS, 3);
  const occupantRows: Array<typeof occupants.$inferInsert & { id: string }> = [];
  companyRows.forEach((company, ci) => {
    for (let i = 0; i < headcounts[ci]!; i++) {
      const admin = i === 0;
      const row = {
        id: crypto.randomUUID(), siteId, companyId: company.id, name: personName(rng), phone: phone(),
        // The administrative contact looks after all the company's units; others sit in one.
        unitIds: admin ? company.unitIds : [rng.pick(company.unitIds)],
        companyRole: admin ? 'admin' : 'member',
      };
      occupantRows.push(row);
      if (admin) { company.contactName = row.name; company.contactPhone = row.phone; }
    }
  });
  await insertChunked(db, companies, companyRows);
  await insertChunked(db, occupants, occupantRows);

  // --- contractors
  const contractorRows: Array<typeof contractors.$inferInsert> = [
    { name: '上海申菱电梯工程有限公司', trades: ['elevator'] },
    { name: '上海洁宇高空外墙清洗有限公司', trades: ['cleaning'] },
    { name: '上海康卫有害生物防治有限公司', trades: ['cleaning'] },
    { name: '上海绿茵园林绿化养护有限公司', trades: ['greening'] },
    { name: '上海安消消防设备维保有限公司', trades: ['fire'] },
  ].map((c) => ({ ...c, siteId, contactName: personName(rng), contactPhone: phone(), contractEndsOn: addDays(today, rng.int(60, 720)) }));
  await insertChunked(db, contractors, contractorRows);

  // --- accounts
  const firstStaff = (position: string) => staffRows.find((s) => s.position === position)!;
  const firstAdmin = occupantRows.find((o) => o.companyId === companyRows[0]!.id && o.companyRole === 'admin')!;
  const staffAccount = (username: string, role: string, s: { id: string; name: string }) => ({ username, roles: [role], displayName: s.name, staffId: s.id });
  const accountRows: Array<typeof accounts.$inferInsert> = [
    { username: 'admin', roles: ['admin'], displayName: '系统管理员' },
    staffAccount('supervisor', 'supervisor', firstStaff('项目经理')),
    staffAccount('agent', 'agent', firstStaff('客服专员')),
    staffAccount('tech', 'technician', firstStaff('电工')),
    staffAccount('guard', 'guard', firstStaff('保安员')),
    staffAccount('cleaner', 'cleaner', firstStaff('保洁员')),
    staffAccount('gardener', 'gardener', firstStaff('绿化工')),
    // Only the occupant has a phone on the account, so signing in by phone can be shown with it.
    { username: 'occupant', roles: ['occupant'], displayName: firstAdmin.name, occupantId: firstAdmin.id, phone: firstAdmin.phone },
    { username: 'owner', roles: ['owner_rep'], displayName: '业主方代表' },
  ].map((a) => ({ ...a, siteId, passwordHash }));
  await insertChunked(db, accounts, accountRows);

  return {
    siteId,
    places: placeRows.length,
    companies: companyRows.length,
    occupants: occupantRows.length,
    staff: staffRows.length,
    certificates: certRows.length,
    contractors: contractorRows.length,
    accounts: accountRows.length,
  };
}

/** Shares `total` out in proportion to `weights` (largest remainder), each at least `min`. */
function apportion(weights: number[], total: number, min: number) {
  const spare = total - min * weights.length;
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (w / sum) * spare);
  const out = exact.map((x) => min + Math.floor(x));
  let left = total - out.reduce((s, n) => s + n, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i]!++;
  }
  return out;
}

/** Multi-row inserts of at most 1000 rows: fast, and well under PostgreSQL's 65535-parameter limit. */
async function insertChunked<T extends PgTable>(db: Queryable, table: T, rows: ReadonlyArray<T['$inferInsert']>) {
  for (let i = 0; i < rows.length; i += 1000) await db.insert(table).values(rows.slice(i, i + 1000));
}
