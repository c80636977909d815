import type { LocationQuery } from 'vue-router'
import type { ComplaintMetric, GateVerdictFilter } from '../../api/dashboard'
import { METRIC_LABELS, NOW_METRICS } from './dashLinks'
import { dayLabel, readFilter } from './dashFilter'

/** A drill-down list's filter read back from its URL (what dashLinks.ts wrote), with safe defaults. */
const one = (v: LocationQuery[string]) => (Array.isArray(v) ? v[0] : v) ?? undefined
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/
const posInt = (v: string | undefined) => {
  const n = Number(v)
  return v !== undefined && v !== '' && Number.isInteger(n) && n >= 0 ? n : undefined
}

export function readDrill(query: LocationQuery) {
  const base = readFilter({ ...query, range: query.from ? 'custom' : query.range })
  const dayRaw = one(query.day)
  const day = dayRaw && DAY_RE.test(dayRaw) ? dayRaw : undefined
  const metricRaw = one(query.metric) as ComplaintMetric | undefined
  const metric: ComplaintMetric = metricRaw && metricRaw in METRIC_LABELS ? metricRaw : 'received'
  const allTime = one(query.all) === '1' || undefined
  const when = NOW_METRICS.includes(metric) ? '此刻' : allTime ? '累计' : day ? dayLabel(day) : base.from === base.to ? dayLabel(base.from) : `${dayLabel(base.from)} 至 ${dayLabel(base.to)}`
  return {
    from: day ? undefined : base.from,
    to: day ? undefined : base.to,
    day,
    orgId: base.orgId,
    metric,
    categoryId: posInt(one(query.cat)) || undefined,
    unplaced: one(query.unplaced) === '1' || undefined,
    allTime,
    hour: (() => {
      const h = posInt(one(query.hour))
      return h !== undefined && h < 24 ? h : undefined
    })(),
    verdict: ((v) => (v === 'register' || v === 'pass' || v === 'all' ? v : 'deny'))(one(query.verdict)) as GateVerdictFilter,
    reason: one(query.reason)?.slice(0, 40) || undefined,
    title: one(query.t)?.slice(0, 60) || undefined,
    when,
  }
}
