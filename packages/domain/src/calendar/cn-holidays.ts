// Mainland-China public holidays (放假日) and make-up working days (调休上班日), as published
// each year (usually in November for the next year) by the State Council General Office.
// This is the shipped default; each site can edit its own calendar (see calendar.ts overrides),
// so a wrong or missing date here is fixable by an admin without a release.

export interface HolidayEntry {
  /** YYYY-MM-DD, Asia/Shanghai calendar date. */
  date: string;
  /** Festival in Chinese, e.g. 春节. On a make-up day: the festival whose break it pays for. */
  name: string;
  nameEn: string;
}

export interface HolidayYear {
  year: number;
  /** The notice the dates come from (or, when provisional, the rule they were derived from). */
  source: string;
  /** True until the year's notice is published and applied: dates are the statutory days only. */
  provisional: boolean;
  /** Every day off, including the Saturdays/Sundays that fall inside a break. */
  holidays: HolidayEntry[];
  /** Saturdays/Sundays declared working days to pay for a longer break. */
  makeUpWorkdays: HolidayEntry[];
}

const NEW_YEAR = ['元旦', "New Year's Day"] as const;
const SPRING = ['春节', 'Spring Festival'] as const;
const QINGMING = ['清明节', 'Qingming Festival'] as const;
const LABOUR = ['劳动节', 'Labour Day'] as const;
const DRAGON_BOAT = ['端午节', 'Dragon Boat Festival'] as const;
const MID_AUTUMN = ['中秋节', 'Mid-Autumn Festival'] as const;
const NATIONAL = ['国庆节', 'National Day'] as const;
const NATIONAL_MID_AUTUMN = ['国庆节、中秋节', 'National Day and Mid-Autumn Festival'] as const;

/** Every date from `from` to `to` inclusive, mirroring the notices' "X月X日至X日放假" wording. */
function span(festival: readonly [string, string], from: string, to: string): HolidayEntry[] {
  const out: HolidayEntry[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) {
    out.push({ date: new Date(t).toISOString().slice(0, 10), name: festival[0], nameEn: festival[1] });
  }
  return out;
}

function on(festival: readonly [string, string], ...dates: string[]): HolidayEntry[] {
  return dates.map((date) => ({ date, name: festival[0], nameEn: festival[1] }));
}

export const CN_HOLIDAY_YEARS: readonly HolidayYear[] = [
  {
    year: 2025,
    source: '国办发明电〔2024〕12号《国务院办公厅关于2025年部分节假日安排的通知》(2024-11-12)',
    provisional: false,
    holidays: [
      ...span(NEW_YEAR, '2025-01-01', '2025-01-01'),
      ...span(SPRING, '2025-01-28', '2025-02-04'),
      ...span(QINGMING, '2025-04-04', '2025-04-06'),
      ...span(LABOUR, '2025-05-01', '2025-05-05'),
      ...span(DRAGON_BOAT, '2025-05-31', '2025-06-02'),
      ...span(NATIONAL_MID_AUTUMN, '2025-10-01', '2025-10-08'),
    ],
    makeUpWorkdays: [
      ...on(SPRING, '2025-01-26', '2025-02-08'),
      ...on(LABOUR, '2025-04-27'),
      ...on(NATIONAL_MID_AUTUMN, '2025-09-28', '2025-10-11'),
    ],
  },
  {
    year: 2026,
    // Notice dated 2025-11-04 (Xinhua). The document number is as cited by secondary sources;
    // verify against gov.cn if it matters for an audit.
    source: '国办发明电〔2025〕7号《国务院办公厅关于2026年部分节假日安排的通知》(2025-11-04)',
    provisional: false,
    holidays: [
      ...span(NEW_YEAR, '2026-01-01', '2026-01-03'),
      ...span(SPRING, '2026-02-15', '2026-02-23'),
      ...span(QINGMING, '2026-04-04', '2026-04-06'),
      ...span(LABOUR, '2026-05-01', '2026-05-05'),
      ...span(DRAGON_BOAT, '2026-06-19', '2026-06-21'),
      ...span(MID_AUTUMN, '2026-09-25', '2026-09-27'),
      ...span(NATIONAL, '2026-10-01', '2026-10-07'),
    ],
    makeUpWorkdays: [
      ...on(NEW_YEAR, '2026-01-04'),
      ...on(SPRING, '2026-02-14', '2026-02-28'),
      ...on(LABOUR, '2026-05-09'),
      ...on(NATIONAL, '2026-09-20', '2026-10-10'),
    ],
  },
  {
    year: 2027,
    // PROVISIONAL: the 2027 notice was not known when this was written. These are only the 13
    // statutory days of 《全国年节及纪念日放假办法》 (2024 revision) on their 2027 dates, with no
    // bridging days and no make-up working days. The real notice will add both (and move
    // 劳动节, which falls on a weekend). An admin must apply it per site once it is published;
    // the next release should replace this entry and set provisional: false.
    source: '《全国年节及纪念日放假办法》(2024年修订) statutory days only; 2027 notice pending',
    provisional: true,
    holidays: [
      ...span(NEW_YEAR, '2027-01-01', '2027-01-01'),
      // 除夕 = 2027-02-05 (腊月廿九, the last day of the lunar year); 正月初一 = 2027-02-06.
      ...span(SPRING, '2027-02-05', '2027-02-08'),
      // 清明 solar term falls on 2027-04-05.
      ...span(QINGMING, '2027-04-05', '2027-04-05'),
      ...span(LABOUR, '2027-05-01', '2027-05-02'),
      // 五月初五 = 2027-06-09; 八月十五 = 2027-09-15.
      ...span(DRAGON_BOAT, '2027-06-09', '2027-06-09'),
      ...span(MID_AUTUMN, '2027-09-15', '2027-09-15'),
      ...span(NATIONAL, '2027-10-01', '2027-10-03'),
    ],
    makeUpWorkdays: [],
  },
];

export type ShippedDay = { override: 'holiday' | 'workday'; name: string; nameEn: string };

/** The shipped data by date: 'holiday' for a day off, 'workday' for a make-up working day. */
export const CN_SHIPPED_DAYS: ReadonlyMap<string, ShippedDay> = (() => {
  const byDate = new Map<string, ShippedDay>();
  for (const y of CN_HOLIDAY_YEARS) {
    for (const e of y.holidays) byDate.set(e.date, { override: 'holiday', name: e.name, nameEn: e.nameEn });
    for (const e of y.makeUpWorkdays) byDate.set(e.date, { override: 'workday', name: e.name, nameEn: e.nameEn });
  }
  return byDate;
})();
