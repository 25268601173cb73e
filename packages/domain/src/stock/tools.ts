// Tools and equipment checked out to people and returned (RP-9): who has what, due back when,
// and what is overdue. Due-back is a Shanghai calendar date — a tool lent "until Friday" is late
// from Saturday 00:00 in Shanghai, whatever the server's time zone.

import { shanghaiDate } from '../calendar/calendar.ts';
import { ledgerOrder, type StockMovement } from './ledger.ts';
import { fromMilli, formatQty, toMilli, type StockText } from './quantity.ts';

export interface ToolOut<M extends StockMovement = StockMovement> {
  checkout: M;
  itemId: string;
  personId: string;
  /** Still out: the checked-out quantity less what has been returned against it. */
  qtyOut: number;
  dueBack: string;
  overdue: boolean;
  /** Whole Shanghai days past the due-back date (0 when not overdue). */
  daysOverdue: number;
}

const DAY = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;

/**
 * Check-outs not fully returned as of `now`, oldest due first. Returns name their checkout by
 * id and may be partial (2 of 3 ladders back); a return naming no known checkout is ignored
 * here — checkToolReturn refuses it before it reaches the ledger. Movements after `now` are
 * not counted, so the list can be asked "as of" a past instant.
 */
export function toolsOut<M extends StockMovement>(movements: readonly M[], now: Date): ToolOut<M>[] {
  const open = new Map<string, { checkout: M; outMilli: number }>();
  for (const m of ledgerOrder(movements)) {
    if (m.at.getTime() > now.getTime()) break;
    if (m.kind === 'tool_checkout' && m.id) open.set(m.id, { checkout: m, outMilli: toMilli(m.qty) });
    else if (m.kind === 'tool_return' && m.checkoutId) {
      const o = open.get(m.checkoutId);
      if (o) o.outMilli -= toMilli(m.qty);
    }
  }
  const today = dayNumber(shanghaiDate(now));
  const out: ToolOut<M>[] = [];
  for (const { checkout, outMilli } of open.values()) {
    if (outMilli <= 0) continue;
    const dueBack = checkout.dueBack ?? shanghaiDate(checkout.at);
    const late = today - dayNumber(dueBack);
    out.push({
      checkout, itemId: checkout.itemId, personId: checkout.personId ?? '', qtyOut: fromMilli(outMilli),
      dueBack, overdue: late > 0, daysOverdue: Math.max(late, 0),
    });
  }
  return out.sort((a, b) => a.dueBack.localeCompare(b.dueBack) || a.checkout.at.getTime() - b.checkout.at.getTime());
}

export interface ToolReturnRefusal {
  code: 'unknown_checkout' | 'more_than_out';
  message: StockText;
}

/** Whether `qty` may be returned against a checkout: null when it may (the server answers a refusal with 409). */
export function checkToolReturn(out: readonly ToolOut[], checkoutId: string, qty: number): ToolReturnRefusal | null {
  const o = out.find((t) => t.checkout.id === checkoutId);
  if (!o) return { code: 'unknown_checkout', message: { zh: '没有这条未归还的借出记录', en: 'No open check-out with this id' } };
  if (toMilli(qty) > toMilli(o.qtyOut)) {
    return {
      code: 'more_than_out',
      message: { zh: `归还数量 ${formatQty(qty)} 多于未还数量 ${formatQty(o.qtyOut)}`, en: `Returning ${formatQty(qty)} but only ${formatQty(o.qtyOut)} is out` },
    };
  }
  return null;
}
