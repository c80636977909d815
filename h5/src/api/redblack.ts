import type {
  RbEntry,
  RbEntity,
  RbEntityBody,
  RbEntityHistory,
  RbEntryBody,
  RbEntityKind,
  RbEvidenceCandidates,
  RbList,
  RbPeriod,
  RbPeriodSummary,
  RbPublicPeriod,
  RbRules,
  RbSuggestions,
  RbTrend,
} from '@cc/shared'
import { api, newIdempotencyKey } from './client'
import type { CursorPage } from './complaints'

/** Public: published periods only, no login. */
export const redblackApi = {
  list: (cursor?: string | null) => api<CursorPage<RbPeriodSummary>>('/redblack/periods', { query: { cursor }, auth: false }),
  get: (id: number) => api<RbPublicPeriod>(`/redblack/periods/${id}`, { auth: false }),
  entity: (id: number) => api<RbEntityHistory>(`/redblack/entities/${id}`, { auth: false }),
  trend: () => api<RbTrend>('/redblack/trend', { auth: false }),
}

export type RbTrendPoint = RbTrend['items'][number]
export type RbEvidence = RbEntry['evidence'][number]
export type RbSuggestion = RbSuggestions['black'][number]

/** What a suggestion fills in for the entry form; the editor still checks it and saves. */
export interface RbEntryPrefill {
  entity: Pick<RbEntity, 'id' | 'kind' | 'kindLabel' | 'name'> | null
  /** Searched for when there is no entity yet (a compound's name finds its property project). */
  name?: string
  list: RbList
  reason: string
  complaints: { id: number; trackingCode: string }[]
}

const A = '/admin/redblack'
/** One Idempotency-Key per filled entry form, kept across retries of its save. */
export const newEntryKey = newIdempotencyKey

/** District: drafts included. Creating calls carry an Idempotency-Key so a retried tap never adds twice. */
export const adminRedblackApi = {
  list: (cursor?: string | null, limit?: number) => api<CursorPage<RbPeriodSummary>>(`${A}/periods`, { query: { cursor, limit } }),
  get: (id: number) => api<RbPeriod>(`${A}/periods/${id}`),
  create: () => api<RbPeriod>(`${A}/periods`, { method: 'POST', body: {}, idempotencyKey: newIdempotencyKey() }),
  addEntry: (id: number, body: RbEntryBody, idempotencyKey = newIdempotencyKey()) =>
    api<RbPeriod>(`${A}/periods/${id}/entries`, { method: 'POST', body, idempotencyKey }),
  editEntry: (id: number, entryId: number, body: RbEntryBody) => api<RbPeriod>(`${A}/periods/${id}/entries/${entryId}`, { method: 'PUT', body }),
  removeEntry: (id: number, entryId: number) => api<RbPeriod>(`${A}/periods/${id}/entries/${entryId}`, { method: 'DELETE' }),
  publish: (id: number) => api<RbPeriod>(`${A}/periods/${id}/publish`, { method: 'POST', body: {} }),
  erratum: (id: number, text: string) => api<RbPeriod>(`${A}/periods/${id}/erratum`, { method: 'POST', body: { text }, idempotencyKey: newIdempotencyKey() }),
  suggestions: (days?: number) => api<RbSuggestions>(`${A}/suggestions`, { query: { days } }),
  entities: (q: string, kind?: RbEntityKind | null, signal?: AbortSignal, limit = 20) =>
    api<CursorPage<RbEntity>>(`${A}/entities`, { query: { q, kind, limit }, signal }),
  createEntity: (body: RbEntityBody) => api<RbEntity>(`${A}/entities`, { method: 'POST', body, idempotencyKey: newIdempotencyKey() }),
  evidence: (entityId: number) => api<RbEvidenceCandidates>(`${A}/entities/${entityId}/evidence`),
  rules: () => api<RbRules>(`${A}/rules`),
}
