// Exact arithmetic for stock quantities and money.
//
// Money is in fen (分, integers): ¥12.50 is 1250. Quantities may be decimals because cleaning
// and greening supplies are counted in litres and kilograms (2.5 L of floor cleaner, 0.75 kg of
// fertiliser), so a quantity is a number with at most 3 decimal places — the grain of a
// numeric(12,3) column, 1 mL or 1 g. Every sum and comparison is done on integer thousandths
// (milli-units), never on floats, so 0.1 + 0.2 L is exactly 0.3 L and a balance built from a
// thousand decimal movements is exactly the counted quantity. Products of money and quantity go
// through BigInt and are rounded half away from zero once, at the end.

/** Thousandths per unit: quantities carry at most 3 decimal places. */
export const QTY_SCALE = 1000;

/** A bilingual message, the shape the server's errors carry. */
export interface StockText { zh: string; en: string }

/** Whether q is a finite quantity with at most 3 decimal places. */
export function isQuantity(q: unknown): q is number {
  if (typeof q !== 'number' || !Number.isFinite(q)) return false;
  const scaled = q * QTY_SCALE;
  // A float such as 0.3 * 1000 = 300.00000000000006 still has 3 decimals; 0.0005 does not.
  return Math.abs(scaled - Math.round(scaled)) < 1e-6 && Number.isSafeInteger(Math.round(scaled));
}

/** The quantity in thousandths; throws on more than 3 decimals (a caller validates first). */
export function toMilli(q: number): number {
  if (!isQuantity(q)) throw new RangeError(`not a quantity with at most 3 decimals: ${q}`);
  return Math.round(q * QTY_SCALE);
}

export function fromMilli(milli: number): number {
  return milli / QTY_SCALE;
}

/** Whether fen is a whole number of fen (money is never fractional). */
export function isFen(fen: unknown): fen is number {
  return typeof fen === 'number' && Number.isSafeInteger(fen);
}

/**
 * round(a × b / c), half away from zero, exact for any safe integers (the product can pass 2^53:
 * ¥1 000 000 of stock × 50 000.000 units in thousandths does).
 */
export function mulDivRound(a: number, b: number, c: number): number {
  if (c === 0) throw new RangeError('division by zero');
  let n = BigInt(a) * BigInt(b);
  let d = BigInt(c);
  if (d < 0n) { n = -n; d = -d; }
  const q = n / d;
  const r = n % d;
  const abs = r < 0n ? -r : r;
  if (2n * abs >= d) return Number(q + (n < 0n ? -1n : 1n));
  return Number(q);
}

/** ceil(a / b) for safe integers, b > 0, exact. */
export function ceilDiv(a: number, b: number): number {
  if (b <= 0) throw new RangeError('divisor must be > 0');
  const n = BigInt(a);
  const d = BigInt(b);
  const q = n / d; // truncates toward zero
  return Number(n % d > 0n ? q + 1n : q);
}

/** A quantity for people: up to 3 decimals, trailing zeros dropped (12, 2.5, 0.125). */
export function formatQty(q: number): string {
  return String(Math.round(q * QTY_SCALE) / QTY_SCALE);
}

/** Fen as yuan with two decimals and a thousands separator: 123456 → '¥1,234.56'. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}
