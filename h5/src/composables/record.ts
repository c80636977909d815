import { onMounted, ref, watch, type Ref, type WatchSource } from 'vue'
import { ApiError } from '../api/client'
import { toastError } from './feedback'

/**
 * One record a page opens by id (a bulletin, a 红黑榜 period, an entity's history): loads on open and again
 * when `key` changes, tells "not there" (404) from a failure (toast, and a retry on the page), and drops the
 * old record when the new one fails so a page never shows one id's content under another's address.
 */
export function useRecord<T>(fetch: () => Promise<T>, key: WatchSource<unknown>, onLoaded?: (v: T) => void | Promise<void>) {
  const data = ref(null) as Ref<T | null>
  const loading = ref(false)
  const notFound = ref(false)
  async function load() {
    loading.value = true
    notFound.value = false
    try {
      data.value = await fetch()
      await onLoaded?.(data.value)
    } catch (e) {
      data.value = null
      if (e instanceof ApiError && e.status === 404) notFound.value = true
      else toastError(e)
    } finally {
      loading.value = false
    }
  }
  onMounted(load)
  watch(key, load)
  return { data, loading, notFound, load }
}
