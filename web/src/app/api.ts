/**
 * The one HTTP client of both web entries (STYLE §8). Every call goes through `request`, so the
 * CSRF header, the session cookie, the UI language and the error shape are handled in one place
 * and screens branch on `ApiError.code`, never on message text.
 */

/** The header the server's CSRF guard demands on every non-GET request (platform/http.ts). */
export const CSRF_HEADER = 'X-Requested-With';
export const CSRF_VALUE = 'towerdesk';

export interface FieldProblem {
  /** Dotted path as the server names it, e.g. `body.name` or `query.limit`. */
  field: string;
  code: string;
  message: string;
}

/** One rejected row of an import file (400 `import_rejected`). */
export interface RowProblem {
  row: number;
  field: string;
  message: string;
}

/**
 * A failed API call. `status` 0 means the server was not reached (offline, DNS, proxy down) —
 * a named state so the phone can say "offline" instead of showing a generic failure.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldProblem[];
  readonly rows: RowProblem[];
  /** Seconds to wait before the next sign-in attempt (429 `throttled`). */
  readonly retryAfterSeconds: number | null;

  constructor(init: { status: number; code: string; message: string; fields?: FieldProblem[]; rows?: RowProblem[]; retryAfterSeconds?: number | null }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.fields = init.fields ?? [];
    this.rows = init.rows ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }

  get offline() {
    return this.status === 0;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

/** The UI language sent as Accept-Language, so server messages come back in it. Set by i18n. */
let currentLanguage = 'zh-CN';
export function setApiLanguage(lang: string) {
  currentLanguage = lang;
}

/**
 * Turns a server error body into an ApiError. Tolerates bodies that are not ours (a proxy's
 * HTML 502 page) so a broken gateway still gives a readable message.
 */
export function toApiError(status: number, body: unknown, fallbackMessage: string): ApiError {
  const err = (body as { error?: Record<string, unknown> } | null)?.error;
  if (!err || typeof err !== 'object') return new ApiError({ status, code: `http_${status}`, message: fallbackMessage });
  const fields = Array.isArray(err.fields) ? (err.fields as FieldProblem[]) : [];
  const rows = Array.isArray(err.rows) ? (err.rows as RowProblem[]) : [];
  const retry = typeof err.retryAfterSeconds === 'number' ? err.retryAfterSeconds : null;
  return new ApiError({
    status,
    code: typeof err.code === 'string' ? err.code : `http_${status}`,
    message: typeof err.message === 'string' && err.message ? err.message : fallbackMessage,
    fields,
    rows,
    retryAfterSeconds: retry,
  });
}

/**
 * The form field a server problem belongs to: `body.name` → `name`, `body.unitIds.0` → `unitIds`.
 * Problems about the request as a whole (`body`, `query.x`, `file…`) have no form field: null.
 */
export function formFieldOf(problemField: string): string | null {
  const m = /^body\.([A-Za-z0-9_]+)/.exec(problemField);
  return m ? m[1]! : null;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

const NETWORK_MESSAGE: Record<string, string> = {
  'zh-CN': '无法连接服务器，请检查网络',
  'en-US': 'Cannot reach the server; check the network',
};

async function request<T>(method: string, path: string, opts: { query?: Query; body?: unknown; form?: FormData; signal?: AbortSignal; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLanguage, ...opts.headers };
  if (method !== 'GET') headers[CSRF_HEADER] = CSRF_VALUE;
  let body: BodyInit | undefined;
  if (opts.form) {
    body = opts.form; // the browser sets the multipart boundary itself
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'offline', message: NETWORK_MESSAGE[currentLanguage] ?? NETWORK_MESSAGE['zh-CN']! });
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) throw toApiError(res.status, data, `${res.status} ${res.statusText}`);
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, { body: body ?? {}, query }),
  /**
   * A create that must not happen twice (a work item filed from a phone on a weak signal): the
   * same key is sent again on every retry of one submission, and the server answers the retry
   * with the first result instead of filing a second item.
   */
  postOnce: <T>(path: string, body: unknown, idempotencyKey: string) => request<T>('POST', path, { body, headers: { 'Idempotency-Key': idempotencyKey } }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path),
  upload: <T>(path: string, file: File, query?: Query) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return request<T>('POST', path, { form, query });
  },
  /** Several files in one multipart request (field `file` repeated), e.g. photos for /api/uploads. */
  uploadMany: <T>(path: string, files: readonly File[]) => {
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    return request<T>('POST', path, { form });
  },
};

/**
 * A fresh Idempotency-Key. crypto.randomUUID exists only in secure contexts (https, localhost);
 * a phone on the building's LAN over plain http has getRandomValues only.
 */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
