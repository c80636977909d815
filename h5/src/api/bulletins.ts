import type { Bulletin, BulletinSummary } from '@cc/shared'
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
  get: (id: number) => api<Bulletin>(`/admin/bulletins/${id}`),
  draft: () => api<Bulletin>('/admin/bulletins/draft', { method: 'POST', body: {} }),
  editItem: (id: number, itemId: number, body: { problem: string; place: string; measures: string }) =>
    api<Bulletin>(`/admin/bulletins/${id}/items/${itemId}`, { method: 'PUT', body }),
  publish: (id: number) => api<Bulletin>(`/admin/bulletins/${id}/publish`, { method: 'POST', body: {} }),
  erratum: (id: number, text: string) => api<Bulletin>(`/admin/bulletins/${id}/erratum`, { method: 'POST', body: { text } }),
}
