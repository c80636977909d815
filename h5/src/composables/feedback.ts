import { showFailToast } from 'vant'
import { ApiError } from '../api/client'

/** The one place that turns an error into what the user sees. */
export function toastError(e: unknown) {
  if ((e as Error)?.name === 'AbortError') return
  const msg = e instanceof ApiError ? e.message : '操作失败，请重试'
  showFailToast({ message: msg, wordBreak: 'break-word' })
}
