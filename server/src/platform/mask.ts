/** Masks personal data for lists, exports and the audit log (SEC-2). */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null;
  const digits = phone.replace(/\s+/g, '');
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length > 4) return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  return '****';
}

/** `zhang.wei@example.com` → `z***@example.com` */
export function maskEmail(email: string | null | undefined): string | null {
  if (!email) return email ?? null;
  const at = email.lastIndexOf('@');
  return at > 0 ? `${email[0]}***${email.slice(at)}` : '***';
}

const EMAIL_KEYS = new Set(['email']);
const PHONE_KEYS = new Set(['phone', 'contactPhone', 'mobile']);
const SECRET_KEYS = new Set(['passwordHash', 'password', 'newPassword', 'currentPassword', 'qrToken', 'tokenHash', 'confirmationCode']);

/** A copy of a record fit for the audit log: phones masked, secrets dropped. */
export function maskRecord(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskRecord);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEYS.has(k)) out[k] = v == null ? v : '[redacted]';
      else if (PHONE_KEYS.has(k) && typeof v === 'string') out[k] = maskPhone(v);
      else if (EMAIL_KEYS.has(k) && typeof v === 'string') out[k] = maskEmail(v);
      else out[k] = maskRecord(v);
    }
    return out;
  }
  return value;
}
