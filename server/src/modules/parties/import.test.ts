import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { testApp } from '../../../test/harness.ts';
import { auditLog } from '../audit/schema.ts';
import { places } from '../places/schema.ts';
import { companies, occupants, staff } from './schema.ts';

/**
 * Import of companies, occupants and staff from XLSX or CSV (issue 2 §6, "Bad input"): all rows
 * or none, a per-row report naming the spreadsheet row and the column the user sees, one audit
 * row per created record.
 */
const t = await testApp();
const w = t.world;
for (const u of ['agent', 'supervisor', 'technician', 'occupant']) await t.login(u);

// Two more office units on floor 12, so imported companies lease units of their own.
const token = () => crypto.randomBytes(12).toString('base64url');
const [unit1203, unit1204] = await t.db.insert(places).values([
  { siteId: w.siteId, parentId: w.floor12Id, code: 'JW-T1-F12-1203', name: '1203室', kind: 'office_unit', qrToken: token() },
  { siteId: w.siteId, parentId: w.floor12Id, code: 'JW-T1-F12-1204', name: '1204室', kind: 'office_unit', qrToken: token() },
]).returning();

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A multipart/form-data body with one file, built by hand as a browser would send it. */
function upload(filename: string, content: Buffer | string, opts: { type?: string; field?: string; extra?: Record<string, string> } = {}) {
  const boundary = '----towerdeskTestBoundary7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(opts.extra ?? {})) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (opts.field !== '') {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${opts.field ?? 'file'}"; filename="${filename}"\r\nContent-Type: ${opts.type ?? 'application/octet-stream'}\r\n\r\n`));
    parts.push(Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function xlsx(rows: unknown[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function importAs(who: string, register: 'companies' | 'occupants' | 'staff', file: ReturnType<typeof upload>, headers: Record<string, string> = {}) {
  return t.as(who, { method: 'POST', url: `/api/${register}/import`, payload: file.payload, headers: { ...file.headers, ...headers } });
}

const counts = async () => ({ audit: await t.auditCount(), companies: await t.db.$count(companies), occupants: await t.db.$count(occupants), staff: await t.db.$count(staff) });
const lastAuditId = async () => (await t.db.select({ id: sql<number>`coalesce(max(${auditLog.id}), 0)::int` }).from(auditLog))[0]!.id;

/** Sends a file that must be refused, and checks that nothing at all was written. */
async function rejected(who: string, register: 'companies' | 'occupants' | 'staff', file: ReturnType<typeof upload>, headers: Record<string, string> = {}) {
  const before = await counts();
  const res = await importAs(who, register, file, headers);
  expect(await counts()).toEqual(before);
  return res;
}

describe('a good file imports every row (issue 2 §6)', () => {
  test('AR-1 SEC-3 a CSV of companies with a BOM and Chinese headers imports all rows, one audit row each', async () => {
    const csv = '\uFEFF单位名称,租用单元,联系人,联系电话\r\n'
      + '丙公司,JW-T1-F12-1203,孙丙,13700000001\r\n'
      + '"丁公司, 上海",jw-t1-f12-1204、JW-T1-F12-1203,周丁,021-62345678\r\n'
      + '戊公司,,吴戊,\r\n'
      + ',,,\r\n'; // a blank line at the end, as Excel writes it
    const before = await counts();
    const since = await lastAuditId();
    const res = await importAs('agent', 'companies', upload('公司.csv', csv, { type: 'text/csv' }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 3 });
    expect(await t.db.$count(companies)).toBe(before.companies + 3);

    const rows = await t.db.select().from(companies).where(inArray(companies.name, ['丙公司', '丁公司, 上海', '戊公司'])).orderBy(asc(companies.name));
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('丙公司')).toMatchObject({ siteId: w.siteId, unitIds: [unit1203!.id], contactName: '孙丙', contactPhone: '13700000001', active: true });
    expect(byName.get('丁公司, 上海')).toMatchObject({ unitIds: [unit1204!.id, unit1203!.id], contactPhone: '021-62345678' });
    expect(byName.get('戊公司')).toMatchObject({ unitIds: [], contactPhone: null });

    const audit = await t.db.select().from(auditLog).where(gt(auditLog.id, since));
    expect(audit.map((a) => a.action)).toEqual(['company.import', 'company.import', 'company.import']);
    expect(audit.map((a) => a.entityId).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(audit.find((a) => a.entityId === byName.get('丙公司')!.id)!.after).toMatchObject({ name: '丙公司', contactPhone: '137****0001' });
    expect(JSON.stringify(audit)).not.toContain('13700000001');

    const list = await t.as('agent', { method: 'GET', url: '/api/companies?q=丙公司' });
    expect(list.json().items).toMatchObject([{ name: '丙公司', contactPhone: '137****0001', unitNames: ['1203室'] }]);
  });

  test('an XLSX of occupants names companies by name and units by code', async () => {
    const file = await xlsx([
      ['姓名', '手机号', '所属单位', '所在单元', '单位角色'],
      ['孙甲', 13711110001, '甲公司', 'JW-T1-F12-1201', '管理员'],
      ['周乙', '13711110002', '乙公司', 'JW-T1-F12-1202', '员工'],
      ['散客', '13711110003', '', '', ''],
    ]);
    const before = await counts();
    const res = await importAs('agent', 'occupants', upload('occupants.xlsx', file, { type: XLSX_TYPE }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 3 });
    expect(await counts()).toEqual({ ...before, audit: before.audit + 3, occupants: before.occupants + 3 });
    const rows = await t.db.select().from(occupants).where(inArray(occupants.phone, ['13711110001', '13711110002', '13711110003'])).orderBy(asc(occupants.phone));
    expect(rows).toMatchObject([
      { name: '孙甲', companyId: w.companyAId, unitIds: [w.unitAId], companyRole: 'admin' },
      { name: '周乙', companyId: w.companyBId, unitIds: [w.unitBId], companyRole: 'member' },
      { name: '散客', companyId: null, unitIds: [], companyRole: 'member' },
    ]);
    // The imported admin contact of A is in A's scope, not in B's.
    expect((await t.as('occupant', { method: 'GET', url: `/api/occupants/${rows[0]!.id}` })).statusCode).toBe(200);
    expect((await t.as('occupant', { method: 'GET', url: `/api/occupants/${rows[1]!.id}` })).statusCode).toBe(404);
  });

  test('CS-6 a staff XLSX reads 工种 "电工、消防" as trades, dates and years as typed', async () => {
    const file = await xlsx([
      ['工号', '姓名', '手机号', '岗位', '工种', '入职日期', '从业年限'],
      ['S101', '钱工', '13722220001', '电工', '电工、消防', new Date(Date.UTC(2021, 2, 15)), 5],
      ['S102', '孙工', '13722220002', '水工', 'plumbing, HVAC', '2022-07-01', '3'],
      ['S103', '李保洁', '13722220003', '保洁员', '保洁', '2024-01-08', ''],
    ]);
    const res = await importAs('supervisor', 'staff', upload('staff.xlsx', file, { type: XLSX_TYPE }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 3 });
    const rows = await t.db.select().from(staff).where(inArray(staff.employeeNo, ['S101', 'S102', 'S103'])).orderBy(asc(staff.employeeNo));
    expect(rows).toMatchObject([
      { name: '钱工', trades: ['electrical', 'fire'], hireDate: '2021-03-15', experienceYears: 5, position: '电工' },
      { name: '孙工', trades: ['plumbing', 'hvac'], hireDate: '2022-07-01', experienceYears: 3 },
      { name: '李保洁', trades: ['cleaning'], hireDate: '2024-01-08', experienceYears: 0 },
    ]);
    const fire = await t.as('technician', { method: 'GET', url: '/api/staff?trade=fire' });
    expect(fire.json().items.map((i: { name: string }) => i.name)).toEqual(['钱工']);
  });

  test('a CSV saved by Chinese Excel in GBK imports with its Chinese headers', async () => {
    // 单位名称,联系人 / 上海丙丁贸易有限公司,钱七 encoded in GBK.
    const gbk = Buffer.from('b5a5cebbc3fbb3c62cc1aacfb5c8cb0d0ac9cfbaa3b1fbb6a1c3b3d2d7d3d0cfdeb9abcbbe2cc7aec6df0d0a', 'hex');
    const res = await importAs('agent', 'companies', upload('gbk.csv', gbk));
    expect(res.statusCode, res.body).toBe(200);
    const list = await t.as('agent', { method: 'GET', url: `/api/companies?q=${encodeURIComponent('丙丁贸易')}` });
    expect(list.json().items).toEqual([expect.objectContaining({ name: '上海丙丁贸易有限公司', contactName: '钱七' })]);
  });

  // exceljs's CSV reader would turn cells into numbers and dates ('007' → '7', '2020-03-01' →
  // '2020-02-29' on a server in Asia/Shanghai); readSheet keeps them as typed.
  test('a CSV keeps cells as typed: leading zeros of employee numbers and fixed-line phones', async () => {
    const csv = '工号,姓名,手机号,岗位,入职日期\n007,零工号,02162345001,电工,2020-03-01\n';
    const res = await importAs('supervisor', 'staff', upload('zeros.csv', csv));
    expect(res.statusCode, res.body).toBe(200);
    const [row] = await t.db.select().from(staff).where(eq(staff.name, '零工号'));
    expect(row).toMatchObject({ employeeNo: '007', phone: '02162345001', hireDate: '2020-03-01' });
  });

  test('an upload between the 1 MB JSON limit and the 10 MB file limit is accepted', async () => {
    const note = 'x'.repeat(700_000); // an extra column the register does not know is ignored
    const csv = `单位名称,备注\n大文件一,${note}\n大文件二,${note}\n大文件三,${note}\n`;
    expect(Buffer.byteLength(csv)).toBeGreaterThan(2_000_000);
    const res = await importAs('agent', 'companies', upload('big.csv', csv));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.json()).toEqual({ imported: 3 });
  });
});

describe('a file with a broken row is rejected whole, with a report (issue 2 "Bad input")', () => {
  const brokenOccupants = () => xlsx([
    ['姓名', '手机号', '所属单位', '所在单元', '单位角色'],
    ['好人一', '13733330001', '甲公司', 'JW-T1-F12-1201', '员工'], // row 2: fine
    ['坏号', '12345', '甲公司', '', ''], //                                row 3: bad phone
    ['无主', '13733330003', '不存在公司', '', ''], //                      row 4: unknown company
    ['重复', '13733330001', '乙公司', '', ''], //                          row 5: same phone as row 2
    ['已有', '13800000001', '甲公司', '', ''], //                          row 6: phone already registered
    ['', '13733330006', '乙公司', '', ''], //                              row 7: name missing
    ['错单元', '13733330007', '乙公司', 'JW-T1-F12-9999', ''], //          row 8: unknown unit
    ['好人二', '13733330008', '乙公司', 'JW-T1-F12-1202', ''], //          row 9: fine
  ]);

  test('AR-1 nothing is imported; error.rows names each row (header = row 1) and the Chinese column', async () => {
    const res = await rejected('agent', 'occupants', upload('broken.xlsx', await brokenOccupants(), { type: XLSX_TYPE }));
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe('import_rejected');
    expect(error.message).toBe('导入被拒绝：6 处错误，未导入任何数据');
    expect(error.rows).toEqual([
      { row: 3, field: '手机号', message: '格式不正确' },
      { row: 4, field: '所属单位', message: '单位“不存在公司”不存在' },
      { row: 5, field: '手机号', message: '与第 2 行重复' },
      { row: 6, field: '手机号', message: '该手机号已登记' },
      { row: 7, field: '姓名', message: '必填' },
      { row: 8, field: '所在单元', message: '单元“JW-T1-F12-9999”不存在' },
    ]);
    expect(error.fields.map((f: { field: string }) => f.field)).toContain('file.row3.手机号');
    expect(await t.db.$count(occupants, inArray(occupants.phone, ['13733330001', '13733330008']))).toBe(0);
  });

  test('the report is in English with Accept-Language: en', async () => {
    const res = await rejected('agent', 'occupants', upload('broken.xlsx', await brokenOccupants(), { type: XLSX_TYPE }), { 'accept-language': 'en-US,en;q=0.8' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('Import rejected: 6 problems, nothing was imported');
    expect(res.json().error.rows).toEqual([
      { row: 3, field: '手机号', message: 'Wrong format' },
      { row: 4, field: '所属单位', message: 'No company named "不存在公司"' },
      { row: 5, field: '手机号', message: 'Duplicates row 2' },
      { row: 6, field: '手机号', message: 'This phone is already registered' },
      { row: 7, field: '姓名', message: 'Required' },
      { row: 8, field: '所在单元', message: 'No office unit "JW-T1-F12-9999"' },
    ]);
  });

  test('a CSV of companies with one duplicate name and one non-office unit is rejected whole', async () => {
    const csv = '单位名称,租用单元,联系人,联系电话\n'
      + '己公司,JW-T1-F12-1203,郑己,13744440001\n'
      + '甲公司,,王,13744440002\n' // exists
      + '庚公司,JW-T1-F12,冯庚,13744440003\n' // a floor, not an office unit
      + '辛公司,,陈辛,138-0000\n'; // bad phone
    const res = await rejected('agent', 'companies', upload('c.csv', csv));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.rows).toEqual([
      { row: 3, field: '单位名称', message: '单位名称已存在' },
      { row: 4, field: '租用单元', message: '单元“JW-T1-F12”不存在' },
      { row: 5, field: '联系电话', message: '格式不正确' },
    ]);
    expect(await t.db.$count(companies, eq(companies.name, '己公司'))).toBe(0);
  });

  test('CS-6 a staff file with an unknown trade, a bad date and a taken employee number is rejected whole', async () => {
    const file = await xlsx([
      ['工号', '姓名', '手机号', '岗位', '工种', '入职日期', '从业年限'],
      ['S201', '好员工', '13755550001', '电工', '电工', '2020-01-01', 2],
      ['S202', '怪工种', '13755550002', '电工', '电工、魔法', '2020-01-01', 2],
      ['S203', '坏日期', '13755550003', '电工', '电工', '2020-13-45', 2],
      ['E001', '重工号', '13755550004', '电工', '电工', '2020-01-01', 2],
      ['S204', '坏年限', '13755550005', '电工', '电工', '2020-01-01', 'abc'],
      ['S201', '同工号', '13755550006', '电工', '电工', '2020-01-01', 1],
      ['S205', '', '13755550007', '', '', '', ''],
    ]);
    const res = await rejected('supervisor', 'staff', upload('s.xlsx', file));
    expect(res.statusCode).toBe(400);
    const rows = res.json().error.rows as Array<{ row: number; field: string; message: string }>;
    expect(rows.map((r) => [r.row, r.field])).toEqual([
      [3, '工种'], [4, '入职日期'], [5, '工号'], [6, '从业年限'], [7, '工号'], [8, '姓名'], [8, '岗位'], [8, '入职日期'],
    ]);
    expect(rows.find((r) => r.row === 5)!.message).toBe('工号已存在');
    expect(rows.find((r) => r.row === 7)!.message).toBe('与第 2 行重复');
    expect(rows.filter((r) => r.row === 8).map((r) => r.message)).toEqual(['必填', '必填', '必填']);
  });

  test('a file without a required column is rejected, naming the column', async () => {
    const csv = '联系人,联系电话\n孙,13766660001\n';
    const res = await rejected('agent', 'companies', upload('no-name.csv', csv));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('import_rejected');
    expect(res.json().error.fields).toContainEqual(expect.objectContaining({ field: 'file.单位名称', code: 'missing_column' }));
    expect(res.json().error.rows).toEqual([{ row: 1, field: '单位名称', message: '缺少列“单位名称”' }]);
    const staffCsv = '工号,姓名,手机号\nS301,缺列,13766660002\n';
    const s = await rejected('supervisor', 'staff', upload('s.csv', staffCsv), { 'accept-language': 'en' });
    expect(s.json().error.rows.map((r: { field: string }) => r.field)).toEqual(['岗位', '入职日期']);
    expect(s.json().error.rows[0].message).toBe('Missing column "position"');
  });

  test('a file with headers only is rejected', async () => {
    const res = await rejected('agent', 'companies', upload('empty.csv', '单位名称,联系人\n'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('import_rejected');
    expect(res.json().error.fields[0].field).toBe('file');
  });
});

describe('what is not a spreadsheet is refused (issue 2 "Bad input")', () => {
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]),
    Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 73 + 41) % 256)),
  ]);
  const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) % 251));
  const fakeZip = Buffer.concat([Buffer.from('PK\u0003\u0004'), noise]);

  test.each([
    ['a PNG', 'photo.png', png, 'image/png'],
    ['random bytes named .xlsx', 'data.xlsx', noise, XLSX_TYPE],
    ['random bytes named .csv', 'data.csv', noise, 'text/csv'],
    ['a broken zip named .xlsx', 'broken.xlsx', fakeZip, XLSX_TYPE],
  ])('%s → 400 naming file, nothing written', async (_name, filename, content, type) => {
    const res = await rejected('agent', 'companies', upload(filename, content, { type }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['file']);
  });

  test('no file → 400 naming file', async () => {
    const onlyField = await rejected('agent', 'companies', upload('', '', { field: '', extra: { note: 'hello' } }));
    expect(onlyField.statusCode).toBe(400);
    expect(onlyField.json().error.fields[0].field).toBe('file');
    const json = await rejected('agent', 'companies', { payload: Buffer.from('{}'), headers: { 'content-type': 'application/json' } });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.fields[0].field).toBe('file');
    const nothing = await t.as('agent', { method: 'POST', url: '/api/companies/import' });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.json().error.fields[0].field).toBe('file');
  });

  test('a file over 10 MB → 413', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x41);
    const res = await rejected('agent', 'companies', upload('big.csv', big));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('too_large');
  });

  test('SEC-1 only desk roles import: the technician and the occupant get 403', async () => {
    const csv = '单位名称\n越权公司\n';
    expect((await rejected('technician', 'companies', upload('c.csv', csv))).statusCode).toBe(403);
    expect((await rejected('occupant', 'occupants', upload('c.csv', '姓名,手机号\n越权,13799990000\n'))).statusCode).toBe(403);
    expect((await rejected('agent', 'staff', upload('c.csv', '工号\nX\n'))).statusCode).toBe(403);
  });
});

