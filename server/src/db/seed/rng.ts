/**
 * The seed's deterministic randomness and date arithmetic, shared by the history and reception
 * seeds: the same seed number gives the same sequence, so the same `today` gives the same demo.
 */

/** A seeded PRNG (mulberry32: 32-bit state, fast, good enough for demo data; not for secrets). */
export function makeRng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    /** a uniform number in [0, 1) */
    next,
    chance: (p: number) => next() < p,
    /** a uniform number in [lo, hi) */
    real: (lo: number, hi: number) => lo + next() * (hi - lo),
    /** a uniform integer in [lo, hi] */
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!,
    /** triangular on [lo, hi] with its mode at `mode`: most waits are short, a few are long */
    tri(lo: number, mode: number, hi: number) {
      const u = next();
      const c = (mode - lo) / (hi - lo);
      return u < c ? lo + Math.sqrt(u * (hi - lo) * (mode - lo)) : hi - Math.sqrt((1 - u) * (hi - lo) * (hi - mode));
    },
    weighted<T>(list: ReadonlyArray<readonly [T, number]>): T {
      let r = next() * list.reduce((s, [, w]) => s + w, 0);
      for (const [x, w] of list) if ((r -= w) < 0) return x;
      return list[list.length - 1]![0];
    },
    /** how many events happen when `lambda` are expected (Knuth's method; fine for small lambda) */
    poisson(lambda: number) {
      const l = Math.exp(-lambda);
      let k = 0;
      let p = 1;
      do { k++; p *= next(); } while (p > l);
      return k - 1;
    },
  };
}
export type Rng = ReturnType<typeof makeRng>;

/** The calendar date `n` days after `day` (YYYY-MM-DD; negative `n` goes back). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
