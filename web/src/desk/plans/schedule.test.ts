import { describe, expect, test } from 'vitest';
import { describeRRule } from './schedule.ts';

describe('IN-1 a plan\'s schedule in words on the desk', () => {
  test('IN-1 the usual shapes read as a person would say them, in zh-CN and en', () => {
    expect(describeRRule('FREQ=DAILY;BYHOUR=16,8;BYMINUTE=0', 'zh-CN')).toBe('每天 08:00、16:00');
    expect(describeRRule('FREQ=DAILY;BYHOUR=8,16;BYMINUTE=0', 'en-US')).toBe('Every day at 08:00, 16:00');
    expect(describeRRule('FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=30', 'zh-CN')).toBe('每周 周一 09:30');
    expect(describeRRule('FREQ=MONTHLY;BYMONTH=4,5;BYDAY=+2WE;BYHOUR=7;BYMINUTE=0', 'zh-CN')).toBe('每月 4、5 月 第 2 个周三 07:00');
    expect(describeRRule('FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=10;BYHOUR=9;BYMINUTE=0', 'en-US')).toBe('Every year in Mar, Jun, Sep, Dec on day 10 at 09:00');
    expect(describeRRule('FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;BYHOUR=14;BYMINUTE=0', 'zh-CN')).toBe('每 2 周 周五 14:00');
  });

  test('IN-1 a rule it does not know is shown as written', () => {
    expect(describeRRule('FREQ=DAILY;BYSETPOS=1', 'zh-CN')).toBe('FREQ=DAILY;BYSETPOS=1');
    expect(describeRRule('nonsense', 'en-US')).toBe('nonsense');
  });
});
