import { describe, expect, it } from 'vitest';
import { ApiError, formFieldOf, toApiError, withQuery } from './api.ts';

describe('toApiError', () => {
  it('reads the server error shape, with field problems and import rows', () => {
    const e = toApiError(400, {
      error: {
        code: 'import_rejected', message: '导入被拒绝：2 处错误',
        fields: [{ field: 'file.row2.联系电话', code: 'invalid', message: '格式不正确' }],
        rows: [{ row: 2, field: '联系电话', message: '格式不正确' }],
      },
    }, '400 Bad Request');
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 400, code: 'import_rejected', message: '导入被拒绝：2 处错误' });
    expect(e.rows).toEqual([{ row: 2, field: '联系电话', message: '格式不正确' }]);
    expect(e.fields).toHaveLength(1);
    expect(e.offline).toBe(false);
  });

  it('carries the wait of a throttled sign-in', () => {
    const e = toApiError(429, { error: { code: 'throttled', message: '尝试次数过多，请稍后再试', fields: [], retryAfterSeconds: 15 } }, '429');
    expect(e.retryAfterSeconds).toBe(15);
  });

  it('survives bodies that are not ours (a proxy error page)', () => {
    const e = toApiError(502, null, '502 Bad Gateway');
    expect(e).toMatchObject({ status: 502, code: 'http_502', message: '502 Bad Gateway', fields: [], rows: [] });
  });
});

describe('formFieldOf', () => {
  it('maps body paths to form fields and leaves the rest to a general message', () => {
    expect(formFieldOf('body.name')).toBe('name');
    expect(formFieldOf('body.unitIds.0')).toBe('unitIds');
    expect(formFieldOf('body')).toBeNull();
    expect(formFieldOf('query.limit')).toBeNull();
    expect(formFieldOf('file.row2.姓名')).toBeNull();
  });
});

describe('withQuery', () => {
  it('drops empty values and encodes the rest', () => {
    expect(withQuery('/api/places', { q: '12层', parentId: undefined, limit: 500, includeInactive: false, kind: '' })).toBe(
      `/api/places?q=${encodeURIComponent('12层')}&limit=500&includeInactive=false`,
    );
    expect(withQuery('/api/staff')).toBe('/api/staff');
  });
});
