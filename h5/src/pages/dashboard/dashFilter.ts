import { computed } from 'vue'
import { useRoute, useRouter, type LocationQuery } from 'vue-router'
import type { DashFilter } from '../../api/dashboard'

/**
 * The dashboard's filter lives in the URL (`?range=7|30|custom&from=&to=&org=`): a drill-down list and the
 * back button bring the district to the same view, and a link to a filtered dashboard can be shared.
 */
export type RangePreset = '7' | '30' | 'custom'
const DAY_MS = 86_400_000

/** Today's date in Beijing (the server's days are Beijing days), whatever the phone's time zone. */
export function beijingToday(now = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10)
}
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)
}
/** "11月20日" for a chart label, "2026年11月20日" when the year matters. */
export function dayLabel(day: string, withYear = false): string {
  const [y, m, d] = day.split('-').map(Number)
  return `${withYear ? `${y}年` : ''}${m}月${d}日`
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/
const one = (v: LocationQuery[string]) => (Array.isArray(v) ? v[0] : v) ?? undefined

export function readFilter(query: LocationQuery, today = beijingToday()): { preset: RangePreset; from: string; to: string; orgId?: number } {
  const range = one(query.range)
  const from = one(query.from)
  const to = one(query.to)
  const org = Number(one(query.org))
  const orgId = Number.isInteger(org) && org > 0 ? org : undefined
  if (range === 'custom' && from && to && DAY_RE.test(from) && DAY_RE.test(to) && from <= to) return { preset: 'custom', from, to, orgId }
  const n = range === '30' ? 30 : 7
  return { preset: n === 30 ? '30' : '7', from: addDays(today, -(n - 1)), to: today, orgId }
}

export function useDashFilter() {
  const route = useRoute()
  const router = useRouter()
  const state = computed(() => readFilter(route.query))
  const filter = computed<DashFilter>(() => ({ from: state.value.from, to: state.value.to, orgId: state.value.orgId }))

  function update(patch: Record<string, string | undefined>) {
    const query: Record<string, string> = {}
    for (const [k, v] of Object.entries({ ...route.query, ...patch })) {
      const s = Array.isArray(v) ? v[0] : v
      if (typeof s === 'string' && s !== '') query[k] = s
    }
    void router.replace({ query })
  }
  return {
    state,
    filter,
    setPreset: (p: '7' | '30') => update({ range: p, from: undefined, to: undefined }),
    setRange: (from: string, to: string) => update({ range: 'custom', from, to }),
    setOrg: (orgId: number | undefined) => update({ org: orgId ? String(orgId) : undefined }),
  }
}
