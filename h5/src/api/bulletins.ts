import type { AdminBulletin, Bulletin, BulletinSummary } from '@cc/shared'
import { api } from './client'
import type { CursorPage } from './complaints'

/** Public: published bulletins only. */
export const bulletinsApi = {
  list: (cursor?: string | null) => api<CursorPage<BulletinSummary>>('/bulletins', { query: { cursor }, auth: false }),
  get: (id: number) => api<Bulletin>(`/bulletins/${id}`, { auth: false }),
}

/** District: drafts included. */
export const adminBulletinsApi = {
  list: (cursor?: string | null) => api<CursorPage<BulletinSummary>>('/admin/bulletins', { query: { cursor } }),
  get: (id: number) => api<AdminBulletin>(`/admin/bulletins/${id}`),
  draft: () => api<AdminBulletin>('/admin/bulletins/draft', { method: 'POST', body: {} }),
  editItem: (id: number, itemId: number, body: { problem: string; place: string; measures: string }) =>
    api<AdminBulletin>(`/admin/bulletins/${id}/items/${itemId}`, { method: 'PUT', body }),
  /** `confirmDigits`: the editor confirmed the 7+ digit numbers a 422 PUBLIC_DIGITS listed (e.g. a hotline). */
  publish: (id: number, confirmDigits = false) =>
    api<AdminBulletin>(`/admin/bulletins/${id}/publish`, { method: 'POST', body: confirmDigits ? { confirmDigits } : {} }),
  erratum: (id: number, text: string, confirmDigits = false) =>
    api<AdminBulletin>(`/admin/bulletins/${id}/erratum`, { method: 'POST', body: confirmDigits ? { text, confirmDigits } : { text } }),
}
