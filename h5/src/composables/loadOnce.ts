import { onMounted, ref, type Ref } from 'vue'
import { toastError } from './feedback'

/**
 * One value a page loads on open and on pull-to-refresh (a home page's numbers): loading and refreshing
 * states for the spinner, the error as a toast, the last good value kept when a refresh fails.
 */
export function useLoadOnce<T>(fetch: () => Promise<T>) {
  const data = ref(null) as Ref<T | null>
  const loading = ref(false)
  const refreshing = ref(false)
  async function load(pull = false) {
    loading.value = true
    try {
      data.value = await fetch()
    } catch (e) {
      toastError(e)
    } finally {
      loading.value = false
      if (pull) refreshing.value = false
    }
  }
  onMounted(() => load())
  return { data, loading, refreshing, load }
}
