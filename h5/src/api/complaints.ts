import type {
  AdminComplaint,
  AdminStats,
  Category,
  ComplaintRow,
  ComplaintStatus,
  CreateComplaintBody,
  PublicComplaint,
  ResidentComplaint,
  SimilarItem,
  TaskStats,
  UnitComplaint,
} from '@cc/shared'
import { api, apiWithRetry } from './client'

export interface CursorPage<T> {
  items: T[]
  nextCursor: string | null
}

export interface AdminListFilter {
  status?: ComplaintStatus
  /** Several statuses, comma-separated ("submitted,reopened"); ignored when `status` is set. */
  statuses?: string
  categoryId?: number
  streetId?: number
  overdue?: boolean
  /** Only rows with an extension / reassignment request waiting (any status). */
  pending?: boolean
  /** Exact tracking code. */
  code?: string
  cursor?: string | null
}

/** The unit the district would most likely assign to: the community holding the place, or the market entity. */
export type SuggestedUnit = NonNullable<AdminComplaint['suggestedUnit']>

/** Tracking codes are typed by hand: ignore case, spaces and dashes. */
export const normalizeTrackingCode = (s: string) => s.toUpperCase().replace(/[\s-]/g, '')

export interface AssignInput {
  unitOrgId: number
  signHours?: number
  rectifyDueAt?: string
  note?: string
}

const post = <T>(path: string, body: unknown = {}, idempotencyKey?: string) => api<T>(path, { method: 'POST', body, idempotencyKey })

/** Resident side: report, follow, my reports, rate. */
export const complaintsApi = {
  categories: () => api<{ items: Category[] }>('/complaints/categories', { auth: false }),
  similar: (q: { categoryId: number; placeOrgId?: number; address?: string }, signal?: AbortSignal) =>
    api<{ items: SimilarItem[] }>('/complaints/similar', { query: { ...q }, signal }),
  /** One idempotency key per form fill: a retried submit never files twice. */
  create: (body: CreateComplaintBody, idempotencyKey: string, onRetry?: (n: number) => void) =>
    apiWithRetry<ResidentComplaint>('/complaints', { method: 'POST', body, idempotencyKey }, 4, onRetry),
  follow: (id: number) => post<{ followers: number }>(`/complaints/${id}/follow`),
  mine: (cursor?: string | null) => api<CursorPage<ResidentComplaint>>('/complaints/mine', { query: { cursor } }),
  get: (id: number) => api<ResidentComplaint>(`/complaints/${id}`),
  rate: (id: number, satisfied: boolean, comment?: string) => post<ResidentComplaint>(`/complaints/${id}/rate`, comment ? { satisfied, comment } : { satisfied }),
}

/** District (区指挥部). */
export const adminComplaintsApi = {
  list: (f: AdminListFilter = {}) => api<CursorPage<ComplaintRow>>('/admin/complaints', { query: { ...f } }),
  /** The complaint with this tracking code, or null. Filtered here too, in case the server ignores `code`. */
  byCode: async (code: string) => {
    const c = normalizeTrackingCode(code)
    return (await api<CursorPage<ComplaintRow>>('/admin/complaints', { query: { code: c, limit: 5 } })).items.find((r) => r.trackingCode === c) ?? null
  },
  /** Open complaints at the same place and category: merge candidates. */
  similar: (id: number) => api<{ items: ComplaintRow[] }>(`/admin/complaints/${id}/similar`),
  get: (id: number) => api<AdminComplaint>(`/admin/complaints/${id}`),
  stats: () => api<AdminStats>('/admin/stats'),
  accept: (id: number, note?: string) => post<AdminComplaint>(`/admin/complaints/${id}/accept`, note ? { note } : {}),
  reject: (id: number, reason: string) => post<AdminComplaint>(`/admin/complaints/${id}/reject`, { reason }),
  merge: (id: number, targetId: number) => post<AdminComplaint>(`/admin/complaints/${id}/merge`, { targetId }),
  assign: (id: number, body: AssignInput) => post<AdminComplaint>(`/admin/complaints/${id}/assign`, body),
  verify: (id: number, note?: string) => post<AdminComplaint>(`/admin/complaints/${id}/verify`, note ? { note } : {}),
  return: (id: number, note: string) => post<AdminComplaint>(`/admin/complaints/${id}/return`, { note }),
  decide: (id: number, approve: boolean, note?: string) => post<AdminComplaint>(`/admin/complaints/${id}/decide-request`, note ? { approve, note } : { approve }),
}

/** Accountable units (责任单位、社区、街道). */
export const tasksApi = {
  list: (q: { status?: ComplaintStatus; overdue?: boolean; cursor?: string | null } = {}) => api<CursorPage<ComplaintRow>>('/tasks', { query: { ...q } }),
  stats: () => api<TaskStats>('/tasks/stats'),
  get: (id: number) => api<UnitComplaint>(`/tasks/${id}`),
  sign: (id: number) => post<UnitComplaint>(`/tasks/${id}/sign`),
  extension: (id: number, reason: string, until: string) => post<UnitComplaint>(`/tasks/${id}/extension`, { reason, until }),
  reassign: (id: number, reason: string) => post<UnitComplaint>(`/tasks/${id}/reassign`, { reason }),
  rectify: (id: number, text: string, photoIds: string[], idempotencyKey?: string) => post<UnitComplaint>(`/tasks/${id}/rectify`, { text, photoIds }, idempotencyKey),
  /** street_admin only */
  verify: (id: number, note?: string) => post<UnitComplaint>(`/tasks/${id}/verify`, note ? { note } : {}),
  /** street_admin only */
  return: (id: number, note: string) => post<UnitComplaint>(`/tasks/${id}/return`, { note }),
}

/** Anyone, no login: look a tracking code up. */
export const trackApi = {
  get: (code: string) => api<PublicComplaint>(`/track/${encodeURIComponent(normalizeTrackingCode(code))}`, { auth: false }),
}
