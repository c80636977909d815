import { ref, shallowRef } from 'vue'
import { toastError } from './feedback'

/**
 * State for a van-list + van-pull-refresh over a keyset-paginated endpoint.
 * `load` is bound to van-list's @load, `refresh` to van-pull-refresh's @refresh.
 */
export function useCursorList<T>(fetchPage: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>) {
  const items = shallowRef<T[]>([])
  const loading = ref(false)
  const finished = ref(false)
  const error = ref(false)
  const refreshing = ref(false)
  const loadedOnce = ref(false)
  let cursor: string | null = null
  let generation = 0

  async function load() {
    const gen = generation
    loading.value = true
    try {
      const page = await fetchPage(cursor)
      if (gen !== generation) return
      items.value = [...items.value, ...page.items]
      cursor = page.nextCursor
      finished.value = !page.nextCursor
      error.value = false
    } catch (e) {
      if (gen !== generation) return
      error.value = true
      toastError(e)
    } finally {
      if (gen === generation) {
        loading.value = false
        loadedOnce.value = true
      }
    }
  }

  /** Start over from the first page (filters changed, or pull-to-refresh). */
  async function reset() {
    generation++
    cursor = null
    items.value = []
    finished.value = false
    error.value = false
    loadedOnce.value = false
    await load()
  }

  async function refresh() {
    refreshing.value = true
    try {
      await reset()
    } finally {
      refreshing.value = false
    }
  }

  return { items, loading, finished, error, refreshing, loadedOnce, load, reset, refresh }
}
