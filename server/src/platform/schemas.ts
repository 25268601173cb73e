import { z } from 'zod';

/** Shared zod building blocks: one definition of an id, a phone, a date for every module. */
export const Id = z.uuid();
export const IdParams = z.strictObject({ id: Id });
/** Mainland mobile (11 digits, 1[3-9]…) or a fixed line such as 021-62345678. */
export const Phone = z.string().trim().regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, { message: 'phone' });
export const Name = z.string().trim().min(1).max(100);
export const LongText = z.string().max(2000);
export const IsoDate = z.iso.date();
export const Password = z.string().min(8).max(128);
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })),
  }),
});
export const Ok = z.object({ ok: z.literal(true) });
/** List queries: `limit`/`offset` paging with a total for the table footer. */
export const Paging = { limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) };
export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int() });
