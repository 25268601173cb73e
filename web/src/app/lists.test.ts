import { describe, expect, it } from 'vitest';
import { listJoin, paren } from './lists.ts';

describe('list and aside punctuation follows the UI language (Chinese first, English second)', () => {
  it('enumerates with 、 in Chinese and ", " in English', () => {
    expect(listJoin(['水暖', '电工'], 'zh-CN')).toBe('水暖、电工');
    expect(listJoin(['Plumbing', 'Electrical', 'HVAC'], 'en-US')).toBe('Plumbing, Electrical, HVAC');
    expect(listJoin(['13F 1301'], 'en-US')).toBe('13F 1301');
    expect(listJoin([], 'zh-CN')).toBe('');
  });

  it('sets an aside in full-width brackets in Chinese and " (…)" in English', () => {
    expect(`张三${paren('甲公司', 'zh-CN')}`).toBe('张三（甲公司）');
    expect(`Zhang San${paren('ACME', 'en-US')}`).toBe('Zhang San (ACME)');
    expect(paren(3, 'en-US')).toBe(' (3)');
  });
});
