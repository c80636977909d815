import type { Problem } from '@cc/shared'

/** An API failure with the server's problem+json; `message` is the Chinese text to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail ?? problem?.title ?? (status === 0 ? '网络不给力，请检查网络后重试' : '服务器开小差了，请稍后再试'))
  }
  get code() {
    return this.problem?.code ?? (this.status === 0 ? 'NETWORK' : 'UNKNOWN')
  }
}

type TokenSource = {
  token: () => string | null
  /** Single-flight refresh; resolves false when the session is gone. */
  refresh: () => Promise<boolean>
  onSignedOut: () => void
  /** True while the user is known (from the offline snapshot) but no token has been issued yet. */
  pending?: () => boolean
}
let tokens: TokenSource | null = null
export function bindTokens(t: TokenSource) {
  tokens = t
}
/** For the few calls that cannot go through `api` (an XMLHttpRequest upload that reports progress). */
export const currentAccessToken = () => tokens?.token() ?? null

export interface RequestOptions {
  method?: string
  body?: unknown
  query?: Record<string, string | number | boolean | undefined | null>
  /** Sent as Idempotency-Key so a retried POST never creates a second record. */
  idempotencyKey?: string
  auth?: boolean
  signal?: AbortSignal
  form?: FormData
}

function buildUrl(path: string, query?: RequestOptions['query']) {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return `/api/v1${path}${s ? `?${s}` : ''}`
}

async function once<T>(path: string, o: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  const token = o.auth === false ? null : tokens?.token()
  if (token) headers.authorization = `Bearer ${token}`
  if (o.idempotencyKey) headers['idempotency-key'] = o.idempotencyKey
  let body: BodyInit | undefined
  if (o.form) body = o.form
  else if (o.body !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(o.body)
  }
  let res: Response
  try {
    res = await fetch(buildUrl(path, o.query), { method: o.method ?? 'GET', headers, body, credentials: 'same-origin', signal: o.signal })
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e
    throw new ApiError(0, null)
  }
  if (res.status === 204) return undefined as T
  const data = await res.json().catch(() => null)
  if (!res.ok) throw new ApiError(res.status, data as Problem | null)
  return data as T
}

/** Calls the API; an expired access token is refreshed once (single flight) and the call retried. */
export async function api<T>(path: string, o: RequestOptions = {}): Promise<T> {
  // A session brought back from the offline snapshot has no access token yet: get one first.
  if (o.auth !== false && tokens && !tokens.token() && tokens.pending?.()) await tokens.refresh()
  try {
    return await once<T>(path, o)
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && o.auth !== false && tokens?.token()) {
      if (await tokens.refresh()) return once<T>(path, o)
      tokens.onSignedOut()
    }
    throw e
  }
}

/** Retries on network failure with back-off, keeping the same Idempotency-Key (safe for POSTs). */
export async function apiWithRetry<T>(path: string, o: RequestOptions, attempts = 4, onRetry?: (n: number) => void): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await api<T>(path, o)
    } catch (e) {
      const retriable = e instanceof ApiError && (e.status === 0 || e.status >= 500 || e.code === 'IDEMPOTENCY_IN_PROGRESS')
      if (!retriable || i >= attempts - 1) throw e
      onRetry?.(i + 1)
      await new Promise((r) => setTimeout(r, 800 * 2 ** i))
    }
  }
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`
}
