import { ref, shallowRef, watch, type Ref, type WatchSource } from 'vue'
import { ApiError } from '../../api/client'

/**
 * One dashboard section's data, fetched again whenever the filter changes. A slower answer for an older
 * filter never overwrites a newer one (tapping 近7天 then 近30天 quickly). The error stays in the section
 * (with 重试) instead of a toast per chart.
 */
export function useDashLoad<T, F>(source: WatchSource<F>, fetch: (f: F) => Promise<T>) {
  const data = shallowRef<T | null>(null) as Ref<T | null>
  const loading = ref(false)
  const error = ref<string | null>(null)
  let generation = 0
  let last: F | undefined

  async function load(f: F | undefined = last) {
    last = f
    const gen = ++generation
    loading.value = true
    error.value = null
    try {
      const d = await fetch(f as F)
      if (gen === generation) data.value = d
    } catch (e) {
      if (gen === generation) error.value = e instanceof ApiError ? e.message : '加载失败，请重试'
    } finally {
      if (gen === generation) loading.value = false
    }
  }
  watch(source, (f) => void load(f), { immediate: true, deep: true })
  return { data, loading, error, reload: () => load() }
}
