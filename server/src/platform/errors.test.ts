import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { toAppError } from './http.ts';
import { maskPhone, maskRecord } from './mask.ts';

describe('errors a client can cause map to 4xx, never 500', () => {
  test('a unique violation raced past the service check is a 409 naming the constraint', () => {
    const pgError = Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'places_site_code_uq' });
    const e = toAppError(new DrizzleQueryError('insert …', [], pgError));
    expect(e).toMatchObject({ status: 409, code: 'duplicate', fields: [{ field: 'places_site_code_uq' }] });
  });
  test('bad text for a typed column is a 400; an unknown error stays a 500', () => {
    expect(toAppError(new DrizzleQueryError('select …', [], Object.assign(new Error('bad uuid'), { code: '22P02' }))).status).toBe(400);
    expect(toAppError(new Error('bug')).status).toBe(500);
  });
});

describe('SEC-2 masking', () => {
  test('mobile and fixed-line numbers keep only what identifies them to their owner', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('021-62345678')).toBe('021****5678');
    expect(maskPhone(null)).toBeNull();
  });
  test('records for the audit log have phones masked and secrets redacted, at any depth', () => {
    expect(maskRecord({ name: '王', phone: '13812345678', passwordHash: 'x', nested: [{ contactPhone: '13900000001' }] }))
      .toEqual({ name: '王', phone: '138****5678', passwordHash: '[redacted]', nested: [{ contactPhone: '139****0001' }] });
  });
});
