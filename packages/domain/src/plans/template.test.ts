import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { judgeAnswer, validateTemplate, type ChecklistItem } from './template.ts';
import { PLAN_KIND_DEFS, PLAN_KINDS, planKindDef } from './kinds.ts';

const pressure: ChecklistItem = { id: 'pressure', label: '出水压力', kind: 'number', unit: 'MPa', min: 0.3, max: 0.6 };
const meter: ChecklistItem = { id: 'kwh', label: '电表读数', kind: 'meter', unit: 'kWh' };
const doorLocked: ChecklistItem = { id: 'locked', label: '门已上锁', kind: 'yes_no', expected: true };
const state: ChecklistItem = { id: 'state', label: '设备状态', kind: 'single_choice', options: ['正常', '异响', '漏水'], failing: ['异响', '漏水'] };
const waste: ChecklistItem = { id: 'waste', label: '垃圾分类', kind: 'multi_choice', options: ['可回收物', '有害垃圾', '湿垃圾', '干垃圾', '混投'], failing: ['混投'] };
const note: ChecklistItem = { id: 'note', label: '备注', kind: 'text' };
const photo: ChecklistItem = { id: 'photo', label: '现场照片', kind: 'photo', required: true };

describe('IN-4 judgeAnswer: shape errors are invalid, abnormal results are findings', () => {
  test('IN-4 a number out of range is a finding; in range is not; a string is invalid', () => {
    expect(judgeAnswer(pressure, 0.45)).toEqual({ valid: true, finding: false });
    expect(judgeAnswer(pressure, 0.2)).toMatchObject({ valid: true, finding: true, why: { en: expect.stringContaining('below') } });
    expect(judgeAnswer(pressure, 0.7)).toMatchObject({ valid: true, finding: true });
    expect(judgeAnswer(pressure, '0.45')).toMatchObject({ valid: false });
    expect(judgeAnswer(pressure, Number.NaN)).toMatchObject({ valid: false });
  });
  test('IN-4 an unexpected yes/no is a finding; a non-boolean is invalid', () => {
    expect(judgeAnswer(doorLocked, true)).toEqual({ valid: true, finding: false });
    expect(judgeAnswer(doorLocked, false)).toMatchObject({ valid: true, finding: true });
    expect(judgeAnswer(doorLocked, 'yes')).toMatchObject({ valid: false });
  });
  test('IN-4 a failing choice is a finding; an option not in the list is invalid', () => {
    expect(judgeAnswer(state, '正常')).toEqual({ valid: true, finding: false });
    expect(judgeAnswer(state, '漏水')).toMatchObject({ valid: true, finding: true });
    expect(judgeAnswer(state, '冒烟')).toMatchObject({ valid: false });
    expect(judgeAnswer(state, ['正常'])).toMatchObject({ valid: false });
  });
  test('CL-3 multiple choice: a failing option among others is a finding; repeats and strays are invalid', () => {
    expect(judgeAnswer(waste, ['可回收物', '湿垃圾'])).toEqual({ valid: true, finding: false });
    expect(judgeAnswer(waste, ['湿垃圾', '混投'])).toMatchObject({ valid: true, finding: true });
    expect(judgeAnswer(waste, ['湿垃圾', '湿垃圾'])).toMatchObject({ valid: false });
    expect(judgeAnswer(waste, ['厨余'])).toMatchObject({ valid: false });
    expect(judgeAnswer(waste, '湿垃圾')).toMatchObject({ valid: false });
  });
  test('IN-3 a meter reading never runs backwards; text and photos', () => {
    expect(judgeAnswer(meter, 1250.5, { previousReading: 1200 })).toEqual({ valid: true, finding: false });
    expect(judgeAnswer(meter, 1199, { previousReading: 1200 })).toMatchObject({ valid: false, reason: { zh: expect.stringContaining('上次读数') } });
    expect(judgeAnswer(note, '一切正常')).toEqual({ valid: true, finding: false });
    expect(judgeAnswer(note, 3)).toMatchObject({ valid: false });
    expect(judgeAnswer(photo, ['att-1'])).toEqual({ valid: true, finding: false });
    expect(judgeAnswer(photo, [])).toMatchObject({ valid: false });
    expect(judgeAnswer({ ...photo, required: false }, [])).toEqual({ valid: true, finding: false });
  });
  test('IN-4 property: any value of the wrong JSON type is invalid with a zh and en reason, never a throw', () => {
    const items = [pressure, meter, doorLocked, state, waste, note, photo];
    fc.assert(
      fc.property(fc.constantFrom(...items), fc.jsonValue(), (item, answer) => {
        const j = judgeAnswer(item, answer);
        if (!j.valid) {
          expect(j.reason.zh).toMatch(/[\u4e00-\u9fff]/);
          expect(j.reason.en.length).toBeGreaterThan(3);
        }
        const expectedType = { number: 'number', meter: 'number', yes_no: 'boolean', single_choice: 'string', text: 'string', multi_choice: 'array', photo: 'array' }[item.kind];
        const actual = Array.isArray(answer) ? 'array' : answer === null ? 'null' : typeof answer;
        if (actual !== expectedType) expect(j.valid).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('IN-1 templates and kinds', () => {
  test('IN-1 validateTemplate names the field: repeated order, repeated item id, min > max, failing not an option', () => {
    const issues = validateTemplate({
      checkpoints: [
        { placeId: 'p1', order: 1, items: [pressure, { ...pressure, min: 1, max: 0 }] },
        { placeId: 'p2', order: 1, items: [{ ...state, failing: ['冒烟'] }] },
      ],
    });
    expect(issues.map((i) => i.field)).toEqual(['checkpoints[0].items[1].id', 'checkpoints[0].items[1].max', 'checkpoints[1].order', 'checkpoints[1].items[0].failing']);
    expect(validateTemplate({ checkpoints: [{ placeId: 'p1', order: 1, items: [pressure, doorLocked, state, waste, note, photo, meter] }] })).toEqual([]);
  });
  test('IN-1 CL-1 GR-1 every plan kind has zh and en names and is looked up by name', () => {
    expect(PLAN_KIND_DEFS.map((d) => d.kind)).toEqual([...PLAN_KINDS]);
    for (const d of PLAN_KIND_DEFS) {
      expect(d.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(d.en).toBeTruthy();
      expect(planKindDef(d.kind)).toBe(d);
    }
    expect(planKindDef('patrol').zh).toBe('巡逻');
  });
});
