/** Shapes of the stock API (server/src/modules/stock/routes.ts). Money in fen, quantities as decimals (≤ 3 places). */
export type StockCategory = 'spare_part' | 'tool' | 'cleaning_supply' | 'greening_material';
export const STOCK_CATEGORIES: StockCategory[] = ['spare_part', 'tool', 'cleaning_supply', 'greening_material'];
export type MovementKind = 'receive' | 'issue' | 'return' | 'adjust' | 'stocktake' | 'tool_checkout' | 'tool_return';

export interface StockItem {
  id: string; code: string; name: string; nameEn: string | null; displayName: string; category: StockCategory; categoryName: string;
  unit: string; unitEn: string | null; unitCostFen: number; minLevel: number; leadTimeDays: number; safetyStockDays: number; packSize: number;
  location: string | null; allowNegative: boolean; active: boolean; balance: number; owned: number; valueFen: number; averageUnitCostFen: number; low: boolean;
}

export interface Movement {
  id: string; seq: number; itemId: string; kind: MovementKind; kindName: string; at: string; qty: number; delta: number; balanceAfter: number | null;
  costFen: number; unitCostFen: number | null; supplier: string | null; target: { kind: 'work_item' | 'place' | 'person'; id: string; name: string | null } | null;
  reason: string | null; person: { id: string; name: string } | null; dueBack: string | null; checkoutId: string | null; note: string | null; actorName: string | null;
}

export interface ToolOut {
  checkoutId: string; itemId: string; code: string; name: string; unit: string; person: { id: string; name: string }; qtyOut: number;
  checkedOutAt: string; dueBack: string; overdue: boolean; daysOverdue: number; note: string | null;
}

export interface Suggestion {
  itemId: string; code: string; name: string; category: StockCategory; unit: string; unitCostFen: number; consumed: number; days: number; weeklyUse: number;
  reorderPoint: number; balance: number; suggestedQty: number; packs: number; estimatedCostFen: number; steps: Array<{ key: string; text: string }>;
}

export interface CostRow { items: number; partsFen: number; labourMinutes: number; labourFen: number; suppliesFen: number; totalFen: number }
export interface CostReport {
  month: string; ratePerHourFen: number; place: { id: string; name: string } | null; total: CostRow;
  byTrade: Array<CostRow & { trade: string; name: string }>;
  byPlace: Array<CostRow & { placeId: string | null; name: string }>;
  lines: Array<{ id: string; number: string; title: string; kind: string; tradeName: string; place: string | null; completedAt: string; partsFen: number; labourMinutes: number; labourFen: number; totalFen: number }>;
}

/** ¥1,234.56 from fen. */
export const yuan = (fen: number) => `¥${(Math.round(fen) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
/** Up to 3 decimals, trailing zeros dropped. */
export const qty = (q: number) => String(Math.round(q * 1000) / 1000);
