import type { Message } from './i18n.ts';
import { messages } from './i18n.ts';

/** One problem with one field of the request; `field` is a dotted path such as `body.name`. */
export interface FieldProblem { field: string; message: Message; code?: string }

/**
 * Typed errors, mapped once to `{ error: { code, message, fields } }` by the error handler
 * (STYLE §4). Clients branch on `code`, never on the text.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Message,
    readonly fields: FieldProblem[] = [],
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(text.en);
  }
}

export const NotFound = (what = messages.notFound) => new AppError(404, 'not_found', what);
export const Forbidden = () => new AppError(403, 'forbidden', messages.forbidden);
export const Unauthenticated = () => new AppError(401, 'unauthenticated', messages.unauthenticated);
export const Conflict = (code: string, text: Message, fields: FieldProblem[] = []) => new AppError(409, code, text, fields);
export const Invalid = (fields: FieldProblem[], code = 'invalid', text = messages.invalid) => new AppError(400, code, text, fields);
/** A single bad field, e.g. `invalidField('body.parentId', { zh: '上级位置不存在', en: 'Parent place does not exist' })`. */
export const invalidField = (field: string, message: Message, code = 'invalid') => Invalid([{ field, message, code }]);
