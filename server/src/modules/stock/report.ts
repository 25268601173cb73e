import ExcelJS from 'exceljs';
import { audit } from '../../platform/audit.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { shanghaiMinute } from '../work-items/reports.ts';
import { costReport } from './service.ts';

const yuan = (fen: number) => Math.round(fen) / 100;

function addSheet(wb: ExcelJS.Workbook, name: string, headers: string[], rows: Array<Array<string | number | null>>, widths: number[]) {
  const ws = wb.addWorksheet(name);
  ws.addRow(headers).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((x) => x ?? ''));
  headers.forEach((_, i) => { ws.getColumn(i + 1).width = widths[i] ?? 14; });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return ws;
}

/**
 * The monthly cost report (AR-2) as XLSX: by trade, by place, and every repair or finding with its
 * parts and labour — Chinese headers whatever the reader's language, amounts in yuan with two
 * decimals, and one audit row naming the month and the total (SEC-3), as the work-item exports do.
 */
export async function costReportXlsx(ctx: SignedInCtx, q: { month?: string; placeId?: string; siteId?: string }) {
  const zh = { ...ctx, locale: 'zh-CN' as const };
  const r = await costReport(zh, q);
  const wb = new ExcelJS.Workbook();
  const money = ['材料费(元)', '工时(分钟)', '人工费(元)'];
  const row = (x: { items: number; partsFen: number; labourMinutes: number; labourFen: number; suppliesFen: number; totalFen: number }) =>
    [x.items, yuan(x.partsFen), x.labourMinutes, yuan(x.labourFen), yuan(x.suppliesFen), yuan(x.totalFen)];
  addSheet(wb, '按专业', ['专业', '工单数', ...money, '区域耗材(元)', '合计(元)'],
    [...r.byTrade.map((x) => [x.name, ...row(x)]), ['合计', ...row({ ...r.total, suppliesFen: 0, totalFen: r.total.totalFen - r.total.suppliesFen })]], [14, 8, 12, 10, 12, 12, 12]);
  addSheet(wb, '按区域', ['区域', '工单数', ...money, '区域耗材(元)', '合计(元)'],
    [...r.byPlace.map((x) => [x.name, ...row(x)]), ['合计', ...row(r.total)]], [24, 8, 12, 10, 12, 12, 12]);
  addSheet(wb, '工单明细', ['编号', '标题', '专业', '区域', '完成时间', ...money, '合计(元)'],
    r.lines.map((l) => [l.number, l.title, l.tradeName, l.place, shanghaiMinute(new Date(l.completedAt)), yuan(l.partsFen), l.labourMinutes, yuan(l.labourFen), yuan(l.totalFen)]),
    [18, 30, 10, 18, 17, 12, 10, 12, 12]);
  const info = wb.addWorksheet('说明');
  info.addRow(['月份', r.month]);
  info.addRow(['工时单价(元/小时)', yuan(r.ratePerHourFen)]);
  info.addRow(['范围', r.place?.name ?? '全项目']);
  info.addRow(['口径', '当月完成的维修与巡检发现工单：领用材料按出库时移动加权平均成本计，人工费 = 工时 × 工时单价；区域耗材为当月领用到区域的物资']);
  info.getColumn(1).width = 18;
  info.getColumn(2).width = 80;
  const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
  await audit(ctx.db, ctx, { action: 'report.stock_cost_export', entityType: 'work_item', siteId: ctx.actor.siteId, after: { month: r.month, placeId: q.placeId ?? null, totalFen: r.total.totalFen, items: r.total.items } });
  return { xlsx, filename: `维修成本月报-${r.month}.xlsx`, asciiName: `repair-cost-${r.month}.xlsx` };
}
