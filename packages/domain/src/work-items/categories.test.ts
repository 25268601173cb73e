import { describe, expect, test } from 'vitest';
import { TRADE_LIST } from '../places.ts';
import {
  ALL_CATEGORIES,
  CATEGORY_CODES,
  categoriesOf,
  categoryPath,
  defaultUrgency,
  findCategory,
  isCategoryOf,
  tradeOf,
  type Category,
} from './categories.ts';
import { URGENCIES, WORK_ITEM_KINDS } from './kinds.ts';

describe('RP-1 category trees', () => {
  test('RP-1 codes are unique across kinds; children extend their parent code and share its kind', () => {
    expect(new Set(CATEGORY_CODES).size).toBe(CATEGORY_CODES.length);
    const check = (c: Category, parent?: Category) => {
      expect(c.zh && c.en, c.code).toBeTruthy();
      expect(URGENCIES).toContain(c.defaultUrgency);
      if (c.trade !== null) expect(TRADE_LIST).toContain(c.trade);
      if (parent) {
        expect(c.code.startsWith(`${parent.code}.`), c.code).toBe(true);
        expect(c.kind).toBe(parent.kind);
      } else expect(c.code).not.toContain('.');
      for (const child of c.children ?? []) check(child, c);
    };
    for (const kind of WORK_ITEM_KINDS) for (const root of categoriesOf(kind)) {
      // IN-4: a finding is routed like a repair, on the repair tree.
      expect(root.kind).toBe(kind === 'finding' ? 'repair' : kind);
      check(root);
    }
    expect(ALL_CATEGORIES.length).toBe(CATEGORY_CODES.length);
  });

  test('RP-1 the occupant form offers the issue\'s repair tree', () => {
    expect(categoriesOf('repair').map((c) => c.code)).toEqual(['electrical', 'plumbing', 'hvac', 'lift', 'doors', 'fire', 'cleaning', 'other']);
    for (const code of ['electrical.lighting', 'electrical.power_outage', 'plumbing.leak', 'plumbing.blocked_drain', 'lift.entrapment', 'fire.alarm']) {
      expect(isCategoryOf(code, 'repair'), code).toBe(true);
    }
    expect(findCategory('lift.entrapment')).toMatchObject({ zh: '电梯困人', trade: 'elevator', kind: 'repair' });
    expect(findCategory('nope')).toBeUndefined();
  });

  test('CP-1 complaint and inquiry categories', () => {
    expect(categoriesOf('complaint').map((c) => c.zh)).toEqual(['服务态度', '维修质量', '环境卫生', '安全秩序', '停车管理', '噪音扰民', '收费问题', '其他投诉']);
    expect(categoriesOf('inquiry').map((c) => c.zh)).toEqual(['咨询', '建议', '表扬']);
    expect(isCategoryOf('charges', 'repair')).toBe(false);
    expect(isCategoryOf('charges', 'complaint')).toBe(true);
  });
});

describe('RP-2 urgency and trade from the category', () => {
  test('RP-2 lift entrapment, fire alarm, spreading water and floor power loss are urgent', () => {
    for (const code of ['lift.entrapment', 'fire.alarm', 'plumbing.leak', 'electrical.power_outage']) expect(defaultUrgency(code), code).toBe('urgent');
    for (const code of ['electrical.lighting', 'plumbing.blocked_drain', 'hvac', 'doors', 'cleaning', 'other', 'attitude']) {
      expect(defaultUrgency(code), code).toBe('normal');
    }
  });

  test('RP-2 the category names the trade paged', () => {
    expect(tradeOf('lift.entrapment')).toBe('elevator');
    expect(tradeOf('plumbing.leak')).toBe('plumbing');
    expect(tradeOf('electrical.power_outage')).toBe('electrical');
    expect(tradeOf('fire.alarm')).toBe('fire');
    expect(tradeOf('doors.access')).toBe('general');
  });

  test('RP-2 unknown codes are refused', () => {
    expect(() => defaultUrgency('lift.fire')).toThrow(RangeError);
    expect(() => tradeOf('')).toThrow(RangeError);
  });

  test('RP-6 categoryPath gives the ancestors root first', () => {
    expect(categoryPath('plumbing.leak').map((c) => c.code)).toEqual(['plumbing', 'plumbing.leak']);
    expect(categoryPath('charges').map((c) => c.code)).toEqual(['charges']);
  });
});
