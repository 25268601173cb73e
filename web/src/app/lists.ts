/**
 * Punctuation that differs between the UI languages. Chinese enumerates with 、 and sets an aside
 * in full-width brackets with no space (甲、乙（丙）); English uses ", " and " (…)". A hard-coded 、
 * or （ shows as Chinese punctuation in the English UI, so lists and asides go through these.
 * Plain separators rather than Intl.ListFormat: a list of trades or unit names takes no "and".
 */
const isEn = (lang: string) => lang.startsWith('en');

/** ['水', '电'] → '水、电' (zh) / 'Plumbing, Electrical' (en). */
export function listJoin(items: readonly (string | number)[], lang: string): string {
  return items.join(isEn(lang) ? ', ' : '、');
}

/** An aside after a text: '（3）' (zh) / ' (3)' (en, with its space). */
export function paren(text: string | number, lang: string): string {
  return isEn(lang) ? ` (${text})` : `（${text}）`;
}