describe('the import template', () => {
  test.each([
    ['companies', 'agent', ['单位名称', '英文名称', '租用单元', '联系人', '联系电话']],
    ['occupants', 'agent', ['姓名', '手机号', '所属单位', '所在单元', '单位角色']],
    ['staff', 'supervisor', ['工号', '姓名', '手机号', '岗位', '工种', '入职日期', '从业年限']],
  ] as const)('%s: a valid XLSX whose header row is the import columns', async (register, who, headers) => {
    const res = await t.as(who, { method: 'GET', url: `/api/${register}/import-template` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX_TYPE);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[a-z]+-template\.xlsx"; filename\*=UTF-8''/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([...headers]);
    expect(ws.rowCount).toBe(1);
  });

  test('the template, filled in, imports', async () => {
    const res = await t.as('agent', { method: 'GET', url: '/api/companies/import-template' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    wb.worksheets[0]!.addRow(['模板公司', 'Template Co', 'JW-T1-F12-1204', '模板联系人', '13788880001']);
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const imported = await importAs('agent', 'companies', upload('template.xlsx', filled, { type: XLSX_TYPE }));
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toEqual({ imported: 1 });
    const [row] = await t.db.select().from(companies).where(eq(companies.name, '模板公司'));
    expect(row).toMatchObject({ nameEn: 'Template Co', unitIds: [unit1204!.id], contactName: '模板联系人' });
  });
});
