/** Server-side messages in the user's language. zh-CN first; en-US second. */
export type Locale = 'zh-CN' | 'en-US';

export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'zh-CN';
  // Honour the first language the client names; anything not English gets Chinese.
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en-US' : 'zh-CN';
}

export interface Message { zh: string; en: string }

/** Whether the request asked for English (Chinese is the default everywhere). */
export const isEnglish = (ctx: { locale: string }) => ctx.locale === 'en-US';
/** A message in the request's language. */
export const say = (ctx: { locale: string }, m: Message) => (isEnglish(ctx) ? m.en : m.zh);

export const messages = {
  invalid: { zh: '请求内容有误', en: 'The request is invalid' },
  invalidJson: { zh: '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' },
  tooLarge: { zh: '请求内容过大', en: 'The request body is too large' },
  unsupportedMedia: { zh: '不支持的内容类型', en: 'Unsupported content type' },
  notFound: { zh: '未找到', en: 'Not found' },
  routeNotFound: { zh: '接口不存在', en: 'No such endpoint' },
  unauthenticated: { zh: '请先登录', en: 'Please sign in' },
  forbidden: { zh: '无权执行此操作', en: 'You are not allowed to do this' },
  csrf: { zh: '请求来源未通过校验', en: 'The request origin could not be verified' },
  conflict: { zh: '与现有数据冲突', en: 'Conflicts with existing data' },
  badLogin: { zh: '账号或密码错误', en: 'Wrong account or password' },
  throttled: { zh: '尝试次数过多，请稍后再试', en: 'Too many attempts, try again later' },
  internal: { zh: '服务器内部错误', en: 'Internal server error' },
} satisfies Record<string, Message>;

/** Messages for single fields, keyed by zod issue code (and a few of our own). */
export function fieldMessage(code: string, detail?: { expected?: string; minimum?: unknown; maximum?: unknown; values?: unknown[] }): Message {
  switch (code) {
    case 'required': return { zh: '必填', en: 'Required' };
    case 'invalid_type': return { zh: `类型错误${detail?.expected ? `，应为 ${detail.expected}` : ''}`, en: `Wrong type${detail?.expected ? `, expected ${detail.expected}` : ''}` };
    case 'too_small': return { zh: `过短或过小（最小 ${String(detail?.minimum)}）`, en: `Too short or too small (minimum ${String(detail?.minimum)})` };
    case 'too_big': return { zh: `过长或过大（最大 ${String(detail?.maximum)}）`, en: `Too long or too large (maximum ${String(detail?.maximum)})` };
    case 'invalid_value': return { zh: `取值无效${detail?.values ? `，可选：${detail.values.join('、')}` : ''}`, en: `Invalid value${detail?.values ? `; one of: ${detail.values.join(', ')}` : ''}` };
    case 'unrecognized_keys': return { zh: '不允许的字段', en: 'Unknown field' };
    case 'invalid_format': return { zh: '格式不正确', en: 'Wrong format' };
    case 'duplicate': return { zh: '已存在，不能重复', en: 'Already exists' };
    default: return { zh: '取值无效', en: 'Invalid value' };
  }
}
