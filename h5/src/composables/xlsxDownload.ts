import { ref } from 'vue'
import { api, ApiError, currentAccessToken } from '../api/client'

/**
 * Downloads a streamed .xlsx behind the bearer token, counting bytes as they arrive (a long list takes a
 * while: the button says how far it got), then hands the file to the browser.
 */
export function useXlsxDownload() {
  const loading = ref(false)
  const received = ref(0)

  async function download(path: string, filename: string, query: Record<string, string | number | boolean | undefined | null> = {}) {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v))
    const url = `/api/v1${path}${q.size ? `?${q}` : ''}`
    const once = () => {
      const token = currentAccessToken()
      return fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, credentials: 'same-origin' })
    }
    loading.value = true
    received.value = 0
    try {
      let res = await once().catch(() => null)
      // An expired access token: any call through `api` refreshes it, then ask again.
      if (res?.status === 401) res = await api('/auth/me').then(once, () => res)
      if (!res) throw new ApiError(0, null)
      if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null))
      const chunks: Uint8Array[] = []
      const reader = res.body?.getReader()
      if (reader) {
        for (;;) {
          // A connection that drops mid-file rejects here: the user gets an error, never half a file.
          const { done, value } = await reader.read().catch(() => {
            throw new ApiError(0, null)
          })
          if (done) break
          chunks.push(value)
          received.value += value.length
        }
      } else chunks.push(new Uint8Array(await res.arrayBuffer()))
      const href = URL.createObjectURL(new Blob(chunks, { type: res.headers.get('content-type') ?? 'application/octet-stream' }))
      const a = document.createElement('a')
      a.href = href
      a.download = filename
      document.body.appendChild(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(href), 10_000)
      return received.value
    } finally {
      loading.value = false
    }
  }

  return { loading, received, download }
}

/** "1.2 MB" / "356 KB" for the progress label. */
export function formatBytes(n: number) {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)}\u00a0MB` : `${Math.max(1, Math.round(n / 1024))}\u00a0KB`
}
