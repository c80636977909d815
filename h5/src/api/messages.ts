import type { Message } from '@cc/shared'
import { api } from './client'

export const messagesApi = {
  list: (cursor?: string | null) => api<{ items: Message[]; nextCursor: string | null; unread: number }>('/messages', { query: { cursor } }),
  readAll: () => api<{ ok: boolean }>('/messages/read-all', { method: 'POST', body: {} }),
}
