import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { invalidField } from './errors.ts';

/**
 * Reads the first sheet of an XLSX or CSV upload into rows of strings keyed by header text.
 * Row numbers are the spreadsheet's own (header = 1), so an error report points at the cell
 * the user sees.
 */
export async function readSheet(buffer: Buffer, _filename?: string): Promise<{ headers: string[]; rows: Array<{ row: number; cells: Record<string, string> }> }> {
  const wb = new ExcelJS.Workbook();
  const unreadable = () => invalidField('file', { zh: '无法读取文件，请上传 XLSX 或 CSV', en: 'Cannot read the file; upload XLSX or CSV' }, 'unreadable');
  // The content decides, not the name: an XLSX renamed .csv is still a workbook, and a photo
  // picked by mistake is neither.
  if (isZip(buffer)) {
    try {
      await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    } catch {
      throw unreadable();
    }
  } else {
    if (looksBinary(buffer)) throw unreadable();
    // Every cell stays the text the user typed: no numbers (employee no. 007, 021… phones) and no
    // dates shifted by the server's time zone.
    await wb.csv.read(Readable.from([decodeText(buffer)]), { map: (v: string) => (v === '' ? null : v), parserOptions: { trim: true } } as never)
      .catch(() => { throw unreadable(); });
  }
  const sheet = wb.worksheets[0];
  if (!sheet || sheet.rowCount < 1) throw invalidField('file', { zh: '文件是空的', en: 'The file is empty' }, 'empty');
  const headers: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => { headers[col - 1] = cellText(cell.value).trim(); });
  const rows: Array<{ row: number; cells: Record<string, string> }> = [];
  sheet.eachRow({ includeEmpty: false }, (r, n) => {
    if (n === 1) return;
    const cells: Record<string, string> = {};
    let any = false;
    headers.forEach((h, i) => {
      const v = cellText(r.getCell(i + 1).value).trim();
      if (v) any = true;
      if (h) cells[h] = v;
    });
    if (any) rows.push({ row: n, cells });
  });
  return { headers, rows };
}

const isZip = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
/** Text (UTF-8 or GBK) has no NUL or other C0 control bytes besides tab, LF, FF and CR. */
const looksBinary = (b: Buffer) => b.subarray(0, 64 * 1024).some((c) => c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d);

/** UTF-8 (BOM stripped), else GB18030: Excel in China saves CSV in the system code page. */
function decodeText(b: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(b);
  }
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    return '';
  }
  return String(v);
}

/** An XLSX with one header row: the template users fill in for an import. */
export async function writeSheet(sheetName: string, headers: string[], rows: string[][] = []) {
  const wb = new ExcelJS.Workbook();
  // Excel forbids : \ / ? * [ ] in sheet names and caps them at 31 characters.
  const ws = wb.addWorksheet(sheetName.replace(/[:\\/?*[\]]/g, '-').slice(0, 31));
  ws.addRow(headers).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.columns.forEach((c) => { c.width = 18; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
