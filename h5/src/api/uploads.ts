import type { UploadReply } from '@cc/shared'
import { api } from './client'

export type UploadPurpose = 'report' | 'rectify' | 'travel_card'

/** One photo per request, multipart field "file". */
export function uploadPhoto(file: Blob, purpose: UploadPurpose, name = 'photo.jpg', signal?: AbortSignal) {
  const form = new FormData()
  form.append('file', file, name)
  return api<UploadReply>('/uploads', { method: 'POST', form, query: { purpose }, signal })
}
