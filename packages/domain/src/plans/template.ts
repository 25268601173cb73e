// Checklist templates: ordered checkpoints (places) each with typed items, and the judgement of
// one answer. "Valid" is about the shape (the API refuses it with 400 naming the item); "finding"
// is about the building (an abnormal result that will raise a work item, IN-4).

export type ItemKind = 'number' | 'yes_no' | 'single_choice' | 'multi_choice' | 'text' | 'photo' | 'meter';
export const ITEM_KINDS = ['number', 'yes_no', 'single_choice', 'multi_choice', 'text', 'photo', 'meter'] as const satisfies readonly ItemKind[];
export const ITEM_KIND_LABELS: Record<ItemKind, { zh: string; en: string }> = {
  number: { zh: '数值', en: 'Number' },
  yes_no: { zh: '是/否', en: 'Yes / no' },
  single_choice: { zh: '单选', en: 'Single choice' },
  multi_choice: { zh: '多选', en: 'Multiple choice' },
  text: { zh: '文字', en: 'Text' },
  photo: { zh: '拍照', en: 'Photo' },
  meter: { zh: '抄表', en: 'Meter reading' },
};

interface ItemBase {
  /** Stable within the template (answers refer to it), e.g. `pressure`. */
  id: string;
  label: string;
  labelEn?: string;
}
export type ChecklistItem = ItemBase &
  (
    | { kind: 'number'; unit: string; min?: number; max?: number }
    | { kind: 'yes_no'; expected: boolean }
    | { kind: 'single_choice'; options: string[]; failing: string[] }
    | { kind: 'multi_choice'; options: string[]; failing: string[] }
    | { kind: 'text' }
    | { kind: 'photo'; required: boolean }
    | { kind: 'meter'; unit: string; min?: number; max?: number }
  );

export interface Checkpoint {
  placeId: string;
  order: number;
  items: ChecklistItem[];
}
export interface PlanTemplate {
  checkpoints: Checkpoint[];
}

/**
 * The answer types, per item kind: number/meter → a finite number (stored with the item's unit),
 * yes_no → boolean, single_choice → one option, multi_choice → a list of distinct options,
 * text → a string, photo → a list of attachment ids (empty allowed only when not required).
 */
export type Answer = number | boolean | string | string[];

export type Judgement =
  | { valid: false; reason: { zh: string; en: string } }
  | { valid: true; finding: boolean; why?: { zh: string; en: string } };

export interface JudgeContext {
  /** The last reading of the same meter item, for 'meter' (a meter never runs backwards). */
  previousReading?: number;
}

const bad = (zh: string, en: string): Judgement => ({ valid: false, reason: { zh, en } });
const ok = (): Judgement => ({ valid: true, finding: false });
const finding = (zh: string, en: string): Judgement => ({ valid: true, finding: true, why: { zh, en } });

function rangeFinding(v: number, unit: string, min?: number, max?: number): Judgement {
  if (min !== undefined && v < min) return finding(`${v}${unit} 低于下限 ${min}${unit}`, `${v} ${unit} is below the minimum ${min} ${unit}`);
  if (max !== undefined && v > max) return finding(`${v}${unit} 高于上限 ${max}${unit}`, `${v} ${unit} is above the maximum ${max} ${unit}`);
  return ok();
}

/** Whether an answer fits its item, and if so whether it is a finding. Pure; never throws. */
export function judgeAnswer(item: ChecklistItem, answer: unknown, ctx: JudgeContext = {}): Judgement {
  switch (item.kind) {
    case 'number':
    case 'meter': {
      if (typeof answer !== 'number' || !Number.isFinite(answer)) return bad('须填写数字', 'must be a number');
      if (item.kind === 'meter' && ctx.previousReading !== undefined && answer < ctx.previousReading) {
        return bad(`读数 ${answer} 小于上次读数 ${ctx.previousReading}`, `reading ${answer} is less than the previous reading ${ctx.previousReading}`);
      }
      return rangeFinding(answer, item.unit, item.min, item.max);
    }
    case 'yes_no':
      if (typeof answer !== 'boolean') return bad('须回答是或否', 'must be yes or no (true/false)');
      return answer === item.expected ? ok() : finding(`应为“${item.expected ? '是' : '否'}”`, `expected "${item.expected ? 'yes' : 'no'}"`);
    case 'single_choice': {
      if (typeof answer !== 'string' || !item.options.includes(answer)) return bad('须从选项中选择一项', 'must be one of the options');
      return item.failing.includes(answer) ? finding(`选择了异常项“${answer}”`, `failing option "${answer}" chosen`) : ok();
    }
    case 'multi_choice': {
      if (!Array.isArray(answer) || answer.some((a) => typeof a !== 'string' || !item.options.includes(a))) {
        return bad('须从选项中选择', 'must be a list of the options');
      }
      if (new Set(answer).size !== answer.length) return bad('选项不能重复', 'options must not repeat');
      const failed = answer.filter((a) => item.failing.includes(a));
      return failed.length ? finding(`选择了异常项“${failed.join('、')}”`, `failing options chosen: ${failed.join(', ')}`) : ok();
    }
    case 'text':
      return typeof answer === 'string' ? ok() : bad('须填写文字', 'must be text');
    case 'photo': {
      if (!Array.isArray(answer) || answer.some((a) => typeof a !== 'string' || a.length === 0)) return bad('须为照片列表', 'must be a list of photos');
      if (item.required && answer.length === 0) return bad('须拍照', 'a photo is required');
      return ok();
    }
  }
}

export interface TemplateIssue {
  /** Path in the template, e.g. `checkpoints[1].items[0].max`. */
  field: string;
  zh: string;
  en: string;
}

/** Consistency the type cannot say: unique ids and orders, min ≤ max, failing ⊆ options. */
export function validateTemplate(t: PlanTemplate): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const orders = new Set<number>();
  t.checkpoints.forEach((cp, i) => {
    const at = `checkpoints[${i}]`;
    if (orders.has(cp.order)) issues.push({ field: `${at}.order`, zh: `顺序 ${cp.order} 重复`, en: `order ${cp.order} is used twice` });
    orders.add(cp.order);
    const ids = new Set<string>();
    cp.items.forEach((item, j) => {
      const f = `${at}.items[${j}]`;
      if (ids.has(item.id)) issues.push({ field: `${f}.id`, zh: `检查项编号“${item.id}”重复`, en: `item id "${item.id}" is used twice` });
      ids.add(item.id);
      if ((item.kind === 'number' || item.kind === 'meter') && item.min !== undefined && item.max !== undefined && item.min > item.max) {
        issues.push({ field: `${f}.max`, zh: '上限不能小于下限', en: 'max must not be less than min' });
      }
      if (item.kind === 'single_choice' || item.kind === 'multi_choice') {
        if (new Set(item.options).size !== item.options.length) issues.push({ field: `${f}.options`, zh: '选项重复', en: 'options repeat' });
        const stray = item.failing.filter((o) => !item.options.includes(o));
        if (stray.length) issues.push({ field: `${f}.failing`, zh: `异常项“${stray[0]}”不在选项中`, en: `failing option "${stray[0]}" is not an option` });
      }
    });
  });
  return issues;
}
